import { readdir, readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { Namespace, Server as SocketIOServer, Socket } from 'socket.io';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import {
	cancelRequestSchema,
	MAX_SWEEP_LEVELS,
	planRequestSchema,
	runRequestSchema,
	STUDIO_NAMESPACE,
	sweepRequestSchema,
	validateRequestSchema,
	type ScenarioProblem,
	type StudioClientToServer,
	type StudioServerToClient,
	type ValidateResult
} from '../../studio/protocol';
import type { SourceInfo } from '../../protocol';
import { WorkerPool } from '../../../../simulator/core/pool';
import { parseScenario } from '../../../../simulator/scenario/load';
import { loadExpressionSupport } from '../../engine/value/expression';
import { TokenBuckets } from './bucket';
import { scenarioFromNow, type FromNow } from './from-now';
import { scenarioFromObserved, type ObservedDay } from './from-observed';
import type { Prepared, PrepTask } from './prep';
import { PrepWorker, type PrepOptions } from './prep-worker';
import { DEFAULT_RUN_LIMITS, RunBook, StudyRefused, type RunLimits } from './runs';
import { problemsOfMessage } from './study';
import { planStudy, runStudy, sweepStudy, type Study, type WorkContext } from './work';

/** What the studio needs to know of the board's source for "from now on". */
export interface CurrentSource {
	info: SourceInfo;
	/** the source's simulated time of day, ms since midnight of its day */
	nowMs: number;
	/** the scenario file the simulator runs (only a simulator source has one) */
	scenarioFile?: string;
	/** a replayed or live day (any source but the simulator): "from now on" builds its scenario from it */
	observed?: ObservedDay;
}

export interface StudioOptions {
	/** the server's one socket.io server (from startHeatboard's setup) */
	io: SocketIOServer;
	/** the shipped scenarios/*.yaml */
	scenariosDir: string;
	currentSource?: () => CurrentSource | null;
	log?: (line: string) => void;
	limits?: Partial<RunLimits>;
	/** simulation worker threads shared by every run (default: one per core but one, kept for the board) */
	workers?: number;
	/** heap of each simulation worker: a run that needs more fails, the server does not */
	workerHeapMb?: number;
	/** the thread that checks scenarios (parse, limits, brief, Erlang) */
	prep?: Partial<PrepOptions>;
	/** validate requests per address: a burst of `burst`, then `perSecond` */
	validateRate?: { burst: number; perSecond: number };
}

export const DEFAULT_WORKER_HEAP_MB = 1024;
// generous: the page checks as you type (twice per edit, with and without levers) and one office shares an address;
// the check thread (a queue of 16, a time budget per task) is what protects the server
export const DEFAULT_VALIDATE_RATE = { burst: 60, perSecond: 10 };

export interface Studio {
	readonly runsInProgress: number;
	/** simulation jobs queued or running in the shared pool (0 before it starts) */
	readonly poolJobs: number;
	/** simulation workers alive (0 before the pool starts) */
	readonly poolWorkers: number;
	/** Stops every run and the workers; further messages are ignored. */
	close(): Promise<void>;
}

type Incoming = { [K in keyof StudioClientToServer]: (...args: unknown[]) => void };
type StudioSocket = Socket<Incoming, StudioServerToClient>;

type Ack<T> = (result: T) => void;
const ackOf = <T>(args: unknown[]): Ack<T> | undefined => {
	const last = args[args.length - 1];
	return typeof last === 'function' ? (last as Ack<T>) : undefined;
};

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** the runId of a refused message, when it has a usable one, so the client can tell which request failed */
function runIdOf(msg: unknown): string | undefined {
	const id = typeof msg === 'object' && msg !== null ? (msg as { runId?: unknown }).runId : undefined;
	return typeof id === 'string' && id.length > 0 && id.length <= 64 ? id : undefined;
}

/**
 * The what-if studio on namespace STUDIO_NAMESPACE (protocol: src/lib/studio/protocol.ts). Every
 * message is checked against the protocol's schemas; a bad one is answered with studioError (or,
 * for validate, with problems), never a crash. Simulations run on one pool of worker threads kept
 * warm across runs, shared by every client, within RunLimits.
 */
export function attachStudio(options: StudioOptions): Studio {
	const ns = options.io.of(STUDIO_NAMESPACE) as unknown as Namespace<Incoming, StudioServerToClient>;
	const log = options.log ?? ((line: string) => console.log(line));
	const limits: RunLimits = { ...DEFAULT_RUN_LIMITS, ...options.limits };
	const book = new RunBook(limits);
	// the board's sampling and socket.io share the main thread: leave it a core of its own
	const workers = options.workers ?? Math.max(1, availableParallelism() - 1);
	const prep = new PrepWorker(options.prep);
	const rate = options.validateRate ?? DEFAULT_VALIDATE_RATE;
	const validates = new TokenBuckets(rate.burst, rate.perSecond);
	let pool: WorkerPool | undefined;
	let closed = false;

	/** the shared pool, started on first use (a server whose studio is never opened starts no threads) */
	const poolNow = (): WorkerPool => {
		if (pool === undefined || pool.alive === 0) {
			void pool?.close();
			pool = new WorkerPool(workers, { maxOldGenerationSizeMb: options.workerHeapMb ?? DEFAULT_WORKER_HEAP_MB });
		}
		return pool;
	};

	const onConnection = (socket: StudioSocket) => {
		const client = socket.id;
		// limits are per address too: opening more connections does not get around them
		const address = socket.handshake.address;
		const refuse = (message: string, extra: { runId?: string; problems?: ScenarioProblem[] } = {}): void => {
			socket.emit('studioError', { ...extra, message });
		};
		/** a handler's failure is the client's answer, never the server's crash */
		const guard =
			(name: string, fn: (...args: unknown[]) => Promise<void> | void) =>
			(...args: unknown[]) => {
				if (closed) return;
				Promise.resolve()
					.then(() => fn(...args))
					.catch((err: unknown) => {
						const message = messageOf(err);
						log(`studio: ${name} failed: ${message}`);
						refuse(`${name} failed: ${message}`, { ...(runIdOf(args[0]) ? { runId: runIdOf(args[0]) as string } : {}) });
					});
			};

		socket.on(
			'scenarios',
			guard('scenarios', async (...args) => {
				const ack = ackOf<Array<{ name: string; title: string; yaml: string }>>(args);
				if (ack === undefined) return refuse('scenarios needs an acknowledgement callback');
				ack(await shippedScenarios(options.scenariosDir));
			})
		);

		socket.on(
			'fromNow',
			guard('fromNow', async (...args) => {
				const ack = ackOf<FromNow | { error: string }>(args);
				if (ack === undefined) return refuse('fromNow needs an acknowledgement callback');
				// the page waits on the ack: a failure must answer it too
				ack(
					await fromNow(options.currentSource?.() ?? null).catch((err: unknown) => ({ error: `cannot start from now: ${messageOf(err)}` }))
				);
			})
		);

		socket.on(
			'validate',
			guard('validate', async (...args) => {
				const ack = ackOf<ValidateResult>(args);
				if (ack === undefined) return refuse('validate needs an acknowledgement callback');
				if (!validates.take(address))
					return ack({ ok: false, problems: [{ message: 'too many checks at once from your address: wait a moment and edit again' }] });
				const msg = validateRequestSchema.safeParse(args[0]);
				if (!msg.success) return ack({ ok: false, problems: problemsOfMessage(msg.error) });
				const r = await prep.run({ kind: 'validate', yaml: msg.data.yaml, levers: msg.data.levers, file: 'scenario' });
				if (!r.ok) return ack({ ok: false, problems: r.message !== undefined ? [{ message: r.message }, ...r.problems] : r.problems });
				if (r.brief === undefined) return ack({ ok: false, problems: [{ message: 'no brief for this scenario' }] });
				ack({ ok: true, brief: r.brief });
			})
		);

		/** Checks a study request, then runs `work` as one of this client's runs, reporting as the protocol says. */
		const study = <S extends z.ZodType<{ runId: string; study: z.output<typeof runRequestSchema>['study'] }>, R>(
			name: 'run' | 'sweep' | 'plan',
			schema: S,
			check: (data: z.output<S>) => string | null,
			task: (data: z.output<S>) => Record<string, unknown> & Pick<PrepTask, 'kind'>,
			work: (s: Study, prepared: Extract<Prepared, { ok: true }>, data: z.output<S>, ctx: WorkContext) => Promise<R>,
			emit: (result: R) => void
		) =>
			guard(name, async (...args) => {
				const parsed = schema.safeParse(args[0]);
				const id = runIdOf(args[0]);
				const withId = id !== undefined ? { runId: id } : {};
				if (!parsed.success) return refuse(`${name}: the request is not valid`, { ...withId, problems: problemsOfMessage(parsed.error) });
				const data = parsed.data;
				const runId = data.runId;
				const bad = check(data);
				if (bad !== null) return refuse(bad, { runId });
				const input = data.study;
				const file = input.origin.kind === 'now' ? 'now' : input.origin.name;
				// a message may still come in from a page already gone: nobody would get the result
				if (socket.disconnected) return;
				const refusal = closed ? 'the studio is shutting down' : book.refusal(client, address, runId);
				if (refusal !== null) return refuse(refusal, { runId });
				const started = Date.now();
				// the run is in the book before its scenario is parsed: a cancel meanwhile stops it
				book.start<R>(
					client,
					address,
					runId,
					{
						progress: (fraction) => socket.emit('progress', { runId, fraction }),
						result: (r) => {
							log(
								`studio: ${name} "${input.label}" (${input.replications} replications) in ${((Date.now() - started) / 1000).toFixed(1)} s`
							);
							emit(r);
						},
						cancelled: () => socket.emit('cancelled', { runId }),
						failed: (message, problems) => {
							if (problems === undefined) log(`studio: ${name} "${input.label}" failed: ${message}`);
							refuse(message, { runId, ...(problems !== undefined && problems.length > 0 ? { problems } : {}) });
						}
					},
					async (handle) => {
						const t = { ...task(data), yaml: input.yaml, levers: input.levers, file, replications: input.replications } as PrepTask;
						const p = await prep.run(t, handle.signal);
						if (!p.ok) {
							const n = p.problems.length;
							throw new StudyRefused(p.message ?? `the scenario has ${n === 1 ? 'a problem' : `${n} problems`}`, p.problems);
						}
						if (handle.signal.aborted) throw new Error('cancelled');
						const s: Study = {
							runId,
							label: input.label,
							scenario: p.scenario,
							levers: input.levers,
							seed: input.seed ?? p.scenario.seed,
							replications: input.replications
						};
						return work(s, p, data, { pool: poolNow(), signal: handle.signal, progress: handle.progress });
					}
				);
			});

		socket.on(
			'run',
			study(
				'run',
				runRequestSchema,
				() => null,
				() => ({ kind: 'run' }),
				(s, _p, _data, ctx) => runStudy(s, ctx),
				(r) => socket.emit('runResult', r)
			)
		);
		socket.on(
			'sweep',
			study(
				'sweep',
				sweepRequestSchema,
				(d) => {
					if (d.to < d.from) return `sweep: expected from <= to, got ${d.from}..${d.to}`;
					const levels = Math.floor((d.to - d.from) / d.step) + 1;
					return levels > MAX_SWEEP_LEVELS ? `sweep: ${levels} levels; at most ${MAX_SWEEP_LEVELS} (use a larger step)` : null;
				},
				(d) => ({ kind: 'sweep', levels: levelsOf(d) }),
				(s, p, d, ctx) => sweepStudy(s, { from: d.from, to: d.to, step: d.step }, p.erlang ?? [], ctx),
				(r) => socket.emit('sweepResult', r)
			)
		);
		socket.on(
			'plan',
			study(
				'plan',
				planRequestSchema,
				() => null,
				(d) => ({ kind: 'plan', simulate: d.simulate }),
				(s, p, _d, ctx) => {
					if (p.plan === undefined) throw new Error('no plan for this scenario');
					return planStudy(s, p.plan, ctx);
				},
				(r) => socket.emit('planResult', r)
			)
		);

		socket.on(
			'cancel',
			guard('cancel', (...args) => {
				const msg = cancelRequestSchema.safeParse(args[0]);
				if (!msg.success) return refuse('cancel: the request is not valid', { problems: problemsOfMessage(msg.error) });
				if (!book.cancel(client, msg.data.runId))
					refuse(`no run "${msg.data.runId}" in progress (it may have just finished)`, { runId: msg.data.runId });
			})
		);

		socket.on('disconnect', () => book.dropClient(client));
	};
	ns.on('connection', onConnection);

	return {
		get runsInProgress() {
			return book.size;
		},
		get poolJobs() {
			return pool?.load ?? 0;
		},
		get poolWorkers() {
			return pool?.alive ?? 0;
		},
		async close() {
			if (closed) return;
			closed = true;
			ns.off('connection', onConnection);
			book.closeAll();
			await Promise.all([pool?.close(), prep.close()]);
		}
	};
}

/** a sweep's staffing levels, from..to every step */
function levelsOf(d: { from: number; to: number; step: number }): number[] {
	const out: number[] = [];
	for (let n = d.from; n <= d.to; n += d.step) out.push(n);
	return out;
}

/** scenarios/*.yaml with their text; the title is the scenario's name (the file name if it has none). */
async function shippedScenarios(dir: string): Promise<Array<{ name: string; title: string; yaml: string }>> {
	const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort();
	return Promise.all(
		files.map(async (name) => {
			const yaml = await readFile(path.join(dir, name), 'utf8');
			const title: unknown = parseDocument(yaml).get('name');
			return { name, title: typeof title === 'string' && title !== '' ? title : name, yaml };
		})
	);
}

async function fromNow(source: CurrentSource | null): Promise<FromNow | { error: string }> {
	if (source === null) return { error: 'this server has no board source to start from' };
	if (source.info.kind !== 'simulator' && source.observed !== undefined) return scenarioFromObserved(source.observed);
	if (source.info.kind !== 'simulator' || source.scenarioFile === undefined)
		return {
			error: `the board shows a ${source.info.kind} source ("${source.info.name}"); starting from now needs the simulator's scenario`
		};
	const text = await readFile(source.scenarioFile, 'utf8');
	if (/\bexpression\b/.test(text)) await loadExpressionSupport();
	return scenarioFromNow(text, parseScenario(text, source.scenarioFile), source.nowMs);
}
