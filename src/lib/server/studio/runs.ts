/**
 * The studio's book of runs in progress: who may start one (limits per client and overall), the
 * cancel signal and time limit of each, progress throttled for the wire, and the rule that a run
 * cancelled, timed out or disconnected never reports a result.
 */

export interface RunLimits {
	/** runs one client may have in progress at once */
	perClient: number;
	/** runs in progress at once over all clients */
	overall: number;
	/** a run still going after this long is stopped */
	seconds: number;
}

export const DEFAULT_RUN_LIMITS: RunLimits = { perClient: 2, overall: 4, seconds: 300 };

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
	failed(message: string): void;
}

interface Entry {
	client: string;
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
	refusal(client: string, runId: string): string | null {
		if (this.runs.has(key(client, runId))) return `run "${runId}" is already in progress`;
		const mine = [...this.runs.values()].filter((r) => r.client === client).length;
		if (mine >= this.limits.perClient)
			return `you already have ${mine} runs in progress (at most ${this.limits.perClient} at once): wait for one or cancel it`;
		if (this.runs.size >= this.limits.overall)
			return `the studio is busy with ${this.runs.size} runs (at most ${this.limits.overall} at once): try again in a moment`;
		return null;
	}

	/** Starts `work` as a run; the caller has checked `refusal` first. */
	start<R>(client: string, runId: string, events: RunEvents<R>, work: (run: RunHandle) => Promise<R>): void {
		const controller = new AbortController();
		const k = key(client, runId);
		this.runs.set(k, { client, controller, events: events as RunEvents<unknown> });
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
		work(handle)
			.then(
				(result) => {
					if (!controller.signal.aborted) events.result(result);
				},
				(err: unknown) => {
					if (controller.signal.aborted) return;
					events.failed(err instanceof Error ? err.message : String(err));
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
		if (reason === 'timeout') r.events.failed(`stopped after ${this.limits.seconds} s, the longest a run may take: ask for fewer replications or levels`);
		return true;
	}
}

function key(client: string, runId: string): string {
	return JSON.stringify([client, runId]);
}
