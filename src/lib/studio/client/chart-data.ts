/**
 * The studio's charts as plain columns: uPlot wants one shared x column and y columns of the same
 * length with null gaps, and the whiskers need their own low/high columns. Shaped here, away from
 * the canvas, so the alignment rules are tested.
 */
import type { PlanOutcome, RunResult, StudioTotals, SweepOutcome } from '../protocol';
import { formatMoney } from '../../client/format';

export type Column = (number | null)[];
export type ScaleKey = 'ratio' | 'money' | 'count';

export interface ChartSeries {
	label: string;
	values: Column;
	scale: ScaleKey;
	/** index into the studio palette */
	colour: number;
	/** a model curve (a line) or measured points (dots with whiskers) */
	style: 'line' | 'points';
	dashed?: boolean;
	low?: Column;
	high?: Column;
}

export interface ChartMarker {
	x: number;
	label: string;
}

export interface ChartData {
	x: number[];
	/** x tick text; absent: the number itself */
	xLabels?: string[];
	xTitle: string;
	series: ChartSeries[];
	markers: ChartMarker[];
}

const num = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * One line per variant over the intervals of the day. Variants may come from different scenarios
 * with different intervals: the x axis is the union of interval starts in order of first appearance,
 * and a variant has a gap where it has no such interval.
 */
export function intervalChart(runs: readonly RunResult[], key: keyof StudioTotals, scale: ScaleKey): ChartData {
	// A run longer than a day meets 09:00 twice: the n-th 09:00 of one variant lines up with the n-th of another.
	const keyed = runs.map((r) => {
		const seen = new Map<string, number>();
		return r.intervals.map((iv) => {
			const n = (seen.get(iv.start) ?? 0) + 1;
			seen.set(iv.start, n);
			return { key: `${iv.start}#${n}`, start: iv.start, value: num(iv.totals[key]) };
		});
	});
	const keys: string[] = [];
	const labels: string[] = [];
	for (const run of keyed) {
		for (const iv of run) {
			if (keys.includes(iv.key)) continue;
			keys.push(iv.key);
			labels.push(iv.start);
		}
	}
	const index = new Map(keys.map((k, i) => [k, i]));
	const series: ChartSeries[] = runs.map((r, i) => {
		const values: Column = keys.map(() => null);
		for (const iv of keyed[i] ?? []) {
			const at = index.get(iv.key);
			if (at !== undefined) values[at] = iv.value;
		}
		return { label: r.label, values, scale, colour: i, style: 'line' };
	});
	return { x: keys.map((_, i) => i), xLabels: labels, xTitle: 'interval start', series, markers: [] };
}

function whiskers(values: Column, halves: Column): { low: Column; high: Column } {
	return {
		low: values.map((v, i) => (v === null || halves[i] == null ? null : v - (halves[i] ?? 0))),
		high: values.map((v, i) => (v === null || halves[i] == null ? null : v + (halves[i] ?? 0)))
	};
}

const SWEEP_FIGURES = [
	{ key: 'slOffered', label: 'service level', scale: 'ratio', colour: 0 },
	{ key: 'abandonRate', label: 'abandon rate', scale: 'ratio', colour: 1 },
	{ key: 'netRevenue', label: 'net revenue', scale: 'money', colour: 2 }
] as const;

/** Simulated levels (points with 95% whiskers) and Erlang A (dashed lines) of the three figures, against agents. */
export function sweepChart(s: SweepOutcome): ChartData {
	const x = [...new Set([...s.points.map((p) => p.agents), ...s.erlang.map((e) => e.agents)])].sort((a, b) => a - b);
	const points = new Map(s.points.map((p) => [p.agents, p]));
	const erlang = new Map(s.erlang.map((e) => [e.agents, e]));
	const series: ChartSeries[] = [];
	for (const f of SWEEP_FIGURES) {
		const values = x.map((n) => num(points.get(n)?.totals[f.key]));
		const halves = x.map((n) => num(points.get(n)?.halfWidths[f.key]));
		series.push({
			label: `${f.label} (simulated, 95%)`,
			values,
			scale: f.scale,
			colour: f.colour,
			style: 'points',
			...whiskers(values, halves)
		});
		series.push({
			label: `${f.label} (Erlang A)`,
			values: x.map((n) => num(erlang.get(n)?.[f.key])),
			scale: f.scale,
			colour: f.colour,
			style: 'line',
			dashed: true
		});
	}
	const markers: ChartMarker[] = [];
	if (s.meetsTarget !== null) markers.push({ x: s.meetsTarget, label: `meets target: ${s.meetsTarget}` });
	if (s.maxNetRevenue !== null) markers.push({ x: s.maxNetRevenue, label: `max net revenue: ${s.maxNetRevenue}` });
	return { x, xTitle: 'agents', series, markers };
}

const pct = (v: number | null | undefined, digits = 1): string => (num(v) === null ? '—' : `${((v ?? 0) * 100).toFixed(digits)}%`);
const plusMinus = (half: number | null | undefined, f: (v: number) => string): string => (num(half) === null ? '' : ` ± ${f(half ?? 0)}`);

/** The sweep's two answers in words, with the simulated figures that back them. */
export function sweepVerdicts(s: SweepOutcome): { meetsTarget: string; maxNetRevenue: string } {
	const goal = `${Math.round(s.serviceLevel.target * 100)}% answered within ${s.serviceLevel.seconds} s`;
	const at = (n: number | null) => s.points.find((p) => p.agents === n);
	const agents = s.points.map((p) => p.agents);
	const range = agents.length > 0 ? `${Math.min(...agents)}–${Math.max(...agents)}` : 'the range';
	const meets = at(s.meetsTarget);
	const best = at(s.maxNetRevenue);
	return {
		meetsTarget:
			s.meetsTarget === null
				? `No staffing level in ${range} agents meets the target of ${goal}.`
				: `${s.meetsTarget} agents are the fewest that meet the target of ${goal}` +
					(meets
						? ` (simulated service level ${pct(meets.totals.slOffered)}${plusMinus(meets.halfWidths.slOffered, (h) => `${(h * 100).toFixed(1)} pt`)}).`
						: '.'),
		maxNetRevenue:
			s.maxNetRevenue === null
				? `No staffing level in ${range} agents has a net revenue to compare.`
				: `${s.maxNetRevenue} agents give the highest net revenue` +
					(best ? `: ${formatMoney(best.totals.netRevenue)}${plusMinus(best.halfWidths.netRevenue, (h) => formatMoney(h))}.` : '.')
	};
}

/** Erlang A agents per interval, and the simulated check of the plan's service level with its whiskers. */
export function planChart(p: PlanOutcome): ChartData {
	const x = p.intervals.map((_, i) => i);
	const simulated = p.intervals.map((iv) => num(iv.simulated?.slOffered));
	const halves = p.intervals.map((iv) => num(iv.simulated?.slHalfWidth));
	return {
		x,
		xLabels: p.intervals.map((iv) => iv.start),
		xTitle: 'interval start',
		series: [
			{ label: 'agents (Erlang A)', values: p.intervals.map((iv) => iv.agents), scale: 'count', colour: 0, style: 'line' },
			{
				label: 'expected service level (Erlang A)',
				values: p.intervals.map((iv) => num(iv.erlang.slOffered)),
				scale: 'ratio',
				colour: 1,
				style: 'line',
				dashed: true
			},
			{
				label: 'simulated service level (95%)',
				values: simulated,
				scale: 'ratio',
				colour: 2,
				style: 'points',
				...whiskers(simulated, halves)
			}
		],
		markers: []
	};
}
