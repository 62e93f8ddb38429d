import { describe, expect, it } from 'vitest';
import { parseAgentRange, sweep, sweepCsv } from './sweep';
import { requiredAgents } from '../../src/lib/engine/analytics/erlang';
import type { Scenario } from '../scenario/types';
import { oneQueueScenario } from '../../tests/support/one-queue';

const H = 3_600_000;

/** One steady queue: 600 calls an hour, AHT 3 min (30 erlangs), patience 2 min, 80/20 target. */
function steadyQueue(): Scenario {
	return oneQueueScenario({
		name: 'steady sweep',
		hours: 6,
		warmupH: 1,
		seed: 3,
		perHour: 600,
		ahtS: 180,
		agents: 30,
		slS: 20,
		heat: { dist: 'constant', value: 0.9 },
		value: { dist: 'constant', value: 2000 },
		costPerAgentHour: 40
	});
}

describe('sweep', () => {
	it('parses agent ranges', () => {
		expect(parseAgentRange('180..220:5')).toEqual({ from: 180, to: 220, step: 5 });
		expect(parseAgentRange('3..4')).toEqual({ from: 3, to: 4, step: 1 });
		expect(() => parseAgentRange('220..180')).toThrow(/from <= to/);
		expect(() => parseAgentRange('lots')).toThrow(/like 180..220:5/);
	});

	it('finds the staffing that meets the target where Erlang A does, and the net-revenue optimum among the levels', async () => {
		const sc = steadyQueue();
		const r = await sweep(sc, { from: 26, to: 40, step: 1, replications: 6, workers: 2 });
		expect(r.levels.map((l) => l.agents)).toEqual(Array.from({ length: 15 }, (_, i) => 26 + i));
		const erlang = requiredAgents(
			'a',
			{ arrivalsPerHour: 600, ahtSeconds: 180, targetSeconds: 20, patienceSeconds: 120 },
			{ sl: 0.8, slSeconds: 20 }
		);
		expect(r.meetsTarget).not.toBeNull();
		expect(Math.abs((r.meetsTarget as number) - erlang.agents)).toBeLessThanOrEqual(1);
		const best = Math.max(...r.levels.map((l) => l.totals.netRevenue));
		expect(r.levels.find((l) => l.agents === r.maxNetRevenue)?.totals.netRevenue).toBe(best);
		// the same callers at every level: offered does not depend on staffing
		expect(new Set(r.levels.map((l) => l.totals.offered)).size).toBe(1);
		// service level rises with staffing (means over common random numbers)
		const sl = r.levels.map((l) => l.totals.slOffered as number);
		expect(sl[sl.length - 1]).toBeGreaterThan(sl[0] as number);
		const csv = sweepCsv(r).trim().split('\n');
		expect(csv).toHaveLength(16);
		expect(csv[0]?.startsWith('agents,offered,')).toBe(true);
	});

	it('gives the same levels when workers replay the callers they drew as when every run draws its own', async () => {
		const sc = steadyQueue();
		const inThread = await sweep(sc, { from: 28, to: 33, step: 1, replications: 4, workers: 0 });
		const onWorkers = await sweep(sc, { from: 28, to: 33, step: 1, replications: 4, workers: 2 });
		expect(onWorkers.levels).toEqual(inThread.levels);
	});
});

