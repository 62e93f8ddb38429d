import { Counters } from './counters';
import type { AgentStateName } from '../events';

export const STATE_INDEX: Readonly<Record<AgentStateName, number>> = {
	available: 0,
	busy: 1,
	'wrap-up': 2,
	away: 3,
	offline: 4
};

/** STATE_INDEX as a switch: it runs on every agent move */
export function stateIndex(s: AgentStateName): number {
	switch (s) {
		case 'available':
			return 0;
		case 'busy':
			return 1;
		case 'wrap-up':
			return 2;
		case 'away':
			return 3;
		case 'offline':
			return 4;
	}
}

const MINUTE = 60_000;
/** rolling windows reach back at most this many minutes */
export const RING_MINUTES = 60;

export interface Clocking {
	/** a whole number of minutes */
	intervalMs: number;
	/** a whole minute, so intervals are made of whole minutes */
	dayStartMs: number;
}

/**
 * The metrics of one scope (everything, a queue, a lead source): counters for the day, for each
 * interval and for each of the last 60 minutes, plus gauges of now.
 *
 * A fact updates only the open minute's counters; when time moves to another minute the open
 * minute is added into the day, its interval and its rolling-window slot. The engine counts a
 * call's facts once, in the FactCell of its queue and lead source, which hands each closed minute
 * to its scopes; readers add the cells' open minutes, so reading never changes the running sums.
 */
export class ScopeMetrics {
	private readonly dayC = new Counters();
	private readonly intervalsC = new Map<number, Counters>();
	readonly agentsByState = new Int32Array(5);
	/** callers on hold now */
	waiting = 0;
	/** callers who asked to be called back and have not been yet */
	callbacksWaiting = 0;
	private readonly ring: Counters[] = [];
	private readonly ringMinute = new Float64Array(RING_MINUTES).fill(Number.NaN);
	private readonly open = new Counters();
	private openMinute = Number.NaN;
	/** the last at(t) and the minute it opened */
	private atT = Number.NaN;
	private atMinute = Number.NaN;
	/** agent time is counted up to here; it starts when the first agent of the scope does */
	private accruedTo = Number.NEGATIVE_INFINITY;
	/** cells whose facts count here too; their open minute is added on every read */
	private readonly feeders: FactCell[] = [];

	constructor(private readonly clocking: Clocking) {
		if (clocking.intervalMs % MINUTE !== 0 || clocking.dayStartMs % MINUTE !== 0)
			throw new Error('metrics: intervals and the day start must be whole minutes');
		for (let i = 0; i < RING_MINUTES; i++) this.ring.push(new Counters());
	}

	/** The day's counters (from dayStartMs) up to the last fact; a copy: reading never regroups the running sums. */
	get day(): Counters {
		const c = this.dayC.clone();
		if (this.openMinute * MINUTE >= this.clocking.dayStartMs) this.open.addInto(c);
		for (const f of this.feeders) if (f.openMinute * MINUTE >= this.clocking.dayStartMs) f.open.addInto(c);
		return c;
	}

	/** Counters by interval index (negative before the day start), up to the last fact; copies. */
	get intervals(): ReadonlyMap<number, Counters> {
		const out = new Map<number, Counters>();
		for (const [i, c] of this.intervalsC) out.set(i, c.clone());
		const addOpen = (minute: number, open: Counters): void => {
			if (Number.isNaN(minute)) return;
			const i = this.intervalIndex(minute * MINUTE);
			let c = out.get(i);
			if (c === undefined) {
				c = new Counters();
				out.set(i, c);
			}
			open.addInto(c);
		};
		addOpen(this.openMinute, this.open);
		for (const f of this.feeders) addOpen(f.openMinute, f.open);
		return out;
	}

	/** The day as of `now`: agent time counted up to now, without changing anything. */
	dayAt(now: number): Counters {
		const c = this.day;
		this.addPending(c, this.clocking.dayStartMs, Number.POSITIVE_INFINITY, now);
		return c;
	}

	/** One interval as of `now`. */
	intervalAt(index: number, now: number): Counters {
		const c = this.intervals.get(index) ?? new Counters();
		const start = this.clocking.dayStartMs + index * this.clocking.intervalMs;
		this.addPending(c, start, start + this.clocking.intervalMs, now);
		return c;
	}

	/** Agent time not yet accrued, from the last accrual to `now`, that falls in [from, to). */
	private addPending(c: Counters, from: number, to: number, now: number): void {
		const dt = Math.max(0, Math.min(to, now) - Math.max(from, this.accruedTo));
		if (dt === 0) return;
		const s = this.agentsByState;
		c.availableMs += (s[0] as number) * dt;
		c.busyMs += (s[1] as number) * dt;
		c.wrapUpMs += (s[2] as number) * dt;
		c.awayMs += (s[3] as number) * dt;
	}

	intervalIndex(t: number): number {
		return Math.floor((t - this.clocking.dayStartMs) / this.clocking.intervalMs);
	}

	/**
	 * The counters a fact at time t adds to. Valid until the next call: do not keep it. Agent time is
	 * brought up to t first, so minutes are always filled in time order.
	 */
	at(t: number): Counters {
		// a step adds several facts at one time: once t is accrued and its minute open, nothing to do
		if (t === this.atT && this.openMinute === this.atMinute) return this.open;
		if (t > this.accruedTo) this.accrue(t);
		const m = Math.floor(t / MINUTE);
		this.openAt(m);
		this.atT = t;
		this.atMinute = m;
		return this.open;
	}

	private openAt(m: number): void {
		if (m !== this.openMinute) {
			this.flush();
			this.openMinute = m;
		}
	}

