import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './run-in-process';

const TINY = 'tests/fixtures/scenarios/tiny.yaml';
let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'heatboard-sweep-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('heatboard sweep', () => {
	it('writes levels with totals and half-widths, the level meeting the target and the one maximising net revenue', async () => {
		const json = join(dir, 'sweep.json');
		const csv = join(dir, 'sweep.csv');
		const r = await cli('sweep', TINY, '--agents', '2..8:2', '-r', '3', '--seed', '4', '--json', json, '--csv', csv);
		expect(r.code, r.err).toBe(0);
		expect(r.out).toContain('agents');
		const out = JSON.parse(readFileSync(json, 'utf8')) as {
			levels: Array<{ agents: number; totals: Record<string, number | null>; halfWidths: Record<string, number | null> }>;
			meetsTarget: number | null;
			maxNetRevenue: number | null;
		};
		expect(out.levels.map((l) => l.agents)).toEqual([2, 4, 6, 8]);
		for (const l of out.levels) {
			expect(l.totals).toHaveProperty('slOffered');
			expect(l.totals).toHaveProperty('netRevenue');
			expect(l.halfWidths).toHaveProperty('slOffered');
		}
		expect(out.levels.map((l) => l.agents)).toContain(out.maxNetRevenue);
		const best = Math.max(...out.levels.map((l) => l.totals.netRevenue as number));
		expect(out.levels.find((l) => l.agents === out.maxNetRevenue)?.totals.netRevenue).toBe(best);
		expect(readFileSync(csv, 'utf8').trim().split('\n')).toHaveLength(5);
	});

	it('refuses a missing or malformed agent range with exit 2', async () => {
		expect((await cli('sweep', TINY)).code).toBe(2);
		const bad = await cli('sweep', TINY, '--agents', '10..2');
		expect(bad.code).toBe(2);
		expect(bad.err).toContain('--agents');
	});
});
