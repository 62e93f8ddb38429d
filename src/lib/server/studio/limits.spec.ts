import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../../simulator/scenario/load';
import { limitProblems, peakErlangs, workRefusal } from './limits';

const yaml = (o: { horizon?: string; perHour?: number } = {}) => `
name: limits
horizon: ${o.horizon ?? '8h'}
handleTime: { dist: exponential, mean: 3m }
patience: { dist: exponential, mean: 2m }
queues:
  - id: q
arrivals:
  - queue: q
    perHour: ${o.perHour ?? 600}
agents:
  - group: team
    skills: [q]
    count: 30
`;

describe('the studio’s limits', () => {
	it('takes an ordinary day', () => {
		const sc = parseScenario(yaml(), 'x');
		expect(limitProblems(sc)).toEqual([]);
		expect(peakErlangs(sc)).toBeCloseTo(30, 9);
		expect(workRefusal(sc, 100)).toBeNull();
	});

	it('refuses more than a week, more load than MAX_AGENTS can carry, and too many shifts', () => {
		expect(limitProblems(parseScenario(yaml({ horizon: '8d' }), 'x')).map((p) => p.path)).toEqual(['horizon']);
		const flood = limitProblems(parseScenario(yaml({ perHour: 3_000_000 }), 'x'));
		expect(flood).toEqual([{ path: 'arrivals', message: expect.stringMatching(/150000 erlangs .* at most 100000/) }]);
		const many = parseScenario(yaml({ horizon: '7d' }), 'x');
		const shift = { startMs: 0, endMs: 60_000, count: 1, breaks: [] };
		many.agents = Array.from({ length: 11 }, (_, i) => ({
			id: `g${i}`,
			skills: { q: 1 },
			shifts: Array.from({ length: 2000 }, () => shift)
		}));
		expect(limitProblems(many)).toEqual([
			{ path: 'agents', message: expect.stringMatching(/shifts over the horizon: 22000; the studio takes at most 20000/) }
		]);
	});

	it('counts the work of replications and levels together', () => {
		const sc = parseScenario(yaml({ perHour: 100_000 }), 'x');
		expect(workRefusal(sc, 10, 3)).toBeNull();
		expect(workRefusal(sc, 10, 4)).toMatch(/about 32\.0 million calls \(800000 per replication × 10 replications × 4 levels\)/);
	});
});
