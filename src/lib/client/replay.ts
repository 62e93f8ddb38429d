/**
 * The replay bar's rules, apart from the component so the specs run them without a browser: the
 * speeds a trainer picks from, what each key does, where the slider can go, and when a seek that
 * was asked for has landed.
 */
import type { ControlMessage } from '../board/source';
import type { ReplayInfo, SourceInfo } from '../protocol';

export const REPLAY_SPEEDS = [1, 2, 5, 10, 30, 60] as const;
export const SEEK_STEP_MS = 5 * 60_000;
/** the slider moves in whole minutes */
export const SLIDER_STEP_MS = 60_000;
/** a seek not seen to land by then is given up on (the bar stops saying "seeking") */
export const SEEK_TIMEOUT_MS = 10_000;

/** The next speed up or down the list from the current one (which may be off the list: the CLI can start at any speed). */
export function nextSpeed(current: number, direction: 1 | -1): number {
	if (direction > 0) return REPLAY_SPEEDS.find((s) => s > current) ?? 60;
	return [...REPLAY_SPEEDS].reverse().find((s) => s < current) ?? 1;
}

/** The slider's ends: whole minutes around the day, so a time like 14:00 is a value it can take. */
export function sliderRange(replay: ReplayInfo): { min: number; max: number } {
	return {
		min: Math.floor(replay.startMs / SLIDER_STEP_MS) * SLIDER_STEP_MS,
		max: Math.ceil(replay.endMs / SLIDER_STEP_MS) * SLIDER_STEP_MS
	};
}

export function clampToDay(t: number, replay: ReplayInfo): number {
	return Math.min(Math.max(t, replay.startMs), replay.endMs);
}

/**
 * The control a key asks for, or null for keys the bar leaves alone: Space plays or pauses, ← and
 * → seek 5 minutes back and forward from where the replay is now, + and - step the speed.
 */
export function keyControl(key: string, source: SourceInfo, replay: ReplayInfo, positionMs: number): ControlMessage | null {
	switch (key) {
		case ' ':
		case 'Spacebar':
			return { action: source.paused ? 'play' : 'pause' };
		case 'ArrowLeft':
			return { action: 'seek', value: clampToDay(positionMs - SEEK_STEP_MS, replay) };
		case 'ArrowRight':
			return { action: 'seek', value: clampToDay(positionMs + SEEK_STEP_MS, replay) };
		case '+':
		case '=':
			return { action: 'speed', value: nextSpeed(source.speed, 1) };
		case '-':
		case '_':
			return { action: 'speed', value: nextSpeed(source.speed, -1) };
		default:
			return null;
	}
}

/**
 * A seek in flight: sent when the server had applied `seeksBefore` seeks; it has landed once the
 * server reports more (its count goes up only when a seek is applied, and the board then gets the
 * snapshot at the target).
 */
export class PendingSeek {
	constructor(
		readonly targetMs: number,
		readonly seeksBefore: number,
		readonly sentAtMs: number
	) {}

	landed(replay: ReplayInfo | undefined, nowMs: number): boolean {
		return (replay !== undefined && replay.seeks > this.seeksBefore) || nowMs - this.sentAtMs > SEEK_TIMEOUT_MS;
	}
}

/** A time of the replay's day as H:MM or H:MM:SS; past midnight it reads on (24:01), where the day's last minute may end. */
export function timeOfDay(ms: number, seconds = false): string {
	if (!Number.isFinite(ms)) return '—';
	const total = Math.max(0, Math.floor(ms / 1000));
	const h = Math.floor(total / 3600);
	const m = String(Math.floor((total % 3600) / 60)).padStart(2, '0');
	const s = String(total % 60).padStart(2, '0');
	return seconds ? `${String(h).padStart(2, '0')}:${m}:${s}` : `${String(h).padStart(2, '0')}:${m}`;
}
