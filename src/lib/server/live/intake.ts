import { Engine, type EngineOptions, type StepResult } from '../../engine/engine';
import type { EngineConfigInput } from '../../engine/config';
import type { EngineTimer, HeatEvent } from '../../engine/events';
import { TimerQueue } from '../timer-queue';

/**
 * The engine that decides, before anything is journaled, whether the board's engine would accept
 * an event: the engine has no dry run, and its rules (duplicates, reorder window, unknown calls,
 * transitions) live in its handlers, so the only exact test is to step a second engine that has
 * seen exactly the same journal. It also keeps the timers the engine schedules, to be delivered as
 * journaled events of their own.
 *
 * Each step is `advance(clock)` then `step(event)`: a journal record (event + clock) replays into
 * another engine as the very same two calls, which is why both engines stay identical.
 */
export class Intake {
	readonly engine: Engine;
	private readonly timers = new TimerQueue();

	constructor(config: EngineConfigInput, options: EngineOptions) {
		this.engine = new Engine(config, options);
	}

	get pendingTimers(): number {
		return this.timers.size;
	}

	step(event: HeatEvent, clock: number): StepResult {
		this.engine.advance(clock);
		const r = this.engine.step(event);
		if (!r.accepted) return r;
		// a replayed journal delivers timers itself: the one it names is no longer pending
		if (event.type === 'timer') this.timers.remove(event.id);
		for (const f of r.effects) if (f.kind === 'schedule') this.timers.push(f.at, f.event);
		return r;
	}

	/** The next timer due at or before t, taken off the queue (the caller steps it). */
	nextDue(t: number): { at: number; event: EngineTimer } | undefined {
		return this.timers.popDue(t);
	}

	/** Time passes with no event: the clock moves to t (timers due by then must have been taken first). */
	advance(t: number): void {
		this.engine.advance(t);
	}
}
