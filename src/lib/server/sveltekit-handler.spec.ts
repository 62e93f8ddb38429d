import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSvelteKitHandler } from './sveltekit-handler';

const dir = mkdtempSync(join(tmpdir(), 'heatboard-handler-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function moduleFile(name: string, source: string): URL {
	const file = join(dir, name);
	writeFileSync(file, source);
	return pathToFileURL(file);
}

describe('loadSvelteKitHandler', () => {
	it('returns the exported handler function', async () => {
		const url = moduleFile('good.js', 'export const handler = (req, res) => res.setHeader("x-from", req.url);\n');
		const handler = await loadSvelteKitHandler(url);
		const req = new IncomingMessage(new Socket());
		req.url = '/from-build';
		const res = new ServerResponse(req);
		handler(req, res, () => {});
		expect(res.getHeader('x-from')).toBe('/from-build');
	});

	it('says to run the build when the file is missing', async () => {
		await expect(loadSvelteKitHandler(pathToFileURL(join(dir, 'missing/handler.js')))).rejects.toThrow(
			/SvelteKit build not found .*run `npm run build` first/
		);
	});

	it('rejects a module without a handler function', async () => {
		const url = moduleFile('bad.js', 'export const handler = 42;\n');
		await expect(loadSvelteKitHandler(url)).rejects.toThrow(/does not export a `handler` function/);
	});
});
