import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { JOURNAL_FORMAT, SIMULATE_USAGE } from './simulate';
import { loadScenario } from '../scenario/load';
import { simulate } from '../core/simulate';
import { summarize, TOTAL_KEYS, type RunSummary, type Totals } from '../core/summary';
import { Engine } from '../../src/lib/engine/engine';
import { parseEvent } from '../../src/lib/engine/schema';
import type { HeatEvent } from '../../src/lib/engine/events';
import { cli, ROOT, type Run } from './run-in-process';

const FIXTURES = 'tests/fixtures/scenarios';
const TINY = `${FIXTURES}/tiny.yaml`;

let dir: string;
beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'heatboard-cli-simulate-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tmp = (name: string) => join(dir, name);
const readSummary = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as RunSummary;

/** The figures the summary promises, whatever else it grows. */
const PROMISED: readonly (keyof Totals)[] = [
	'offered',
	'answered',
	'abandoned',
	'pWait',
	'asaAnswered',
	'meanWaitAll',
	'slAnswered',
	'slOffered',
	'abandonRate',
	'aht',
	'occupancy',
	'conversions',
	'revenue',
	'revenueLost'
];
const PROBABILITIES: readonly (keyof Totals)[] = ['pWait', 'slAnswered', 'slOffered', 'abandonRate', 'occupancy'];
const COUNTS: readonly (keyof Totals)[] = ['offered', 'answered', 'abandoned', 'conversions', 'overflowed', 'voicemail', 'callbacks'];
const SECONDS: readonly (keyof Totals)[] = ['asaAnswered', 'meanWaitAll', 'aht'];

function expectSaneTotals(t: Totals, where: string, wholeCounts: boolean): void {
	expect(Object.keys(t).sort(), where).toEqual([...TOTAL_KEYS].sort());
	for (const k of PROBABILITIES) {
		const v = t[k];
		if (v !== null) {
			expect(v, `${where}.${k}`).toBeGreaterThanOrEqual(0);
			expect(v, `${where}.${k}`).toBeLessThanOrEqual(1);
		}
	}
	for (const k of COUNTS) {
		expect(t[k], `${where}.${k}`).toBeGreaterThanOrEqual(0);
		if (wholeCounts) expect(Number.isInteger(t[k]), `${where}.${k} = ${t[k]}`).toBe(true);
	}
	for (const k of SECONDS) if (t[k] !== null) expect(t[k], `${where}.${k}`).toBeGreaterThanOrEqual(0);
	expect(t.conversions, `${where}: conversions <= answered`).toBeLessThanOrEqual(t.answered);
	// answered within T over answered vs. over answered + abandoned: the latter cannot be larger
	if (t.slAnswered !== null && t.slOffered !== null) expect(t.slOffered, where).toBeLessThanOrEqual(t.slAnswered + 1e-12);
	expect(t.revenue, where).toBeGreaterThanOrEqual(0);
	expect(t.revenueLost, where).toBeGreaterThanOrEqual(0);
	expect(t.netRevenue, where).toBeCloseTo(t.revenue - t.staffingCost, 6);
}

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

