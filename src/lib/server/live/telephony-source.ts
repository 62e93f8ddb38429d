import { Engine, type EngineOptions } from '../../engine/engine';
import type { EngineConfigInput, QueueConfigInput } from '../../engine/config';
import type { AgentState, HeatEvent } from '../../engine/events';
import { parseEvent, type ParseResult } from '../../engine/schema';
import type { BoardSource, ControlMessage } from '../../board/source';
import { SERIES_STEP_MS, type SourceInfo } from '../../protocol';
import type { EventSink, IngestRejection, IngestResult } from '../adapters/types';
import { JournalError } from '../../../../simulator/import/journal';
import { JournalWriter, type JournalRecord } from './journal-writer';
import { readDayJournal } from './day-journal';
import { Intake } from './intake';
import { IngestStats, clip, type IngestStatsView } from './ingest-stats';
import { dayOfDate, localDay, type DayClock, type LocalDay } from './local-day';
import { BoardFeed } from './board-feed';
import type { DayListener } from '../source-listeners';

/** Engine settings a live source takes: every queue is observed (the phone system routes), days are the source's. */
export type LiveEngineConfig = Omit<EngineConfigInput, 'defaultMode' | 'dayStartMs' | 'tzOffsetMinutes'>;

export interface TelephonySourceOptions {
	/** the phone system, as the board names it */
	name: string;
	journalDir: string;
	/** names the journal files and their headers' source (default: the name, made file-safe) */
	journalSource?: string;
	/** the wall clock (Date.now in production) */
	now: () => number;
	/** minutes added to UTC for the phone system's local time (default 0) */
	tzOffsetMinutes?: number;
	/** the day starts this many minutes after local midnight (default 0) */
	dayStartMinutes?: number;
	engine?: LiveEngineConfig;
	/**
	 * Events further ahead of the wall clock are refused as 'future' (default 60 s). The engine's own
	 * default (a day) suits recorded data; live, a phone clock minutes ahead would drag the engine
	 * clock along and make every correct event after it stale.
	 */
	maxAheadMs?: number;
	sampleEveryMs?: number;
	fsyncEveryMs?: number;
	fsyncEveryRecords?: number;
	log?: (line: string) => void;
	/** after the first rejection of a reason from a kind of origin, log it at most this often (default 60 s) */
	logEveryMs?: number;
	/** after a journal failure, try again at most this often (default 5 s) */
	journalRetryMs?: number;
}

export interface LiveStats extends IngestStatsView {
	name: string;
	/** the local day the source is on */
	day: string;
	journal: {
		dir: string;
		file: string | null;
		/** records written since start (inputs, timers, agents carried into a new day) */
		written: number;
		/** set while the journal cannot be written: input is refused until it can */
		error: string | null;
		syncError: string | null;
		tornRepaired: number;
	};
	/** what the start rebuilt from today's journal */
	rebuilt: { file: string; records: number; skipped: number } | null;
	/** timers the engine scheduled and the source delivered (journaled like inputs) */
	timers: number;
	/** records journaled but not yet applied to the board's engine (it moves in advance()) */
	pending: number;
}

/** journaled records the board has not applied; past this they are applied without waiting for advance() */
const MAX_PENDING = 250_000;

/**
 * A phone system's live events on the board. Adapters hand events to `ingest`; each one is
 * validated, tested against the engine's rules on an intake engine, journaled (synchronously) and
 * only then queued for the board's engine, which applies the queue in `advance()`. The board's
 * engine therefore only ever holds journaled events, in journal order, and moves only when the hub
 * pulls, as with the simulator. Its clock is the wall clock: time passes even with no events.
 *
 * Restarting on the same journal directory rebuilds today's state from today's file.
 */
export class TelephonySource implements BoardSource, EventSink {
	private readonly name: string;
	private readonly wallNow: () => number;
	private readonly dayClock: DayClock;
	private readonly engineInput: LiveEngineConfig;
	private readonly engineOptions: EngineOptions;
	private readonly maxAheadMs: number;
	private readonly log: (line: string) => void;
	private readonly retryMs: number;
	private readonly writer: JournalWriter;
	private readonly counters: IngestStats;
	private day: LocalDay;
	private intake: Intake;
	private readonly feed: BoardFeed;
	private lastNow = Number.NEGATIVE_INFINITY;
	private started = false;
	private closed = false;
	private journalError: string | null = null;
	private failedAt = 0;
	private rebuilt: LiveStats['rebuilt'] = null;
	private timersDelivered = 0;

