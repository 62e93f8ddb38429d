import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisHandle {
	port: number;
	/** `redis://127.0.0.1:<port>`, for clients that take a URL. */
	url: string;
	/** Stops the server and waits for the process to exit. Safe to call more than once. */
	stop(): Promise<void>;
}

export interface StartRedisOptions {
	/** How long to wait for the first PONG before giving up. */
	readyTimeoutMs?: number;
	/** Extra `redis-server` arguments, e.g. ['--maxmemory', '10mb']. */
	extraArgs?: readonly string[];
}

const HOST = '127.0.0.1';
const PORT_ATTEMPTS = 5;

/**
 * Starts a real, throwaway `redis-server` on a free loopback port with persistence off.
 * Retries on a new port when another process grabs the probed one before redis binds it.
 */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisHandle> {
	let lastError: unknown;
	for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
		const port = await findFreePort();
		try {
			return await startOnPort(port, options);
		} catch (err) {
			if (!(err instanceof PortTaken)) throw err;
			lastError = err;
		}
	}
	throw new Error(`redis-server failed to start after ${PORT_ATTEMPTS} attempts`, { cause: lastError });
}

class PortTaken extends Error {}

async function startOnPort(port: number, options: StartRedisOptions): Promise<RedisHandle> {
	// Its own working dir, so nothing (dump files, logs) can land in the repo even if a config overrides --save.
	const dir = mkdtempSync(join(tmpdir(), 'heatboard-redis-'));
	const args = [
		'--port', String(port),
		'--bind', HOST,
		'--save', '',
		'--appendonly', 'no',
		'--dir', dir,
		'--daemonize', 'no',
		'--protected-mode', 'yes',
		...(options.extraArgs ?? [])
	];
	const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	const spawnFailed = new Promise<never>((_, reject) =>
		child.once('error', (err) => reject(new Error(`cannot run redis-server (is it installed?): ${err.message}`)))
	);
	const removeDir = () => rmSync(dir, { recursive: true, force: true });
	// A test runner that exits without calling stop() must not leave redis (or its dir) behind.
	const killOnExit = () => {
		child.kill('SIGKILL');
		removeDir();
	};
	process.once('exit', killOnExit);
	const cleanup = () => {
		process.off('exit', killOnExit);
		removeDir();
	};

	let ready = false;
	// Settles only on an exit during startup; a later exit (our own stop()) must not become an unhandled rejection.
	const exitedBeforeReady = new Promise<never>((_, reject) => {
		void exited.then((code) => {
			if (ready) return;
			const message = `redis-server exited with code ${String(code)} before answering PING:\n${output}`;
			reject(output.includes('Address already in use') ? new PortTaken(message) : new Error(message));
		});
	});
	try {
		await Promise.race([
			waitForPong(port, child, options.readyTimeoutMs ?? 10_000),
			spawnFailed,
			exitedBeforeReady
		]);
		ready = true;
	} catch (err) {
		await stopProcess(child, exited);
		cleanup();
		throw err;
	}

	let stopping: Promise<void> | undefined;
	return {
		port,
		url: `redis://${HOST}:${port}`,
		stop() {
			stopping ??= stopProcess(child, exited).finally(cleanup);
			return stopping;
		}
	};
}

async function stopProcess(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
	// No pid: spawn itself failed, there is nothing to stop and 'exit' may never fire.
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
	try {
		await exited;
	} finally {
		clearTimeout(timer);
	}
}

function findFreePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, HOST, () => {
			const address = probe.address();
			probe.close(() => {
				if (address === null || typeof address === 'string') reject(new Error('no TCP port assigned'));
				else resolve(address.port);
			});
		});
	});
}

/**
 * Speaks raw RESP so the helper does not depend on the client library under test. The PONG must come
 * from our child (checked via INFO's process_id): another redis that won the port race could answer too.
 */
async function waitForPong(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		// Startup already failed and is reported by the exit/error handlers; stop polling.
		if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) {
			throw new Error('redis-server is not running');
		}
		if (await pingOnce(port, child.pid)) return;
		if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING within ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

function pingOnce(port: number, expectedPid: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = createConnection({ host: HOST, port });
		let reply = '';
		const finish = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(1_000, () => finish(false));
		socket.once('error', () => finish(false));
		socket.once('connect', () => socket.write('PING\r\nINFO server\r\n'));
		socket.on('data', (chunk) => {
			reply += chunk.toString();
			if (reply.includes('\r\n') && !reply.startsWith('+PONG')) return finish(false);
			const pid = /process_id:(\d+)\r\n/.exec(reply)?.[1];
			if (pid !== undefined) finish(Number(pid) === expectedPid);
		});
	});
}
