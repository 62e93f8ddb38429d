import { parentPort } from 'node:worker_threads';
import { prepare, type PrepTask } from './prep';

/** The prep thread: one task at a time, sent by PrepWorker (prep-worker.ts). */
parentPort?.on('message', async (msg: { id: number; task: PrepTask }) => {
	try {
		parentPort?.postMessage({ id: msg.id, result: await prepare(msg.task) });
	} catch (err) {
		parentPort?.postMessage({
			id: msg.id,
			result: { ok: false, problems: [{ message: err instanceof Error ? err.message : String(err) }] }
		});
	}
});
