import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installGracefulShutdown, type ShutdownProcess, type ShutdownSignal } from './shutdown';

class FakeProcess implements ShutdownProcess {
	readonly exits: number[] = [];
	private readonly emitter = new EventEmitter();
	on(event: ShutdownSignal, listener: (signal: ShutdownSignal) => void) {
		this.emitter.on(event, listener);
	}
	off(event: ShutdownSignal, listener: (signal: ShutdownSignal) => void) {
		this.emitter.off(event, listener);
	}
	exit(code: number) {
		this.exits.push(code);
	}
	send(signal: ShutdownSignal) {
		this.emitter.emit(signal, signal);
	}
	listeners(signal: ShutdownSignal) {
		return this.emitter.listenerCount(signal);
	}
}

function deferred() {
	let resolve!: () => void;
	let reject!: (err: Error) => void;
	const promise = new Promise<void>((res, rej) => {
		resolve = res;
		reject = rej;
	});
	return { promise, resolve, reject };
}

describe('installGracefulShutdown', () => {
	let proc: FakeProcess;
	let logged: string[];
	beforeEach(() => {
		vi.useFakeTimers();
		proc = new FakeProcess();
		logged = [];
	});
	afterEach(() => vi.useRealTimers());

	const install = (close: () => Promise<void>, timeoutMs = 5_000) =>
		installGracefulShutdown({ close }, { proc, timeoutMs, log: (line) => logged.push(line) });

	it.each<ShutdownSignal>(['SIGTERM', 'SIGINT'])('on %s closes the target, then exits 0', async (signal) => {
		const closing = deferred();
		const close = vi.fn(() => closing.promise);
		install(close);

		proc.send(signal);
		expect(close).toHaveBeenCalledTimes(1);
		expect(proc.exits).toEqual([]); // not before close() has finished

		closing.resolve();
		await vi.runAllTimersAsync();
		expect(proc.exits).toEqual([0]);
		expect(logged).toEqual([`${signal} received: shutting down`, 'shutdown complete']);
	});

	it('exits 1 when close() rejects', async () => {
		install(() => Promise.reject(new Error('adapter stuck')));
		proc.send('SIGTERM');
		await vi.runAllTimersAsync();
		expect(proc.exits).toEqual([1]);
		expect(logged).toContain('shutdown failed: adapter stuck');
	});

	it('forces exit 1 when close() outlives the timeout', async () => {
		install(() => new Promise<void>(() => {}), 3_000);
		proc.send('SIGTERM');
		await vi.advanceTimersByTimeAsync(2_999);
		expect(proc.exits).toEqual([]);
		await vi.advanceTimersByTimeAsync(1);
		expect(proc.exits).toEqual([1]);
	});

	it('a second signal exits 1 at once without closing again', async () => {
		const close = vi.fn(() => new Promise<void>(() => {}));
		install(close);
		proc.send('SIGTERM');
		proc.send('SIGINT');
		expect(close).toHaveBeenCalledTimes(1);
		expect(proc.exits).toEqual([1]);
	});

	it('the returned function removes the signal listeners', () => {
		const uninstall = install(() => Promise.resolve());
		expect(proc.listeners('SIGTERM')).toBe(1);
		expect(proc.listeners('SIGINT')).toBe(1);
		uninstall();
		expect(proc.listeners('SIGTERM')).toBe(0);
		expect(proc.listeners('SIGINT')).toBe(0);
	});

	it('accepts the real process object', () => {
		const before = process.listenerCount('SIGTERM');
		const uninstall = installGracefulShutdown({ close: () => Promise.resolve() });
		expect(process.listenerCount('SIGTERM')).toBe(before + 1);
		uninstall();
		expect(process.listenerCount('SIGTERM')).toBe(before);
	});
});
