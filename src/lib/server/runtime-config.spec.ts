import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HOST, DEFAULT_PORT, parseListenConfig, readPackageVersion } from './runtime-config';

describe('parseListenConfig', () => {
	it('defaults to 0.0.0.0:3000, also for empty values', () => {
		expect(parseListenConfig({})).toEqual({ port: DEFAULT_PORT, host: DEFAULT_HOST });
		expect(parseListenConfig({ PORT: '', HOST: ' ' })).toEqual({ port: 3000, host: '0.0.0.0' });
	});

	it('reads PORT and HOST', () => {
		expect(parseListenConfig({ PORT: '4173', HOST: '127.0.0.1' })).toEqual({ port: 4173, host: '127.0.0.1' });
		expect(parseListenConfig({ PORT: '0' }).port).toBe(0);
		expect(parseListenConfig({ PORT: '65535' }).port).toBe(65_535);
	});

	it.each(['abc', '80a', '-1', '3.5', '65536', '1e3'])('rejects PORT=%s instead of guessing', (port) => {
		expect(() => parseListenConfig({ PORT: port })).toThrow(/PORT must be an integer between 0 and 65535/);
	});
});

describe('readPackageVersion', () => {
	it("reads the repo's own package.json", () => {
		expect(readPackageVersion(new URL('../../../package.json', import.meta.url))).toMatch(/^\d+\.\d+\.\d+/);
	});

	it('rejects a package.json without a string version', () => {
		const dir = mkdtempSync(join(tmpdir(), 'heatboard-pkg-'));
		try {
			const file = join(dir, 'package.json');
			writeFileSync(file, JSON.stringify({ name: 'x', version: 3 }));
			expect(() => readPackageVersion(file)).toThrow(/no string "version" field/);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
