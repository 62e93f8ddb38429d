/**
 * A board server of a test's own: `node --import tsx server.ts` (what `npm start` runs) on a port of
 * its choosing, for the tests that must pause its source or kill it, which the shared webServer of
 * playwright.config.ts is not there for. It serves the production build: run `npm run build` first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { io as connect } from 'socket.io-client';
import type { BoardSnapshot, ClientToServer, ServerToClient } from '../../src/lib/protocol';
import type { Socket } from 'socket.io-client';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HOST = '127.0.0.1';

// A test runner stopped half-way (Ctrl-C, a worker torn down) skips the tests' own clean-up:
// no board server may outlive the process that started it.
const running = new Set<ChildProcess>();
process.once('exit', () => {
	for (const child of running) child.kill('SIGKILL');
});

export interface BoardServerOptions {
	/** a port to listen on; a free one when absent (pass the old one to restart "the same server") */
	port?: number;
	/** HEATBOARD_* settings (and anything else) on top of the test process's environment */
	env?: Record<string, string>;
	/** how long to wait for /healthz */
	readyTimeoutMs?: number;
}

export interface BoardServer {
	readonly port: number;
	/** http://127.0.0.1:port */
	readonly url: string;
	readonly pid: number;
	/** everything the process wrote, for failure messages */
	output(): string;
	/** SIGKILL, the way a crash or an OOM kill ends it: no graceful shutdown, sockets just drop */
	kill(): Promise<void>;
	/** SIGTERM (graceful), SIGKILL if it has not exited after a few seconds; idempotent */
	stop(): Promise<void>;
}

/** A port nothing listens on now (the OS picks it), so parallel runs and a dev server do not collide. */
export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.unref();
		probe.once('error', reject);
		probe.listen(0, HOST, () => {
			const address = probe.address();
			probe.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
		});
	});
}

export async function startBoardServer(options: BoardServerOptions = {}): Promise<BoardServer> {
	if (!existsSync(new URL('../../build/handler.js', import.meta.url))) {
		throw new Error('build/handler.js is missing: run `npm run build` before the end-to-end tests');
	}
	const port = options.port ?? (await freePort());
	const url = `http://${HOST}:${port}`;
	const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
		cwd: REPO_ROOT,
		env: { ...process.env, ...options.env, PORT: String(port), HOST },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	running.add(child);
	child.once('exit', () => running.delete(child));
	let log = '';
	const keep = (chunk: Buffer) => {
		log += chunk.toString('utf8');
	};
	child.stdout?.on('data', keep);
	child.stderr?.on('data', keep);
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

	const server: BoardServer = {
		port,
		url,
		pid: child.pid ?? -1,
		output: () => log,
		kill: async () => {
			if (!hasExited(child)) child.kill('SIGKILL');
			await exited;
		},
		stop: async () => {
			if (hasExited(child)) return;
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
			await exited;
			clearTimeout(timer);
		}
	};
	try {
		await waitForHealth(url, child, options.readyTimeoutMs ?? 20_000);
	} catch (err) {
		await server.kill();
		throw new Error(`${err instanceof Error ? err.message : String(err)}\n--- server output ---\n${log}`);
	}
	return server;
}

function hasExited(child: ChildProcess): boolean {
	return child.exitCode !== null || child.signalCode !== null;
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (hasExited(child)) throw new Error(`the board server exited (${child.exitCode ?? child.signalCode}) before it answered /healthz`);
		try {
			const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_000) });
			if (res.ok) return;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) throw new Error(`no answer from ${url}/healthz within ${timeoutMs} ms`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

type ControlSocket = Socket<ServerToClient, ClientToServer>;

/**
 * Sends a control message from a socket of the test's own, and returns the snapshot the server
 * sends that same socket right after it: socket.io keeps one client's messages in order, so the
 * snapshot proves the control was applied (the protocol has no acknowledgement for it).
 *
 * Paused before anything has asked for a figure, the simulator runs exactly to its warm start and
 * stays there: with a fixed seed, the same board every run.
 */
export async function controlSource(url: string, msg: Parameters<ClientToServer['control']>[0]): Promise<BoardSnapshot> {
	const socket: ControlSocket = connect(url, { transports: ['websocket'], reconnection: false, timeout: 5_000 });
	try {
		return await new Promise<BoardSnapshot>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`no snapshot after ${msg.action} within 10 s`)), 10_000);
			socket.once('connect_error', (err) => reject(err));
			socket.once('warning', (w) => reject(new Error(`${msg.action} refused: ${w.message}`)));
			socket.once('snapshot', (s) => {
				clearTimeout(timer);
				resolve(s);
			});
			socket.once('connect', () => {
				socket.emit('control', msg);
				socket.emit('subscribe', { queues: [] });
			});
		});
	} finally {
		socket.disconnect();
	}
}

/** GET /api/snapshot: what a board subscribed to these queues (all when none) shows now. */
export async function fetchSnapshot(url: string, queues: readonly string[] = []): Promise<BoardSnapshot> {
	const query = queues.length > 0 ? `?queues=${encodeURIComponent(queues.join(','))}` : '';
	const res = await fetch(`${url}/api/snapshot${query}`, { signal: AbortSignal.timeout(5_000) });
	if (!res.ok) throw new Error(`GET /api/snapshot${query}: ${res.status} ${await res.text()}`);
	return (await res.json()) as BoardSnapshot;
}

/**
 * Seed 137 of the default scenario (multi-skill.yaml) at 10:00: both queues have callers on hold, 9
 * and 2 callbacks, 11 in line, more than the overview's 7 rows; the longest wait (6:13.2 at
 * 10:00:00, a sales caller) only grows for the first seconds once the source plays (checked to 8 s).
 */
export const BUSY_MORNING: Readonly<Record<string, string>> = { HEATBOARD_SEED: '137', HEATBOARD_WARM_START: '10:00' };

/** Seed 22 at 09:45: a full board (8 on hold, 6 callbacks), for the layout. */
export const RUSH_HOUR: Readonly<Record<string, string>> = { HEATBOARD_SEED: '22', HEATBOARD_WARM_START: '09:45' };

/** A server whose simulator is paused at its warm start: the same figures on every run and every read. */
export async function startPausedBoard(env: Readonly<Record<string, string>>): Promise<{ server: BoardServer; snapshot: BoardSnapshot }> {
	const server = await startBoardServer({ env: { ...env } });
	try {
		const snapshot = await controlSource(server.url, { action: 'pause' });
		if (!snapshot.source.paused) throw new Error('the source did not pause');
		return { server, snapshot };
	} catch (err) {
		await server.stop();
		throw err;
	}
}
