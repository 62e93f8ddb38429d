import { Worker } from 'node:worker_threads';
import type { RunSummary } from './summary';
import type { WorkerJob } from './replicate';

type Reply =
	| { id: number; kind: 'progress'; fraction: number }
	| { id: number; kind: 'done'; summary: RunSummary }
	| { id: number; kind: 'error'; message: string };

interface Pending {
	resolve: (s: RunSummary) => void;
	reject: (e: Error) => void;
	onProgress: (f: number) => void;
}

/**
 * A fixed set of simulation worker threads fed jobs one at a time each. Workers are kept between
 * jobs because starting one (TypeScript loader, engine modules) costs far more than a short run.
 */
export class WorkerPool {
	private readonly idle: Worker[] = [];
	private readonly all: Worker[] = [];
	private readonly queue: Array<{ id: number; job: WorkerJob }> = [];
	private readonly pending = new Map<number, Pending & { worker?: Worker }>();
	private nextId = 0;
	private closed = false;

	constructor(size: number) {
		for (let i = 0; i < size; i++) {
			const w = new Worker(new URL('./worker-entry.mjs', import.meta.url));
			w.on('message', (m: Reply) => this.onReply(w, m));
			w.on('error', (err) => this.failWorker(w, err));
			w.on('exit', (code) => {
				if (!this.closed) this.failWorker(w, new Error(`simulation worker exited with code ${code}`));
			});
			this.all.push(w);
			this.idle.push(w);
		}
	}

	run(job: WorkerJob, onProgress: (f: number) => void = () => {}): Promise<RunSummary> {
		if (this.closed) return Promise.reject(new Error('cancelled'));
		const id = ++this.nextId;
		return new Promise((resolve, reject) => {
			this.pending.set(id, { resolve, reject, onProgress });
			this.queue.push({ id, job });
			this.pump();
		});
	}

	/** Stops every worker; jobs not finished are rejected as cancelled. */
	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		for (const p of this.pending.values()) p.reject(new Error('cancelled'));
		this.pending.clear();
		this.queue.length = 0;
		await Promise.all(this.all.map((w) => w.terminate()));
	}

	private pump(): void {
		while (this.idle.length > 0 && this.queue.length > 0) {
			const w = this.idle.pop() as Worker;
			const next = this.queue.shift() as { id: number; job: WorkerJob };
			const p = this.pending.get(next.id);
			if (p) p.worker = w;
			w.postMessage(next);
		}
	}

	private onReply(w: Worker, m: Reply): void {
		const p = this.pending.get(m.id);
		if (p === undefined) return;
		if (m.kind === 'progress') return p.onProgress(m.fraction);
		this.pending.delete(m.id);
		this.idle.push(w);
		if (m.kind === 'done') p.resolve(m.summary);
		else p.reject(new Error(m.message));
		this.pump();
	}

	/** A worker died: its job fails, and it is never given another (if none is left, nothing can run). */
	private failWorker(w: Worker, err: Error): void {
		const idle = this.idle.indexOf(w);
		if (idle >= 0) this.idle.splice(idle, 1);
		const alive = this.all.indexOf(w);
		if (alive >= 0) this.all.splice(alive, 1);
		for (const [id, p] of this.pending)
			if (p.worker === w || this.all.length === 0) {
				this.pending.delete(id);
				p.reject(err);
			}
		if (this.all.length === 0) this.queue.length = 0;
	}
}