	constructor(options: TelephonySourceOptions) {
		this.name = options.name;
		this.wallNow = options.now;
		this.dayClock = { tzOffsetMinutes: options.tzOffsetMinutes ?? 0, dayStartMinutes: options.dayStartMinutes ?? 0 };
		for (const [k, v] of Object.entries(this.dayClock))
			if (!Number.isInteger(v)) throw new Error(`live source: ${k} must be a whole number of minutes, got ${v}`);
		this.engineInput = observeOnly(options.engine ?? {});
		this.maxAheadMs = options.maxAheadMs ?? 60_000;
		this.engineOptions = { maxAheadMs: this.maxAheadMs, clock: () => performance.now() };
		this.log = options.log ?? (() => {});
		this.retryMs = options.journalRetryMs ?? 5000;
		this.counters = new IngestStats(this.log, options.logEveryMs ?? 60_000);
		const dayClock = this.dayClock;
		this.writer = new JournalWriter({
			dir: options.journalDir,
			source: options.journalSource ?? fileSafe(options.name),
			fsyncEveryMs: options.fsyncEveryMs ?? 1000,
			fsyncEveryRecords: options.fsyncEveryRecords ?? 256,
			header: (date) => ({ name: this.name, ...dayClock, engine: this.engineConfig(dayOfDate(date, dayClock)) })
		});
		this.day = localDay(this.clockNow(), this.dayClock);
		// checks the engine config once, here, rather than at the first event
		this.intake = new Intake(this.engineConfig(this.day), this.engineOptions);
		const step = options.sampleEveryMs ?? SERIES_STEP_MS;
		this.feed = new BoardFeed(
			(day) => new Engine(this.engineConfig(day), this.engineOptions),
			this.day,
			step,
			(l) => this.log(`live "${this.name}": ${l}`)
		);
	}

	get engine(): Engine {
		return this.feed.engine;
	}

	/**
	 * Rebuilds today's state from today's journal, if there is one (the first `advance` or `ingest`
	 * does it when not called before; call it at boot, so a journal that cannot be read stops the
	 * server with the reason). Its records are applied to the board's engine at the first
	 * `advance`, reported as events and samples like live ones, so the board's history fills too.
	 * Throws if the file is another source's or not a journal.
	 */
	start(): void {
		if (this.started) return;
		const loaded = this.loadDay(this.day);
		this.started = true;
		this.intake = loaded.intake;
		for (const record of loaded.records) this.feed.push(record);
		if (loaded.found) {
			this.rebuilt = { file: loaded.file, records: loaded.records.length, skipped: loaded.skipped };
			const skipped = loaded.skipped > 0 ? `, ${loaded.skipped} bad line(s) skipped` : '';
			this.log(`live "${this.name}": rebuilt ${this.day.date} from ${loaded.file}: ${loaded.records.length} events${skipped}`);
		}
	}

	now(): number {
		return this.feed.now();
	}

	info(): SourceInfo {
		return { kind: 'live', name: this.name, speed: 1, paused: false };
	}

	advance(): void {
		this.start();
		const now = this.clockNow();
		if (!this.closed) {
			this.intakeTo(now);
			if (this.journalError !== null) this.recover(now);
			this.writer.flush();
		}
		this.feed.pull(now);
	}

	control(msg: ControlMessage): string | null {
		switch (msg.action) {
			case 'play':
				return null;
			case 'pause':
				return `"${this.name}" is live: it cannot pause (a recorded day can be replayed)`;
			case 'speed':
				return `"${this.name}" is live: it runs at the phone system's own speed, 1x`;
			case 'seek':
				return `"${this.name}" is live: it cannot seek (a recorded day can be replayed)`;
			default:
				return `"${this.name}" is live: it takes no controls`;
		}
	}

	onEvent(listener: (e: HeatEvent) => void): () => void {
		return this.feed.onEvent(listener);
	}

	onSample(listener: (t: number) => void): () => void {
		return this.feed.onSample(listener);
	}

	onDay(listener: DayListener): () => void {
		return this.feed.onDay(listener);
	}

