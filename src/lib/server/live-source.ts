import type { Engine } from '../engine/engine';
import type { BoardSource, ControlMessage } from '../board/source';
import { SERIES_STEP_MS, type SourceInfo } from '../protocol';
import { createSimulation, type Simulation } from '../../../simulator/core/simulate';
import type { Scenario } from '../../../simulator/scenario/types';
import { SampleClock } from './sample-clock';
import { ListenedSource, type PlayedSourceOptions } from './source-listeners';
import { clock } from './time-of-day';

const HOUR = 3_600_000;
export const DEFAULT_WARM_START_MS = 10 * HOUR;

export interface LiveSourceOptions extends PlayedSourceOptions {
	scenario: Scenario;
	/** the first day's seed (default: the scenario's); day n runs on seed + n */
	seed?: number;
	/** time of day the first day is shown from, simulated instantly up to it (default 10:00) */
	warmStartMs?: number;
}

/**
 * Where the first day starts: the wanted time of day if the scenario runs then, else two hours
 * into the scenario (enough history for the trend), else its start.
 */
export function warmStartFor(scenario: Scenario, wantedMs: number = DEFAULT_WARM_START_MS): number {
	const start = scenario.startMs;
	const end = start + scenario.horizonMs;
	if (wantedMs >= start && wantedMs < end) return wantedMs;
	if (start + 2 * HOUR < end) return start + 2 * HOUR;
	return start;
}

/**
 * The default board source: a scenario simulated at wall-clock speed × `speed`. The first day is
 * simulated instantly from the scenario's start to the warm start, so a board opens on a day in
 * progress with its trend and heatmap filled; then source time follows the wall clock. At the
 * horizon a new day starts (a new engine, the next seed) at the scenario's start. Days that went
 * by with nobody watching are skipped rather than simulated.
 *
 * It is pulled, not timed: `advance()` catches up with the wall clock, so it costs nothing while
 * no board is open.
 */
export class LiveSource extends ListenedSource implements BoardSource {
	private readonly scenario: Scenario;
	private readonly baseSeed: number;
	private readonly warmStartMs: number;
	private readonly wallNow: () => number;
	private readonly log: (line: string) => void;
	private sim: Simulation;
	private day = 0;
	private started = false;
	private paused = false;
	private speed: number;
	/** source time = anchorClock + (wall - anchorWall) × speed */
	private anchorWall = 0;
	private anchorClock: number;
	private readonly samples: SampleClock;

	constructor(options: LiveSourceOptions) {
		super();
		this.scenario = options.scenario;
		this.speed = options.speed ?? 1;
		if (!(this.speed > 0) || !Number.isFinite(this.speed)) throw new Error(`speed must be a positive number, got ${this.speed}`);
		this.baseSeed = options.seed ?? options.scenario.seed;
		this.wallNow = options.wallNow ?? Date.now;
		this.log = options.log ?? (() => {});
		const wanted = options.warmStartMs ?? DEFAULT_WARM_START_MS;
		this.warmStartMs = warmStartFor(this.scenario, wanted);
		if (this.warmStartMs !== wanted)
			this.log(`warm start ${clock(wanted)} is outside "${this.scenario.name}" (${this.hours()}): starting at ${clock(this.warmStartMs)}`);
		this.sim = this.newSimulation();
		this.anchorClock = this.warmStartMs;
		this.samples = new SampleClock(options.sampleEveryMs ?? SERIES_STEP_MS, this.sim.startMs);
	}

	get engine(): Engine {
		return this.sim.engine;
	}

	/** the day number, 0 for the first */
	get dayNumber(): number {
		return this.day;
	}

	now(): number {
		return this.sim.now;
	}

	info(): SourceInfo {
		return { kind: 'simulator', name: this.scenario.name, speed: this.speed, paused: this.paused };
	}

	advance(): void {
		const wall = this.wallNow();
		if (!this.started) {
			this.started = true;
			this.anchorWall = wall;
			this.log(`simulating "${this.scenario.name}" (seed ${this.seed()}) from ${clock(this.sim.startMs)} to ${clock(this.warmStartMs)}`);
			this.emitDay();
		}
		let target = this.position(wall);
		while (target >= this.sim.endMs) {
			this.runTo(this.sim.endMs);
			// the next day starts where this one ended, on the wall clock too
			this.anchorWall += (this.sim.endMs - this.anchorClock) / this.speed;
			this.anchorClock = this.scenario.startMs;
			this.day++;
			target = this.position(wall);
			const skipped = Math.floor((target - this.scenario.startMs) / this.scenario.horizonMs);
			if (skipped > 0) {
				this.day += skipped;
				this.anchorWall += (skipped * this.scenario.horizonMs) / this.speed;
				target = this.position(wall);
			}
			this.sim = this.newSimulation();
			this.samples.restart(this.sim.startMs);
			this.log(`new day ${this.day} of "${this.scenario.name}" (seed ${this.seed()})`);
			this.emitDay();
		}
		this.runTo(target);
	}

	/**
	 * Pause, play and speed move the anchors only: the simulation itself moves in `advance()` alone,
	 * so whoever calls it sees every change of the engine there.
	 */
	control(msg: ControlMessage): string | null {
		const wall = this.wallNow();
		switch (msg.action) {
			case 'pause':
				if (!this.paused) {
					if (this.started) this.anchorClock = this.position(wall);
					this.paused = true;
				}
				return null;
			case 'play':
				if (this.paused) {
					this.paused = false;
					this.anchorWall = wall;
				}
				return null;
			case 'speed': {
				const v = msg.value;
				if (v === undefined || !(v > 0) || !Number.isFinite(v)) return `speed needs a positive value, got ${String(v)}`;
				if (this.started && !this.paused) {
					this.anchorClock = this.position(wall);
					this.anchorWall = wall;
				}
				this.speed = v;
				return null;
			}
			case 'seek':
				return 'the simulator cannot seek: it runs forward from its warm start';
		}
	}

	/** Where source time should be at this wall time (not before the first advance). */
	private position(wall: number): number {
		return this.paused ? this.anchorClock : this.anchorClock + (wall - this.anchorWall) * this.speed;
	}

	/** Simulates up to t, stopping at each sample instant on the way. */
	private runTo(t: number): void {
		this.samples.through(t, this.sampleAt);
		this.sim.runUntil(t);
	}

	private readonly sampleAt = (s: number): void => {
		this.sim.runUntil(s);
		this.listeners.sample(s);
	};

	private seed(): number {
		return this.baseSeed + this.day;
	}

	private newSimulation(): Simulation {
		return createSimulation(this.scenario, {
			seed: this.seed(),
			onEvent: (e) => this.listeners.event(e)
		});
	}

	private emitDay(): void {
		this.listeners.day(this.sim.engine);
	}

	private hours(): string {
		return `${clock(this.scenario.startMs)}-${clock(this.scenario.startMs + this.scenario.horizonMs)}`;
	}
}

export function createLiveSource(options: LiveSourceOptions): LiveSource {
	return new LiveSource(options);
}
