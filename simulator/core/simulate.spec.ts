import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createSimulation, simulate, scaledShiftCounts } from './simulate';
import { aggregate, replicate } from './replicate';
import { tQuantile975 } from './stats';
import type { Scenario } from '../scenario/types';
import { oneQueueScenario } from '../../tests/support/one-queue';
import { loadScenario, parseScenario } from '../scenario/load';
import type { HeatEvent } from '../../src/lib/engine/events';
import { erlangAMeasures, erlangCMeasures } from '../../src/lib/engine/analytics/erlang';

const H = 3_600_000;

/** A steady-state single queue: Poisson arrivals, exponential handle time and patience. */
function steady(o: {
	perHour: number;
	ahtS: number;
	agents: number;
	patienceS?: number;
	hours: number;
	warmupH?: number;
	slS?: number;
}): Scenario {
	return oneQueueScenario({
		name: 'steady',
		hours: o.hours,
		warmupH: o.warmupH ?? 1,
		seed: 11,
		perHour: o.perHour,
		ahtS: o.ahtS,
		patienceS: o.patienceS ?? null,
		agents: o.agents,
		slS: o.slS ?? 20,
		sources: [
			{ value: 'web', share: 3 },
			{ value: 'ads', share: 1 }
		],
		heat: { dist: 'uniform', min: 0, max: 1 },
		value: { dist: 'lognormal', mean: 1000, sd: 400 },
		costPerAgentHour: 25
	});
}

function log(scenario: Scenario, seed: number, agents?: number): HeatEvent[] {
	const events: HeatEvent[] = [];
	simulate(scenario, { seed, agents, onEvent: (e) => events.push(e) });
	return events;
}

