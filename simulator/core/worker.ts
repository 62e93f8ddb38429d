import { parentPort } from 'node:worker_threads';
import { simulate, type CallerTape } from './simulate';
import { loadExpressionSupport } from '../../src/lib/engine/value/expression';
import type { WorkerJob } from './replicate';

/**
 * Progress goes out at most this often. A sweep's replications take tens of ms each, so progress by
 * share of the run (every 5%) meant ~20 messages per job for the main thread to take in, competing
 * with the workers for the same cores; a progress bar needs a few a second. The end needs none:
 * the pool counts a finished job as done.
 */
const PROGRESS_EVERY_MS = 100;

type Message = { id: number; job: WorkerJob } | { drop: number };

/** callers drawn for a scenario and seed, newest last, within KEPT_CALLERS_BYTES */
const callers = new Map<string, CallerTape>();
const KEPT_CALLERS_BYTES = 64 * 1024 * 1024;

function keep(key: string, tape: CallerTape): void {
	callers.set(key, tape);
	let bytes = 0;
	for (const t of callers.values()) bytes += t.rows.byteLength;
	for (const [k, t] of callers) {
		if (bytes <= KEPT_CALLERS_BYTES) break;
		callers.delete(k);
		bytes -= t.rows.byteLength;
	}
}

/** jobs sent ahead by the pool, not started: the pool may take one back ({ drop: id }) */
const waiting: Array<{ id: number; job: WorkerJob }> = [];
let running = false;

async function runJob(id: number, job: WorkerJob): Promise<void> {
	const started = performance.now();
	let last = started;
	try {
		if (job.scenario.engine.tiers?.some((t) => t.curve.shape === 'expression')) await loadExpressionSupport();
		const kept = job.callers !== undefined ? callers.get(job.callers) : undefined;
		if (kept !== undefined && job.callers !== undefined) keep(job.callers, kept); // the newest again
		const { summary, callers: drawn } = simulate(job.scenario, {
			seed: job.seed,
			agents: job.agents,
			...(kept !== undefined ? { callers: kept } : job.callers !== undefined ? { recordCallers: true } : {}),
			onProgress: (fraction) => {
				const now = performance.now();
				if (now - last >= PROGRESS_EVERY_MS && fraction < 1) {
					last = now;
					parentPort?.postMessage({ id, kind: 'progress', fraction });
				}
			}
		});
		if (job.callers !== undefined && drawn !== undefined) keep(job.callers, drawn);
		// a sweep reads totals only: the per-interval breakdown is most of a summary's bytes
		if (job.intervals === false) summary.intervals = [];
		parentPort?.postMessage({ id, kind: 'done', summary, ms: performance.now() - started });
	} catch (err) {
		parentPort?.postMessage({ id, kind: 'error', message: err instanceof Error ? err.message : String(err) });
	}
}

async function next(): Promise<void> {
	if (running) return;
	const m = waiting.shift();
	if (m === undefined) return;
	running = true;
	try {
		await runJob(m.id, m.job);
	} finally {
		running = false;
		// through the event loop, so a drop already in the port is read before the next job starts
		if (waiting.length > 0) setImmediate(() => void next());
	}
}

/** Runs simulation jobs sent by the pool, one at a time, reporting progress a few times a second. */
parentPort?.on('message', (msg: Message) => {
	if ('drop' in msg) {
		const at = waiting.findIndex((w) => w.id === msg.drop);
		if (at < 0) return; // started already: it finishes and the pool ignores its result
		waiting.splice(at, 1);
		parentPort?.postMessage({ id: msg.drop, kind: 'dropped' });
		return;
	}
	waiting.push(msg);
	setImmediate(() => void next());
});
