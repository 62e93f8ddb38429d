import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as SocketIOServer } from 'socket.io';
import { buildHealthReport, isHealthRequest } from './health';

/**
 * Connect/polka-style middleware, the shape of adapter-node's `handler`.
 * The return value is ignored except for rejected promises, which become 500s.
 */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => unknown;

export interface HeatboardServerOptions {
	handler: RequestHandler;
	version: string;
	/** Wall clock for the uptime in /healthz; injectable so tests need not sleep. */
	now?: () => number;
	/** How long in-flight HTTP requests may run after close() before their sockets are cut. */
	drainTimeoutMs?: number;
	log?: (line: string) => void;
}

export interface HeatboardServer {
	readonly httpServer: HttpServer;
	/** The one socket.io server; the engine hub attaches its namespaces and handlers here. */
	readonly io: SocketIOServer;
	listen(port: number, host: string): Promise<AddressInfo>;
	/** Disconnects sockets, stops accepting connections and resolves once the port is released. Idempotent. */
	close(): Promise<void>;
}

const DEFAULT_DRAIN_TIMEOUT_MS = 2_000;

export function createHeatboardServer(options: HeatboardServerOptions): HeatboardServer {
	const now = options.now ?? Date.now;
	const log = options.log ?? ((line: string) => console.error(line));
	const drainTimeoutMs = options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
	const startedAtMs = now();

	const httpServer = createServer((req, res) => {
		if (isHealthRequest(req.method, req.url)) {
			sendJson(res, 200, buildHealthReport(startedAtMs, now(), options.version), req.method === 'HEAD');
			return;
		}
		runHandler(options.handler, req, res, log);
	});

	// Same origin as the page, so no CORS; serveClient stays on so a plain page can load /socket.io/socket.io.js.
	const io = new SocketIOServer(httpServer);

	let closing: Promise<void> | undefined;

	return {
		httpServer,
		io,
		listen: (port, host) => listen(httpServer, port, host),
		close() {
			closing ??= new Promise<void>((resolve, reject) => {
				const cutStragglers = setTimeout(() => httpServer.closeAllConnections(), drainTimeoutMs);
				// io.close() also closes httpServer, which refuses new connections and drops idle keep-alive ones.
				void io.close((err) => {
					clearTimeout(cutStragglers);
					if (err === undefined || isNotRunning(err)) resolve();
					else reject(err);
				});
			});
			return closing;
		}
	};
}

function runHandler(
	handler: RequestHandler,
	req: IncomingMessage,
	res: ServerResponse,
	log: (line: string) => void
): void {
	const notFound = () => sendJson(res, 404, { error: 'not found' }, req.method === 'HEAD');
	const fail = (err: unknown) => {
		log(`request ${req.method ?? '?'} ${req.url ?? '?'} failed: ${describe(err)}`);
		if (!res.headersSent) sendJson(res, 500, { error: 'internal error' }, false);
		else res.destroy();
	};
	try {
		const result = handler(req, res, notFound);
		if (result instanceof Promise) result.catch(fail);
	} catch (err) {
		fail(err);
	}
}

function sendJson(res: ServerResponse, status: number, body: unknown, headOnly: boolean): void {
	const payload = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json; charset=utf-8',
		'content-length': Buffer.byteLength(payload),
		'cache-control': 'no-store'
	});
	res.end(headOnly ? undefined : payload);
}

function listen(httpServer: HttpServer, port: number, host: string): Promise<AddressInfo> {
	return new Promise((resolve, reject) => {
		const onError = (err: Error) => reject(err);
		httpServer.once('error', onError);
		httpServer.listen(port, host, () => {
			httpServer.off('error', onError);
			const address = httpServer.address();
			if (address === null || typeof address === 'string') {
				reject(new Error(`expected a TCP address, got ${String(address)}`));
				return;
			}
			resolve(address);
		});
	});
}

function isNotRunning(err: Error): boolean {
	return 'code' in err && err.code === 'ERR_SERVER_NOT_RUNNING';
}

function describe(err: unknown): string {
	return err instanceof Error ? (err.stack ?? err.message) : String(err);
}
