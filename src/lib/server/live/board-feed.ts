import type { Engine } from '../../engine/engine';
import { SampleClock } from '../sample-clock';
import { ListenedSource } from '../source-listeners';
import type { JournalRecord } from './journal-writer';
import type { LocalDay } from './local-day';

type Item = { kind: 'record'; record: JournalRecord } | { kind: 'day'; day: LocalDay };

/**
 * The board's side of a live source: the journaled records, queued, and applied to the board's
 * engine only when the hub pulls (so, as with the simulator, the engine a board reads moves in
 * `advance()` alone). Each record is `advance(clock)` then `step(event)`, exactly what the intake
 * did, so the board's engine is the journal replayed; on the way it reports events, a sample every
 * step of source time, and each new day.
 */
export class BoardFeed extends ListenedSource {
	private board: Engine;
	private day: LocalDay;
	private queue: Item[] = [];
	private readonly samples: SampleClock;
	private reached: number;
	private announced = false;

	constructor(
		private readonly makeEngine: (day: LocalDay) => Engine,
		day: LocalDay,
		step: number,
		private readonly log: (line: string) => void
	) {
		super();
		this.board = makeEngine(day);
		this.day = day;
		this.samples = new SampleClock(step, day.startMs);
		this.reached = day.startMs;
	}

	get engine(): Engine {
		return this.board;
	}

	/** records (and day changes) queued, not yet on the board */
	get pending(): number {
		return this.queue.length;
	}

	/** source time reached */
	now(): number {
		return Math.max(this.reached, this.board.clock);
	}

	push(record: JournalRecord): void {
		this.queue.push({ kind: 'record', record });
	}

	/** the records after this go to a new engine for `day` */
	pushDay(day: LocalDay): void {
		this.queue.push({ kind: 'day', day });
	}

	/** Brings the board to `now`: the first pull announces the first day, then the queue is applied. */
	pull(now: number): void {
		if (!this.announced) {
			this.announced = true;
			this.emitDay();
		}
		this.drain();
		this.sampleTo(now);
		this.board.advance(now);
		this.reached = Math.max(this.reached, now);
	}

	/** Applies the queue, in order, with samples and days on the way. */
	drain(): void {
		const items = this.queue;
		this.queue = [];
		for (const item of items) {
			if (item.kind === 'day') {
				this.sampleTo(this.day.endMs - 1);
				this.board = this.makeEngine(item.day);
				this.day = item.day;
				this.samples.restart(item.day.startMs);
				this.emitDay();
				continue;
			}
			const { event, clock } = item.record;
			this.sampleTo(clock);
			this.board.advance(clock);
			const r = this.board.step(event);
			if (!r.accepted) {
				// cannot happen while the intake saw the same records; say so loudly if it does
				this.log(`the board's engine refused journaled ${event.type} ${event.id}: ${r.detail}`);
				continue;
			}
			this.listeners.event(event);
		}
	}

	/** Samples up to t, but never past the day: the next day's engine takes its own. */
	private sampleTo(t: number): void {
		this.samples.through(Math.min(t, this.day.endMs - 1), this.sampleAt);
	}

	private readonly sampleAt = (s: number): void => {
		this.board.advance(s);
		this.listeners.sample(s);
	};

	private emitDay(): void {
		this.listeners.day(this.board);
	}
}
