/**
 * The trend charts' axes: time reads as "how long ago" (−90 min … now), which needs no time zone
 * and says what a supervisor wants to know; the y range always shows the warn line, so a quiet
 * chart is not drawn at a scale that makes noise look like a crisis.
 */
import type { Threshold } from '../protocol';

/** Tick positions every `stepMs` back from the newest point, oldest first. */
export function agoSplits(latest: number, windowMs: number, stepMs: number): number[] {
	const out: number[] = [];
	for (let back = 0; back <= windowMs + 1e-9; back += stepMs) out.push(latest - back);
	return out.reverse();
}

export function agoLabel(v: number, latest: number): string {
	const minutes = Math.round((latest - v) / 60_000);
	if (minutes <= 0) return 'now';
	if (minutes % 60 === 0) return `−${minutes / 60} h`;
	return `−${minutes} min`;
}

/** The y range: from 0 to the data's maximum with headroom, and at least past the warn line. */
export function yRange(dataMax: number | null, threshold: Threshold | null, floor: number): [number, number] {
	let top = Math.max(floor, (dataMax ?? 0) * 1.15);
	if (threshold !== null && threshold.direction === 'above') top = Math.max(top, threshold.warn * 1.15);
	return [0, top];
}

export function columnMax(values: ArrayLike<number | null | undefined>): number | null {
	let max: number | null = null;
	for (let i = 0; i < values.length; i++) {
		const v = values[i];
		if (v !== null && v !== undefined && Number.isFinite(v) && (max === null || v > max)) max = v;
	}
	return max;
}