describe('heatboard simulate --json', () => {
	// tiny.yaml: start 09:00, horizon 2h, warmup 15m, seed 7, 8 agents, 30 per agent hour, sales value 400
	let summary: RunSummary;
	let run: Run;
	beforeAll(async () => {
		run = await cli('simulate', TINY, '--seed', '7', '--json', tmp('seed7.json'));
		summary = readSummary(tmp('seed7.json'));
	});

	it('exits 0 and prints the table with a title naming the scenario, the seed and the measured period', () => {
		expect(run.code, run.err).toBe(0);
		expect(run.err).toBe('');
		const [title, header] = run.out.split('\n');
		expect(title).toBe('tiny <sales & support>: seed 7, 1 replication, 1.75 h measured after 15 min warm-up');
		expect(header?.trim().split(/\s+/)).toEqual(['total', 'sales', 'support']);
		expect(run.out).toMatch(new RegExp(`^offered\\s+${summary.totals.offered}\\s`, 'm'));
	});

	it('is version 1 with the run described', () => {
		expect(summary).toMatchObject({
			v: 1,
			scenario: 'tiny <sales & support>',
			seed: 7,
			replications: 1,
			horizonSeconds: 7200,
			warmupSeconds: 900
		});
		expect(summary.halfWidths).toBeUndefined();
	});

	it('has the promised totals and the same keys for every queue, all in range', () => {
		for (const k of PROMISED) expect(TOTAL_KEYS).toContain(k);
		expectSaneTotals(summary.totals, 'totals', true);
		expect(Object.keys(summary.queues)).toEqual(['sales', 'support']);
		for (const [id, q] of Object.entries(summary.queues)) expectSaneTotals(q, `queues.${id}`, true);
		expect(summary.totals.offered).toBeGreaterThan(0);
		expect(summary.totals.answered).toBeGreaterThan(0);
	});

	it('splits the totals over the queues (each call belongs to one queue)', () => {
		const qs = Object.values(summary.queues);
		for (const k of ['offered', 'answered', 'abandoned', 'conversions', 'revenue', 'revenueLost'] as const)
			expect(
				qs.reduce((s, q) => s + q[k], 0),
				k
			).toBeCloseTo(summary.totals[k], 9);
	});

	it('prices the run from the scenario: value 400 a sale, 8 agents for 1.75 h at 30 an hour', () => {
		const sales = summary.queues.sales as Totals;
		expect(sales.conversions).toBeGreaterThan(0);
		expect(sales.revenue).toBeCloseTo(400 * sales.conversions, 6);
		expect(summary.totals.agentHours).toBeCloseTo(8 * 1.75, 9);
		expect(summary.totals.staffingCost).toBeCloseTo(30 * 8 * 1.75, 6);
	});

	it('has 15-minute intervals over the measured period whose counts add up to the totals', () => {
		const measuredMinutes = (summary.horizonSeconds - summary.warmupSeconds) / 60;
		expect(summary.intervals).toHaveLength(Math.ceil(measuredMinutes / 15));
		summary.intervals.forEach((iv, i) => {
			expect(iv.index).toBe(i);
			expect(iv.start).toBe(hhmm(9 * 60 + 15 + 15 * i)); // starts at the end of warm-up, 09:15
			expectSaneTotals(iv.totals, `intervals[${i}]`, true);
		});
		for (const k of ['offered', 'answered', 'abandoned', 'conversions'] as const)
			expect(
				summary.intervals.reduce((s, iv) => s + iv.totals[k], 0),
				k
			).toBe(summary.totals[k]);
		expect(summary.intervals.reduce((s, iv) => s + iv.totals.agentHours, 0)).toBeCloseTo(summary.totals.agentHours, 9);
	});

	it('equals the summary of the same run done through the simulator directly', () => {
		const direct = simulate(loadScenario(join(ROOT, TINY)), { seed: 7 }).summary;
		expect(readFileSync(tmp('seed7.json'), 'utf8')).toBe(JSON.stringify(direct, null, 2) + '\n');
	});

	it('writes byte-identical files for the same seed, and uses the scenario seed when none is given', async () => {
		expect((await cli('simulate', TINY, '--seed', '7', '--json', tmp('seed7-again.json'))).code).toBe(0);
		expect((await cli('simulate', TINY, '--json', tmp('default-seed.json'))).code).toBe(0);
		const first = readFileSync(tmp('seed7.json'));
		expect(readFileSync(tmp('seed7-again.json')).equals(first)).toBe(true);
		expect(readFileSync(tmp('default-seed.json')).equals(first)).toBe(true);
	});

	it('gives a different run for a different seed', async () => {
		const r = await cli('simulate', TINY, '--seed', '8', '--json', tmp('seed8.json'));
		expect(r.code, r.err).toBe(0);
		expect(readFileSync(tmp('seed8.json')).equals(readFileSync(tmp('seed7.json')))).toBe(false);
		expect(readSummary(tmp('seed8.json')).seed).toBe(8);
		expect(r.out).not.toBe(run.out);
	});

	it('--agents rescales staffing and leaves the callers the same (common random numbers)', async () => {
		const r = await cli('simulate', TINY, '--seed', '7', '--agents', '16', '--json', tmp('agents16.json'));
		expect(r.code, r.err).toBe(0);
		const s = readSummary(tmp('agents16.json'));
		expect(s.totals.agentHours).toBeCloseTo(16 * 1.75, 9);
		expect(s.intervals.map((iv) => iv.totals.offered)).toEqual(summary.intervals.map((iv) => iv.totals.offered));
	});
});

