import { describe, expect, it } from 'vitest';
import type { PlanOutcome } from '../protocol';
import { intervalChart, planChart, sweepChart, sweepVerdicts } from './chart-data';
import { runResult, sweepOutcome, totals } from './fixtures';

describe('intervalChart', () => {
	it('draws one line per variant over the intervals, gaps where a variant has no such interval', () => {
		const late = runResult('late', {
			intervals: [
				{ start: '09:30', totals: totals({ netRevenue: 5 }) },
				{ start: '10:00', totals: totals({ netRevenue: 6 }) }
			]
		});
		const c = intervalChart([runResult('base'), late], 'netRevenue', 'money');
		expect(c.xLabels).toEqual(['09:00', '09:30', '10:00']);
		expect(c.x).toEqual([0, 1, 2]);
		expect(c.series.map((s) => [s.label, s.values])).toEqual([
			['base', [55_200, 55_200, null]],
			['late', [null, 5, 6]]
		]);
		expect(c.series.map((s) => s.colour)).toEqual([0, 1]);
	});

	it('keeps the second day of a two-day run apart from the first', () => {
		const twoDays = runResult('long', {
			intervals: [
				{ start: '23:00', totals: totals({ offered: 1 }) },
				{ start: '00:00', totals: totals({ offered: 2 }) },
				{ start: '23:00', totals: totals({ offered: 3 }) }
			]
		});
		const c = intervalChart([twoDays], 'offered', 'count');
		expect(c.xLabels).toEqual(['23:00', '00:00', '23:00']);
		expect(c.series[0]?.values).toEqual([1, 2, 3]);
	});

	it('turns a missing figure (no calls answered) into a gap, not a zero', () => {
		const r = runResult('x', { intervals: [{ start: '09:00', totals: totals({ slOffered: null }) }] });
		expect(intervalChart([r], 'slOffered', 'ratio').series[0]?.values).toEqual([null]);
	});
});

describe('sweepChart', () => {
	it('aligns simulated points and the Erlang A curve on one agents axis', () => {
		const c = sweepChart(sweepOutcome());
		expect(c.x).toEqual([8, 9, 10, 11, 12]);
		const sl = c.series.find((s) => s.label === 'service level (simulated, 95%)');
		expect(sl?.values).toEqual([0.6, null, 0.82, null, 0.93]);
		expect(sl?.low?.[2]).toBeCloseTo(0.8);
		expect(sl?.high?.[2]).toBeCloseTo(0.84);
		expect(sl?.low?.[1]).toBeNull();
		const erlang = c.series.find((s) => s.label === 'service level (Erlang A)');
		expect(erlang?.values.map((v) => (v === null ? null : Math.round(v * 10) / 10))).toEqual([0.5, 0.6, 0.7, 0.8, 0.9]);
		expect(erlang?.dashed).toBe(true);
		expect(c.series.filter((s) => s.scale === 'money').map((s) => s.style)).toEqual(['points', 'line']);
	});

	it('marks the two answers of the sweep', () => {
		expect(sweepChart(sweepOutcome({ meetsTarget: 10, maxNetRevenue: 12 })).markers).toEqual([
			{ x: 10, label: 'meets target: 10' },
			{ x: 12, label: 'max net revenue: 12' }
		]);
		expect(sweepChart(sweepOutcome({ meetsTarget: null, maxNetRevenue: null })).markers).toEqual([]);
	});
});

describe('sweepVerdicts', () => {
	it('says the answers in words with the figures behind them', () => {
		const v = sweepVerdicts(sweepOutcome({ maxNetRevenue: 12 }));
		expect(v.meetsTarget).toBe(
			'10 agents are the fewest that meet the target of 80% answered within 20 s (simulated service level 82.0% ± 2.0 pt).'
		);
		expect(v.maxNetRevenue).toBe('12 agents give the highest net revenue: $54k ± $500.');
	});

	it('says when no level in the range meets the target', () => {
		expect(sweepVerdicts(sweepOutcome({ meetsTarget: null })).meetsTarget).toBe(
			'No staffing level in 8–12 agents meets the target of 80% answered within 20 s.'
		);
	});
});

describe('planChart', () => {
	it('has agents, the expected and the simulated service level per interval', () => {
		const plan: PlanOutcome = {
			runId: 'p',
			label: 'base',
			intervalMinutes: 60,
			serviceLevel: { seconds: 20, target: 0.8 },
			agentHours: 10,
			intervals: [
				{
					start: '09:00',
					arrivalsPerHour: 90,
					ahtSeconds: 180,
					patienceSeconds: 120,
					agents: 6,
					erlang: { slOffered: 0.83, abandonRate: 0.02, asaAnswered: 9, occupancy: 0.75 },
					simulated: { slOffered: 0.8, slHalfWidth: 0.05, abandonRate: 0.02 }
				},
				{
					start: '10:00',
					arrivalsPerHour: 60,
					ahtSeconds: 180,
					patienceSeconds: 120,
					agents: 4,
					erlang: { slOffered: 0.85, abandonRate: 0.01, asaAnswered: 7, occupancy: 0.75 }
				}
			]
		};
		const c = planChart(plan);
		expect(c.xLabels).toEqual(['09:00', '10:00']);
		expect(c.series.map((s) => s.values)).toEqual([
			[6, 4],
			[0.83, 0.85],
			[0.8, null]
		]);
		expect(c.series[2]?.low?.[0]).toBeCloseTo(0.75);
		expect(c.series[2]?.high).toEqual([expect.closeTo(0.85, 10), null]);
	});
});