	private flush(): void {
		const m = this.openMinute;
		if (Number.isNaN(m)) return;
		this.addClosed(m, this.open);
		this.open.reset();
	}

	/** Adds a minute's counters to the day, its interval and its rolling-window slot. */
	private addClosed(m: number, o: Counters): void {
		// the day starts at dayStartMs (a warm-up before it counts only in negative intervals)
		if (m * MINUTE >= this.clocking.dayStartMs) o.addInto(this.dayC);
		const index = this.intervalIndex(m * MINUTE);
		let iv = this.intervalsC.get(index);
		if (iv === undefined) {
			iv = new Counters();
			this.intervalsC.set(index, iv);
		}
		o.addInto(iv);
		const slot = ((m % RING_MINUTES) + RING_MINUTES) % RING_MINUTES;
		const c = this.ring[slot] as Counters;
		const held = this.ringMinute[slot] as number;
		if (held === m) o.addInto(c);
		else if (Number.isNaN(held) || held < m) {
			c.reset();
			this.ringMinute[slot] = m;
			o.addInto(c);
		}
		// else the slot has moved on to a later minute: m is out of every rolling window
	}

	/** A cell's minute m, closed: its facts join this scope's (in the open minute when that is m). */
	addMinute(m: number, o: Counters): void {
		if (m === this.openMinute) o.addInto(this.open);
		else if (m > this.openMinute || Number.isNaN(this.openMinute)) o.addInto(this.at(m * MINUTE));
		else this.addClosed(m, o);
	}

	/** Facts of `cell` count in this scope from now on. */
	feedFrom(cell: FactCell): void {
		this.feeders.push(cell);
	}

	/** Moves agent-state time up to t, split at minute boundaries (intervals are whole minutes). */
	accrue(t: number): void {
		let from = this.accruedTo;
		if (t <= from) return;
		this.accruedTo = t;
		const s = this.agentsByState;
		const a = s[0] as number,
			b = s[1] as number,
			w = s[2] as number,
			y = s[3] as number;
		if (a + b + w + y === 0) return;
		// most moves fall in the minute already open: no splitting
		const openStart = this.openMinute * MINUTE;
		if (from >= openStart && t <= openStart + MINUTE) {
			const c = this.open;
			const dt = t - from;
			c.availableMs += a * dt;
			c.busyMs += b * dt;
			c.wrapUpMs += w * dt;
			c.awayMs += y * dt;
			return;
		}
		while (from < t) {
			const to = Math.min(t, (Math.floor(from / MINUTE) + 1) * MINUTE);
			const dt = to - from;
			this.openAt(Math.floor(from / MINUTE));
			const c = this.open;
			c.availableMs += a * dt;
			c.busyMs += b * dt;
			c.wrapUpMs += w * dt;
			c.awayMs += y * dt;
			from = to;
		}
	}

	/** An agent of this scope moves between states (-1: not counted, e.g. a new agent). */
	agentMoved(t: number, from: number, to: number): void {
		this.accrue(t);
		const s = this.agentsByState;
		if (from >= 0) s[from] = (s[from] as number) - 1;
		if (to >= 0) s[to] = (s[to] as number) + 1;
	}

	/** Sum of the minutes (now-minutes, now], agent time up to now; reading changes nothing. */
	rolling(now: number, minutes: number): Counters {
		const out = new Counters();
		const cur = Math.floor(now / MINUTE);
		const span = Math.min(minutes, RING_MINUTES);
		for (let i = 0; i < RING_MINUTES; i++) {
			const m = this.ringMinute[i] as number;
			if (m > cur - span && m <= cur && m !== this.openMinute) (this.ring[i] as Counters).addInto(out);
		}
		// the open minute is not in its ring slot yet; a slot with the same minute holds an earlier flush of it
		const m = this.openMinute;
		if (m > cur - span && m <= cur) {
			const slot = ((m % RING_MINUTES) + RING_MINUTES) % RING_MINUTES;
			if (this.ringMinute[slot] === m) (this.ring[slot] as Counters).addInto(out);
			this.open.addInto(out);
		}
		for (const f of this.feeders) if (f.openMinute > cur - span && f.openMinute <= cur) f.open.addInto(out);
		this.addPending(out, (cur - span + 1) * MINUTE, (cur + 1) * MINUTE, now);
		return out;
	}
}

/**
 * The facts of one kind of call (a queue and lead source pair) for the minute they happen in. A fact
 * is counted once here instead of once in each scope it belongs to (everything, its queue, its
 * source); the minute is added to those scopes when the cell moves to a later minute, and until
 * then their readers add it.
 */
export class FactCell {
	readonly open = new Counters();
	openMinute = Number.NaN;
	/** the minute of the last at(t), for the common case of several facts in one minute */
	private lastT = Number.NaN;

	constructor(
		/** the scopes it counts in; also where the engine keeps its calls' gauges (waiting, callbacks) */
		readonly scopes: readonly ScopeMetrics[]
	) {
		for (const s of scopes) s.feedFrom(this);
	}

	/** The counters a fact at time t adds to (facts come in time order). Valid until the next call. */
	at(t: number): Counters {
		if (t === this.lastT) return this.open;
		this.lastT = t;
		const m = Math.floor(t / MINUTE);
		if (m !== this.openMinute) {
			if (!Number.isNaN(this.openMinute)) {
				for (const s of this.scopes) s.addMinute(this.openMinute, this.open);
				this.open.reset();
			}
			this.openMinute = m;
		}
		return this.open;
	}
}