describe('heatboard simulate --replications', () => {
	let run: Run;
	let summary: RunSummary;
	beforeAll(async () => {
		run = await cli('simulate', TINY, '--seed', '7', '--replications', '4', '--json', tmp('r4.json'));
		summary = readSummary(tmp('r4.json'));
	});

	it('averages the replications and gives half-widths for the totals and every queue', () => {
		expect(run.code, run.err).toBe(0);
		expect(summary.replications).toBe(4);
		expectSaneTotals(summary.totals, 'totals', false);
		const half = summary.halfWidths;
		expect(half).toBeDefined();
		if (half === undefined) return;
		expect(Object.keys(half.totals).sort()).toEqual([...TOTAL_KEYS].sort());
		expect(Object.keys(half.queues)).toEqual(['sales', 'support']);
		for (const [where, h] of [['totals', half.totals], ...Object.entries(half.queues)] as const) {
			expect(Object.keys(h).sort(), where).toEqual([...TOTAL_KEYS].sort());
			for (const k of TOTAL_KEYS) {
				const v = h[k];
				if (v !== null && v !== undefined) expect(v, `${where}.${k}`).toBeGreaterThanOrEqual(0);
			}
		}
		// four Poisson streams of ~230 calls do not all come out the same
		expect(half.totals.offered).toBeGreaterThan(0);
		expect(summary.intervals.reduce((s, iv) => s + iv.totals.offered, 0)).toBeCloseTo(summary.totals.offered, 9);
	});

	it('prints ± half-widths and names the replications in the title', () => {
		expect(run.out.split('\n')[0]).toContain('seed 7, 4 replications');
		expect(run.out).toMatch(/^offered\s+\S+ ±\S+/m);
		expect(run.out).toMatch(/^service level \(offered\)\s+\S+% ±\S+/m);
	});

	it('is deterministic for a seed, whatever the worker scheduling', async () => {
		expect((await cli('simulate', TINY, '--seed', '7', '-r', '4', '--json', tmp('r4-again.json'))).code).toBe(0);
		expect(readFileSync(tmp('r4-again.json')).equals(readFileSync(tmp('r4.json')))).toBe(true);
	});
});

describe('heatboard simulate --events', () => {
	let text: string;
	let lines: string[];
	beforeAll(async () => {
		const r = await cli('simulate', TINY, '--seed', '7', '--events', tmp('run.ndjson'), '--json', tmp('run.json'));
		expect(r.code, r.err).toBe(0);
		text = readFileSync(tmp('run.ndjson'), 'utf8');
		lines = text.split('\n');
		expect(lines.pop()).toBe(''); // every line, the last too, ends with a newline
	});

	it('starts with a header naming the format, version, source, scenario and seed', () => {
		const header: unknown = JSON.parse(lines[0] as string);
		expect(header).toEqual({ format: JOURNAL_FORMAT, v: 1, source: 'simulator', scenario: 'tiny <sales & support>', seed: 7 });
		expect(JOURNAL_FORMAT).toBe('heatboard-journal');
	});

	it('holds engine events only, each valid, in time order, one call.arrived per arrival the engine saw', () => {
		const events: HeatEvent[] = lines.slice(1).map((line, i) => {
			const r = parseEvent(JSON.parse(line));
			if (!r.ok) throw new Error(`line ${i + 2}: ${r.detail}`);
			return r.event;
		});
		expect(events.length).toBeGreaterThan(0);
		for (let i = 1; i < events.length; i++)
			expect((events[i] as HeatEvent).t, `line ${i + 2}`).toBeGreaterThanOrEqual((events[i - 1] as HeatEvent).t);
		expect(new Set(events.map((e) => e.id)).size).toBe(events.length);

		const direct = simulate(loadScenario(join(ROOT, TINY)), { seed: 7 });
		const arrived = events.filter((e) => e.type === 'call.arrived');
		expect(arrived.length).toBe(direct.engine.arrived);
		expect(new Set(arrived.map((e) => e.callId)).size).toBe(arrived.length);
		// the journal covers the warm-up too, so it holds at least the measured offers
		expect(arrived.length).toBeGreaterThanOrEqual(readSummary(tmp('run.json')).totals.offered);
		const types = new Set(events.map((e) => e.type));
		for (const t of ['agent.state', 'call.arrived', 'call.answered', 'call.ended', 'call.abandoned'] as const) expect(types).toContain(t);
	});

	it('replays: a fresh engine fed the inputs makes exactly the journalled decisions and the same summary', () => {
		const scenario = loadScenario(join(ROOT, TINY));
		const engine = new Engine(scenario.engine, {
			random: () => {
				throw new Error('tiny.yaml routes without the random strategy');
			}
		});
		// a decision is journalled right after the input that caused it; anything else is an input
		const decisions: string[] = [];
		let matched = 0;
		for (const line of lines.slice(1)) {
			if (decisions[0] === line) {
				decisions.shift();
				matched++;
				continue;
			}
			const r = engine.step(JSON.parse(line) as HeatEvent);
			expect(r.accepted, line).toBe(true);
			for (const f of r.effects) if (f.kind === 'emit') decisions.push(JSON.stringify(f.event));
		}
		expect(decisions).toEqual([]);
		expect(matched).toBeGreaterThan(0);
		engine.advance(scenario.startMs + scenario.horizonMs);
		const replayed = JSON.parse(JSON.stringify(summarize(engine, scenario, { seed: 7 }))) as RunSummary;
		expect(replayed).toEqual(readSummary(tmp('run.json')));
	});

	it('writes byte-identical journals for the same seed', async () => {
		expect((await cli('simulate', TINY, '--seed', '7', '--events', tmp('run-again.ndjson'))).code).toBe(0);
		expect(readFileSync(tmp('run-again.ndjson')).equals(readFileSync(tmp('run.ndjson')))).toBe(true);
	});

	it('refuses --events with several replications (exit 2) and writes nothing', async () => {
		const r = await cli('simulate', TINY, '--events', tmp('never.ndjson'), '--replications', '2');
		expect(r.code).toBe(2);
		expect(r.err).toContain('--events');
		expect(r.err).toContain('--replications');
		expect(r.err).toContain(SIMULATE_USAGE);
		expect(r.out).toBe('');
		expect(existsSync(tmp('never.ndjson'))).toBe(false);
	});
});

