export type ShutdownSignal = 'SIGINT' | 'SIGTERM';

/** The slice of `process` shutdown needs, so tests can drive it with a fake. */
export interface ShutdownProcess {
	on(event: ShutdownSignal, listener: (signal: ShutdownSignal) => void): unknown;
	off(event: ShutdownSignal, listener: (signal: ShutdownSignal) => void): unknown;
	exit(code: number): void;
}

export interface Closable {
	close(): Promise<void>;
}

export interface GracefulShutdownOptions {
	proc?: ShutdownProcess;
	/** Upper bound for close() and the steps after it; a hung close must not keep a stopped container alive. */
	timeoutMs?: number;
	log?: (line: string) => void;
	/** run after `target` has closed (default: the process-wide steps `onShutdown` adds to) */
	steps?: ShutdownSteps;
}

/**
 * Async work that must finish before the process exits, once the server has stopped taking
 * requests: the live journal's fsync and close, the studio's workers. Run one after another, in the
 * order added, so a later step may rely on an earlier one having finished.
 */
export class ShutdownSteps {
	private readonly steps: Array<{ name: string; run: () => Promise<void> }> = [];

	/** Returns a function taking the step off again. */
	add(name: string, run: () => Promise<void>): () => void {
		const step = { name, run };
		this.steps.push(step);
		return () => {
			const i = this.steps.indexOf(step);
			if (i >= 0) this.steps.splice(i, 1);
		};
	}

	/** Runs every step; one failing does not skip the others. Returns the failures. */
	async run(): Promise<string[]> {
		const failures: string[] = [];
		for (const step of [...this.steps]) {
			try {
				await step.run();
			} catch (err) {
				failures.push(`${step.name}: ${err instanceof Error ? err.message : String(err)}`);
			}
		}
		return failures;
	}
}

/** The steps the signal handler of this process runs (server.ts adds the live source and the studio). */
export const processShutdownSteps = new ShutdownSteps();

/** Adds a step to run on SIGINT/SIGTERM after the server has closed, before the process exits. */
export function onShutdown(name: string, run: () => Promise<void>): () => void {
	return processShutdownSteps.add(name, run);
}

const SIGNALS: readonly ShutdownSignal[] = ['SIGINT', 'SIGTERM'];
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 5_000;

/**
 * First SIGINT/SIGTERM closes `target`, then runs the shutdown steps, and exits 0 (1 if one of
 * them fails or all of it takes longer than the timeout);
 * a second signal exits 1 immediately, for an impatient Ctrl-C. Returns a function removing the listeners.
 */
export function installGracefulShutdown(target: Closable, options: GracefulShutdownOptions = {}): () => void {
	const proc: ShutdownProcess = options.proc ?? process;
	const timeoutMs = options.timeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
	const log = options.log ?? ((line: string) => console.error(line));
	const steps = options.steps ?? processShutdownSteps;
	let shuttingDown = false;

	const onSignal = (signal: ShutdownSignal) => {
		if (shuttingDown) {
			log(`${signal} received again: exiting without waiting`);
			proc.exit(1);
			return;
		}
		shuttingDown = true;
		log(`${signal} received: shutting down`);
		let done = false;
		const finish = (code: number, line: string) => {
			if (done) return;
			done = true;
			clearTimeout(deadline);
			log(line);
			proc.exit(code);
		};
		const deadline = setTimeout(() => finish(1, `shutdown took longer than ${timeoutMs} ms: forcing exit`), timeoutMs);
		const closing = target.close().then(
			() => null,
			(err: unknown) => (err instanceof Error ? err.message : String(err))
		);
		// the steps run even when the server failed to close: an unsynced journal is worse than a stuck socket
		void closing.then(async (closeFailure) => {
			const failures = await steps.run();
			if (closeFailure !== null) failures.unshift(closeFailure);
			if (failures.length === 0) finish(0, 'shutdown complete');
			else finish(1, `shutdown failed: ${failures.join('; ')}`);
		});
	};

	for (const signal of SIGNALS) proc.on(signal, onSignal);
	return () => {
		for (const signal of SIGNALS) proc.off(signal, onSignal);
	};
}
