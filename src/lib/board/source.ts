import type { Engine } from '../engine/engine';
import type { BoardHistory } from './history';
import type { HeatEvent } from '../engine/events';
import type { ClientToServer, SourceInfo } from '../protocol';

export type ControlMessage = Parameters<ClientToServer['control']>[0];

/**
 * Where a board's engine gets its events: the simulator at wall-clock speed, a recorded day, a
 * phone system. The hub pulls: `advance()` brings the source up to the wall clock, and on the way
 * the source reports every event it applies, a sample instant every `sampleEveryMs` of its own
 * time (the engine as of that instant), and every new day (a fresh engine, or a replay's restored
 * one after a seek).
 */
export interface BoardSource {
	/** the current day's engine (a new day replaces it) */
	readonly engine: Engine;
	/** source time reached */
	now(): number;
	info(): SourceInfo;
	/** Moves the source to where the wall clock says it should be. The first call starts the first day. */
	advance(): void;
	/** Applies a trainer's control; returns why it was ignored, or null. */
	control(msg: ControlMessage): string | null;
	/** every event the engine applies, in order; returns a function removing the listener */
	onEvent(listener: (e: HeatEvent) => void): () => void;
	/** source time at each multiple of the sample step, with the engine as of then */
	onSample(listener: (t: number) => void): () => void;
	/**
	 * A new day starts on a new engine, before any of its events. A source that keeps the board
	 * history itself (a replay: it restores one with the engine on a seek) passes it along; the hub
	 * then only reads it, and the engine may already hold the events up to the source's time.
	 */
	onDay(listener: (engine: Engine, history?: BoardHistory) => void): () => void;
}
