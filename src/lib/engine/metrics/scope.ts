import { Counters } from './counters';
import type { AgentStateName } from '../events';

export const STATE_INDEX: Readonly<Record<AgentStateName, number>> = {
	available: 0,
	busy: 1,
	'wrap-up': 2,
	away: 3,
	offline: 4
};

const MINUTE = 60_000;
/** rolling windows reach back at most this many minutes */
export const RING_MINUTES = 60;

export interface Clocking {
	intervalMs: number;
	dayStartMs: number;
}

/**
 * The metrics of one scope (everything, a queue, a lead source): counters for the day, for each
 * interval and for each of the last 60 minutes, updated in O(1) per fact, plus gauges of now.
 */
export class ScopeMetrics {
	readonly day = new Counters();
	readonly intervals = new Map<number, Counters>();
	readonly agentsByState = new Int32Array(5);
	/** callers on hold now */
	waiting = 0;
	/** callers who asked to be called back and have not been yet */
	callbacksWaiting = 0;
	private readonly ring: Counters[] = [];
	private readonly ringMinute = new Float64Array(RING_MINUTES).fill(Number.NaN);
	private readonly cellsBuf: Counters[] = [];
	private accruedTo: number;

	constructor(
		private readonly clocking: Clocking,
		startMs: number
	) {
		for (let i = 0; i < RING_MINUTES; i++) this.ring.push(new Counters());
		this.accruedTo = startMs;
	}

	intervalIndex(t: number): number {
		return Math.floor((t - this.clocking.dayStartMs) / this.clocking.intervalMs);
	}

	interval(index: number): Counters {
		let c = this.intervals.get(index);
		if (c === undefined) {
			c = new Counters();
			this.intervals.set(index, c);
		}
		return c;
	}

	private minute(t: number): Counters {
		const m = Math.floor(t / MINUTE);
		const slot = ((m % RING_MINUTES) + RING_MINUTES) % RING_MINUTES;
		const c = this.ring[slot] as Counters;
		if (this.ringMinute[slot] !== m) {
			Object.assign(c, new Counters());
			this.ringMinute[slot] = m;
		}
		return c;
	}

	/** The day, interval and minute counters a fact at time t adds to; the array is reused, do not keep it. */
	cells(t: number): readonly Counters[] {
		const b = this.cellsBuf;
		b[0] = this.day;
		b[1] = this.interval(this.intervalIndex(t));
		b[2] = this.minute(t);
		return b;
	}

	/** Moves agent-state time up to t, split at minute and interval boundaries. */
	accrue(t: number): void {
		let from = this.accruedTo;
		if (t <= from) return;
		const s = this.agentsByState;
		const a = s[0] as number,
			b = s[1] as number,
			w = s[2] as number,
			y = s[3] as number;
		if (a + b + w + y === 0) {
			this.accruedTo = t;
			return;
		}
		const { intervalMs, dayStartMs } = this.clocking;
		while (from < t) {
			const nextMinute = (Math.floor(from / MINUTE) + 1) * MINUTE;
			const nextInterval = dayStartMs + (this.intervalIndex(from) + 1) * intervalMs;
			const to = Math.min(t, nextMinute, nextInterval);
			const dt = to - from;
			for (const c of this.cells(from)) {
				c.availableMs += a * dt;
				c.busyMs += b * dt;
				c.wrapUpMs += w * dt;
				c.awayMs += y * dt;
			}
			from = to;
		}
		this.accruedTo = t;
	}

	/** An agent of this scope moves between states (-1: not counted, e.g. a new agent). */
	agentMoved(t: number, from: number, to: number): void {
		this.accrue(t);
		if (from >= 0) (this.agentsByState[from] as number)--;
		if (to >= 0) (this.agentsByState[to] as number)++;
	}

	/** Sum of the minutes (now-minutes, now]; accrue(now) first for agent time up to now. */
	rolling(now: number, minutes: number): Counters {
		const out = new Counters();
		const cur = Math.floor(now / MINUTE);
		const span = Math.min(minutes, RING_MINUTES);
		for (let i = 0; i < RING_MINUTES; i++) {
			const m = this.ringMinute[i] as number;
			if (m > cur - span && m <= cur) (this.ring[i] as Counters).addInto(out);
		}
		return out;
	}
}
