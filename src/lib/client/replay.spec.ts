import { describe, expect, it } from 'vitest';
import type { ReplayInfo, SourceInfo } from '../protocol';
import { keyControl, nextSpeed, PendingSeek, REPLAY_SPEEDS, SEEK_TIMEOUT_MS, sliderRange, timeOfDay } from './replay';

const H = 3_600_000;
const replay: ReplayInfo = { startMs: 7 * H + 111_000, endMs: 24 * H + 60_000, positionMs: 9 * H, seeks: 3 };
const source = (over: Partial<SourceInfo> = {}): SourceInfo => ({
	kind: 'replay',
	name: 'day.ndjson',
	speed: 10,
	paused: false,
	replay,
	...over
});

describe('replay bar rules', () => {
	it('steps speeds along 1× 2× 5× 10× 30× 60×, from any speed, stopping at the ends', () => {
		expect(REPLAY_SPEEDS).toEqual([1, 2, 5, 10, 30, 60]);
		expect(nextSpeed(10, 1)).toBe(30);
		expect(nextSpeed(10, -1)).toBe(5);
		expect(nextSpeed(60, 1)).toBe(60);
		expect(nextSpeed(1, -1)).toBe(1);
		expect(nextSpeed(7, 1)).toBe(10);
		expect(nextSpeed(7, -1)).toBe(5);
		expect(nextSpeed(600, -1)).toBe(60);
		expect(nextSpeed(0.5, 1)).toBe(1);
	});

	it('maps keys to controls: Space toggles, arrows seek 5 minutes within the day, +/- step the speed', () => {
		expect(keyControl(' ', source(), replay, 9 * H)).toEqual({ action: 'pause' });
		expect(keyControl(' ', source({ paused: true }), replay, 9 * H)).toEqual({ action: 'play' });
		expect(keyControl('ArrowLeft', source(), replay, 9 * H)).toEqual({ action: 'seek', value: 9 * H - 300_000 });
		expect(keyControl('ArrowRight', source(), replay, 9 * H)).toEqual({ action: 'seek', value: 9 * H + 300_000 });
		expect(keyControl('ArrowLeft', source(), replay, replay.startMs + 1000)).toEqual({ action: 'seek', value: replay.startMs });
		expect(keyControl('ArrowRight', source(), replay, replay.endMs - 1000)).toEqual({ action: 'seek', value: replay.endMs });
		expect(keyControl('+', source(), replay, 0)).toEqual({ action: 'speed', value: 30 });
		expect(keyControl('=', source(), replay, 0)).toEqual({ action: 'speed', value: 30 });
		expect(keyControl('-', source(), replay, 0)).toEqual({ action: 'speed', value: 5 });
		expect(keyControl('a', source(), replay, 0)).toBeNull();
		expect(keyControl('Enter', source(), replay, 0)).toBeNull();
	});

	it('puts the slider ends on whole minutes around the day', () => {
		const r = sliderRange({ ...replay, startMs: 7 * H + 111_000 });
		expect(r).toEqual({ min: 7 * H + 60_000, max: 24 * H + 60_000 });
		// 14:00 is a value the slider can take
		expect((14 * H - r.min) % 60_000).toBe(0);
	});

	it('a pending seek lands when the server has applied one more seek, or is given up after a while', () => {
		const p = new PendingSeek(14 * H, 3, 1000);
		expect(p.landed(replay, 1500)).toBe(false);
		expect(p.landed({ ...replay, seeks: 4 }, 1500)).toBe(true);
		expect(p.landed(undefined, 1500)).toBe(false);
		expect(p.landed(replay, 1000 + SEEK_TIMEOUT_MS + 1)).toBe(true);
	});

	it('reads times of the day on past midnight, where a recorded day may end', () => {
		expect(timeOfDay(7 * H + 111_000)).toBe('07:01');
		expect(timeOfDay(14 * H + 5_500, true)).toBe('14:00:05');
		expect(timeOfDay(24 * H + 60_000)).toBe('24:01');
		expect(timeOfDay(Number.NaN)).toBe('—');
	});
});
