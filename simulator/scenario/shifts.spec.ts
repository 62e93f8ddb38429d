import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandDailyShift, shiftsFromCounts } from './shifts';
import type { Shift } from './types';

const H = 3_600_000;
const DAY = 24 * H;

describe('expandDailyShift', () => {
	it('places a day shift and its breaks on the run day', () => {
		const shifts = expandDailyShift(
			{ startMs: 8 * H, endMs: 16 * H, count: 5, breaks: [{ atMs: 12 * H, durationMs: H / 2 }] },
			{ startMs: 0, endMs: DAY }
		);
		expect(shifts).toEqual([{ startMs: 8 * H, endMs: 16 * H, count: 5, breaks: [{ atMs: 12 * H, durationMs: H / 2 }] }]);
	});

	it('clips a shift already under way when the run starts', () => {
		const shifts = expandDailyShift(
			{
				startMs: 8 * H,
				endMs: 16 * H,
				count: 2,
				breaks: [
					{ atMs: 9 * H, durationMs: H / 4 },
					{ atMs: 12 * H, durationMs: H / 2 }
				]
			},
			{ startMs: 10 * H, endMs: 18 * H }
		);
		// the 09:00 break was before the run and is dropped
		expect(shifts).toEqual([{ startMs: 10 * H, endMs: 16 * H, count: 2, breaks: [{ atMs: 12 * H, durationMs: H / 2 }] }]);
	});

	it('runs a night shift past midnight, including the one that began the day before', () => {
		const shifts = expandDailyShift(
			{ startMs: 22 * H, endMs: 6 * H, count: 3, breaks: [{ atMs: 2 * H, durationMs: H / 2 }] },
			{ startMs: 0, endMs: DAY }
		);
		expect(shifts).toEqual([
			{ startMs: 0, endMs: 6 * H, count: 3, breaks: [{ atMs: 2 * H, durationMs: H / 2 }] },
			// tonight's break falls after the run ends
			{ startMs: 22 * H, endMs: DAY, count: 3, breaks: [] }
		]);
	});

	it('repeats every day of a multi-day run', () => {
		const shifts = expandDailyShift({ startMs: 9 * H, endMs: 17 * H, count: 1, breaks: [] }, { startMs: 0, endMs: 3 * DAY });
		expect(shifts.map((s) => [s.startMs / H, s.endMs / H])).toEqual([
			[9, 17],
			[33, 41],
			[57, 65]
		]);
	});

	it('shortens a break cut by the end of the run', () => {
		const [shift] = expandDailyShift(
			{ startMs: 8 * H, endMs: 16 * H, count: 1, breaks: [{ atMs: 12 * H, durationMs: H }] },
			{ startMs: 8 * H, endMs: 12.5 * H }
		);
		expect(shift?.breaks).toEqual([{ atMs: 12 * H, durationMs: H / 2 }]);
	});
});

/** Agents on at the start of interval i according to the shifts. */
function onAt(shifts: Shift[], t: number): number {
	return shifts.filter((s) => s.startMs <= t && t < s.endMs).reduce((n, s) => n + s.count, 0);
}

describe('shiftsFromCounts', () => {
	it('keeps agents on while their level holds', () => {
		const shifts = shiftsFromCounts([2, 3, 3, 1], H, { startMs: 0, endMs: 4 * H });
		expect(shifts).toEqual([
			{ startMs: 0, endMs: H * 3, count: 1, breaks: [] },
			{ startMs: 0, endMs: H * 4, count: 1, breaks: [] },
			{ startMs: H, endMs: H * 3, count: 1, breaks: [] }
		]);
	});

	it('holds the last count to the end of the run and ignores counts past it', () => {
		expect(shiftsFromCounts([4], H, { startMs: 8 * H, endMs: 16 * H })).toEqual([{ startMs: 8 * H, endMs: 16 * H, count: 4, breaks: [] }]);
		expect(shiftsFromCounts([1, 2, 9, 9], H, { startMs: 0, endMs: 2 * H })).toEqual([
			{ startMs: 0, endMs: 2 * H, count: 1, breaks: [] },
			{ startMs: H, endMs: 2 * H, count: 1, breaks: [] }
		]);
	});

	it('gives no shifts for no agents', () => {
		expect(shiftsFromCounts([0, 0], H, { startMs: 0, endMs: 2 * H })).toEqual([]);
	});

	it('staffs every interval with exactly its count, with as few log-ons as the counts allow', () => {
		fc.assert(
			fc.property(fc.array(fc.nat(30), { minLength: 1, maxLength: 40 }), (counts) => {
				const run = { startMs: 6 * H, endMs: 6 * H + counts.length * 15 * 60_000 };
				const shifts = shiftsFromCounts(counts, 15 * 60_000, run);
				counts.forEach((c, i) => expect(onAt(shifts, run.startMs + i * 15 * 60_000)).toBe(c));
				let rises = 0;
				counts.forEach((c, i) => (rises += Math.max(0, c - (counts[i - 1] ?? 0))));
				expect(shifts.reduce((n, s) => n + s.count, 0)).toBe(rises);
			})
		);
	});
});
