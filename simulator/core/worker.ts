import { parentPort } from 'node:worker_threads';
import { simulate } from './simulate';
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

/** jobs sent ahead by the pool, not started: the pool may take one back ({ drop: id }) */
const waiting: Array<{ id: number; job: WorkerJob }> = [];
let running = false;

async function runJob(id: number, job: WorkerJob): Promise<void> {
	const started = performance.now();
	let last = started;
	try {
		if (job.scenario.engine.tiers?.some((t) => t.curve.shape === 'expression')) await loadExpressionSupport();
		const { summary } = simulate(job.scenario, {
			seed: job.seed,
			agents: job.agents,
			onProgress: (fraction) => {
				const now = performance.now();
				if (now - last >= PROGRESS_EVERY_MS && fraction < 1) {
					last = now;
					parentPort?.postMessage({ id, kind: 'progress', fraction });
				}
			}
		});
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
