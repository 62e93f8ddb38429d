import { availableParallelism } from 'node:os';
import type { Scenario } from '../scenario/types';
import { replicate } from './replicate';
import { WorkerPool } from './pool';
import type { Totals } from './summary';

export interface SweepLevel {
	agents: number;
	totals: Totals;
	/** 95% half-widths over the replications (empty with one replication) */
	halfWidths: Partial<Record<keyof Totals, number | null>>;
	queues: Record<string, Totals>;
}

export interface SweepResult {
	v: 1;
	scenario: string;
	seed: number;
	replications: number;
	levels: SweepLevel[];
	/** fewest agents whose every queue meets its service-level target (slOffered, replication mean); null if none */
	meetsTarget: number | null;
	/** agents with the highest net revenue (revenue - staffing cost) */
	maxNetRevenue: number | null;
}

export interface SweepOptions {
	from: number;
	to: number;
	step: number;
	replications: number;
	seed?: number;
	workers?: number;
	onProgress?: (fraction: number) => void;
	signal?: AbortSignal;
	/** run on this pool (kept open, shared with other work) instead of a pool of its own */
	pool?: WorkerPool;
}

/** Parses "180..220:5" (step 1 when omitted). */
export function parseAgentRange(text: string): { from: number; to: number; step: number } {
	const m = /^(\d+)\.\.(\d+)(?::(\d+))?$/.exec(text.trim());
	if (m === null) throw new Error(`expected a range like 180..220:5, got "${text}"`);
	const from = Number(m[1]);
	const to = Number(m[2]);
	const step = m[3] === undefined ? 1 : Number(m[3]);
	if (from < 1 || to < from || step < 1) throw new Error(`expected 1 <= from <= to and a step >= 1, got "${text}"`);
	return { from, to, step };
}

/**
 * Runs the scenario at each staffing level (the agent count replaces the scenario's total staffing,
 * shifts scaled in proportion), with the same seeds at every level so the callers are the same
 * (common random numbers), all levels' replications sharing one worker pool.
 */
let sweeps = 0;

export async function sweep(scenario: Scenario, o: SweepOptions): Promise<SweepResult> {
	const levels: number[] = [];
	for (let n = o.from; n <= o.to; n += o.step) levels.push(n);
	// every level has the same callers for a seed: workers draw them once and replay them
	const callersKey = `sweep-${process.pid}-${++sweeps}`;
	const progress = new Array<number>(levels.length).fill(0);
	const report = () => o.onProgress?.(progress.reduce((a, b) => a + b, 0) / levels.length);
	const workers = o.workers ?? availableParallelism();
	const own = o.pool === undefined && workers > 0 ? new WorkerPool(Math.min(workers, levels.length * o.replications)) : undefined;
	const pool = o.pool ?? own;
	// every level's jobs are on one pool: closing it cancels them all at once
	const abort = () => void own?.close();
	if (own !== undefined) o.signal?.addEventListener('abort', abort, { once: true });
	try {
		const runs = await Promise.all(
			levels.map((agents, i) =>
				replicate(scenario, {
					agents,
					replications: o.replications,
					seed: o.seed,
					workers,
					intervals: false,
					callersKey,
					...(own === undefined ? { signal: o.signal } : {}),
					...(pool ? { pool } : {}),
					onProgress: (f) => {
						progress[i] = f;
						report();
					}
				})
			)
		);
		const out: SweepLevel[] = runs.map((r, i) => ({
			agents: levels[i] as number,
			totals: r.totals,
			halfWidths: r.halfWidths?.totals ?? {},
			queues: r.queues
		}));
		const targets = new Map((scenario.engine.queues ?? []).map((q) => [q.id, q.serviceLevel?.target ?? 0.8]));
		const meets = out.find((l) => Object.entries(l.queues).every(([id, t]) => (t.slOffered ?? 0) >= (targets.get(id) ?? 0.8)));
		let best: SweepLevel | null = null;
		for (const l of out) if (best === null || l.totals.netRevenue > best.totals.netRevenue) best = l;
		return {
			v: 1,
			scenario: scenario.name,
			seed: o.seed ?? scenario.seed,
			replications: o.replications,
			levels: out,
			meetsTarget: meets?.agents ?? null,
			maxNetRevenue: best?.agents ?? null
		};
	} finally {
		o.signal?.removeEventListener('abort', abort);
		await own?.close();
	}
}

/** One row per level: agents, then every total, then its half-width. */
export function sweepCsv(r: SweepResult): string {
	const keys = Object.keys(r.levels[0]?.totals ?? {}) as (keyof Totals)[];
	const head = ['agents', ...keys, ...keys.map((k) => `${k}HalfWidth`)];
	const cell = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));
	const rows = r.levels.map((l) =>
		[String(l.agents), ...keys.map((k) => cell(l.totals[k])), ...keys.map((k) => cell(l.halfWidths[k]))].join(',')
	);
	return [head.join(','), ...rows].join('\n') + '\n';
}
