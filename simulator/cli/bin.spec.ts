import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main, USAGE } from './index';
import type { RunSummary } from '../core/summary';
import { erlangAMeasures, erlangCMeasures } from '../../src/lib/engine/analytics/erlang';

/** End to end: the bin as a user runs it, in a child process. Most cases run in-process in the other specs. */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/heatboard.js');
const TINY = 'tests/fixtures/scenarios/tiny.yaml';

interface Run {
	code: number | null;
	out: string;
	err: string;
}

function heatboard(args: string[], cwd = ROOT): Run {
	const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 20_000 });
	if (r.error) throw r.error;
	return { code: r.status, out: r.stdout, err: r.stderr };
}

let dir: string;
beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'heatboard-cli-bin-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const tmp = (name: string) => join(dir, name);

describe('the heatboard bin', () => {
	it('is what package.json exposes, a node script', () => {
		const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin?: Record<string, string> };
		expect(pkg.bin).toEqual({ heatboard: 'bin/heatboard.js' });
		expect(readFileSync(BIN, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
		expect(() => accessSync(BIN, constants.X_OK)).not.toThrow();
	});

	it('npx heatboard runs it from the repository (no network)', () => {
		const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
		const r = spawnSync(npx, ['--offline', '--no-install', 'heatboard', '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
		expect(r.status, r.stderr).toBe(0);
		expect(r.stdout).toContain(USAGE);
	});

	it('simulates the shipped reference scenario: the textbook Erlang A case', () => {
		const r = heatboard(['simulate', 'scenarios/reference.yaml', '--seed', '3', '--json', tmp('reference.json')]);
		expect(r.code, r.err).toBe(0);
		expect(r.err).toBe(''); // no progress bar when stderr is not a terminal
		expect(r.out.split('\n')[0]).toBe('single queue: seed 3, 1 replication, 7.5 h measured after 30 min warm-up');
		const s = JSON.parse(readFileSync(tmp('reference.json'), 'utf8')) as RunSummary;
		expect(Object.keys(s.queues)).toEqual(['sales']);
		expect(s.intervals).toHaveLength(30);
		// λ = 2880/h for 7.5 h: Poisson, sd ≈ 147; AHT 240 s exponential: sd of the mean ≈ 240/√n
		const expected = 2880 * 7.5;
		expect(Math.abs(s.totals.offered - expected)).toBeLessThan(5 * Math.sqrt(expected));
		expect(Math.abs((s.totals.aht ?? 0) - 240)).toBeLessThan((5 * 240) / Math.sqrt(s.totals.answered));
		const model = erlangAMeasures({ arrivalsPerHour: 2880, ahtSeconds: 240, agents: 200, targetSeconds: 20, patienceSeconds: 180 });
		expect(Math.abs((s.totals.occupancy ?? 0) - model.occupancy)).toBeLessThan(0.02);
		expect(s.totals.agentHours).toBeCloseTo(200 * 7.5, 6);
	});

	it('resolves relative paths against the caller’s directory and writes what main writes', async () => {
		const r = heatboard(['simulate', join(ROOT, TINY), '--seed', '5', '--json', 'from-bin.json'], dir);
		expect(r.code, r.err).toBe(0);
		let out = '';
		const code = await main(['simulate', TINY, '--seed', '5', '--json', tmp('in-process.json')], {
			out: (s) => void (out += s),
			err: () => {},
			tty: false,
			cwd: ROOT
		});
		expect(code).toBe(0);
		expect(r.out).toBe(out);
		expect(readFileSync(tmp('from-bin.json')).equals(readFileSync(tmp('in-process.json')))).toBe(true);
	});

	it('check: exit 1 on a failed assertion, with a JUnit report written', () => {
		const r = heatboard(['check', TINY, '--assert', 'offered > 0', '--assert', 'slOffered > 1', '--junit', tmp('check.xml')]);
		expect(r.code, r.err).toBe(1);
		expect(r.out).toContain('FAIL  slOffered > 1');
		expect(r.out).toContain('1 passed, 1 failed');
		const xml = readFileSync(tmp('check.xml'), 'utf8');
		expect(xml).toContain('tests="2" failures="1"');
		expect(xml.match(/<testcase /g)).toHaveLength(2);
	});

	it('erlang --json prints the model’s measures', () => {
		const r = heatboard(['erlang', '--model', 'c', '--arrivals-per-hour', '200', '--aht', '180', '--agents', '12', '--json']);
		expect(r.code, r.err).toBe(0);
		expect(JSON.parse(r.out)).toEqual({
			model: 'c',
			agents: 12,
			stable: true,
			...erlangCMeasures({ arrivalsPerHour: 200, ahtSeconds: 180, agents: 12, targetSeconds: 20 })
		});
	});

	it('exit codes: no command 2, --help 0, unknown command 2', () => {
		expect(heatboard([]).code).toBe(2);
		const help = heatboard(['--help']);
		expect(help.code).toBe(0);
		expect(help.out).toBe(USAGE);
		const unknown = heatboard(['simulat']);
		expect(unknown.code).toBe(2);
		expect(unknown.err).toContain('unknown command "simulat"');
	});

	it('a scenario with errors: exit 2, the file, line, column and field on stderr', () => {
		const file = 'tests/fixtures/scenarios/wrong-type.yaml';
		const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
		const line = lines.findIndex((l) => l.includes('plenty'));
		const column = (lines[line] as string).indexOf('plenty') + 1;
		const r = heatboard(['simulate', file]);
		expect(r.code).toBe(2);
		expect(r.out).toBe('');
		expect(r.err).toContain(`${resolve(ROOT, file)}:${line + 1}:${column}: queues[0].maxWaiting:`);
	});

	// The journal is opened with createWriteStream and nobody listens for its 'error' event, so a
	// path that cannot be written kills the process with a stack trace ("Unhandled 'error' event",
	// exit 1) instead of the CLI's one-line message and exit 2.
	it('--events into a directory that does not exist: exit 2 with a message, not a crash', () => {
		const target = tmp('no-such-dir/run.ndjson');
		const r = heatboard(['simulate', TINY, '--events', target]);
		expect(r.err).not.toContain("Unhandled 'error' event");
		expect(r.code).toBe(2);
		expect(r.err).toMatch(/^heatboard simulate: .*no-such-dir/);
		expect(existsSync(target)).toBe(false);
	});
});
