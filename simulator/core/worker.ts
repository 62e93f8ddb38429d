import { parentPort, workerData } from 'node:worker_threads';
import { simulate } from './simulate';
import type { WorkerJob } from './replicate';

const job = workerData as WorkerJob;
let last = 0;
try {
	const { summary } = simulate(job.scenario, {
		seed: job.seed,
		agents: job.agents,
		onProgress: (fraction) => {
			// a few messages per run are enough for a progress bar
			if (fraction - last >= 0.05 || fraction === 1) {
				last = fraction;
				parentPort?.postMessage({ kind: 'progress', fraction });
			}
		}
	});
	parentPort?.postMessage({ kind: 'done', summary });
} catch (err) {
	parentPort?.postMessage({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
}
