import type { BoardSource } from '../board/source';
import type { HeatEvent } from '../engine/events';

export type EventListener = Parameters<BoardSource['onEvent']>[0];
export type SampleListener = Parameters<BoardSource['onSample']>[0];
export type DayListener = Parameters<BoardSource['onDay']>[0];

/** What a source played against the wall clock (a simulated day, a replayed one) takes. */
export interface PlayedSourceOptions {
	/** source ms per wall ms (default 1: as fast as the day ran) */
	speed?: number;
	/** source time between sample instants (default SERIES_STEP_MS) */
	sampleEveryMs?: number;
	/** injectable for tests */
	wallNow?: () => number;
	log?: (line: string) => void;
}

/** The listeners a BoardSource keeps, and the calls that tell them what the source did. */
export class SourceListeners implements Pick<BoardSource, 'onEvent' | 'onSample' | 'onDay'> {
	private readonly events = new Set<EventListener>();
	private readonly samples = new Set<SampleListener>();
	private readonly days = new Set<DayListener>();

	onEvent(listener: EventListener): () => void {
		this.events.add(listener);
		return () => this.events.delete(listener);
	}

	onSample(listener: SampleListener): () => void {
		this.samples.add(listener);
		return () => this.samples.delete(listener);
	}

	onDay(listener: DayListener): () => void {
		this.days.add(listener);
		return () => this.days.delete(listener);
	}

	event(e: HeatEvent): void {
		for (const l of this.events) l(e);
	}

	sample(t: number): void {
		for (const l of this.samples) l(t);
	}

	/** Spread so a listener gets exactly the arguments given: only a replay passes a history. */
	day(...args: Parameters<DayListener>): void {
		for (const l of this.days) l(...args);
	}
}

/**
 * The listening half of a BoardSource, for a source to extend: it keeps the listeners, and the
 * source tells them what it did through `listeners`.
 */
export abstract class ListenedSource implements Pick<BoardSource, 'onEvent' | 'onSample' | 'onDay'> {
	protected readonly listeners = new SourceListeners();

	onEvent(listener: EventListener): () => void {
		return this.listeners.onEvent(listener);
	}

	onSample(listener: SampleListener): () => void {
		return this.listeners.onSample(listener);
	}

	onDay(listener: DayListener): () => void {
		return this.listeners.onDay(listener);
	}
}
