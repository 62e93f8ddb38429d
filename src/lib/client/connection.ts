/**
 * The socket lifecycle of a board: subscribe on every (re)connect, apply snapshots and deltas,
 * ask for a resync on a seq gap, and keep the board told about the connection so it is never
 * silently stale. `BoardConnection` holds the rules and talks to an abstract link, so the specs
 * drive it without a network; `connectBoard` wires it to socket.io-client.
 */
import { io, type Socket } from 'socket.io-client';
import type { BoardWarning, ClientToServer, ServerToClient } from '../protocol';
import type { BoardState } from './board-state.svelte';

export interface BoardLink {
	subscribe(queues: string[]): void;
	resync(lastSeq: number): void;
}

export interface BoardConnectionOptions {
	queues: readonly string[];
	link: BoardLink;
	/** local wall clock */
	now?: () => number;
	/** a resync asked for but not answered is asked again after this long */
	resyncRetryMs?: number;
}

export class BoardConnection {
	readonly #board: BoardState;
	readonly #queues: string[];
	readonly #link: BoardLink;
	readonly #now: () => number;
	readonly #resyncRetryMs: number;
	#resyncAskedAt: number | null = null;

	constructor(board: BoardState, options: BoardConnectionOptions) {
		this.#board = board;
		this.#queues = [...options.queues];
		this.#link = options.link;
		this.#now = options.now ?? Date.now;
		this.#resyncRetryMs = options.resyncRetryMs ?? 3_000;
	}

	/** First connect and every reconnect: the server keeps nothing per board, so subscribe again. */
	onConnect(): void {
		this.#board.phase = 'connected';
		this.#board.reconnectAttempt = 0;
		this.#board.connectionError = null;
		this.#resyncAskedAt = null;
		this.#link.subscribe([...this.#queues]);
	}

	onDisconnect(): void {
		this.#board.phase = 'reconnecting';
	}

	onReconnectAttempt(attempt: number): void {
		this.#board.phase = 'reconnecting';
		this.#board.reconnectAttempt = attempt;
	}

	onConnectError(message: string): void {
		this.#board.phase = this.#board.ready ? 'reconnecting' : 'connecting';
		this.#board.connectionError = message;
	}

	onWarning(msg: BoardWarning): void {
		if (msg.code === 'unknown-queues') {
			const named = msg.queues ?? [];
			const unknown = this.#queues.filter((q) => named.includes(q));
			this.#board.unknownQueues = unknown.length > 0 ? unknown : named;
		} else {
			this.#board.serverWarning = msg.message;
		}
	}

	onSnapshot(msg: unknown): void {
		if (this.#board.applySnapshot(msg, this.#now(), this.#queues) === 'applied') this.#resyncAskedAt = null;
	}

	onDelta(msg: unknown): void {
		const result = this.#board.applyDelta(msg, this.#now());
		if (result !== 'gap') return;
		const now = this.#now();
		// One request per gap: the deltas behind it are gaps too until the snapshot lands.
		if (this.#resyncAskedAt !== null && now - this.#resyncAskedAt < this.#resyncRetryMs) return;
		this.#resyncAskedAt = now;
		this.#link.resync(this.#board.seq);
	}
}

export interface ConnectBoardOptions {
	queues: readonly string[];
	/** server URL; the page's own origin when absent */
	url?: string;
	/** back-off ceiling between reconnection attempts */
	reconnectionDelayMaxMs?: number;
}

/** Opens the socket and returns a function that closes it. Browser only. */
export function connectBoard(board: BoardState, options: ConnectBoardOptions): () => void {
	const maxDelay = options.reconnectionDelayMaxMs ?? 10_000;
	const opts = {
		reconnection: true,
		reconnectionAttempts: Infinity,
		reconnectionDelay: 1_000,
		reconnectionDelayMax: maxDelay,
		randomizationFactor: 0.5,
		timeout: 10_000
	};
	const socket: Socket<ServerToClient, ClientToServer> = options.url === undefined ? io(opts) : io(options.url, opts);
	const conn = new BoardConnection(board, {
		queues: options.queues,
		link: {
			subscribe: (queues) => void socket.emit('subscribe', { queues }),
			resync: (lastSeq) => void socket.emit('resync', { lastSeq })
		}
	});
	let retry: ReturnType<typeof setTimeout> | undefined;
	// socket.io gives up on its own when the server disconnects us or a middleware refuses us;
	// a wallboard must not, so it tries again after the back-off ceiling.
	const retryLater = () => {
		clearTimeout(retry);
		retry = setTimeout(() => {
			if (!socket.connected && !socket.active) socket.connect();
		}, maxDelay);
	};

	socket.on('connect', () => conn.onConnect());
	socket.on('disconnect', (reason) => {
		conn.onDisconnect();
		if (reason === 'io server disconnect') retryLater();
	});
	socket.on('connect_error', (err) => {
		conn.onConnectError(err.message);
		if (!socket.active) retryLater();
	});
	socket.io.on('reconnect_attempt', (attempt) => conn.onReconnectAttempt(attempt));
	socket.on('snapshot', (msg) => conn.onSnapshot(msg));
	socket.on('delta', (msg) => conn.onDelta(msg));
	socket.on('warning', (msg) => conn.onWarning(msg));

	return () => {
		clearTimeout(retry);
		socket.removeAllListeners();
		socket.io.removeAllListeners();
		socket.disconnect();
	};
}
