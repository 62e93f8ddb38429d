import { Worker } from 'node:worker_threads';
import type { RunSummary } from './summary';
import type { WorkerJob } from './replicate';
import { bundleThreadExecArgv } from './thread-argv';

type Reply =
	| { id: number; kind: 'progress'; fraction: number }
	| { id: number; kind: 'done'; summary: RunSummary; ms: number }
	| { id: number; kind: 'error'; message: string }
	/** a job taken back before the worker started it */
	| { id: number; kind: 'dropped' };

interface Pending {
	resolve: (s: RunSummary) => void;
	reject: (e: Error) => void;
	onProgress: (f: number) => void;
	worker?: Worker;
	signal?: AbortSignal;
}

const cancelled = () => new Error('cancelled');

type Job = { id: number; job: WorkerJob };

/**
 * Jobs a worker may hold: the one it runs and the next, waiting in its message port. Between two
 * jobs a worker with only one would sit idle for a round trip through the main thread, which on
 * a busy machine (the main thread descheduled) costs milliseconds per job.
 */
const DEPTH = 2;
/**
 * Only short jobs are sent ahead: a job waiting behind a long one in a worker cannot move to a
 * worker that frees up first, and for long jobs the round trip saved is nothing.
 */
const PREFETCH_BELOW_MS = 250;

/**
 * A fixed set of simulation worker threads. Workers are kept between jobs because starting one
 * (a thread, the engine's bundle) costs far more than a short run.
 *
 * Several callers may share one pool (a sweep's levels, the studio's concurrent runs): a job's own
 * AbortSignal drops it if it is still queued, or terminates the worker holding it (a simulation
 * cannot be interrupted any other way) and starts a fresh worker in its place; the other jobs that
 * worker held go back to the front of the queue, so the other callers' jobs go on. A job only sent
 * ahead (not started) is taken back from its worker instead, which goes on with the job it runs.
 *
 * A worker that dies (out of memory under `maxOldGenerationSizeMb`, a crash) fails the job it ran
 * and is replaced; only workers that keep dying without finishing a job are not.
 */
export class WorkerPool {
	private readonly all: Worker[] = [];
	/** jobs sent to each worker and not finished, oldest (running) first */
	private readonly held = new Map<Worker, Job[]>();
	private readonly queue: Job[] = [];
	private readonly pending = new Map<number, Pending>();
	/** workers terminated on purpose: their exit is not a failure */
	private readonly retiring = new Set<Worker>();
	/** one abort listener per signal, however many jobs share it (a run's replications do) */
	private readonly bySignal = new Map<AbortSignal, { ids: Set<number>; listener: () => void }>();
	private nextId = 0;
	private busy = 0;
	/** recent job time in the workers, ms (moving average; Infinity until one is done) */
	private typicalMs = Number.POSITIVE_INFINITY;
	private closed = false;
	/** workers lost since a job last finished: past a few, replacing them would only loop */
	private deaths = 0;

	constructor(
		readonly size: number,
		private readonly limits: { maxOldGenerationSizeMb?: number } = {}
	) {
		for (let i = 0; i < size; i++) this.spawn();
	}

	/** workers alive: fewer than `size` only after crashes, and a pool with none can run nothing */
	get alive(): number {
		return this.all.length;
	}

	/** time the workers spent in jobs that finished, ms: against wall time × size, how busy the pool was */
	get busyMs(): number {
		return this.busy;
	}

	/** jobs queued or running */
	get load(): number {
		return this.pending.size;
	}

	run(job: WorkerJob, onProgress: (f: number) => void = () => {}, signal?: AbortSignal): Promise<RunSummary> {
		if (this.closed || signal?.aborted) return Promise.reject(cancelled());
		const id = ++this.nextId;
		return new Promise((resolve, reject) => {
			const p: Pending = { resolve, reject, onProgress };
			if (signal !== undefined) {
				p.signal = signal;
				let entry = this.bySignal.get(signal);
				if (entry === undefined) {
					const ids = new Set<number>();
					entry = { ids, listener: () => [...ids].forEach((i) => this.abort(i)) };
					this.bySignal.set(signal, entry);
					signal.addEventListener('abort', entry.listener, { once: true });
				}
				entry.ids.add(id);
			}
			this.pending.set(id, p);
			this.queue.push({ id, job });
			this.pump();
		});
	}

