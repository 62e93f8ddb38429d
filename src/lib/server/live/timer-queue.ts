import type { EngineTimer } from '../../engine/events';

interface Pending {
	at: number;
	seq: number;
	event: EngineTimer;
}

/**
 * Timers an engine scheduled, due in (time, scheduling order), the order the engine's own Driver
 * delivers them. A sorted array: in observe mode only wrap-up ends are scheduled, at most one per
 * agent, so a heap would not pay for itself.
 */
export class TimerQueue {
	private readonly items: Pending[] = [];
	private seq = 0;

	get size(): number {
		return this.items.length;
	}

	push(at: number, event: EngineTimer): void {
		const item = { at, seq: ++this.seq, event };
		let lo = 0;
		let hi = this.items.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if ((this.items[mid] as Pending).at <= at) lo = mid + 1;
			else hi = mid;
		}
		this.items.splice(lo, 0, item);
	}

	/** Takes the first timer due at or before t, if any. */
	popDue(t: number): { at: number; event: EngineTimer } | undefined {
		const first = this.items[0];
		if (first === undefined || first.at > t) return undefined;
		this.items.shift();
		return first;
	}

	/** Forgets a timer that was delivered by other means (a journal being replayed). */
	remove(id: string): void {
		const i = this.items.findIndex((p) => p.event.id === id);
		if (i >= 0) this.items.splice(i, 1);
	}
}
