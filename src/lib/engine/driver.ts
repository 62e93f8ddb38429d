import type { Engine, StepResult } from './engine';
import type { EngineTimer, HeatEvent } from './events';
import { KeyedHeap, type HeapItem } from './util/heap';
import { parseEvent } from './schema';

interface Pending extends HeapItem {
	event: EngineTimer;
}

export interface LoggedEvent {
	/** where it came from: the source, the engine's own decision, or a timer it had scheduled */
	origin: 'input' | 'decision' | 'timer';
	event: HeatEvent;
}

export interface Rejected {
	event: unknown;
	reason: string;
	detail: string;
}

/**
 * Runs a time-ordered stream of events through an engine and delivers the timers it schedules when
 * their time comes, the way a live server or the simulator does. Keeps the log of everything the
 * engine accepted (inputs, decisions, timers) and of what it rejected.
 */
export class Driver {
	readonly log: LoggedEvent[] = [];
	readonly rejected: Rejected[] = [];
	private readonly timers = new KeyedHeap<Pending>();
	private seq = 0;

	constructor(
		readonly engine: Engine,
		private readonly keepLog = true
	) {}

	/**
	 * Timers due at or before the event's time go first, then the event. Raw objects are validated
	 * first, so junk (whatever its stamp) never makes timers fire; typed events are trusted.
	 */
	push(e: HeatEvent | unknown, validate = true): StepResult {
		let event: HeatEvent;
		if (validate) {
			const parsed = parseEvent(e);
			if (!parsed.ok) {
				const r = this.engine.ingest(e); // rejects it and counts it
				this.record(r, e, 'input');
				return r;
			}
			event = parsed.event;
		} else event = e as HeatEvent;
		// a broken clock far ahead must not make every pending timer fire before its rejection
		if (!this.engine.isTooFarAhead(event.t)) this.runUntil(event.t);
		const r = this.engine.step(event);
		this.record(r, event, 'input');
		return r;
	}

	pushAll(events: Iterable<unknown>): void {
		for (const e of events) this.push(e);
	}

	/** Delivers every timer due at or before t. */
	runUntil(t: number): void {
		for (;;) {
			const top = this.timers.peek();
			if (top === undefined || top.k1 > t) return;
			this.timers.pop();
			const r = this.engine.step(top.event);
			this.record(r, top.event, 'timer');
		}
	}

	get pendingTimers(): number {
		return this.timers.size;
	}

	private record(r: StepResult, e: unknown, origin: 'input' | 'timer'): void {
		if (!r.accepted) {
			this.rejected.push({ event: e, reason: r.reason, detail: r.detail });
			return;
		}
		if (this.keepLog) this.log.push({ origin, event: e as HeatEvent });
		for (const f of r.effects) {
			if (f.kind === 'emit') {
				if (this.keepLog) this.log.push({ origin: 'decision', event: f.event });
			} else this.timers.push({ k1: f.at, k2: 0, k3: ++this.seq, pos: -1, event: f.event });
		}
	}
}
