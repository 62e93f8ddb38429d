import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createHeatboardServer, type HeatboardServer, type RequestHandler } from './http';

const servers: HeatboardServer[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
	for (const socket of sockets.splice(0)) socket.disconnect();
	await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(
	handler: RequestHandler,
	extra: { now?: () => number; log?: (line: string) => void } = {}
): Promise<{ server: HeatboardServer; base: string; address: AddressInfo }> {
	const server = createHeatboardServer({ handler, version: '9.8.7', ...extra });
	servers.push(server);
	const address = await server.listen(0, '127.0.0.1');
	return { server, address, base: `http://127.0.0.1:${address.port}` };
}

const textHandler: RequestHandler = (req, res) => {
	res.writeHead(200, { 'content-type': 'text/plain' });
	res.end(`app:${req.method ?? ''} ${req.url ?? ''}`);
};

function connectSocket(base: string): Promise<Socket> {
	const socket = connect(base, { transports: ['websocket'], reconnection: false, timeout: 5_000 });
	sockets.push(socket);
	return new Promise((resolve, reject) => {
		socket.once('connect', () => resolve(socket));
		socket.once('connect_error', reject);
	});
}

describe('createHeatboardServer', () => {
	it('answers /healthz itself with status, whole-second uptime and version', async () => {
		let now = 1_000_000;
		const { base } = await start(textHandler, { now: () => now });
		now += 42_900;
		const response = await fetch(`${base}/healthz?probe=1`);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
		expect(response.headers.get('cache-control')).toBe('no-store');
		expect(await response.json()).toEqual({ status: 'ok', uptimeSeconds: 42, version: '9.8.7' });
	});

	it('passes every other request, including near misses of /healthz, to the app handler', async () => {
		const { base } = await start(textHandler);
		for (const path of ['/', '/healthz/extra', '/healthzz', '/queues?x=1']) {
			const response = await fetch(`${base}${path}`);
			expect(await response.text()).toBe(`app:GET ${path}`);
		}
		const post = await fetch(`${base}/healthz`, { method: 'POST' });
		expect(await post.text()).toBe('app:POST /healthz');
	});

	it("turns the handler's next() into a JSON 404", async () => {
		const { base } = await start((_req, _res, next) => next());
		const response = await fetch(`${base}/nowhere`);
		expect(response.status).toBe(404);
		expect(await response.json()).toEqual({ error: 'not found' });
	});

	it('answers 500 and logs when the handler throws or rejects, and keeps serving', async () => {
		const logged: string[] = [];
		const { base } = await start(
			async (req, res) => {
				if (req.url === '/throw') throw new Error('boom');
				res.end('fine');
			},
			{ log: (line) => logged.push(line) }
		);
		const failed = await fetch(`${base}/throw`);
		expect(failed.status).toBe(500);
		expect(await failed.json()).toEqual({ error: 'internal error' });
		expect(logged.join('\n')).toContain('request GET /throw failed: Error: boom');
		expect(await (await fetch(`${base}/ok`)).text()).toBe('fine');
	});

	it('accepts socket.io connections on the same port and exposes the io server for handlers', async () => {
		const { server, base } = await start(textHandler);
		server.io.on('connection', (socket) => {
			socket.on('echo', (value: string, ack: (reply: string) => void) => ack(`echo:${value}`));
		});
		const socket = await connectSocket(base);
		expect(socket.connected).toBe(true);
		const reply = await socket.emitWithAck('echo', 'hot-call');
		expect(reply).toBe('echo:hot-call');
		expect(server.io.engine.clientsCount).toBe(1);
	});

	it('close() disconnects sockets, releases the port and is idempotent', async () => {
		const { server, base, address } = await start(textHandler);
		const socket = await connectSocket(base);
		const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));
		// A keep-alive HTTP connection must not hold the close open.
		await (await fetch(`${base}/`)).text();

		const first = server.close();
		expect(server.close()).toBe(first);
		await first;

		expect(await disconnected).toBe('transport close');
		expect(server.httpServer.listening).toBe(false);
		await expect(fetch(`${base}/healthz`)).rejects.toThrow();

		// The port is really free: a new server can bind it.
		const again = createHeatboardServer({ handler: textHandler, version: 'x' });
		servers.push(again);
		await expect(again.listen(address.port, '127.0.0.1')).resolves.toMatchObject({ port: address.port });
	});

	it('close() cuts requests still running after the drain timeout', async () => {
		const server = createHeatboardServer({ handler: () => undefined, version: 'x', drainTimeoutMs: 100 });
		servers.push(server);
		const { port } = await server.listen(0, '127.0.0.1');
		let seen = false;
		server.httpServer.once('request', () => (seen = true));
		const hanging = fetch(`http://127.0.0.1:${port}/never-answered`).then(
			() => 'answered',
			() => 'cut'
		);
		await expect.poll(() => seen).toBe(true);

		const started = performance.now();
		await server.close();
		expect(performance.now() - started).toBeGreaterThanOrEqual(90);
		expect(await hanging).toBe('cut');
	});

	it('close() before listen() resolves', async () => {
		const server = createHeatboardServer({ handler: textHandler, version: 'x' });
		await expect(server.close()).resolves.toBeUndefined();
	});

	it('listen() rejects when the port is taken', async () => {
		const { address } = await start(textHandler);
		const second = createHeatboardServer({ handler: textHandler, version: 'x' });
		servers.push(second);
		await expect(second.listen(address.port, '127.0.0.1')).rejects.toMatchObject({ code: 'EADDRINUSE' });
	});
});
