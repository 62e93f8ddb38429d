import { BoardHistory } from '../../board/history';
import type { DecisionSink } from '../../engine/effects';
import { Engine, type RejectReason } from '../../engine/engine';
import type { EngineTimer, HeatEvent } from '../../engine/events';
import type { ReplayJournal } from './journal';
import { firstSample } from '../sample-clock';
import { TimerQueue } from '../timer-queue';

const DAY = 86_400_000;
const MINUTE = 60_000;

/**
 * Where a replay stands: everything a checkpoint must copy, and nothing else (the journal is
 * shared by every state and never copied). Plain data, so `deepClone` copies it whole.
 */
export interface ReplayState {
	engine: Engine;
	/** the board's trend and heat map; null when nobody draws a board (the CLI's --fast run) */
	history: BoardHistory | null;
	timers: TimerQueue;
	/** ids of timers the engine scheduled itself, so a journal's recorded copy is not applied twice (only for journals with timers) */
	ownTimers: Set<string> | null;
	/** index of the next journal event */
	next: number;
	nextSample: number;
	/** source time reached: every event and timer before it is applied, and the sample at it taken */
	at: number;
}

export interface ReplayHooks {
	/** an event the engine accepted (journal events and timers) */
	event?(e: HeatEvent): void;
	/** a sample instant, after the history took it */
	sample?(t: number): void;
	/** an event the engine refused; index is the journal event's, -1 for a timer */
	rejected?(index: number, reason: RejectReason, detail: string): void;
}

/**
 * Steps a journal through an engine on the engine's trusted path (`stepInto`: the events were
 * validated when the journal was read) and delivers the timers the engine schedules, the way
 * `Driver` does: timers due at an event's time go before it.
 *
 * A live journal (one with clocks) is applied the way the live board applied it, so the replay
 * shows what the board showed: each record at its clock (`advance(clock)`, then the event, late if
 * the event was), the engine brought to each sample's instant before it is taken, and the timers
 * the journal holds rather than the engine's own, which would be the same timers a second time.
 *
 * Time is well defined whatever the chunks it is run in: the state at T has every event and timer
 * before T applied and the samples up to T taken; at one instant a sample goes first, then timers,
 * then events. So running to A then to B equals running to B, and a checkpoint restored at T
 * continues exactly like a replay that ran from the start.
 */
export class ReplayRunner {
	/** when each event is applied: its time, except where the file is out of order (see `dueTimes`) */
	readonly due: Float64Array;
	readonly startMs: number;
	/** the first whole minute after the last event: running to it applies every event */
	readonly endMs: number;
	private readonly sink = new TimerSink();

	constructor(
		readonly journal: ReplayJournal,
		readonly sampleEveryMs: number,
		private readonly hooks: ReplayHooks = {}
	) {
		this.due = journal.clocks === null ? dueTimes(journal.events) : clockTimes(journal.clocks);
		this.sink.keep = journal.clocks === null;
		const n = this.due.length;
		this.startMs = n > 0 ? (this.due[0] as number) : 0;
		this.endMs = n > 0 ? (Math.floor((this.due[n - 1] as number) / MINUTE) + 1) * MINUTE : MINUTE;
	}

	/** A state at the start of the journal, nothing applied yet. */
	initial(withHistory: boolean): ReplayState {
		const engine = new Engine(this.journal.engine);
		const hasTimers = this.journal.clocks === null && this.journal.events.some((e) => e.type === 'timer');
		const state: ReplayState = {
			engine,
			history: withHistory ? new BoardHistory(engine) : null,
			timers: new TimerQueue(),
			ownTimers: hasTimers ? new Set() : null,
			next: 0,
			// an infinite step (no board to draw) means no samples at all
			nextSample: Number.isFinite(this.sampleEveryMs) ? firstSample(this.startMs, this.sampleEveryMs) : Number.POSITIVE_INFINITY,
			at: Number.NEGATIVE_INFINITY
		};
		return state;
	}

