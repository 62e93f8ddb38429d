/**
 * The comparison table's rules: which figures, which way is better, and when a difference is
 * worth a colour. Two 95% intervals that overlap are called "no significant difference": a
 * conservative reading, but one a manager can check by eye against the ± figures in the table.
 */
import type { HalfWidths, RunResult, StudioTotals } from '../protocol';

export type Better = 'higher' | 'lower' | 'neither';
export type Unit = 'percent' | 'seconds' | 'count' | 'money';

export interface MetricDef {
	key: keyof StudioTotals;
	label: string;
	better: Better;
	unit: Unit;
}

export const COMPARED_METRICS: readonly MetricDef[] = [
	{ key: 'slOffered', label: 'Service level', better: 'higher', unit: 'percent' },
	{ key: 'asaAnswered', label: 'ASA', better: 'lower', unit: 'seconds' },
	{ key: 'abandonRate', label: 'Abandon rate', better: 'lower', unit: 'percent' },
	// busier agents are cheaper and more tired at once: shown, never judged
	{ key: 'occupancy', label: 'Occupancy', better: 'neither', unit: 'percent' },
	{ key: 'conversions', label: 'Conversions', better: 'higher', unit: 'count' },
	{ key: 'revenue', label: 'Revenue', better: 'higher', unit: 'money' },
	{ key: 'revenueLost', label: 'Revenue lost', better: 'lower', unit: 'money' },
	{ key: 'staffingCost', label: 'Staffing cost', better: 'lower', unit: 'money' },
	{ key: 'netRevenue', label: 'Net revenue', better: 'higher', unit: 'money' }
];

export interface Estimate {
	value: number | null;
	/** 95% half-width; null when unknown (one replication) */
	half: number | null;
}

export type Verdict =
	/** a difference whose intervals do not overlap, judged by the metric's direction */
	| 'better'
	| 'worse'
	/** a clear difference on a metric that has no better direction */
	| 'higher'
	| 'lower'
	| 'no-significant-difference'
	/** identical figures */
	| 'same'
	/** no interval to judge by, or nothing to compare */
	| 'unknown';

export interface Difference {
	diff: number | null;
	verdict: Verdict;
}

export function estimate(totals: StudioTotals, halfWidths: HalfWidths, key: keyof StudioTotals): Estimate {
	const value = totals[key];
	const half = halfWidths[key];
	return { value: Number.isFinite(value) ? value : null, half: typeof half === 'number' && Number.isFinite(half) ? half : null };
}

export function intervalsOverlap(a: { value: number; half: number }, b: { value: number; half: number }): boolean {
	return a.value - a.half <= b.value + b.half && b.value - b.half <= a.value + a.half;
}

/** `other` against `base` (the first variant). */
export function compareEstimates(base: Estimate, other: Estimate, better: Better): Difference {
	if (base.value === null || other.value === null) return { diff: null, verdict: 'unknown' };
	const diff = other.value - base.value;
	if (diff === 0) return { diff, verdict: 'same' };
	if (base.half === null || other.half === null) return { diff, verdict: 'unknown' };
	if (intervalsOverlap({ value: base.value, half: base.half }, { value: other.value, half: other.half })) {
		return { diff, verdict: 'no-significant-difference' };
	}
	if (better === 'neither') return { diff, verdict: diff > 0 ? 'higher' : 'lower' };
	const improved = better === 'higher' ? diff > 0 : diff < 0;
	return { diff, verdict: improved ? 'better' : 'worse' };
}

export interface ComparisonCell {
	estimate: Estimate;
	/** absent for the first variant, which the others are measured against */
	difference?: Difference;
}

export interface ComparisonRow {
	metric: MetricDef;
	cells: ComparisonCell[];
}

export function compareRuns(runs: readonly Pick<RunResult, 'totals' | 'halfWidths'>[]): ComparisonRow[] {
	const base = runs[0];
	return COMPARED_METRICS.map((metric) => ({
		metric,
		cells: runs.map((r, i) => {
			const e = estimate(r.totals, r.halfWidths, metric.key);
			if (i === 0 || base === undefined) return { estimate: e };
			return { estimate: e, difference: compareEstimates(estimate(base.totals, base.halfWidths, metric.key), e, metric.better) };
		})
	}));
}

/** The verdict in words, so colour is never the only carrier. */
export const VERDICT_WORDS: Record<Verdict, string> = {
	better: 'better',
	worse: 'worse',
	higher: 'higher',
	lower: 'lower',
	'no-significant-difference': 'no significant difference',
	same: 'same',
	unknown: 'no interval to judge by'
};
