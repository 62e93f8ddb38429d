import { describe, expect, it } from 'vitest';
import { compareEstimates, compareRuns, COMPARED_METRICS, intervalsOverlap } from './compare';
import { runResult, totals } from './fixtures';

describe('intervalsOverlap', () => {
	it('is true when the 95% intervals share any point, touching included', () => {
		expect(intervalsOverlap({ value: 10, half: 1 }, { value: 11.5, half: 1 })).toBe(true);
		expect(intervalsOverlap({ value: 10, half: 1 }, { value: 12, half: 1 })).toBe(true);
		expect(intervalsOverlap({ value: 10, half: 1 }, { value: 12.01, half: 1 })).toBe(false);
		expect(intervalsOverlap({ value: 12.01, half: 1 }, { value: 10, half: 1 })).toBe(false);
	});
});

describe('compareEstimates', () => {
	it('calls a clear rise better where higher is better and worse where lower is', () => {
		const base = { value: 0.7, half: 0.01 };
		const up = { value: 0.8, half: 0.01 };
		expect(compareEstimates(base, up, 'higher')).toEqual({ diff: expect.closeTo(0.1, 10), verdict: 'better' });
		expect(compareEstimates(base, up, 'lower').verdict).toBe('worse');
		expect(compareEstimates(up, base, 'lower').verdict).toBe('better');
	});

	it('gives a direction without a judgement for a figure with no better side', () => {
		expect(compareEstimates({ value: 0.9, half: 0.01 }, { value: 0.8, half: 0.01 }, 'neither').verdict).toBe('lower');
		expect(compareEstimates({ value: 0.8, half: 0.01 }, { value: 0.9, half: 0.01 }, 'neither').verdict).toBe('higher');
	});

	it('reports no significant difference when the intervals overlap, however the means differ', () => {
		const d = compareEstimates({ value: 100, half: 30 }, { value: 150, half: 25 }, 'higher');
		expect(d).toEqual({ diff: 50, verdict: 'no-significant-difference' });
	});

	it('cannot judge without intervals (one replication), but still gives the difference', () => {
		expect(compareEstimates({ value: 1, half: null }, { value: 2, half: 0.1 }, 'higher')).toEqual({ diff: 1, verdict: 'unknown' });
		expect(compareEstimates({ value: null, half: null }, { value: 2, half: 0.1 }, 'higher')).toEqual({ diff: null, verdict: 'unknown' });
	});

	it('calls equal figures the same, with or without intervals', () => {
		expect(compareEstimates({ value: 3, half: null }, { value: 3, half: null }, 'higher')).toEqual({ diff: 0, verdict: 'same' });
	});
});

describe('compareRuns', () => {
	it('has a row per compared figure and measures every variant against the first', () => {
		const base = runResult('base');
		const more = runResult('+3 agents', {
			totals: totals({ slOffered: 0.85, asaAnswered: 12, staffingCost: 5_700, netRevenue: 55_500 })
		});
		const rows = compareRuns([base, more]);
		expect(rows.map((r) => r.metric.key)).toEqual(COMPARED_METRICS.map((m) => m.key));
		const sl = rows.find((r) => r.metric.key === 'slOffered');
		expect(sl?.cells[0]).toEqual({ estimate: { value: 0.72, half: 0.01 } });
		expect(sl?.cells[1]?.difference?.verdict).toBe('better');
		expect(rows.find((r) => r.metric.key === 'asaAnswered')?.cells[1]?.difference?.verdict).toBe('better');
		// staffing cost has a zero half-width (the roster is fixed): a rise is plainly worse
		expect(rows.find((r) => r.metric.key === 'staffingCost')?.cells[1]?.difference).toEqual({ diff: 900, verdict: 'worse' });
		// 55,200 ± 900 against 55,500 ± 900: within the noise
		expect(rows.find((r) => r.metric.key === 'netRevenue')?.cells[1]?.difference?.verdict).toBe('no-significant-difference');
	});

	it('treats a missing figure (no answered calls: no ASA) as nothing to judge', () => {
		const rows = compareRuns([runResult('a', { totals: totals({ asaAnswered: null }) }), runResult('b')]);
		const asa = rows.find((r) => r.metric.key === 'asaAnswered');
		expect(asa?.cells[0]?.estimate.value).toBeNull();
		expect(asa?.cells[1]?.difference).toEqual({ diff: null, verdict: 'unknown' });
	});
});
