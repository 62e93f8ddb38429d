/**
 * What the studio knows of its work on the server: each request's progress and outcome, the
 * latest result per variant, the sweep and the plan. Fed by socket events (studio-socket.ts), held
 * apart from the socket so its rules are tested without one.
 *
 * A result remembers the inputs it was computed from (a fingerprint), so the page can say when
 * the figures on screen no longer match the form.
 */
import type { PlanOutcome, RunResult, ScenarioProblem, StudioError, SweepOutcome } from '../protocol';

export type RunKind = 'run' | 'sweep' | 'plan';
export type RunStatus = 'running' | 'done' | 'cancelled' | 'failed' | 'lost';
export type ConnectionPhase = 'connecting' | 'connected' | 'reconnecting';

export interface RunState {
	runId: string;
	kind: RunKind;
	variantId: string;
	label: string;
	fingerprint: string;
	status: RunStatus;
	fraction: number;
	note?: string;
	message?: string;
	problems?: ScenarioProblem[];
}

export interface Outcome<T> {
	value: T;
	variantId: string;
	fingerprint: string;
}

export class StudioRuns {
	phase = $state<ConnectionPhase>('connecting');
	reconnectAttempt = $state(0);
	connectionError = $state<string | null>(null);
	/** a refusal that names no run */
	serverError = $state<string | null>(null);

	/** newest first per kind and variant: a new request replaces the old one's row */
	runs = $state<RunState[]>([]);
	results = $state.raw<Record<string, Outcome<RunResult>>>({});
	sweep = $state.raw<Outcome<SweepOutcome> | null>(null);
	plan = $state.raw<Outcome<PlanOutcome> | null>(null);

	#counter = 0;
	readonly #prefix: string;

	constructor(prefix = Math.random().toString(36).slice(2, 8)) {
		this.#prefix = prefix;
	}

	start(kind: RunKind, variantId: string, label: string, fingerprint: string): string {
		const runId = `${kind}-${this.#prefix}-${++this.#counter}`;
		const row: RunState = { runId, kind, variantId, label, fingerprint, status: 'running', fraction: 0 };
		this.runs = [...this.runs.filter((r) => !(r.kind === kind && r.variantId === variantId)), row];
		return runId;
	}

	find(runId: string): RunState | undefined {
		return this.runs.find((r) => r.runId === runId);
	}

	latest(kind: RunKind, variantId?: string): RunState | undefined {
		for (let i = this.runs.length - 1; i >= 0; i--) {
			const r = this.runs[i];
			if (r && r.kind === kind && (variantId === undefined || r.variantId === variantId)) return r;
		}
		return undefined;
	}

	get busy(): boolean {
		return this.runs.some((r) => r.status === 'running');
	}

	#running(runId: string): RunState | undefined {
		const r = this.find(runId);
		return r?.status === 'running' ? r : undefined;
	}

	onProgress(msg: { runId: string; fraction: number; note?: string }): void {
		const r = this.#running(msg.runId);
		if (!r || !Number.isFinite(msg.fraction)) return;
		// progress reports can cross on the wire; the bar never runs backwards
		r.fraction = Math.min(1, Math.max(r.fraction, msg.fraction));
		if (msg.note !== undefined) r.note = msg.note;
	}

	onRunResult(msg: RunResult): void {
		const r = this.#finish(msg.runId, 'run');
		if (r) this.results = { ...this.results, [r.variantId]: { value: msg, variantId: r.variantId, fingerprint: r.fingerprint } };
	}

	onSweepResult(msg: SweepOutcome): void {
		const r = this.#finish(msg.runId, 'sweep');
		if (r) this.sweep = { value: msg, variantId: r.variantId, fingerprint: r.fingerprint };
	}

	onPlanResult(msg: PlanOutcome): void {
		const r = this.#finish(msg.runId, 'plan');
		if (r) this.plan = { value: msg, variantId: r.variantId, fingerprint: r.fingerprint };
	}

	/** A result for a request this page no longer waits for (cancelled, replaced) is dropped. */
	#finish(runId: string, kind: RunKind): RunState | undefined {
		const r = this.#running(runId);
		if (!r || r.kind !== kind) return undefined;
		r.status = 'done';
		r.fraction = 1;
		return r;
	}

	/** Asked to cancel: the row says so at once, whether or not the server's confirmation follows. */
	cancel(runId: string): boolean {
		const r = this.#running(runId);
		if (!r) return false;
		r.status = 'cancelled';
		return true;
	}

	onCancelled(msg: { runId: string }): void {
		const r = this.#running(msg.runId);
		if (r) r.status = 'cancelled';
	}

	onStudioError(msg: StudioError): void {
		const r = msg.runId === undefined ? undefined : this.#running(msg.runId);
		if (!r) {
			this.serverError = msg.message;
			return;
		}
		r.status = 'failed';
		r.message = msg.message;
		if (msg.problems) r.problems = msg.problems;
	}

	forget(variantId: string): void {
		this.runs = this.runs.filter((r) => r.variantId !== variantId);
		const { [variantId]: _gone, ...rest } = this.results;
		this.results = rest;
		if (this.sweep?.variantId === variantId) this.sweep = null;
		if (this.plan?.variantId === variantId) this.plan = null;
	}

	onConnect(): void {
		this.phase = 'connected';
		this.reconnectAttempt = 0;
		this.connectionError = null;
	}

	/** The server's work for this socket ends with it: what was running will never report. */
	onDisconnect(): void {
		this.phase = 'reconnecting';
		for (const r of this.runs) {
			if (r.status !== 'running') continue;
			r.status = 'lost';
			r.message = 'the connection to the server dropped; run it again';
		}
	}

	onReconnectAttempt(attempt: number): void {
		this.phase = 'reconnecting';
		this.reconnectAttempt = attempt;
	}

	onConnectError(message: string): void {
		this.connectionError = message;
	}
}
