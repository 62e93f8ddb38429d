/**
 * CSV exports. Numbers are written raw (full precision, ratios as ratios) so a spreadsheet can
 * recompute anything; labels are user text, so cells that a spreadsheet would run as a formula are
 * defused with a leading apostrophe.
 */
import type { PlanOutcome, RunResult, StudioTotals, SweepOutcome } from '../protocol';
import { COMPARED_METRICS, compareRuns, VERDICT_WORDS } from './compare';

type Cell = string | number | null | undefined;

export function csvCell(v: Cell): string {
	if (v === null || v === undefined) return '';
	if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
	const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
	return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(rows: readonly (readonly Cell[])[]): string {
	return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** One row per variant and figure: value, its 95% half-width, the difference to the first variant and the verdict. */
export function comparisonCsv(runs: readonly RunResult[]): string {
	const rows: Cell[][] = [['variant', 'metric', 'value', 'halfWidth95', 'diffToFirst', 'verdict']];
	for (const row of compareRuns(runs)) {
		row.cells.forEach((cell, i) => {
			rows.push([
				runs[i]?.label,
				row.metric.key,
				cell.estimate.value,
				cell.estimate.half,
				cell.difference?.diff,
				cell.difference ? VERDICT_WORDS[cell.difference.verdict] : ''
			]);
		});
	}
	return toCsv(rows);
}

const INTERVAL_KEYS: readonly (keyof StudioTotals)[] = ['offered', 'answered', 'abandoned', ...COMPARED_METRICS.map((m) => m.key)];

/** Per-interval replication means, one row per variant and interval. */
export function intervalsCsv(runs: readonly RunResult[]): string {
	const rows: Cell[][] = [['variant', 'start', ...INTERVAL_KEYS]];
	for (const r of runs) for (const iv of r.intervals) rows.push([r.label, iv.start, ...INTERVAL_KEYS.map((k) => iv.totals[k])]);
	return toCsv(rows);
}

const SWEEP_KEYS = ['slOffered', 'abandonRate', 'asaAnswered', 'occupancy', 'netRevenue'] as const;

/** Simulated levels with half-widths, and Erlang A at the same agent counts. */
export function sweepCsv(s: SweepOutcome): string {
	const erlang = new Map(s.erlang.map((e) => [e.agents, e]));
	const rows: Cell[][] = [
		[
			'agents',
			...SWEEP_KEYS.flatMap((k) => [k, `${k}HalfWidth95`]),
			...SWEEP_KEYS.map((k) => `erlangA_${k}`),
			'meetsTarget',
			'maxNetRevenue'
		]
	];
	const agents = [...new Set([...s.points.map((p) => p.agents), ...s.erlang.map((e) => e.agents)])].sort((a, b) => a - b);
	const points = new Map(s.points.map((p) => [p.agents, p]));
	for (const n of agents) {
		const p = points.get(n);
		const e = erlang.get(n);
		rows.push([
			n,
			...SWEEP_KEYS.flatMap((k) => [p?.totals[k], p?.halfWidths[k]]),
			...SWEEP_KEYS.map((k) => e?.[k]),
			s.meetsTarget === n ? 'yes' : '',
			s.maxNetRevenue === n ? 'yes' : ''
		]);
	}
	return toCsv(rows);
}

export function planCsv(p: PlanOutcome): string {
	const rows: Cell[][] = [
		[
			'start',
			'arrivalsPerHour',
			'ahtSeconds',
			'patienceSeconds',
			'agentsErlangA',
			'expectedSlOffered',
			'expectedAbandonRate',
			'expectedAsaSeconds',
			'expectedOccupancy',
			'simulatedSlOffered',
			'simulatedSlHalfWidth95',
			'simulatedAbandonRate'
		]
	];
	for (const iv of p.intervals) {
		rows.push([
			iv.start,
			iv.arrivalsPerHour,
			iv.ahtSeconds,
			iv.patienceSeconds,
			iv.agents,
			iv.erlang.slOffered,
			iv.erlang.abandonRate,
			iv.erlang.asaAnswered,
			iv.erlang.occupancy,
			iv.simulated?.slOffered,
			iv.simulated?.slHalfWidth,
			iv.simulated?.abandonRate
		]);
	}
	return toCsv(rows);
}
