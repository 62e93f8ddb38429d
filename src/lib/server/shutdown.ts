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
	/** Upper bound for close(); a hung close must not keep a stopped container alive. */
	timeoutMs?: number;
	log?: (line: string) => void;
}

const SIGNALS: readonly ShutdownSignal[] = ['SIGINT', 'SIGTERM'];
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 5_000;

/**
 * First SIGINT/SIGTERM closes `target` and exits 0 (1 if close fails or times out);
 * a second signal exits 1 immediately, for an impatient Ctrl-C. Returns a function removing the listeners.
 */
export function installGracefulShutdown(target: Closable, options: GracefulShutdownOptions = {}): () => void {
	const proc: ShutdownProcess = options.proc ?? process;
	const timeoutMs = options.timeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
	const log = options.log ?? ((line: string) => console.error(line));
	let shuttingDown = false;

	const onSignal = (signal: ShutdownSignal) => {
		if (shuttingDown) {
			log(`${signal} received again: exiting without waiting`);
			proc.exit(1);
			return;
		}
		shuttingDown = true;
		log(`${signal} received: shutting down`);
		const deadline = setTimeout(() => {
			log(`shutdown took longer than ${timeoutMs} ms: forcing exit`);
			proc.exit(1);
		}, timeoutMs);
		target.close().then(
			() => {
				clearTimeout(deadline);
				log('shutdown complete');
				proc.exit(0);
			},
			(err: unknown) => {
				clearTimeout(deadline);
				log(`shutdown failed: ${err instanceof Error ? err.message : String(err)}`);
				proc.exit(1);
			}
		);
	};

	for (const signal of SIGNALS) proc.on(signal, onSignal);
	return () => {
		for (const signal of SIGNALS) proc.off(signal, onSignal);
	};
}
