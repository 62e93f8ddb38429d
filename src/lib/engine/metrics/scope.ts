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
 * An open minute of counters that facts and agent time go into, in time order; when time moves on
 * to another minute, the closed one is handed on (to a scope's day, interval and rolling window, or
 * from a cell to its scopes). Agent time is the agents counted here by state, times the time.
 */
abstract class MinuteCounters {
	readonly open = new Counters();
	openMinute = Number.NaN;
	/** agents counted here, by state (STATE_INDEX) */
	protected readonly counts = new Int32Array(5);
	/** agent time is counted up to here; it starts when the first agent does */
	protected accruedTo = Number.NEGATIVE_INFINITY;
	/** the last at(t) and the minute it opened */
	private atT = Number.NaN;
	private atMinute = Number.NaN;

	/** What to do with a minute's counters when it closes. */
	protected abstract close(m: number, c: Counters): void;

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

	protected openAt(m: number): void {
		if (m === this.openMinute) return;
		if (!Number.isNaN(this.openMinute)) {
			this.close(this.openMinute, this.open);
			this.open.reset();
		}
		this.openMinute = m;
	}

	/** Moves agent-state time up to t, split at minute boundaries (intervals are whole minutes). */
	accrue(t: number): void {
		let from = this.accruedTo;
		if (t <= from) return;
		this.accruedTo = t;
		const s = this.counts;
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

	/** An agent counted here moves between states (-1: not counted, e.g. a new agent). */
	agentMoved(t: number, from: number, to: number): void {
		this.accrue(t);
		const s = this.counts;
		if (from >= 0) s[from] = (s[from] as number) - 1;
		if (to >= 0) s[to] = (s[to] as number) + 1;
	}

	/** Agent time not yet accrued, from the last accrual to `now`, that falls in [from, to). */
	addPending(c: Counters, from: number, to: number, now: number): void {
		const dt = Math.max(0, Math.min(to, now) - Math.max(from, this.accruedTo));
		if (dt === 0) return;
		const s = this.counts;
		c.availableMs += (s[0] as number) * dt;
		c.busyMs += (s[1] as number) * dt;
		c.wrapUpMs += (s[2] as number) * dt;
		c.awayMs += (s[3] as number) * dt;
	}

	/** Adds the agents counted here to `out`, by state. */
	addCounts(out: Int32Array): void {
		for (let i = 0; i < 5; i++) out[i] = (out[i] as number) + (this.counts[i] as number);
	}
}

/**
 * The metrics of one scope (everything, a queue, a lead source): counters for the day, for each
 * interval and for each of the last 60 minutes, plus gauges of now.
 *
 * A fact updates only the open minute's counters; when time moves to another minute the open
 * minute is added into the day, its interval and its rolling-window slot. The engine counts each
 * fact and each agent move once, in a ScopeCell (a call's queue and lead source; an agent's set of
 * queues), which hands each closed minute to its scopes; readers add the cells' open minutes,
 * pending agent time and agents, so reading never changes the running sums.
 */
export class ScopeMetrics extends MinuteCounters {
	private readonly dayC = new Counters();
	private readonly intervalsC = new Map<number, Counters>();
	/** callers on hold now */
	waiting = 0;
	/** callers who asked to be called back and have not been yet */
	callbacksWaiting = 0;
	private readonly ring: Counters[] = [];
	private readonly ringMinute = new Float64Array(RING_MINUTES).fill(Number.NaN);
	/** cells that count here too */
	private readonly feeders: ScopeCell[] = [];

	constructor(private readonly clocking: Clocking) {
		super();
		if (clocking.intervalMs % MINUTE !== 0 || clocking.dayStartMs % MINUTE !== 0)
			throw new Error('metrics: intervals and the day start must be whole minutes');
		for (let i = 0; i < RING_MINUTES; i++) this.ring.push(new Counters());
	}

	/** Agents of the scope now, by state (STATE_INDEX); a copy. */
	get agentsByState(): Int32Array {
		const out = new Int32Array(5);
		this.addCounts(out);
		for (const f of this.feeders) f.addCounts(out);
		return out;
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
		this.addAllPending(c, this.clocking.dayStartMs, Number.POSITIVE_INFINITY, now);
		return c;
	}

	/** One interval as of `now`. */
	intervalAt(index: number, now: number): Counters {
		const c = this.intervals.get(index) ?? new Counters();
		const start = this.clocking.dayStartMs + index * this.clocking.intervalMs;
		this.addAllPending(c, start, start + this.clocking.intervalMs, now);
		return c;
	}

	/** Agent time not yet accrued here or in the cells, from their last accrual to `now`, within [from, to). */
	private addAllPending(c: Counters, from: number, to: number, now: number): void {
		this.addPending(c, from, to, now);
		for (const f of this.feeders) f.addPending(c, from, to, now);
	}

	intervalIndex(t: number): number {
		return Math.floor((t - this.clocking.dayStartMs) / this.clocking.intervalMs);
	}

	protected close(m: number, c: Counters): void {
		this.addClosed(m, c);
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

	/** A cell's minute m, closed: its counters join this scope's (in the open minute when that is m). */
	addMinute(m: number, o: Counters): void {
		if (m === this.openMinute) o.addInto(this.open);
		else if (m > this.openMinute || Number.isNaN(this.openMinute)) o.addInto(this.at(m * MINUTE));
		else this.addClosed(m, o);
	}

	/** `cell` counts in this scope from now on. */
	feedFrom(cell: ScopeCell): void {
		this.feeders.push(cell);
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
		this.addAllPending(out, (cur - span + 1) * MINUTE, (cur + 1) * MINUTE, now);
		return out;
	}
}

/**
 * What one kind of call (a queue and lead source pair) or one kind of agent (a set of queues)
 * adds to the scopes it counts in, for the minute in progress. A fact or an agent move is counted
 * once here instead of once in each of those scopes; the minute is added to them when the cell
 * moves to a later minute, and until then their readers add it.
 */
export class ScopeCell extends MinuteCounters {
	constructor(readonly scopes: readonly ScopeMetrics[]) {
		super();
		for (const s of scopes) s.feedFrom(this);
	}

	protected close(m: number, c: Counters): void {
		for (const s of this.scopes) s.addMinute(m, c);
	}
}
