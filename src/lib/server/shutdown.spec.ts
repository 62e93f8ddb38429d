import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installGracefulShutdown, ShutdownSteps, type ShutdownProcess, type ShutdownSignal } from './shutdown';

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

	const install = (close: () => Promise<void>, timeoutMs = 5_000, steps = new ShutdownSteps()) =>
		installGracefulShutdown({ close }, { proc, timeoutMs, steps, log: (line) => logged.push(line) });

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

	it('runs the shutdown steps after close(), one after another, and exits only when the last has finished', async () => {
		const order: string[] = [];
		const steps = new ShutdownSteps();
		const live = deferred();
		steps.add('live', async () => {
			order.push('live:start');
			await live.promise;
			order.push('live:end');
		});
		steps.add('studio', async () => {
			order.push('studio');
		});
		const closing = deferred();
		install(() => closing.promise.then(() => void order.push('server')), 5_000, steps);
		proc.send('SIGTERM');
		await vi.advanceTimersByTimeAsync(10);
		expect(order).toEqual([]);
		closing.resolve();
		await vi.advanceTimersByTimeAsync(10);
		expect(order).toEqual(['server', 'live:start']);
		expect(proc.exits).toEqual([]);
		live.resolve();
		await vi.advanceTimersByTimeAsync(10);
		expect(order).toEqual(['server', 'live:start', 'live:end', 'studio']);
		expect(proc.exits).toEqual([0]);
	});

	it('a failing step exits 1 after the other steps ran; a hung one is cut by the timeout, exiting once', async () => {
		const steps = new ShutdownSteps();
		const ran: string[] = [];
		steps.add('journal', () => Promise.reject(new Error('disk full')));
		steps.add('studio', async () => void ran.push('studio'));
		install(() => Promise.resolve(), 5_000, steps);
		proc.send('SIGTERM');
		await vi.runAllTimersAsync();
		expect(ran).toEqual(['studio']);
		expect(proc.exits).toEqual([1]);
		expect(logged).toContain('shutdown failed: journal: disk full');

		proc = new FakeProcess();
		const hung = new ShutdownSteps();
		const release = deferred();
		hung.add('stuck', () => release.promise);
		install(() => Promise.resolve(), 3_000, hung);
		proc.send('SIGINT');
		await vi.advanceTimersByTimeAsync(3_000);
		expect(proc.exits).toEqual([1]);
		release.resolve();
		await vi.runAllTimersAsync();
		expect(proc.exits).toEqual([1]);
	});

	it('a removed step is not run', async () => {
		const steps = new ShutdownSteps();
		const ran: string[] = [];
		const remove = steps.add('gone', async () => void ran.push('gone'));
		steps.add('kept', async () => void ran.push('kept'));
		remove();
		install(() => Promise.resolve(), 5_000, steps);
		proc.send('SIGTERM');
		await vi.runAllTimersAsync();
		expect(ran).toEqual(['kept']);
	});
});

describe('installGracefulShutdown with a real file', () => {
	let dir: string;
	beforeEach(() => {
		dir = mkdtempSync(join(tmpdir(), 'hb-shutdown-'));
	});
	afterEach(() => rmSync(dir, { recursive: true, force: true }));

	it('the process exits only after a step has written, synced and closed its file', async () => {
		const proc = new FakeProcess();
		const path = join(dir, 'journal.ndjson');
		const fh = await open(path, 'w');
		const steps = new ShutdownSteps();
		steps.add('journal', async () => {
			// a journal's last records and its fsync take real I/O time
			for (let i = 0; i < 200; i++) await fh.write(`{"n":${i}}\n`);
			await fh.sync();
			await fh.close();
		});
		let contentAtExit: string | null = null;
		proc.exit = (code: number) => {
			proc.exits.push(code);
			contentAtExit = readFileSync(path, 'utf8');
		};
		installGracefulShutdown({ close: () => Promise.resolve() }, { proc, steps, log: () => {} });
		proc.send('SIGTERM');
		const start = Date.now();
		while (proc.exits.length === 0 && Date.now() - start < 5_000) await new Promise((r) => setTimeout(r, 5));
		expect(proc.exits).toEqual([0]);
		expect((contentAtExit ?? '').trim().split('\n')).toHaveLength(200);
	});
});
