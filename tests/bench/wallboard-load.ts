/**
 * Many boards on one server: socket.io clients in this process, each subscribing like a board
 * does, stamping every message as it arrives and checking the seqs run on without a gap. They do
 * not resync: a gap is a failure of the benchmark, not something to recover from.
 */
import { io, type Socket } from 'socket.io-client';
import type { BoardDelta, BoardSnapshot, BoardWarning, ClientToServer, ServerToClient } from '../../src/lib/protocol';

export interface ReceivedDelta {
	seq: number;
	/** source clock of the state the delta brings */
	t: number;
	/** the server's wall clock when it built the delta (Date.now(), whole ms) */
	wallMs: number;
	/** wall clock here when the delta reached its handler, parsed (performance.timeOrigin + performance.now()) */
	recvMs: number;
	/** the socket.io packet as it came off the WebSocket, UTF-8 bytes */
	bytes: number;
	/** the whole delta, kept only for the clients asked to (for checks against the server's engine) */
	body?: BoardDelta;
}

export interface LoadClient {
	index: number;
	/** what it subscribed to; empty for every queue */
	queues: string[];
	snapshot: { seq: number; t: number; bytes: number } | null;
	deltas: ReceivedDelta[];
	/** anything a well-behaved board would not see: gaps, warnings, errors, disconnects, snapshots after the first */
	problems: string[];
}

export interface Fleet {
	clients: LoadClient[];
	/** disconnects every client */
	close(): void;
}

export interface FleetOptions {
	url: string;
	/** one entry per client: the queues it subscribes to */
	subscriptions: string[][];
	/** clients connecting at once; the rest wait, so the server builds snapshots in small waves */
	wave: number;
	timeoutMs: number;
	/** clients whose delta bodies are kept */
	keepBodies: ReadonlySet<number>;
}

const wall = () => performance.timeOrigin + performance.now();

/** Connects every client and resolves once each has its snapshot; rejects (closing them all) on timeout. */
export async function connectFleet(options: FleetOptions): Promise<Fleet> {
	const sockets: Socket<ServerToClient, ClientToServer>[] = [];
	const clients: LoadClient[] = [];
	let closing = false;
	const close = () => {
		closing = true;
		for (const s of sockets) {
			s.removeAllListeners();
			s.disconnect();
		}
	};

	const open = (index: number, queues: string[]) =>
		new Promise<void>((resolve) => {
			const client: LoadClient = { index, queues, snapshot: null, deltas: [], problems: [] };
			clients.push(client);
			// a board of its own: no shared connection, no reconnection to hide a drop
			const socket: Socket<ServerToClient, ClientToServer> = io(options.url, {
				transports: ['websocket'],
				forceNew: true,
				reconnection: false,
				timeout: options.timeoutMs
			});
			sockets.push(socket);
			let packetBytes = 0;
			let lastSeq = -1;
			socket.io.on('open', () => {
				socket.io.engine.on('packet', (p: { type: string; data?: unknown }) => {
					if (p.type === 'message' && typeof p.data === 'string') packetBytes = Buffer.byteLength(p.data);
				});
			});
			socket.on('connect', () => socket.emit('subscribe', { queues }));
			socket.on('snapshot', (msg: BoardSnapshot) => {
				if (client.snapshot === null) {
					client.snapshot = { seq: msg.seq, t: msg.t, bytes: packetBytes };
					lastSeq = msg.seq;
					resolve();
					return;
				}
				client.problems.push(`snapshot seq ${msg.seq} after the first (new day or resync)`);
				lastSeq = msg.seq;
			});
			socket.on('delta', (msg: BoardDelta) => {
				const recvMs = wall();
				if (client.snapshot === null) {
					client.problems.push(`delta seq ${msg.seq} before the snapshot`);
					return;
				}
				if (msg.seq !== lastSeq + 1) client.problems.push(`gap: delta seq ${msg.seq} after ${lastSeq}`);
				lastSeq = msg.seq;
				const d: ReceivedDelta = { seq: msg.seq, t: msg.t, wallMs: msg.wallMs, recvMs, bytes: packetBytes };
				if (options.keepBodies.has(index)) d.body = msg;
				client.deltas.push(d);
			});
			socket.on('warning', (w: BoardWarning) => client.problems.push(`warning ${w.code}: ${w.message}`));
			socket.on('connect_error', (err) => client.problems.push(`connect error: ${err.message}`));
			socket.on('disconnect', (reason) => {
				if (!closing) client.problems.push(`disconnected: ${reason}`);
			});
		});

	let timeout: ReturnType<typeof setTimeout> | undefined;
	const timer = new Promise<never>((_, reject) => {
		timeout = setTimeout(() => {
			const waiting = clients.filter((c) => c.snapshot === null);
			const why = waiting.flatMap((c) => c.problems).slice(0, 3);
			reject(
				new Error(
					`${waiting.length} of ${options.subscriptions.length} clients got no snapshot in ${options.timeoutMs} ms; ${why.join('; ')}`
				)
			);
		}, options.timeoutMs);
	});
	try {
		for (let i = 0; i < options.subscriptions.length; i += options.wave) {
			const wave = options.subscriptions.slice(i, i + options.wave).map((queues, k) => open(i + k, queues));
			await Promise.race([Promise.all(wave), timer]);
		}
	} catch (err) {
		close();
		throw err;
	} finally {
		clearTimeout(timeout);
	}
	return { clients, close };
}