	/** One candidate event from an adapter: refused with a reason, or journaled and queued for the board. Never throws. */
	ingest(raw: unknown, origin: string): IngestResult {
		const now = this.clockNow();
		if (this.closed) return this.refuse('closed', 'the live source is closed', origin, now);
		if (!this.started) {
			try {
				this.start();
			} catch (err) {
				// start() at boot says this once and loudly; an adapter started before it gets a refusal
				return this.refuse('journal', `today's journal cannot be read: ${message(err)}`, origin, now);
			}
		}
		this.intakeTo(now);
		if (this.journalError !== null && !this.recover(now))
			return this.refuse('journal', `cannot be journaled: ${this.journalError}`, origin, now);
		let parsed: ParseResult;
		try {
			parsed = parseEvent(raw);
		} catch (err) {
			// zod reads what it is given: an object whose getters throw ends here
			parsed = { ok: false, reason: 'invalid', detail: `unreadable event: ${message(err)}` };
		}
		if (!parsed.ok) return this.refuse('invalid', parsed.detail, origin, now);
		const e = parsed.event;
		// measured from the wall clock, not the engine's (which accepted events ahead may already have
		// moved on), and before any timer: the timers due by its time would move the clock for an
		// event then refused
		if (e.t > now + this.maxAheadMs)
			return this.refuse('future', `${e.type} ${e.id}: t=${e.t} is more than ${this.maxAheadMs} ms ahead of the wall clock`, origin, now);
		// its timestamp says its time has come: timers due by then go first (not for a broken clock far ahead)
		if (!this.intake.engine.isTooFarAhead(e.t) && !this.deliverTimers(e.t))
			return this.refuse('journal', `cannot be journaled: ${this.journalError ?? ''}`, origin, now);
		const r = this.intake.step(e, now);
		if (!r.accepted) return this.refuse(r.reason, r.detail, origin, now);
		if (!this.take({ event: e, clock: now })) return this.refuse('journal', `cannot be journaled: ${this.journalError ?? ''}`, origin, now);
		this.counters.accept(origin, now, e);
		if (this.feed.pending > MAX_PENDING) this.feed.drain();
		return { ok: true };
	}

	/** Something an adapter refused before it became an event: counted and logged like the source's own rejections. */
	reject(rejection: IngestRejection, origin: string): void {
		this.counters.reject(rejection.reason, rejection.detail, origin, this.clockNow());
	}

	stats(): LiveStats {
		return {
			name: this.name,
			day: this.day.date,
			...this.counters.view(),
			journal: {
				dir: this.writer.dir,
				file: this.writer.file,
				written: this.writer.written,
				error: this.journalError,
				syncError: this.writer.syncError,
				tornRepaired: this.writer.tornRepaired
			},
			rebuilt: this.rebuilt === null ? null : { ...this.rebuilt },
			timers: this.timersDelivered,
			pending: this.feed.pending
		};
	}

	/** Syncs and closes the journal; input is refused from now on (the board can still be read). Idempotent. */
	close(): void {
		if (this.closed) return;
		this.closed = true;
		try {
			this.writer.close();
		} catch (err) {
			this.log(`live "${this.name}": closing the journal failed: ${message(err)}`);
		}
	}

	// ---------------------------------------------------------------- intake side

	/** The wall clock, never going back (a clock stepped back by NTP must not undo time). */
	private clockNow(): number {
		const t = this.wallNow();
		if (t > this.lastNow) this.lastNow = t;
		return this.lastNow;
	}

	/** Brings the intake to `now`: the day's remaining timers and a new day at the boundary, then timers due by now. */
	private intakeTo(now: number): void {
		while (now >= this.day.endMs) {
			this.deliverTimers(this.day.endMs - 1);
			this.rollDay(localDay(now, this.dayClock));
		}
		this.deliverTimers(now);
		this.intake.advance(now);
	}

	/** Steps, journals and queues every timer due by t. False when the journal failed. */
	private deliverTimers(t: number): boolean {
		for (;;) {
			if (this.journalError !== null) return false;
			const due = this.intake.nextDue(t);
			if (due === undefined) return true;
			const r = this.intake.step(due.event, due.at);
			if (!r.accepted) {
				this.log(`live "${this.name}": the engine refused its own timer ${due.event.id}: ${r.detail}`);
				continue;
			}
			if (!this.take({ event: due.event, clock: due.at })) return false;
			this.timersDelivered++;
		}
	}

	/** Journals a record the intake accepted, then queues it for the board. False (and the source refuses input) if it could not be written. */
	private take(record: JournalRecord): boolean {
		try {
			this.writer.append(this.day.date, record);
		} catch (err) {
			this.failJournal(err);
			return false;
		}
		this.feed.push(record);
		return true;
	}

	/**
	 * The intake has now applied an event the journal does not hold, so it no longer matches the
	 * board: input is refused until `recover` rebuilds it from the journal.
	 */
	private failJournal(err: unknown): void {
		this.journalError = message(err);
		this.failedAt = this.lastNow;
		this.log(`live "${this.name}": JOURNAL FAILED, refusing input until it can be written: ${this.journalError}`);
		try {
			this.writer.close();
		} catch {
			// the file is reopened (and its torn line ended) on the next attempt anyway
		}
	}