/** Line and 1-based column where `needle` first occurs in a fixture. */
function positionOf(file: string, needle: string): { line: number; column: number } {
	const lines = readFileSync(resolve(ROOT, file), 'utf8').split('\n');
	const line = lines.findIndex((l) => l.includes(needle));
	if (line < 0) throw new Error(`${needle} not in ${file}`);
	return { line: line + 1, column: (lines[line] as string).indexOf(needle) + 1 };
}

describe('heatboard simulate: bad input exits 2 and says what and where', () => {
	it('a wrong type: file:line:column, the field and what was expected', async () => {
		const file = `${FIXTURES}/wrong-type.yaml`;
		const r = await cli('simulate', file);
		expect(r.code).toBe(2);
		expect(r.out).toBe('');
		const at = positionOf(file, 'plenty');
		expect(r.err).toContain(`${join(ROOT, file)}:${at.line}:${at.column}: queues[0].maxWaiting: expected a number, got "plenty"`);
		expect(r.err).toContain(SIMULATE_USAGE);
	});

	it('an unknown queue reference: file:line:column of the reference and the queues there are', async () => {
		const file = `${FIXTURES}/unknown-queue.yaml`;
		const r = await cli('simulate', file);
		expect(r.code).toBe(2);
		const at = positionOf(file, 'salse');
		expect(r.err).toContain(`${join(ROOT, file)}:${at.line}:${at.column}: arrivals[0].queue: no queue "salse"`);
		expect(r.err).toContain('sales');
	});

	it('a missing scenario file names the file', async () => {
		const r = await cli('simulate', `${FIXTURES}/no-such-scenario.yaml`);
		expect(r.code).toBe(2);
		expect(r.err).toContain('no-such-scenario.yaml');
	});

	it('no scenario file at all', async () => {
		const r = await cli('simulate', '--seed', '1');
		expect(r.code).toBe(2);
		expect(r.err).toContain('missing the scenario file');
	});

	it.each([
		[['--seed', 'abc'], '--seed'],
		[['--seed=-1'], '--seed'],
		[['--replications', '0'], '--replications'],
		[['--replications', '1.5'], '--replications'],
		[['--agents=-4'], '--agents'],
		[['--frobnicate'], '--frobnicate']
	])('%j names %s', async (args, option) => {
		const r = await cli('simulate', TINY, ...args);
		expect(r.code).toBe(2);
		expect(r.err).toContain(option);
		expect(r.out).toBe('');
	});

	// The engine counts in whole-minute intervals from the end of warm-up. A scenario the loader
	// accepts must either run or be refused with a position; today it dies with
	// "metrics: intervals and the day start must be whole minutes" (exit 1, no file or field).
	it.each([
		['warmup: 15m', 'warmup: 90s', 'warmup'],
		['start: "09:00"', 'start: "09:00:30"', 'start']
	])('a scenario with %s changed to %s runs, or is refused at the field', async (from, to, field) => {
		const file = tmp(`${field}-seconds.yaml`);
		const source = readFileSync(join(ROOT, TINY), 'utf8');
		expect(source).toContain(from);
		writeFileSync(file, source.replace(from, to));
		const r = await cli('simulate', file, '--json', tmp(`${field}-seconds.json`));
		if (r.code === 0) {
			const s = readSummary(tmp(`${field}-seconds.json`));
			expect(s.intervals.reduce((n, iv) => n + iv.totals.offered, 0)).toBe(s.totals.offered);
		} else {
			expect(r.code, r.err).toBe(2);
			expect(r.err).toContain(`${file}:${positionOf(file, to).line}:`);
			expect(r.err).toContain(`: ${field}: `);
		}
	});
});
