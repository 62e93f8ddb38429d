import type { BoardHistory } from '../../board/history';
import type { BoardSource, ControlMessage } from '../../board/source';
import type { Engine, RejectReason } from '../../engine/engine';
import { SERIES_STEP_MS, type SourceInfo } from '../../protocol';
import { ListenedSource, type PlayedSourceOptions } from '../source-listeners';
import { clock } from '../time-of-day';
import { Checkpoints } from './checkpoints';
import { whereIs, type ReplayJournal } from './journal';
import { ReplayRunner, type ReplayHooks, type ReplayState } from './runner';

export const CHECKPOINT_EVERY_MS = 15 * 60_000;

export interface ReplaySourceOptions extends PlayedSourceOptions {
	journal: ReplayJournal;
	/** where the replay starts, a time of day like every time of a replay (default: the first event's time), clamped to the day */
	fromMs?: number;
	/** start paused at `fromMs` (default: playing) */
	paused?: boolean;
	/** source time between checkpoints (default 15 minutes) */
	checkpointEveryMs?: number;
	/** run through the whole day once at construction to take every checkpoint, so the first seek anywhere is as quick as later ones */
	prebuild?: boolean;
}

/**
 * A recorded day played back on the board: an observe-mode engine fed the journal's events, with
 * source time = anchorClock + (wall - anchorWall) × speed like the simulator's LiveSource, and
 * pause, play, speed and seek for trainers. At the end of the journal it stops, paused; it does
 * not loop.
 *
 * A seek restores the latest checkpoint at or before its target (a deep copy of the engine, the
 * pending timers and the board history) and applies the events from there, then hands the hub the
 * restored engine and history as a new day, so every board gets a fresh snapshot. Checkpoints are
 * taken as the replay passes each multiple of `checkpointEveryMs`, whether playing or seeking
 * forward, or all at once with `prebuild`.
 *
 * Like LiveSource it is pulled: controls move the anchors (and mark a seek), and the engine moves
 * in `advance()` alone.
 */
export class ReplaySource extends ListenedSource implements BoardSource {
	readonly journal: ReplayJournal;
	readonly startMs: number;
	readonly endMs: number;
	private readonly runner: ReplayRunner;
	private readonly checkpoints: Checkpoints;
	private readonly wallNow: () => number;
	private readonly log: (line: string) => void;
	private state: ReplayState;
	private started = false;
	private paused: boolean;
	private speed: number;
	private anchorWall = 0;
	private anchorClock: number;
	private seekPending = false;
	private seekCount = 0;
	private refusalsLogged = false;
	private endLogged = false;
	/** hooks of the replay as it plays: the listeners hear every event and sample */
	private readonly playing: ReplayHooks;
	/** hooks while catching up to a seek's target: the new day's snapshot carries all of it */
	private readonly catchingUp: ReplayHooks;

	constructor(options: ReplaySourceOptions) {
		super();
		this.journal = options.journal;
		this.speed = options.speed ?? 1;
		if (!(this.speed > 0) || !Number.isFinite(this.speed)) throw new Error(`speed must be a positive number, got ${this.speed}`);
		this.paused = options.paused ?? false;
		this.wallNow = options.wallNow ?? Date.now;
		this.log = options.log ?? (() => {});
		const rejected = (i: number, reason: RejectReason, detail: string) => this.refused(i, reason, detail);
		this.playing = { event: (e) => this.listeners.event(e), sample: (t) => this.listeners.sample(t), rejected };
		this.catchingUp = { rejected };
		this.runner = new ReplayRunner(this.journal, options.sampleEveryMs ?? SERIES_STEP_MS, this.catchingUp);
		this.startMs = this.runner.startMs;
		this.endMs = this.runner.endMs;
		this.checkpoints = new Checkpoints(options.checkpointEveryMs ?? CHECKPOINT_EVERY_MS);
		this.state = this.runner.initial(true);
		this.runner.runTo(this.state, this.startMs, this.catchingUp);
		this.checkpoints.take(this.state);
		this.anchorClock = this.clamp(options.fromMs ?? this.startMs);
		if (options.prebuild) this.prebuild();
	}

	get engine(): Engine {
		return this.state.engine;
	}

	/** the board history of the replay's engine (the hub is handed it with each day) */
	get history(): BoardHistory {
		return this.state.history as BoardHistory;
	}

	/** checkpoint times taken so far, ascending */
	get checkpointTimes(): readonly number[] {
		return this.checkpoints.list();
	}

	now(): number {
		return this.state.at;
	}

