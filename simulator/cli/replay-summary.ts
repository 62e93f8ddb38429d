import type { Engine } from '../../src/lib/engine/engine';
import { Counters } from '../../src/lib/engine/metrics/counters';
import { SUMMARY_VERSION, totalsOf, type IntervalSummary, type RunSummary, type Totals } from '../core/summary';

export interface ReplayRun {
	/** what the summary calls the run: the journal's file name */
	name: string;
	/** the journal header's seed (a simulator's journal), else 0 */
	seed: number;
	/** the replayed span of source time */
	startMs: number;
	endMs: number;
	/** no scenario says what an agent hour costs: 0 unless given */
	costPerAgentHour?: number;
}

const hhmm = (ms: number): string => {
	const m = ((Math.floor(ms / 60_000) % 1440) + 1440) % 1440;
	return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};

/**
 * The simulator's summary JSON (RunSummary, one replication) of a replayed day, from the engine's
 * own metrics: there is no scenario and no warm-up, so the intervals are the engine's (aligned to its
 * `dayStartMs`) that the replay spans, and the totals their sum. `index` is the engine's interval
 * index; the engine should have been advanced to `endMs` so agent time is counted to the end.
 */
export function summarizeReplay(engine: Engine, run: ReplayRun): RunSummary {
	const cost = run.costPerAgentHour ?? 0;
	const intervalMs = engine.config.intervalMinutes * 60_000;
	const day0 = engine.config.dayStartMs;
	const first = Math.floor((run.startMs - day0) / intervalMs);
	const last = Math.max(first, Math.ceil((run.endMs - day0) / intervalMs) - 1);
	const measured = (intervals: ReadonlyMap<number, Counters>): Counters => {
		const sum = new Counters();
		for (let i = first; i <= last; i++) intervals.get(i)?.addInto(sum);
		return sum;
	};
	const queues: Record<string, Totals> = {};
	for (const q of engine.queues.values()) queues[q.id] = totalsOf(measured(q.scope.intervals), cost);
	const all = engine.all.intervals; // a copy per read: read once
	const intervals: IntervalSummary[] = [];
	for (let i = first; i <= last; i++)
		intervals.push({ index: i, start: hhmm(day0 + i * intervalMs), totals: totalsOf(all.get(i) ?? new Counters(), cost) });
	return {
		v: SUMMARY_VERSION,
		scenario: run.name,
		seed: run.seed,
		replications: 1,
		horizonSeconds: (run.endMs - run.startMs) / 1000,
		warmupSeconds: 0,
		totals: totalsOf(measured(all), cost),
		queues,
		intervals
	};
}