describe('simulate', () => {
	it('is deterministic: the same seed gives the same event log, byte for byte', () => {
		const sc = steady({ perHour: 600, ahtS: 180, agents: 32, patienceS: 120, hours: 3 });
		const digest = (seed: number) =>
			createHash('sha256')
				.update(
					log(sc, seed)
						.map((e) => JSON.stringify(e))
						.join('\n')
				)
				.digest('hex');
		expect(digest(5)).toBe(digest(5));
		expect(digest(5)).not.toBe(digest(6));
	});

	it('times every event in whole milliseconds', () => {
		const events = log(steady({ perHour: 600, ahtS: 180, agents: 32, patienceS: 120, hours: 1 }), 3);
		expect(events.length).toBeGreaterThan(1000);
		expect(events.filter((e) => !Number.isInteger(e.t))).toEqual([]);
	});

	it('gives unlogged calls ids unique among the calls in progress, and the same results as logged ones', () => {
		const sc = steady({ perHour: 600, ahtS: 180, agents: 30, patienceS: 120, hours: 2 });
		const sim = createSimulation(sc, { seed: 2 });
		let most = 0;
		for (let t = sim.startMs; t < sim.endMs; t += 60_000) {
			sim.runUntil(t);
			// the map by id throws on two calls in progress with one id
			const ids = [...sim.engine.calls.keys()];
			expect(new Set(ids).size).toBe(ids.length);
			most = Math.max(most, ids.length);
		}
		expect(most).toBeGreaterThan(20);
		expect(sim.finish().summary).toEqual(simulate(sc, { seed: 2, onEvent: () => {} }).summary);
	});

	it('runs a horizon that is no whole number of ms in floating point ("2.3h")', () => {
		const sc = parseScenario(
			[
				'name: odd',
				'horizon: 2.3h',
				'queues: [{ id: q }]',
				'arrivals: [{ queue: q, perHour: 120 }]',
				'handleTime: { dist: exponential, mean: 3m }',
				'patience: { dist: exponential, mean: 2m }',
				'agents: [{ group: a, count: 8, skills: [q] }]'
			].join('\n'),
			'odd.yaml'
		);
		expect(sc.horizonMs).toBe(8_280_000);
		expect(simulate(sc).summary.totals.offered).toBeGreaterThan(200);
	});

	it('runs a year of daily shifts with breaks (the shift events wait outside the calendar)', () => {
		const sc = parseScenario(
			[
				'name: year',
				'horizon: 366d',
				'queues: [{ id: q }]',
				'arrivals: [{ queue: q, perHour: 0.5 }]',
				'handleTime: { dist: exponential, mean: 3m }',
				'patience: { dist: exponential, mean: 2m }',
				'agents: [{ group: a, skills: [q], shifts: [{ start: "09:00", end: "17:00", count: 30, breaks: [{ at: "12:00", duration: 30m }] }] }]'
			].join('\n'),
			'year.yaml'
		);
		const r = simulate(sc);
		expect(r.engineSteps).toBeGreaterThan(366 * 30 * 4);
		expect(r.summary.totals.offered).toBeGreaterThan(3000);
	});

	it('delivers a timer set at a fraction of a ms the same whether the run is logged or not', () => {
		const sc = oneQueueScenario({ hours: 1, perHour: 20_000, ahtS: 1.001, agents: 3 });
		sc.queues[0]!.handleTime = { dist: 'constant', value: 1001 };
		sc.engine.queues = [{ id: 'q', autoAnswer: true, shortAbandonSeconds: 0, overflowAfterSeconds: 1.0005 }];
		const logged: HeatEvent[] = [];
		const a = simulate(sc, { seed: 1, onEvent: (e) => logged.push(e) });
		const b = simulate(sc, { seed: 1 });
		expect(a.summary).toEqual(b.summary);
		expect(logged.filter((e) => e.type === 'timer').length).toBeGreaterThan(100);
		expect(logged.filter((e) => !Number.isInteger(e.t))).toEqual([]);
	});

	it('replays recorded callers into the same run at any staffing (common random numbers)', () => {
		const sc = steady({ perHour: 600, ahtS: 180, agents: 32, patienceS: 120, hours: 3 });
		const recorded = simulate(sc, { seed: 9, recordCallers: true });
		const tape = recorded.callers;
		expect(tape?.count).toBe(recorded.engine.arrived);
		for (const agents of [24, 32, 40]) {
			const drawn: HeatEvent[] = [];
			const replayed: HeatEvent[] = [];
			const a = simulate(sc, { seed: 9, agents, onEvent: (e) => drawn.push(e) });
			const b = simulate(sc, { seed: 9, agents, callers: tape, onEvent: (e) => replayed.push(e) });
			expect(b.summary).toEqual(a.summary);
			expect(replayed).toEqual(drawn);
		}
		// several arrival streams, skill and source mixes, callbacks and the AI tier: the shipped multi-skill day
		const multi = loadScenario(fileURLToPath(new URL('../../scenarios/multi-skill.yaml', import.meta.url)));
		const first = simulate(multi, { seed: 4, recordCallers: true });
		for (const agents of [40, 60]) {
			const drawn = simulate(multi, { seed: 4, agents });
			expect(simulate(multi, { seed: 4, agents, callers: first.callers }).summary).toEqual(drawn.summary);
		}
	});

	it('runs the same in small steps (a live board) as in one go', () => {
		const sc = steady({ perHour: 600, ahtS: 180, agents: 32, patienceS: 120, hours: 3 });
		const whole: HeatEvent[] = [];
		const a = simulate(sc, { seed: 4, onEvent: (e) => whole.push(e) });
		const stepped: HeatEvent[] = [];
		const sim = createSimulation(sc, { seed: 4, onEvent: (e) => stepped.push(e) });
		for (let t = sim.startMs; t < sim.endMs; t += 7_919) {
			sim.runUntil(t);
			expect(sim.now).toBe(t);
			expect(stepped.every((e) => e.t < t || t === sim.startMs)).toBe(true);
		}
		const b = sim.finish();
		expect(stepped).toEqual(whole);
		expect(b.summary).toEqual(a.summary);
	});

	it('keeps the same callers when staffing changes (common random numbers)', () => {
		const sc = steady({ perHour: 600, ahtS: 180, agents: 32, patienceS: 120, hours: 3 });
		const arrivals = (agents: number) =>
			log(sc, 9, agents)
				.filter((e) => e.type === 'call.arrived')
				.map((e) => JSON.stringify(e));
		const few = arrivals(25);
		const many = arrivals(40);
		expect(few.length).toBeGreaterThan(1500);
		expect(many).toEqual(few);
		// and staffing does change what happens to them
		const abandons = (agents: number) => log(sc, 9, agents).filter((e) => e.type === 'call.abandoned').length;
		expect(abandons(25)).toBeGreaterThan(abandons(40));
	});

	it('conserves calls and counts only the measured period', () => {
		const sc = steady({ perHour: 1200, ahtS: 120, agents: 40, patienceS: 90, hours: 4 });
		const r = simulate(sc, { seed: 3 });
		const e = r.engine;
		const total = Object.values(e.statusCount).reduce((a, b) => a + b, 0);
		expect(total).toBe(e.arrived);
		// the summary leaves the first hour out: fewer offered than arrived, about 3/4 of them
		expect(r.summary.totals.offered).toBeLessThan(e.arrived);
		expect(r.summary.totals.offered / e.arrived).toBeGreaterThan(0.7);
		expect(r.summary.totals.offered / e.arrived).toBeLessThan(0.8);
		expect(r.summary.intervals).toHaveLength(12);
		expect(r.summary.intervals[0]?.start).toBe('01:00');
		expect(r.summary.intervals.reduce((a, i) => a + i.totals.offered, 0)).toBe(r.summary.totals.offered);
		expect(r.summary.totals.agentHours).toBeCloseTo(40 * 3, 6);
	});

	it('scales staffing to an exact total, keeping the shifts in proportion', () => {
		const sc = steady({ perHour: 60, ahtS: 60, agents: 10, hours: 2 });
		sc.agents = [
			{
				id: 'a',
				skills: { q: 1 },
				shifts: [
					{ startMs: 0, endMs: H, count: 3, breaks: [] },
					{ startMs: H, endMs: 2 * H, count: 1, breaks: [] }
				]
			},
			{ id: 'b', skills: { q: 1 }, shifts: [{ startMs: 0, endMs: 2 * H, count: 6, breaks: [] }] }
		];
		const scaled = scaledShiftCounts(sc, 15);
		expect(scaled.flat().reduce((a, b) => a + b, 0)).toBe(15);
		expect(scaled).toEqual([[5, 1], [9]]);
		expect(scaledShiftCounts(sc, undefined)).toEqual([[3, 1], [6]]);
	});
});

