import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HeatEvent } from '../../engine/events';
import type { BoardDelta, BoardSnapshot, BoardWarning, ClientToServer, ServerToClient } from '../../protocol';
import { createHeatboardServer, type HeatboardServer } from '../http';
import { attachHub, handleSnapshotRequest, type Hub, type TickTimers } from '../hub';
import { readReplayJournal, type ReplayJournal } from './journal';
import { ReplaySource } from './replay-source';
import { arrivalsBefore, bankJournal } from './test-journals';

/**
 * The hub with a replay source, over a real socket.io server and client on loopback: the ticks are
 * fired by hand and the wall clock is the test's, so each message is known exactly.
 */

const M = 60_000;
const H = 60 * M;

type BoardClient = Socket<ServerToClient, ClientToServer>;
type Message = { kind: 'snapshot'; msg: BoardSnapshot } | { kind: 'delta'; msg: BoardDelta } | { kind: 'warning'; msg: BoardWarning };

let journal: ReplayJournal;
let events: HeatEvent[];
const servers: HeatboardServer[] = [];
const sockets: BoardClient[] = [];

beforeAll(async () => {
	const day = await bankJournal('990507');
	events = day.events;
	journal = await readReplayJournal(day.path);
});

afterEach(async () => {
	for (const s of sockets.splice(0)) s.disconnect();
	await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function startReplayBoard(speed: number) {
	let wall = 1_000_000;
	const wallNow = () => wall;
	const source = new ReplaySource({ journal, speed, wallNow, fromMs: 9 * H });
	let fire: (() => void) | null = null;
	const timers: TickTimers = {
		setInterval(f) {
			fire = f;
			return 1;
		},
		clearInterval() {
			fire = null;
		}
	};
	let hub: Hub | undefined;
	const logs: string[] = [];
	const server = createHeatboardServer({
		handler: (req, res) => {
			if (hub !== undefined && handleSnapshotRequest(hub, req, res)) return;
			res.end('app');
		},
		version: 'test',
		log: (l) => logs.push(l)
	});
	servers.push(server);
	const attached = attachHub({ io: server.io, source, wallNow, timers, log: (l) => logs.push(l) });
	hub = attached;
	server.httpServer.once('close', () => attached.close());
	const address = await server.listen(0, '127.0.0.1');
	return {
		source,
		logs,
		base: `http://127.0.0.1:${address.port}`,
		tick(ms = 250) {
			wall += ms;
			fire?.();
		}
	};
}

async function board(base: string) {
	const socket: BoardClient = connect(base, { transports: ['websocket'], reconnection: false, timeout: 5_000 });
	sockets.push(socket);
	const got: Message[] = [];
	socket.on('snapshot', (msg) => got.push({ kind: 'snapshot', msg }));
	socket.on('delta', (msg) => got.push({ kind: 'delta', msg }));
	socket.on('warning', (msg) => got.push({ kind: 'warning', msg }));
	await new Promise<void>((resolve, reject) => {
		socket.once('connect', () => resolve());
		socket.once('connect_error', reject);
	});
	return {
		socket,
		got,
		/** waits until the board has received `n` messages, and returns the last */
		async nth(n: number): Promise<Message> {
			const deadline = Date.now() + 5_000;
			while (got.length < n) {
				if (Date.now() > deadline) throw new Error(`timed out waiting for message ${n}; got ${JSON.stringify(got.map((m) => m.kind))}`);
				await new Promise((r) => setTimeout(r, 5));
			}
			return got[n - 1] as Message;
		}
	};
}

const heatmapTotal = (s: BoardSnapshot) => s.heatmap.counts.flat().reduce((a, x) => a + x, 0);

describe('hub with a replay source', () => {
	it('serves the replay: a snapshot at --from with the replay info, deltas as it plays, the history kept once', async () => {
		const b = await startReplayBoard(60);
		const c = await board(b.base);
		c.socket.emit('subscribe', { queues: [] });
		const first = await c.nth(1);
		expect(first.kind).toBe('snapshot');
		const snap = first.msg as BoardSnapshot;
		expect(snap.t).toBe(9 * H);
		expect(snap.source).toEqual({
			kind: 'replay',
			name: journal.name,
			speed: 60,
			paused: false,
			replay: { startMs: b.source.startMs, endMs: b.source.endMs, positionMs: 9 * H, seeks: 0 }
		});
		expect(snap.totals.day.offered).toBe(arrivalsBefore(events, 9 * H));
		expect(heatmapTotal(snap)).toBe(arrivalsBefore(events, 9 * H));

		for (let i = 0; i < 8; i++) b.tick();
		const last = await c.nth(9);
		expect(last.kind).toBe('delta');
		const delta = last.msg as BoardDelta;
		expect(delta.t).toBe(9 * H + 8 * 15_000);
		expect(delta.totals.day.offered).toBe(arrivalsBefore(events, 9 * H + 8 * 15_000));

		// a fresh board: the heat map counts each arrival once (the hub does not feed the source's history again)
		const res = await fetch(`${b.base}/api/snapshot`);
		const now = (await res.json()) as BoardSnapshot;
		expect(heatmapTotal(now)).toBe(arrivalsBefore(events, now.t));
		expect(now.series.all?.t.at(-1)).toBe(now.t);
	});

	it('a seek from one board reaches every board as a fresh snapshot at the target, forward and back', async () => {
		const b = await startReplayBoard(10);
		const one = await board(b.base);
		const two = await board(b.base);
		one.socket.emit('subscribe', { queues: [] });
		two.socket.emit('subscribe', { queues: ['NW'] });
		await one.nth(1);
		await two.nth(1);
		one.socket.emit('control', { action: 'pause' });
		one.socket.emit('control', { action: 'seek', value: 14 * H });
		// the controls land before the next tick: socket.io keeps one client's messages in order
		await new Promise((r) => setTimeout(r, 50));
		b.tick();
		const a = await one.nth(2);
		const n = await two.nth(2);
		expect(a.kind).toBe('snapshot');
		expect(n.kind).toBe('snapshot');
		const all = a.msg as BoardSnapshot;
		expect(all.t).toBe(14 * H);
		expect(all.seq).toBe(1);
		expect(all.source.paused).toBe(true);
		expect(all.source.replay?.seeks).toBe(1);
		expect(all.totals.day.offered).toBe(arrivalsBefore(events, 14 * H));
		expect((n.msg as BoardSnapshot).queueIds).toEqual(['NW']);
		expect((n.msg as BoardSnapshot).totals.day.offered).toBe(
			events.filter((e) => e.type === 'call.arrived' && e.queue === 'NW' && e.t < 14 * H).length
		);

		two.socket.emit('control', { action: 'seek', value: 10 * H + 30 * M });
		await new Promise((r) => setTimeout(r, 50));
		b.tick();
		const back = (await one.nth(3)).msg as BoardSnapshot;
		expect(back.t).toBe(10 * H + 30 * M);
		expect(back.totals.day.offered).toBe(arrivalsBefore(events, 10 * H + 30 * M));
		expect(heatmapTotal(back)).toBe(arrivalsBefore(events, 10 * H + 30 * M));
		expect(back.series.all?.t.at(-1)).toBe(10 * H + 30 * M);
		// paused: the next tick is a delta at the same time
		b.tick();
		const still = await one.nth(4);
		expect(still.kind).toBe('delta');
		expect((still.msg as BoardDelta).t).toBe(10 * H + 30 * M);
		expect(b.logs.some((l) => / seek 37800000$/.test(l))).toBe(true);
	});
});
