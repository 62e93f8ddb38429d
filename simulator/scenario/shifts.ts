import { DAY_MS } from './duration';
import type { Shift } from './types';

/** The simulated window: [startMs, endMs) in ms since midnight of the simulated day. */
export interface RunWindow {
	startMs: number;
	endMs: number;
}

/** A shift as a roster writes it: times of day, repeated every day. */
export interface DailyShift {
	/** ms since midnight */
	startMs: number;
	/** ms since midnight; at or before the start means the shift runs past midnight */
	endMs: number;
	count: number;
	breaks: Array<{ atMs: number; durationMs: number }>;
}

/** Length of a daily shift, which may run past midnight. */
export function shiftLengthMs(s: Pick<DailyShift, 'startMs' | 'endMs'>): number {
	return s.endMs > s.startMs ? s.endMs - s.startMs : s.endMs + DAY_MS - s.startMs;
}

/** Where a break's time of day falls inside a shift, as an offset from the shift start. */
export function breakOffsetMs(shiftStartMs: number, breakAtMs: number): number {
	return (((breakAtMs - shiftStartMs) % DAY_MS) + DAY_MS) % DAY_MS;
}

/**
 * The occurrences of a daily shift inside the run, clipped to it. The occurrence of the day before
 * the run counts too: a night shift that began yesterday is still on when the run starts.
 * Breaks that start outside the clipped shift are dropped; one cut by the run's end is shortened.
 */
export function expandDailyShift(shift: DailyShift, run: RunWindow): Shift[] {
	const out: Shift[] = [];
	const length = shiftLengthMs(shift);
	const firstDay = Math.floor(run.startMs / DAY_MS) - 1;
	const lastDay = Math.floor((run.endMs - 1) / DAY_MS);
	for (let day = firstDay; day <= lastDay; day++) {
		const start = day * DAY_MS + shift.startMs;
		const end = start + length;
		const from = Math.max(start, run.startMs);
		const to = Math.min(end, run.endMs);
		if (to <= from) continue;
		const breaks: Shift['breaks'] = [];
		for (const b of shift.breaks) {
			const at = start + breakOffsetMs(shift.startMs, b.atMs);
			if (at < from || at >= to) continue;
			breaks.push({ atMs: at, durationMs: Math.min(b.durationMs, to - at) });
		}
		breaks.sort((a, b) => a.atMs - b.atMs);
		out.push({ startMs: from, endMs: to, count: shift.count, breaks });
	}
	return out;
}

/**
 * Turns head counts per interval into shifts. Agents who are needed in consecutive intervals stay
 * on (a level that holds is one shift, not a log-off and a log-on at every boundary): a rise opens
 * a shift, a fall closes the most recently opened ones first. Counts start at the run start; the
 * last count holds to the run's end.
 */
export function shiftsFromCounts(counts: readonly number[], intervalMs: number, run: RunWindow): Shift[] {
	const out: Shift[] = [];
	const open: Array<{ startMs: number; count: number }> = [];
	let level = 0;
	const intervals = Math.max(1, Math.ceil((run.endMs - run.startMs) / intervalMs));
	const close = (at: number, drop: number) => {
		while (drop > 0) {
			const top = open[open.length - 1]!;
			const n = Math.min(drop, top.count);
			if (at > top.startMs) out.push({ startMs: top.startMs, endMs: at, count: n, breaks: [] });
			top.count -= n;
			drop -= n;
			if (top.count === 0) open.pop();
		}
	};
	for (let i = 0; i < intervals; i++) {
		const want = counts[Math.min(i, counts.length - 1)] ?? 0;
		const at = run.startMs + i * intervalMs;
		if (want > level) open.push({ startMs: at, count: want - level });
		else if (want < level) close(at, level - want);
		level = want;
	}
	close(run.endMs, level);
	return out.sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
}
