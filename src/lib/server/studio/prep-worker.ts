import { Worker } from 'node:worker_threads';
import { bundleThreadExecArgv } from '../../../../simulator/core/thread-argv';
import type { Prepared, PrepTask } from './prep';

export interface PrepOptions {
	/** a task still going after this long is stopped (its thread terminated) and refused */
	budgetMs: number;
	/** tasks waiting beyond this are refused at once: the studio is busy */
	maxQueued: number;
	/** the thread's heap: a scenario that needs more is refused, the server is not */
	maxOldGenerationSizeMb: number;
}

export const DEFAULT_PREP_OPTIONS: PrepOptions = { budgetMs: 10_000, maxQueued: 16, maxOldGenerationSizeMb: 512 };

interface Queued {
	id: number;
	task: PrepTask;
	resolve: (r: Prepared) => void;
	reject: (e: Error) => void;
	signal?: AbortSignal;
}

const refused = (message: string): Prepared => ({ ok: false, message, problems: [] });

/**
 * One thread for the studio's scenario checks (prep.ts), one task at a time, each within a time
 * budget. The thread starts on first use and is replaced after a task it had to be stopped for.
 */
export class PrepWorker {
	private worker: Worker | undefined;
	private readonly queue: Queued[] = [];
	private current: { job: Queued; timer: NodeJS.Timeout; worker: Worker } | undefined;
	private nextId = 0;
	private closed = false;
	private readonly options: PrepOptions;

	constructor(options: Partial<PrepOptions> = {}) {
		this.options = { ...DEFAULT_PREP_OPTIONS, ...options };
	}

	/** tasks waiting or running */
	get load(): number {
		return this.queue.length + (this.current === undefined ? 0 : 1);
	}

	/** Prepares a task; a signal aborted while it waits takes it out of the queue (rejected as cancelled). */
	run(task: PrepTask, signal?: AbortSignal): Promise<Prepared> {
		if (this.closed || signal?.aborted) return Promise.reject(new Error('cancelled'));
		if (this.queue.length >= this.options.maxQueued)
			return Promise.resolve(refused('the studio is busy checking other scenarios: try again in a moment'));
		return new Promise((resolve, reject) => {
			const job: Queued = { id: ++this.nextId, task, resolve, reject, ...(signal ? { signal } : {}) };
			signal?.addEventListener(
				'abort',
				() => {
					const at = this.queue.indexOf(job);
					if (at < 0) return;
					this.queue.splice(at, 1);
					reject(new Error('cancelled'));
				},
				{ once: true }
			);
			this.queue.push(job);
			this.pump();
		});
	}

	async close(): Promise<void> {
		this.closed = true;
		for (const q of this.queue.splice(0)) q.reject(new Error('cancelled'));
		const cur = this.current;
		this.current = undefined;
		if (cur !== undefined) {
			clearTimeout(cur.timer);
			cur.job.reject(new Error('cancelled'));
		}
		const w = this.worker;
		this.worker = undefined;
		await w?.terminate();
	}

	private spawn(): Worker {
		// the entry loads a bundle: without this, the thread would load the server's tsx again
		const w = new Worker(new URL('./prep-entry.mjs', import.meta.url), {
			execArgv: bundleThreadExecArgv(),
			resourceLimits: { maxOldGenerationSizeMb: this.options.maxOldGenerationSizeMb }
		});
		w.on('message', (m: { id: number; result: Prepared }) => {
			const cur = this.current;
			if (cur === undefined || cur.worker !== w || cur.job.id !== m.id) return;
			this.finish(cur, () => cur.job.resolve(m.result));
		});
		const died = (err: Error) => {
			if (this.worker === w) this.worker = undefined;
			const cur = this.current;
			if (cur === undefined || cur.worker !== w) return;
			const oom = (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
			this.finish(cur, () =>
				oom
					? cur.job.resolve(refused('this scenario needs more memory than the studio gives a check: make it smaller'))
					: cur.job.reject(err)
			);
		};
		w.on('error', died);
		w.on('exit', (code) => died(new Error(`the studio's scenario thread exited with code ${code}`)));
		w.unref();
		return w;
	}

	private finish(cur: NonNullable<PrepWorker['current']>, settle: () => void): void {
		clearTimeout(cur.timer);
		this.current = undefined;
		settle();
		this.pump();
	}

	private pump(): void {
		if (this.closed || this.current !== undefined) return;
		const job = this.queue.shift();
		if (job === undefined) return;
		const w = (this.worker ??= this.spawn());
		const timer = setTimeout(() => {
			const cur = this.current;
			if (cur?.job !== job) return;
			// a task cannot be interrupted inside the thread: the thread goes, the next task gets a new one
			this.worker = undefined;
			void w.terminate();
			const s = this.options.budgetMs / 1000;
			this.finish(cur, () =>
				job.resolve(refused(`checking this scenario took longer than ${s} s, the most the studio gives it: make it smaller`))
			);
		}, this.options.budgetMs);
		this.current = { job, timer, worker: w };
		w.postMessage({ id: job.id, task: job.task });
	}
}