	info(): SourceInfo {
		return {
			kind: 'replay',
			name: this.journal.name,
			speed: this.speed,
			paused: this.paused,
			replay: { startMs: this.startMs, endMs: this.endMs, positionMs: this.state.at, seeks: this.seekCount }
		};
	}

	advance(): void {
		const wall = this.wallNow();
		if (!this.started) {
			this.started = true;
			this.anchorWall = wall;
			this.seekPending = false;
			this.jump(this.anchorClock);
			this.emitDay();
		}
		if (this.seekPending) {
			this.seekPending = false;
			this.jump(this.anchorClock);
			this.seekCount++;
			this.emitDay();
		}
		let target = this.position(wall);
		if (target >= this.endMs) {
			target = this.endMs;
			if (!this.paused) {
				this.paused = true;
				this.anchorClock = this.endMs;
			}
		}
		this.forward(target, this.playing);
		if (this.state.at >= this.endMs && !this.endLogged) {
			this.endLogged = true;
			this.log(`replay of ${this.journal.name} reached its end (${clock(this.endMs)}): paused`);
		}
	}

	control(msg: ControlMessage): string | null {
		const wall = this.wallNow();
		switch (msg.action) {
			case 'pause':
				if (!this.paused) {
					if (this.started) this.anchorClock = Math.min(this.position(wall), this.endMs);
					this.paused = true;
				}
				return null;
			case 'play':
				// at the end there is nothing left to play: it stays paused there until a seek back
				if (this.paused && this.anchorClock < this.endMs) {
					this.paused = false;
					this.anchorWall = wall;
				}
				return null;
			case 'speed': {
				const v = msg.value;
				if (v === undefined || !(v > 0) || !Number.isFinite(v)) return `speed needs a positive value, got ${String(v)}`;
				if (this.started && !this.paused) {
					this.anchorClock = Math.min(this.position(wall), this.endMs);
					this.anchorWall = wall;
				}
				this.speed = v;
				return null;
			}
			case 'seek': {
				const v = msg.value;
				if (v === undefined || !Number.isFinite(v)) return `seek needs a time of day in ms, got ${String(v)}`;
				this.anchorClock = this.clamp(v);
				this.anchorWall = wall;
				if (this.started) this.seekPending = true;
				if (this.anchorClock < this.endMs) this.endLogged = false;
				return null;
			}
		}
	}

	/** Takes every checkpoint of the day now, on a copy, leaving the replay where it is. */
	prebuild(): void {
		const last = this.checkpoints.list().at(-1) ?? this.startMs;
		const scratch = this.checkpoints.restore(last);
		this.forwardOn(scratch, this.endMs, this.catchingUp);
	}

	/** Moves the replay to exactly t: from the latest checkpoint at or before it, or from where it is when that is nearer. */
	private jump(t: number): void {
		const cp = this.checkpoints.latestAtOrBefore(t);
		const here = this.state.at <= t ? this.state.at : Number.NEGATIVE_INFINITY;
		if (cp !== null && cp > here) this.state = this.checkpoints.restore(cp);
		this.forward(t, this.catchingUp);
	}

	private forward(t: number, hooks: ReplayHooks): void {
		this.forwardOn(this.state, t, hooks);
	}

	/** Runs a state to t, taking the checkpoints it passes on the way. */
	private forwardOn(state: ReplayState, t: number, hooks: ReplayHooks): void {
		const limit = Math.min(t, this.endMs);
		for (let b = this.checkpoints.nextAfter(state.at); b <= limit; b = this.checkpoints.nextAfter(state.at)) {
			this.runner.runTo(state, b, hooks);
			this.checkpoints.take(state);
		}
		this.runner.runTo(state, limit, hooks);
	}

	private position(wall: number): number {
		return this.paused ? this.anchorClock : this.anchorClock + (wall - this.anchorWall) * this.speed;
	}

	private clamp(t: number): number {
		return Math.min(Math.max(t, this.startMs), this.endMs);
	}

	private emitDay(): void {
		this.listeners.day(this.state.engine, this.state.history ?? undefined);
	}

	/** The first refusal is logged with its file and line; the rest are counted by the engine, not logged. */
	private refused(index: number, reason: RejectReason, detail: string): void {
		if (this.refusalsLogged) return;
		this.refusalsLogged = true;
		const where = index >= 0 ? whereIs(this.journal, index) : `${this.journal.path} (a timer)`;
		this.log(`${where}: the engine refused ${detail} (${reason}); further refusals are counted in the board's rejected counts, not logged`);
	}
}
