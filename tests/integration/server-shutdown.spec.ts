import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const fixture = 'tests/integration/fixtures/stub-server.ts';

interface Running {
	child: ChildProcess;
	base: string;
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	output: () => string;
}

const children: ChildProcess[] = [];
const sockets: Socket[] = [];

afterEach(() => {
	for (const socket of sockets.splice(0)) socket.disconnect();
	for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Starts the real entry wiring in its own process, as `npm start` would, on an OS-assigned port. */
function startServer(): Promise<Running> {
	const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
		cwd: repoRoot,
		env: { ...process.env, PORT: '0', HOST: '127.0.0.1' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	children.push(child);
	let output = '';
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
		child.once('exit', (code, signal) => resolve({ code, signal }))
	);
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 20_000);
		const onData = (chunk: Buffer) => {
			output += chunk.toString();
			const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
			if (match?.[1] !== undefined) {
				clearTimeout(timer);
				resolve({ child, base: match[1], exited, output: () => output });
			}
		};
		child.stdout?.on('data', onData);
		child.stderr?.on('data', onData);
		void exited.then(({ code }) => reject(new Error(`server exited with ${String(code)} during startup:\n${output}`)));
	});
}

function connectSocket(base: string): Promise<Socket> {
	const socket = connect(base, { transports: ['websocket'], reconnection: false, timeout: 5_000 });
	sockets.push(socket);
	return new Promise((resolve, reject) => {
		socket.once('connect', () => resolve(socket));
		socket.once('connect_error', reject);
	});
}

describe('server process shutdown', () => {
	it.each(['SIGTERM', 'SIGINT'] as const)(
		'on %s disconnects socket.io clients, releases the port and exits 0 within seconds',
		async (signal) => {
			const server = await startServer();
			const health = await fetch(`${server.base}/healthz`);
			expect(await health.json()).toMatchObject({ status: 'ok', version: 'stub' });
			expect(await (await fetch(`${server.base}/`)).text()).toBe('stub app');

			const socket = await connectSocket(server.base);
			const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));

			const signalledAt = performance.now();
			server.child.kill(signal);
			const { code } = await server.exited;
			const tookMs = performance.now() - signalledAt;

			expect(code, server.output()).toBe(0);
			expect(tookMs).toBeLessThan(5_000);
			expect(await disconnected).toBe('transport close');
			expect(server.output()).toContain(`${signal} received: shutting down`);
			expect(server.output()).toContain('shutdown complete');
			await expect(fetch(`${server.base}/healthz`)).rejects.toThrow();
		}
	);
});