	/** At most every retry interval: rebuild the intake from the journal file, the state the board has. */
	private recover(now: number): boolean {
		if (now - this.failedAt < this.retryMs) return false;
		this.failedAt = now;
		try {
			this.intake = this.loadDay(this.day).intake;
		} catch (err) {
			this.journalError = message(err);
			return false;
		}
		this.log(`live "${this.name}": journal back, intake rebuilt from ${this.writer.pathFor(this.day.date)}`);
		this.journalError = null;
		return true;
	}

	/**
	 * A new day: a new intake engine and journal file, the board told through the queue. Agents still
	 * logged in are carried over (as journaled state events at the day's start), or the board would
	 * show nobody until each agent's next state change; one on a call starts the day available, as
	 * the call belongs to the day before.
	 */
	private rollDay(next: LocalDay): void {
		const old = this.intake.engine;
		this.day = next;
		this.intake = new Intake(this.engineConfig(next), this.engineOptions);
		this.feed.pushDay(next);
		this.log(`live "${this.name}": new day ${next.date}`);
		let n = 0;
		for (const a of old.agents.values()) {
			if (a.state === 'offline') continue;
			const state = a.state === 'busy' || a.state === 'wrap-up' ? 'available' : a.state;
			const e: AgentState = { type: 'agent.state', id: `day-start-${++n}`, t: next.startMs, agentId: a.id, state, skills: { ...a.skills } };
			if (a.name !== undefined) e.name = a.name;
			if (a.reason !== undefined && state === a.state) e.reason = a.reason;
			const r = this.intake.step(e, next.startMs);
			if (r.accepted && !this.take({ event: e, clock: next.startMs })) return;
		}
	}

	/** A fresh intake replaying a day's journal, and the records it accepted (all of them, unless the config changed). */
	private loadDay(day: LocalDay): { intake: Intake; records: JournalRecord[]; file: string; found: boolean; skipped: number } {
		const file = this.writer.pathFor(day.date);
		const intake = new Intake(this.engineConfig(day), this.engineOptions);
		const j = readDayJournal(file);
		if (j === null) return { intake, records: [], file, found: false, skipped: 0 };
		if (j.header.source !== this.writer.source)
			throw new JournalError(
				`${file}:1: the journal is of source "${j.header.source}", this server's is "${this.writer.source}": refusing to rebuild from it`
			);
		if (JSON.stringify(j.header.engine) !== JSON.stringify(this.engineConfig(day)))
			this.log(`live "${this.name}": ${file} was written with another engine config; rebuilding with the current one`);
		const now = this.lastNow;
		for (const b of j.bad) {
			const reason = j.torn && b.line === j.bad[j.bad.length - 1]?.line ? 'journal-torn' : 'journal-bad-line';
			this.counters.reject(reason, b.detail, `journal:${file}:${b.line}`, now);
		}
		const records: JournalRecord[] = [];
		let skipped = j.bad.length;
		for (const rec of j.records) {
			const r = intake.step(rec.event, rec.clock);
			if (r.accepted) records.push(rec);
			else {
				skipped++;
				this.counters.reject(r.reason, r.detail, `journal:${file}`, now);
			}
		}
		return { intake, records, file, found: true, skipped };
	}

	private engineConfig(day: LocalDay): EngineConfigInput {
		return { ...this.engineInput, defaultMode: 'observe', dayStartMs: day.startMs, tzOffsetMinutes: this.dayClock.tzOffsetMinutes };
	}

	private refuse(reason: string, detail: string, origin: string, now: number): IngestResult {
		this.counters.reject(reason, detail, origin, now);
		return { ok: false, reason, detail: clip(detail) };
	}
}

/** Queues of a live source are observed: a queue config naming route mode is a mistake, said at once. */
function observeOnly(input: LiveEngineConfig): LiveEngineConfig {
	const queues = (input.queues ?? []).map((q): QueueConfigInput => {
		if (q.mode === 'route') throw new Error(`live source: queue "${q.id}" says mode route, but the phone system routes: use observe`);
		return { ...q, mode: 'observe' };
	});
	return { ...input, queues };
}

/** A display name as a journal source: lower case, runs of other characters as '-'. */
export function fileSafe(name: string): string {
	const s = name
		.toLowerCase()
		.replace(/[^a-z0-9._-]+/g, '-')
		.replace(/^[-.]+|-+$/g, '')
		.slice(0, 64);
	return s === '' ? 'live' : s;
}

function message(err: unknown): string {
	return err instanceof Error ? err.message : String(err);
}
