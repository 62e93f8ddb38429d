import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server as SocketIOServer, Socket } from 'socket.io';
import { buildDelta, buildSnapshot, readFrame, type BoardCursor, type BoardFrame } from '../board/build';
import { BoardHistory } from '../board/history';
import { controlSchema, describeIssue, MAX_SUBSCRIBED_QUEUES, resyncSchema, subscribeSchema } from '../board/messages';
import type { BoardSource } from '../board/source';
import { resolveSubscription, type Subscription } from '../board/subscription';
import { MAX_UPDATES_PER_SECOND, type BoardSnapshot, type BoardWarning, type ClientToServer, type ServerToClient } from '../protocol';

type BoardServer = SocketIOServer<ClientToServer, ServerToClient>;
type BoardSocket = Socket<ClientToServer, ServerToClient>;

/** How the hub schedules its tick; injectable so tests can drive it by hand. */
export interface TickTimers {
	setInterval(fn: () => void, ms: number): unknown;
	clearInterval(handle: unknown): void;
}

const realTimers: TickTimers = {
	setInterval: (fn, ms) => setInterval(fn, ms),
	clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>)
};

export const TICK_MS = 1000 / MAX_UPDATES_PER_SECOND;

export interface HubOptions {
	/** the server's one socket.io server (from startHeatboard's setup) */
	io: SocketIOServer;
	source: BoardSource;
	wallNow?: () => number;
	timers?: TickTimers;
	log?: (line: string) => void;
}

export interface Hub {
	/** A board's snapshot as the boards see it now, for GET /api/snapshot; unknown queue ids are refused. */
	snapshot(queues: readonly string[]): { ok: true; snapshot: BoardSnapshot } | { ok: false; unknown: string[] };
	/** one tick: advance the source, send each room its delta (what the timer runs) */
	tick(): void;
	/** room keys with at least one board, for tests and diagnostics */
	rooms(): string[];
	readonly ticking: boolean;
	/** Stops the tick and ignores further messages. Idempotent. */
	close(): void;
}

interface Room {
	sub: Subscription;
	/** the last seq sent to the room: its boards' next delta is seq + 1 */
	seq: number;
	cursor: BoardCursor;
	members: Set<string>;
}

/**
 * The wallboard hub on the server's socket.io: a board subscribes to some queues and joins the room
 * of that subscription; every TICK_MS (only while a board is connected) the source moves on, the
 * engine is read once into a frame, and each room gets one delta with its next seq, whatever the
 * event rate. A board that missed one asks to resync and gets a snapshot at the room's seq.
 *
 * Invariant: the source moves only in `refresh()`, either in a tick or while no room exists, so a
 * snapshot sent between ticks is exactly the state of the room's last seq, and the room's next
 * delta applies on top of it.
 */