/**
 * Replications of a long steady-state run against the analytic model: each measure's replication
 * mean must be within 3 standard errors of Erlang's value (plus a hair for the measured period's edges).
 */
function agreesWithErlang(o: Parameters<typeof steady>[0], reps: number, seed: number) {
	const sc = steady(o);
	const runs = Array.from({ length: reps }, (_, r) => simulate(sc, { seed: seed * 1000 + r }).summary);
	const s = aggregate(runs, seed);
	const base = { arrivalsPerHour: o.perHour, ahtSeconds: o.ahtS, agents: o.agents, targetSeconds: o.slS ?? 20 };
	const m = o.patienceS === undefined ? erlangCMeasures(base) : erlangAMeasures({ ...base, patienceSeconds: o.patienceS });
	const pairs: Array<[string, number | null, number]> = [
		['slOffered', s.totals.slOffered, m.slOffered],
		['slAnswered', s.totals.slAnswered, m.slAnswered],
		['pWait', s.totals.pWait, m.pWait],
		['abandonRate', s.totals.abandonRate, m.pAbandon],
		['asaAnswered', s.totals.asaAnswered, m.asaAnswered],
		['occupancy', s.totals.occupancy, m.occupancy]
	];
	for (const [k, simulated, exact] of pairs) {
		const half = s.halfWidths?.totals[k as keyof typeof s.totals] ?? 0;
		const se = half / tQuantile975(reps - 1);
		expect.soft(simulated, `${k}: simulated ${simulated} vs Erlang ${exact} (se ${se})`).not.toBeNull();
		expect
			.soft(Math.abs((simulated as number) - exact), `${k}: simulated ${simulated} vs Erlang ${exact} (se ${se})`)
			.toBeLessThanOrEqual(3 * se + 1e-9);
	}
}

describe('simulation agrees with Erlang', () => {
	it('Erlang C, light load, small n (5 erlangs on 8 agents)', () =>
		agreesWithErlang({ perHour: 100, ahtS: 180, agents: 8, hours: 40 }, 12, 1));
	it('Erlang C, heavy load, 40 agents at 95% (38 erlangs)', () =>
		agreesWithErlang({ perHour: 760, ahtS: 180, agents: 40, hours: 20 }, 12, 2));
	it('Erlang A, critical load (48 erlangs on 48 agents)', () =>
		agreesWithErlang({ perHour: 960, ahtS: 180, agents: 48, patienceS: 120, hours: 12 }, 12, 3));
	it('Erlang A, overloaded (30 erlangs on 20 agents)', () =>
		agreesWithErlang({ perHour: 600, ahtS: 180, agents: 20, patienceS: 90, hours: 12 }, 12, 4));
	it('Erlang A, the reference model (192 erlangs on 200 agents)', () =>
		agreesWithErlang({ perHour: 2880, ahtS: 240, agents: 200, patienceS: 180, hours: 4.5, warmupH: 0.5 }, 10, 5));
});

describe('replications', () => {
	it('run in worker threads and give the same result as in-process', async () => {
		const sc = steady({ perHour: 600, ahtS: 180, agents: 32, patienceS: 120, hours: 2 });
		let last = 0;
		const threaded = await replicate(sc, { replications: 4, workers: 2, seed: 21, onProgress: (f) => (last = f) });
		const inline = await replicate(sc, { replications: 4, workers: 0, seed: 21 });
		expect(threaded).toEqual(inline);
		expect(threaded.replications).toBe(4);
		expect(threaded.halfWidths?.totals.slOffered).toBeGreaterThan(0);
		expect(last).toBe(1);
	});

	it('can be cancelled', async () => {
		const sc = steady({ perHour: 600, ahtS: 180, agents: 32, patienceS: 120, hours: 2 });
		const ac = new AbortController();
		const p = replicate(sc, { replications: 50, workers: 1, seed: 1, signal: ac.signal });
		ac.abort();
		await expect(p).rejects.toThrow(/cancelled/);
	});
});
