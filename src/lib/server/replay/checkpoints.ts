import { deepClone } from './clone';
import type { ReplayState } from './runner';

/**
 * Copies of a replay's state every `everyMs` of source time (on multiples of it), so a seek
 * restores the nearest one at or before its target and applies at most `everyMs` of events. A
 * stored copy is never run: a restore hands out a copy of it.
 */
export class Checkpoints {
	private readonly byTime = new Map<number, ReplayState>();
	/** checkpoint times, ascending */
	private times: number[] = [];

	constructor(readonly everyMs: number) {
		if (!(everyMs > 0) || !Number.isFinite(everyMs)) throw new Error(`checkpoint step must be a positive number, got ${everyMs}`);
	}

	get size(): number {
		return this.times.length;
	}

	/** checkpoint times, ascending */
	list(): readonly number[] {
		return this.times;
	}

	has(t: number): boolean {
		return this.byTime.has(t);
	}

	/** The first checkpoint time after `t`. */
	nextAfter(t: number): number {
		return (Math.floor(t / this.everyMs) + 1) * this.everyMs;
	}

	/** Keeps a copy of the state (taken at `state.at`). */
	take(state: ReplayState): void {
		const t = state.at;
		if (this.byTime.has(t)) return;
		this.byTime.set(t, deepClone(state));
		let i = this.times.length;
		while (i > 0 && (this.times[i - 1] as number) > t) i--;
		this.times.splice(i, 0, t);
	}

	/** The time of the latest checkpoint at or before t, or null. */
	latestAtOrBefore(t: number): number | null {
		let lo = 0;
		let hi = this.times.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if ((this.times[mid] as number) <= t) lo = mid + 1;
			else hi = mid;
		}
		return lo === 0 ? null : (this.times[lo - 1] as number);
	}

	/** A fresh copy of the checkpoint at t, to run on. */
	restore(t: number): ReplayState {
		const s = this.byTime.get(t);
		if (s === undefined) throw new Error(`no checkpoint at ${t}`);
		return deepClone(s);
	}
}
