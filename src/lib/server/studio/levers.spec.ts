import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../../simulator/scenario/load';
import { scaledShiftCounts } from '../../../../simulator/core/simulate';
import { shiftsFromCounts } from '../../../../simulator/scenario/shifts';
import { mean } from '../../../../simulator/random/distributions';
import type { Scenario } from '../../../../simulator/scenario/types';
import { applyLevers, LeverError, scaleDist } from './levers';
import { briefOf } from './brief';

const H = 3_600_000;

/** Two groups on shifts, two queues (one overflowing to an AI tier), a profile: something for every lever. */
const scenario = (): Scenario =>
	parseScenario(
		`
name: levers
start: "08:00"
horizon: 4h
warmup: 15m
costPerAgentHour: 30
handleTime: { dist: lognormal, mean: 5m, sd: 2m }
patience: { dist: exponential, mean: 2m }
queues:
  - id: sales
    strategy: best-skill
    whenFull: overflow
    maxWaiting: 10
    overflowTo: ai
    overflowAfter: 90s
  - id: support
    handleTime: { dist: gamma, mean: 6m, cv: 0.5 }
    patience: never
arrivals:
  - queue: sales
    profile: { interval: 60m, rates: [60, 120, 90, 30] }
  - queue: support
    perHour: 40
agents:
  - group: closers
    skills: [sales]
    shifts:
      - { start: "08:00", end: "12:00", count: 6 }
      - { start: "10:00", end: "12:00", count: 3 }
  - group: helpers
    skills: [support, sales]
    count: 3
overflowTiers:
  - { id: ai, capacity: 5, handleTime: 3m }
`,
		'levers.yaml'
	);

const counts = (sc: Scenario) => sc.agents.map((g) => g.shifts.map((s) => s.count));

