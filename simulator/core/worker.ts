import { parentPort } from 'node:worker_threads';
import { simulate } from './simulate';
import { loadExpressionSupport } from '../../src/lib/engine/value/expression';
import type { WorkerJob } from './replicate';

/** Runs simulation jobs sent by the pool, one at a time, reporting progress a few times per run. */
parentPort?.on('message', async (msg: { id: number; job: WorkerJob }) => {
	const { id, job } = msg;
	let last = 0;
	const started = performance.now();
	try {
		if (job.scenario.engine.tiers?.some((t) => t.curve.shape === 'expression')) await loadExpressionSupport();
		const { summary } = simulate(job.scenario, {
			seed: job.seed,
			agents: job.agents,
			onProgress: (fraction) => {
				if (fraction - last >= 0.05 || fraction === 1) {
					last = fraction;
					parentPort?.postMessage({ id, kind: 'progress', fraction });
				}
			}
		});
		parentPort?.postMessage({ id, kind: 'done', summary, ms: performance.now() - started });
	} catch (err) {
		parentPort?.postMessage({ id, kind: 'error', message: err instanceof Error ? err.message : String(err) });
	}
});
