import { availableParallelism } from 'node:os';
import type { Scenario } from '../scenario/types';
import { replicationSeed } from '../random/streams';
import { simulate } from './simulate';
import { meanAndHalfWidth } from './stats';
import { WorkerPool } from './pool';
import { TOTAL_KEYS, type RunSummary, type Totals } from './summary';

export interface ReplicateOptions {
	seed?: number;
	replications: number;
	/** worker threads; 0 runs in this thread (default: one per core, at most one per replication) */
	workers?: number;
	agents?: number;
	onProgress?: (fraction: number) => void;
	/** cancels the run: pending replications are not started and workers are terminated */
	signal?: AbortSignal;
	/** run on this pool (kept open) instead of a pool of its own: a sweep shares one across levels */
	pool?: WorkerPool;
	/** false: summaries without per-interval figures (a sweep reads totals only), less to copy from the workers */
	intervals?: boolean;
	/**
	 * Names this scenario's callers for the workers (a sweep runs one scenario at many staffings):
	 * a worker keeps the callers of each replication seed it drew and replays them for the next
	 * staffing with that seed instead of drawing them again.
	 */
	callersKey?: string;
}

export interface WorkerJob {
	scenario: Scenario;
	seed: number;
	agents: number | undefined;
	/** false: the summary comes back with no intervals */
	intervals?: boolean;
	/** the callers' name: the same for every job of one scenario and seed whatever the staffing */
	callers?: string;
}

/** Field-wise mean of totals and their 95% half-widths. */
function combine(list: Totals[]): { mean: Totals; half: Partial<Record<keyof Totals, number | null>> } {
	const mean = {} as Record<keyof Totals, number | null>;
	const half: Partial<Record<keyof Totals, number | null>> = {};
	for (const k of TOTAL_KEYS) {
		const r = meanAndHalfWidth(list.map((t) => t[k]));
		mean[k] = r.mean ?? (typeof list[0]?.[k] === 'number' ? 0 : null);
		half[k] = r.halfWidth;
	}
	return { mean: mean as Totals, half };
}

/** Averages replications into one summary with 95% half-widths. */
export function aggregate(runs: RunSummary[], seed: number): RunSummary {
	const first = runs[0];
	if (first === undefined) throw new Error('no replications to aggregate');
	if (runs.length === 1) return first;
	const totals = combine(runs.map((r) => r.totals));
	const queues: RunSummary['queues'] = {};
	const queueHalf: Record<string, Partial<Record<keyof Totals, number | null>>> = {};
	for (const id of Object.keys(first.queues)) {
		const c = combine(runs.map((r) => r.queues[id] as Totals));
		queues[id] = c.mean;
		queueHalf[id] = c.half;
	}
	const intervals = first.intervals.map((iv, i) => ({
		...iv,
		totals: combine(runs.map((r) => (r.intervals[i] as typeof iv).totals)).mean
	}));
	return {
		...first,
		seed,
		replications: runs.length,
		totals: totals.mean,
		queues,
		intervals,
		halfWidths: { totals: totals.half, queues: queueHalf }
	};
}

/** The seed of each replication: the base seed itself when there is only one. */
export function replicationSeeds(seed: number, n: number): number[] {
	return Array.from({ length: n }, (_, r) => (n === 1 ? seed : replicationSeed(seed, r)));
}

/**
 * Runs independent replications (seeds derived from the base seed) in parallel on worker threads
 * and aggregates them. The result does not depend on the number of workers.
 */
export async function replicate(scenario: Scenario, o: ReplicateOptions): Promise<RunSummary> {
	return aggregate(await replicateRuns(scenario, o), o.seed ?? scenario.seed);
}

/** The replications of `replicate`, one summary each, in replication order (for per-replication statistics). */
export async function replicateRuns(scenario: Scenario, o: ReplicateOptions): Promise<RunSummary[]> {
	if (o.signal?.aborted) throw new Error('cancelled');
	const seed = o.seed ?? scenario.seed;
	const n = o.replications;
	if (!Number.isInteger(n) || n < 1) throw new Error(`replications: expected a whole number >= 1, got ${n}`);
	const seeds = replicationSeeds(seed, n);
	const progress = new Array<number>(n).fill(0);
	const report = () => o.onProgress?.(progress.reduce((a, b) => a + b, 0) / n);
	const workers = Math.min(n, o.workers ?? availableParallelism());
	const results = new Array<RunSummary>(n);
	if (o.pool === undefined && workers <= 0) {
		seeds.forEach((s, r) => {
			if (o.signal?.aborted) throw new Error('cancelled');
			const summary = simulate(scenario, {
				seed: s,
				agents: o.agents,
				onProgress: (f) => {
					progress[r] = f;
					report();
				}
			}).summary;
			if (o.intervals === false) summary.intervals = [];
			results[r] = summary;
		});
		return results;
	}
	// A pool of our own is closed outright on abort; a shared one only drops this run's jobs.
	const own = o.pool === undefined ? new WorkerPool(workers) : undefined;
	const pool = o.pool ?? (own as WorkerPool);
	const abort = () => void own?.close();
	if (own !== undefined) o.signal?.addEventListener('abort', abort, { once: true });
	const jobSignal = own === undefined ? o.signal : undefined;
	try {
		const done = await Promise.all(
			seeds.map((s, r) =>
				pool.run(
					{
						scenario,
						seed: s,
						agents: o.agents,
						...(o.intervals === false ? { intervals: false } : {}),
						...(o.callersKey !== undefined ? { callers: `${o.callersKey}#${s}` } : {})
					},
					(f) => {
						progress[r] = f;
						report();
					},
					jobSignal
				)
			)
		);
		done.forEach((d, r) => (results[r] = d));
		return results;
	} finally {
		o.signal?.removeEventListener('abort', abort);
		await own?.close();
	}
}