export function attachHub(options: HubOptions): Hub {
	// the shell's io is untyped; the protocol's event maps are what flows on it
	const io = options.io as unknown as BoardServer;
	const source = options.source;
	const wallNow = options.wallNow ?? Date.now;
	const timers = options.timers ?? realTimers;
	const log = options.log ?? ((line: string) => console.log(line));

	let history: BoardHistory | null = null;
	let frame: BoardFrame | null = null;
	let newDay = false;
	let timer: unknown = null;
	let closed = false;
	let failing = false;
	const rooms = new Map<string, Room>();
	const roomOf = new Map<string, string>();
	const loggedUnknown = new WeakSet<BoardSocket>();

	/** the source keeps the history itself (a replay): the hub must not feed it a second time */
	let sourceKeepsHistory = false;
	const detach = [
		source.onDay((engine, kept) => {
			history = kept ?? new BoardHistory(engine);
			sourceKeepsHistory = kept !== undefined;
			newDay = true;
		}),
		source.onEvent((e) => {
			if (!sourceKeepsHistory) history?.event(e);
		}),
		source.onSample((t) => {
			if (!sourceKeepsHistory) history?.sample(t);
		})
	];

	function refresh(): { frame: BoardFrame; history: BoardHistory } {
		source.advance();
		if (history === null) throw new Error('the board source did not start a day on its first advance');
		frame = readFrame(source.engine, source.now());
		return { frame, history };
	}

	/** The frame boards are on: the last tick's, or a fresh one when no board is connected. */
	function current(): { frame: BoardFrame; history: BoardHistory } {
		if (rooms.size === 0 || frame === null || history === null) {
			const r = refresh();
			newDay = false; // nobody to tell
			return r;
		}
		return { frame, history };
	}

	function meta(seq: number) {
		return { seq, wallMs: wallNow(), source: source.info() };
	}

	function tick(): void {
		if (closed) return;
		if (rooms.size === 0) return stopTicking();
		try {
			const { frame: f, history: h } = refresh();
			const reset = newDay;
			newDay = false;
			for (const [key, room] of rooms) {
				room.seq++;
				if (reset) {
					// a new day: nothing of the old one applies, so boards start over from a snapshot
					const { snapshot, cursor } = buildSnapshot(f, h, room.sub, meta(room.seq));
					room.cursor = cursor;
					io.to(key).emit('snapshot', snapshot);
				} else {
					io.to(key).emit('delta', buildDelta(f, h, room.sub, room.cursor, meta(room.seq)));
				}
			}
			if (failing) log('board tick recovered');
			failing = false;
		} catch (err) {
			// once, not four times a second; boards keep what they have until a tick works again
			if (!failing) log(`board tick failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
			failing = true;
		}
	}

	function startTicking(): void {
		if (timer === null && !closed) timer = timers.setInterval(tick, TICK_MS);
	}

	function stopTicking(): void {
		if (timer !== null) timers.clearInterval(timer);
		timer = null;
	}

	function warn(socket: BoardSocket, w: BoardWarning): void {
		socket.emit('warning', w);
	}

	function leave(socket: BoardSocket): void {
		const key = roomOf.get(socket.id);
		if (key === undefined) return;
		roomOf.delete(socket.id);
		void socket.leave(key);
		const room = rooms.get(key);
		if (room === undefined) return;
		room.members.delete(socket.id);
		if (room.members.size === 0) rooms.delete(key);
		if (rooms.size === 0) stopTicking();
	}

	function onSubscribe(socket: BoardSocket, raw: unknown): void {
		const parsed = subscribeSchema.safeParse(raw);
		if (!parsed.success) {
			return warn(socket, {
				code: 'invalid-message',
				message: `subscribe ignored: ${describeIssue(parsed.error)} (expected { queues: string[] }, at most ${MAX_SUBSCRIBED_QUEUES})`
			});
		}
		const { frame: f, history: h } = current();
		const { subscription, unknown } = resolveSubscription(parsed.data.queues, f.queues);
		if (unknown.length > 0) {
			const message =
				subscription === null
					? `subscribe ignored: no queue ${unknown.map((q) => JSON.stringify(q)).join(', ')}`
					: `unknown queues ignored: ${unknown.map((q) => JSON.stringify(q)).join(', ')}`;
			// once per board: a client repeating a bad subscription must not flood the log
			if (!loggedUnknown.has(socket)) log(`board ${socket.id}: ${message}`);
			loggedUnknown.add(socket);
			warn(socket, { code: 'unknown-queues', message, queues: unknown });
		}
		if (subscription === null) return;
		if (roomOf.get(socket.id) !== subscription.key) leave(socket);
		let room = rooms.get(subscription.key);
		const { snapshot, cursor } = buildSnapshot(f, h, subscription, meta(room?.seq ?? 0));
		if (room === undefined) {
			room = { sub: subscription, seq: 0, cursor, members: new Set() };
			rooms.set(subscription.key, room);
		}
		room.members.add(socket.id);
		roomOf.set(socket.id, subscription.key);
		void socket.join(subscription.key);
		socket.emit('snapshot', snapshot);
		startTicking();
	}

	function onResync(socket: BoardSocket, raw: unknown): void {
		const parsed = resyncSchema.safeParse(raw);
		if (!parsed.success) {
			return warn(socket, {
				code: 'invalid-message',
				message: `resync ignored: ${describeIssue(parsed.error)} (expected { lastSeq: integer })`
			});
		}
		const key = roomOf.get(socket.id);
		const room = key === undefined ? undefined : rooms.get(key);
		if (room === undefined) return warn(socket, { code: 'not-subscribed', message: 'resync ignored: subscribe first' });
		const { frame: f, history: h } = current();
		socket.emit('snapshot', buildSnapshot(f, h, room.sub, meta(room.seq)).snapshot);
	}

	function onControl(socket: BoardSocket, raw: unknown): void {
		const parsed = controlSchema.safeParse(raw);
		if (!parsed.success) {
			return warn(socket, { code: 'invalid-message', message: `control ignored: ${describeIssue(parsed.error)}` });
		}
		const refused = source.control(parsed.data);
		if (refused !== null) warn(socket, { code: 'unsupported-control', message: `${parsed.data.action} ignored: ${refused}` });
		else log(`board ${socket.id}: ${parsed.data.action}${'value' in parsed.data ? ` ${parsed.data.value}` : ''}`);
	}

	/** A handler that never throws into socket.io: a bad message must not take the server down. */
	function guarded(socket: BoardSocket, what: string, handle: (socket: BoardSocket, raw: unknown) => void) {
		return (raw: unknown) => {
			if (closed) return;
			try {
				handle(socket, raw);
			} catch (err) {
				log(`board ${socket.id}: ${what} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
			}
		};
	}

	io.on('connection', (socket) => {
		socket.on('subscribe', guarded(socket, 'subscribe', onSubscribe));
		socket.on('resync', guarded(socket, 'resync', onResync));
		socket.on('control', guarded(socket, 'control', onControl));
		socket.on('disconnect', () => leave(socket));
	});

	return {
		snapshot(queues) {
			const { frame: f, history: h } = current();
			const { subscription, unknown } = resolveSubscription(queues, f.queues);
			if (subscription === null || unknown.length > 0) return { ok: false, unknown };
			const seq = rooms.get(subscription.key)?.seq ?? 0;
			return { ok: true, snapshot: buildSnapshot(f, h, subscription, meta(seq)).snapshot };
		},
		tick,
		rooms: () => [...rooms.keys()],
		get ticking() {
			return timer !== null;
		},
		close() {
			if (closed) return;
			closed = true;
			stopTicking();
			for (const d of detach) d();
			rooms.clear();
			roomOf.clear();
		}
	};
}

