/**
 * The studio's book of runs in progress: who may start one (limits per client and overall), the
 * cancel signal and time limit of each, progress throttled for the wire, and the rule that a run
 * cancelled, timed out or disconnected never reports a result.
 */
import type { ScenarioProblem } from '../../studio/protocol';

export interface RunLimits {
	/** runs one client may have in progress at once */
	perClient: number;
	/** runs from one address at once, however many connections it opens */
	perAddress: number;
	/** runs in progress at once over all clients */
	overall: number;
	/** a run still going after this long is stopped */
	seconds: number;
}

export const DEFAULT_RUN_LIMITS: RunLimits = { perClient: 2, perAddress: 3, overall: 4, seconds: 300 };

/** the protocol's promise: progress at most a few times a second */
export const PROGRESS_INTERVAL_MS = 200;

export interface RunHandle {
	readonly runId: string;
	readonly signal: AbortSignal;
	/** throttled: sends at most one progress message per PROGRESS_INTERVAL_MS */
	progress(fraction: number): void;
}

export interface RunEvents<R> {
	progress(fraction: number): void;
	result(result: R): void;
	/** the run stopped by the client: sent once, at the moment of the cancel */
	cancelled(): void;
	failed(message: string, problems?: ScenarioProblem[]): void;
}

/** A run's work refusing its study (the scenario's problems, or too much work): reported with the problems. */
export class StudyRefused extends Error {
	override readonly name = 'StudyRefused';
	constructor(
		message: string,
		readonly problems: ScenarioProblem[] = []
	) {
		super(message);
	}
}

interface Entry {
	client: string;
	address: string;
	controller: AbortController;
	events: RunEvents<unknown>;
}

type StopReason = 'cancelled' | 'timeout' | 'disconnected' | 'closed';

export class RunBook {
	private readonly runs = new Map<string, Entry>();

	constructor(
		private readonly limits: RunLimits,
		private readonly now: () => number = Date.now
	) {}

	get size(): number {
		return this.runs.size;
	}

	/** Why a new run of this client cannot start now, or null. */
	refusal(client: string, address: string, runId: string): string | null {
		if (this.runs.has(key(client, runId))) return `run "${runId}" is already in progress`;
		const mine = [...this.runs.values()].filter((r) => r.client === client).length;
		if (mine >= this.limits.perClient)
			return `you already have ${mine} runs in progress (at most ${this.limits.perClient} at once): wait for one or cancel it`;
		const fromAddress = [...this.runs.values()].filter((r) => r.address === address).length;
		if (fromAddress >= this.limits.perAddress)
			return `your address already has ${fromAddress} runs in progress (at most ${this.limits.perAddress} at once): wait for one or cancel it`;
		if (this.runs.size >= this.limits.overall)
			return `the studio is busy with ${this.runs.size} runs (at most ${this.limits.overall} at once): try again in a moment`;
		return null;
	}

	/** Starts `work` as a run; the caller has checked `refusal` first. */
	start<R>(client: string, address: string, runId: string, events: RunEvents<R>, work: (run: RunHandle) => Promise<R>): void {
		const controller = new AbortController();
		const k = key(client, runId);
		this.runs.set(k, { client, address, controller, events: events as RunEvents<unknown> });
		const timer = setTimeout(() => this.stop(k, 'timeout'), this.limits.seconds * 1000);
		let last = -Infinity;
		const handle: RunHandle = {
			runId,
			signal: controller.signal,
			progress: (fraction) => {
				const t = this.now();
				if (controller.signal.aborted || t - last < PROGRESS_INTERVAL_MS) return;
				last = t;
				events.progress(fraction);
			}
		};
		// a run registered before its scenario is even parsed: a cancel at any moment finds it
		Promise.resolve()
			.then(() => work(handle))
			.then(
				(result) => {
					if (controller.signal.aborted) return;
					// the bar ends full whatever the throttle let through last
					events.progress(1);
					events.result(result);
				},
				(err: unknown) => {
					if (controller.signal.aborted) return;
					events.failed(err instanceof Error ? err.message : String(err), err instanceof StudyRefused ? err.problems : undefined);
					// one replication failing fails the run: its other jobs would only keep the shared workers busy
					controller.abort('failed');
				}
			)
			.finally(() => {
				clearTimeout(timer);
				if (this.runs.get(k)?.controller === controller) this.runs.delete(k);
			});
	}

	/** The client's cancel: false when no such run is in progress (it may have just finished). */
	cancel(client: string, runId: string): boolean {
		return this.stop(key(client, runId), 'cancelled');
	}

	/** A client gone: its runs stop, silently. */
	dropClient(client: string): void {
		for (const [k, r] of this.runs) if (r.client === client) this.stop(k, 'disconnected');
	}

	closeAll(): void {
		for (const k of [...this.runs.keys()]) this.stop(k, 'closed');
	}

	private stop(k: string, reason: StopReason): boolean {
		const r = this.runs.get(k);
		if (r === undefined) return false;
		this.runs.delete(k);
		r.controller.abort(reason);
		if (reason === 'cancelled') r.events.cancelled();
		if (reason === 'timeout')
			r.events.failed(`stopped after ${this.limits.seconds} s, the longest a run may take: ask for fewer replications or levels`);
		return true;
	}
}

function key(client: string, runId: string): string {
	return JSON.stringify([client, runId]);
}