describe('applyLevers', () => {
	it('leaves the scenario as written with no levers, and never changes its input', () => {
		const sc = scenario();
		const before = structuredClone(sc);
		expect(applyLevers(sc, {})).toEqual(sc);
		applyLevers(sc, { agents: 40, arrivalScale: 2, handleTimeScale: 2, patienceSeconds: null, aiOverflow: false, strategy: 'random' });
		expect(sc).toEqual(before);
	});

	it('agents replaces the total staffing, every shift scaled in proportion like heatboard sweep', () => {
		const sc = scenario();
		const out = applyLevers(sc, { agents: 24 });
		expect(counts(out)).toEqual(scaledShiftCounts(sc, 24));
		expect(counts(out)).toEqual([[12, 6], [6]]);
		expect(out.agents[0]?.shifts.map((s) => [s.startMs, s.endMs])).toEqual(sc.agents[0]?.shifts.map((s) => [s.startMs, s.endMs]));
	});

	it('agentsPerInterval replaces every shift with head counts per interval, split by the groups’ share of agent-hours', () => {
		const sc = scenario();
		const out = applyLevers(sc, { agentsPerInterval: [4, 8, 8, 2], agentsIntervalMinutes: 60 });
		const run = { startMs: 8 * H, endMs: 12 * H };
		// closers work 6×4 + 3×2 = 30 agent-hours, helpers 3×4 = 12: shares 5/7 and 2/7
		expect(out.agents[0]?.shifts).toEqual(shiftsFromCounts([3, 6, 6, 1], H, run));
		expect(out.agents[1]?.shifts).toEqual(shiftsFromCounts([1, 2, 2, 1], H, run));
		expect(briefOf(out).agentsPerInterval).toEqual([4, 8, 8, 2]);
	});

	it('agentsPerInterval defaults to the brief’s interval', () => {
		const sc = scenario();
		expect(briefOf(sc).intervalMinutes).toBe(60);
		const out = applyLevers(sc, { agentsPerInterval: [5, 7] });
		expect(briefOf(out).agentsPerInterval).toEqual([5, 7, 7, 7]);
	});

	it('agents and agentsPerInterval together are refused, naming the lever', () => {
		expect(() => applyLevers(scenario(), { agents: 5, agentsPerInterval: [5] })).toThrow(LeverError);
		try {
			applyLevers(scenario(), { agents: 5, agentsPerInterval: [5] });
		} catch (err) {
			expect((err as LeverError).path).toBe('levers.agentsPerInterval');
		}
	});

	it('arrivalScale multiplies every stream', () => {
		const out = applyLevers(scenario(), { arrivalScale: 1.5 });
		expect(out.arrivals.map((a) => a.scale)).toEqual([1.5, 1.5]);
		expect(briefOf(out).arrivalsPerInterval).toEqual(briefOf(scenario()).arrivalsPerInterval.map((n) => n * 1.5));
	});

	it('handleTimeScale scales each queue’s handle-time distribution’s mean (and the engine’s handle-time guess)', () => {
		const sc = scenario();
		const out = applyLevers(sc, { handleTimeScale: 1.2 });
		out.queues.forEach((q, i) => expect(mean(q.handleTime)).toBeCloseTo(mean(sc.queues[i]!.handleTime) * 1.2, 6));
		expect(out.queues[0]?.handleTime).toEqual({ dist: 'lognormal', mean: 360_000, sd: 144_000 });
		expect(out.engine.queues?.[0]?.defaultHandleSeconds).toBeCloseTo(360, 6);
		expect(out.queues.map((q) => q.wrapUp)).toEqual(sc.queues.map((q) => q.wrapUp));
	});

	it('scaleDist keeps the shape of every duration distribution', () => {
		expect(scaleDist({ dist: 'weibull', shape: 1.3, scale: 100 }, 2)).toEqual({ dist: 'weibull', shape: 1.3, scale: 200 });
		expect(scaleDist({ dist: 'uniform', min: 1, max: 3 }, 2)).toEqual({ dist: 'uniform', min: 2, max: 6 });
		expect(scaleDist({ dist: 'empirical', values: [1, 2] }, 3)).toEqual({ dist: 'empirical', values: [3, 6] });
		expect(mean(scaleDist({ dist: 'gamma', shape: 4, scale: 10 }, 1.5))).toBeCloseTo(60, 9);
	});

	it('patienceSeconds sets every queue’s patience (exponential); null means callers never hang up', () => {
		const out = applyLevers(scenario(), { patienceSeconds: 90 });
		expect(out.queues.map((q) => q.patience)).toEqual([
			{ dist: 'exponential', mean: 90_000 },
			{ dist: 'exponential', mean: 90_000 }
		]);
		expect(applyLevers(scenario(), { patienceSeconds: null }).queues.map((q) => q.patience)).toEqual([null, null]);
		expect(briefOf(applyLevers(scenario(), { patienceSeconds: null })).meanPatienceSeconds).toBeNull();
	});

	it('strategy and order apply to every queue', () => {
		const out = applyLevers(scenario(), { strategy: 'fewest-calls', order: 'value' });
		expect(out.engine.queues?.map((q) => q.strategy)).toEqual(['fewest-calls', 'fewest-calls']);
		expect(out.engine.order).toBe('value');
		expect(briefOf(out).queues.map((q) => q.strategy)).toEqual(['fewest-calls', 'fewest-calls']);
	});

	it('aiOverflow off removes the overflow tiers and every queue’s overflow to them', () => {
		const sc = scenario();
		expect(briefOf(sc).hasAiOverflow).toBe(true);
		const out = applyLevers(sc, { aiOverflow: false });
		expect(out.overflowTiers).toEqual([]);
		expect(out.engine.overflowTiers).toEqual([]);
		const sales = out.engine.queues?.[0];
		expect(sales?.overflowTo).toBeUndefined();
		expect(sales?.overflowAfterSeconds).toBeUndefined();
		expect(sales?.whenFull).toBe('voicemail');
		expect(briefOf(out).hasAiOverflow).toBe(false);
		expect(applyLevers(sc, { aiOverflow: true })).toEqual(sc);
	});

	it('costPerAgentHour replaces the cost', () => {
		expect(applyLevers(scenario(), { costPerAgentHour: 55 }).costPerAgentHour).toBe(55);
	});
});

describe('briefOf', () => {
	it('summarises the scenario for the form', () => {
		const b = briefOf(scenario());
		expect(b).toMatchObject({
			name: 'levers',
			start: '08:00',
			horizonMinutes: 240,
			totalAgents: 12,
			intervalMinutes: 60,
			order: 'fifo',
			hasAiOverflow: true,
			costPerAgentHour: 30
		});
		expect(b.queues).toEqual([
			{ id: 'sales', strategy: 'best-skill', serviceLevel: { seconds: 20, target: 0.8 } },
			{ id: 'support', strategy: 'longest-idle', serviceLevel: { seconds: 20, target: 0.8 } }
		]);
		expect(b.agentsPerInterval).toEqual([9, 9, 12, 12]);
		expect(b.arrivalsPerInterval).toEqual([100, 160, 130, 70]);
		// sales 300 calls at 5 min, support 160 at 6 min; patience only sales' (support never hangs up)
		expect(b.meanHandleSeconds).toBeCloseTo((300 * 300 + 160 * 360) / 460, 6);
		expect(b.meanPatienceSeconds).toBeCloseTo(120, 6);
	});
});