export const SNAPSHOT_PATH = '/api/snapshot';

/**
 * GET /api/snapshot?queues=a,b: what a board subscribed to those queues shows now (all queues
 * when none are named). Answers and returns true for that path; false for any other.
 */
export function handleSnapshotRequest(hub: Hub, req: IncomingMessage, res: ServerResponse): boolean {
	const url = new URL(req.url ?? '/', 'http://localhost');
	if (url.pathname !== SNAPSHOT_PATH) return false;
	if (req.method !== 'GET' && req.method !== 'HEAD') {
		sendJson(res, 405, { error: `${req.method ?? '?'} not allowed; use GET` }, false, { allow: 'GET, HEAD' });
		return true;
	}
	const queues = url.searchParams
		.getAll('queues')
		.flatMap((v) => v.split(','))
		.map((q) => q.trim())
		.filter((q) => q !== '');
	if (queues.length > MAX_SUBSCRIBED_QUEUES) {
		sendJson(res, 400, { error: `at most ${MAX_SUBSCRIBED_QUEUES} queues` }, req.method === 'HEAD');
		return true;
	}
	const result = hub.snapshot(queues);
	if (!result.ok) {
		const names = result.unknown.map((q) => JSON.stringify(q)).join(', ');
		sendJson(res, 400, { error: `unknown queues: ${names}`, unknownQueues: result.unknown }, req.method === 'HEAD');
		return true;
	}
	sendJson(res, 200, result.snapshot, req.method === 'HEAD');
	return true;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headOnly: boolean, headers: Record<string, string> = {}): void {
	const payload = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json; charset=utf-8',
		'content-length': Buffer.byteLength(payload),
		'cache-control': 'no-store',
		...headers
	});
	res.end(headOnly ? undefined : payload);
}