	/** Stops every worker; jobs not finished are rejected as cancelled. */
	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		for (const id of [...this.pending.keys()]) this.settle(id)?.reject(cancelled());
		this.queue.length = 0;
		await Promise.all(this.all.map((w) => w.terminate()));
	}

	private spawn(): void {
		const heap = this.limits.maxOldGenerationSizeMb;
		// the entry loads a bundle: without this, a worker would load the parent's tsx again
		const w = new Worker(new URL('./worker-entry.mjs', import.meta.url), {
			execArgv: bundleThreadExecArgv(),
			...(heap !== undefined ? { resourceLimits: { maxOldGenerationSizeMb: heap } } : {})
		});
		w.on('message', (m: Reply) => this.onReply(w, m));
		w.on('error', (err) => this.failWorker(w, err));
		w.on('exit', (code) => {
			if (this.retiring.delete(w) || this.closed) return;
			this.failWorker(w, new Error(`simulation worker exited with code ${code}`));
		});
		this.all.push(w);
		this.held.set(w, []);
	}

	/** Removes a job from the books and its abort listener; undefined if it was already settled. */
	private settle(id: number): Pending | undefined {
		const p = this.pending.get(id);
		if (p === undefined) return undefined;
		this.pending.delete(id);
		const entry = p.signal === undefined ? undefined : this.bySignal.get(p.signal);
		if (p.signal !== undefined && entry !== undefined) {
			entry.ids.delete(id);
			if (entry.ids.size === 0) {
				p.signal.removeEventListener('abort', entry.listener);
				this.bySignal.delete(p.signal);
			}
		}
		return p;
	}

	private abort(id: number): void {
		const p = this.settle(id);
		if (p === undefined) return;
		const queued = this.queue.findIndex((q) => q.id === id);
		if (queued >= 0) this.queue.splice(queued, 1);
		const w = p.worker;
		const at = w === undefined ? -1 : (this.held.get(w)?.findIndex((j) => j.id === id) ?? -1);
		if (w !== undefined && at > 0 && !this.closed) {
			// only sent ahead: the worker skips it (it stays held until the worker says so) and goes on
			w.postMessage({ drop: id });
			p.reject(cancelled());
			this.pump();
			return;
		}
		const holder = at === 0 ? w : undefined;
		if (holder !== undefined && !this.closed) {
			// the worker's other jobs were not cancelled: they go first to whoever is free
			const others = (this.held.get(holder) ?? []).filter((j) => j.id !== id && this.pending.has(j.id));
			for (const j of others) delete (this.pending.get(j.id) as Pending).worker;
			this.queue.unshift(...others);
			this.retiring.add(holder);
			this.forget(holder);
			void holder.terminate();
			this.spawn();
		}
		p.reject(cancelled());
		this.pump();
	}

	/** Every worker gets a job before any gets a second (and a second only while jobs are short). */
	private pump(): void {
		const depth = this.typicalMs < PREFETCH_BELOW_MS ? DEPTH : 1;
		for (let d = 1; d <= depth; d++)
			for (const w of this.all) {
				const list = this.held.get(w) as Job[];
				if (list.length >= d) continue;
				const next = this.queue.shift();
				if (next === undefined) return;
				const p = this.pending.get(next.id);
				if (p) p.worker = w;
				list.push(next);
				w.postMessage(next);
			}
	}

	private onReply(w: Worker, m: Reply): void {
		if (this.retiring.has(w)) return;
		const p = this.pending.get(m.id);
		if (m.kind === 'progress') return p?.onProgress(m.fraction);
		const list = this.held.get(w);
		const at = list?.findIndex((j) => j.id === m.id) ?? -1;
		if (at >= 0) list?.splice(at, 1);
		if (p !== undefined) {
			this.settle(m.id);
			if (m.kind === 'done') {
				this.deaths = 0;
				this.busy += m.ms;
				this.typicalMs = Number.isFinite(this.typicalMs) ? 0.8 * this.typicalMs + 0.2 * m.ms : m.ms;
				p.onProgress(1);
				p.resolve(m.summary);
			} else if (m.kind === 'error') p.reject(new Error(m.message));
		}
		this.pump();
	}

	private forget(w: Worker): void {
		const alive = this.all.indexOf(w);
		if (alive >= 0) this.all.splice(alive, 1);
		this.held.delete(w);
	}

	/**
	 * A worker died: the job it ran fails, the jobs only sent ahead to it go back to the queue, and
	 * a fresh worker takes its place (unless workers keep dying without finishing anything: then
	 * the pool shrinks, and with none left nothing can run).
	 */
	private failWorker(w: Worker, err: Error): void {
		// 'error' and then 'exit' for the same death
		if (this.retiring.has(w) || !this.held.has(w)) return;
		const held = this.held.get(w) ?? [];
		this.forget(w);
		const reason =
			(err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY' && this.limits.maxOldGenerationSizeMb !== undefined
				? new Error(
						`a simulation ran out of memory (each may use ${this.limits.maxOldGenerationSizeMb} MB): ask for a shorter horizon or fewer calls`
					)
				: err;
		const [running, ...ahead] = held;
		if (running !== undefined) this.settle(running.id)?.reject(reason);
		const back = ahead.filter((j) => this.pending.has(j.id));
		for (const j of back) delete (this.pending.get(j.id) as Pending).worker;
		this.queue.unshift(...back);
		if (!this.closed && ++this.deaths <= this.size + 2) this.spawn();
		if (this.all.length === 0) {
			for (const id of [...this.pending.keys()]) this.settle(id)?.reject(err);
			this.queue.length = 0;
		}
		this.pump();
	}
}
