/**
 * Trend columns kept in the shape uPlot draws (one array per field), grown by appending the
 * server's delta points in place so a chart can redraw from the same arrays without rebuilding.
 */
import type { SeriesColumns } from '../protocol';

export function emptyColumns(): SeriesColumns {
	return { t: [], waiting: [], slOffered: [], revenueAtRisk: [] };
}

export function copyColumns(src: SeriesColumns, windowMs: number): SeriesColumns {
	const out = emptyColumns();
	appendColumns(out, src, windowMs);
	return out;
}

export interface AppendResult {
	appended: number;
	dropped: number;
}

/**
 * Appends the points of `add` that are newer than the last one held (a point repeated across a
 * resync must not draw twice), then drops points older than `windowMs` before the newest.
 * Columns of unequal length in `add` are cut to the shortest, so the arrays stay aligned.
 */
export function appendColumns(target: SeriesColumns, add: SeriesColumns, windowMs: number): AppendResult {
	const n = Math.min(add.t.length, add.waiting.length, add.slOffered.length, add.revenueAtRisk.length);
	let last = target.t.length > 0 ? (target.t[target.t.length - 1] ?? -Infinity) : -Infinity;
	let appended = 0;
	for (let i = 0; i < n; i++) {
		const t = add.t[i];
		if (t === undefined || !(t > last)) continue;
		target.t.push(t);
		target.waiting.push(add.waiting[i] ?? 0);
		target.slOffered.push(add.slOffered[i] ?? null);
		target.revenueAtRisk.push(add.revenueAtRisk[i] ?? 0);
		last = t;
		appended++;
	}
	return { appended, dropped: trimColumns(target, windowMs) };
}

/** Drops points older than `windowMs` before the newest one; returns how many went. */
export function trimColumns(target: SeriesColumns, windowMs: number): number {
	const len = target.t.length;
	if (len === 0) return 0;
	const newest = target.t[len - 1] ?? 0;
	const cutoff = newest - windowMs;
	let k = 0;
	while (k < len && (target.t[k] ?? 0) < cutoff) k++;
	if (k > 0) {
		target.t.splice(0, k);
		target.waiting.splice(0, k);
		target.slOffered.splice(0, k);
		target.revenueAtRisk.splice(0, k);
	}
	return k;
}