	/** Moves the state to source time t (never back). */
	runTo(state: ReplayState, t: number, hooks: ReplayHooks = this.hooks): void {
		const events = this.journal.events;
		const clocks = this.journal.clocks;
		const due = this.due;
		const n = events.length;
		const engine = state.engine;
		const sink = this.sink;
		sink.timers = state.timers;
		sink.own = state.ownTimers;
		for (;;) {
			const te = state.next < n ? (due[state.next] as number) : Number.POSITIVE_INFINITY;
			const tt = state.timers.nextAt;
			const ts = state.nextSample;
			if (ts <= tt && ts <= te) {
				if (ts > t) break;
				if (clocks !== null) engine.advance(ts);
				state.history?.sample(ts);
				hooks.sample?.(ts);
				state.nextSample = ts + this.sampleEveryMs;
			} else if (tt <= te) {
				if (tt >= t) break;
				const timer = state.timers.pop() as EngineTimer;
				const refused = engine.stepInto(timer, sink);
				if (refused === null) this.accepted(state, timer, hooks);
				else hooks.rejected?.(-1, refused.reason, refused.detail);
			} else {
				if (te >= t) break;
				const i = state.next++;
				const e = events[i] as HeatEvent;
				// the recording engine's own timer: ours, with the same id, went at the same time
				if (e.type === 'timer' && state.ownTimers?.has(e.id)) continue;
				if (clocks !== null) engine.advance(clocks[i] as number);
				const refused = engine.stepInto(e, sink);
				if (refused === null) this.accepted(state, e, hooks);
				else hooks.rejected?.(i, refused.reason, refused.detail);
			}
		}
		if (t > state.at) state.at = t;
	}

	/** events left to apply */
	remaining(state: ReplayState): number {
		return this.journal.events.length - state.next;
	}

	private accepted(state: ReplayState, e: HeatEvent, hooks: ReplayHooks): void {
		state.history?.event(e);
		hooks.event?.(e);
	}
}

/** Receives the engine's timers; an observe-mode engine makes no decisions of its own to act on. */
class TimerSink implements DecisionSink {
	timers = new TimerQueue();
	own: Set<string> | null = null;
	/** false for a live journal: it delivers the timers itself */
	keep = true;
	offered(): void {}
	answered(): void {}
	ringNoAnswer(): void {}
	overflowed(): void {}
	callbackRequested(): void {}
	schedule(at: number, timer: EngineTimer): void {
		if (!this.keep) return;
		this.timers.push(at, timer);
		this.own?.add(timer.id);
	}
}

/**
 * When each event is applied, a non-decreasing sequence so a seek can stop at a time: an event
 * stamped more than a day past everything before it (a broken clock) is applied where the day
 * stands, for the engine to refuse as 'future', rather than holding back every event after it;
 * an event earlier than the ones before it pulls them to its time, for the engine to take as late
 * (or refuse as stale), in file order.
 */
export function dueTimes(events: readonly HeatEvent[]): Float64Array {
	const n = events.length;
	const due = new Float64Array(n);
	let hi = Number.NEGATIVE_INFINITY;
	for (let i = 0; i < n; i++) {
		const t = (events[i] as HeatEvent).t;
		const f = hi > Number.NEGATIVE_INFINITY && t > hi + DAY ? hi : t;
		due[i] = f;
		if (f > hi) hi = f;
	}
	for (let i = n - 2; i >= 0; i--) if ((due[i] as number) > (due[i + 1] as number)) due[i] = due[i + 1] as number;
	return due;
}

/**
 * When each record of a live journal is applied: its clock, held at the latest clock before it.
 * A timer is recorded at its due time, which may be ahead of the wall clock of the records after
 * it; the live engine's clock never went back for those, so neither does the replay's.
 */
export function clockTimes(clocks: Float64Array): Float64Array {
	const due = new Float64Array(clocks.length);
	let hi = Number.NEGATIVE_INFINITY;
	for (let i = 0; i < clocks.length; i++) {
		const c = clocks[i] as number;
		if (c > hi) hi = c;
		due[i] = hi;
	}
	return due;
}
