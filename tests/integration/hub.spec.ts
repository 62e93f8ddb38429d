import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { BoardDelta, BoardSnapshot, BoardWarning, ClientToServer, ServerToClient } from '../../src/lib/protocol';
import { MAX_UPDATES_PER_SECOND } from '../../src/lib/protocol';
import { createHeatboardServer, type HeatboardServer } from '../../src/lib/server/http';
import { attachHub, handleSnapshotRequest, type Hub, type TickTimers } from '../../src/lib/server/hub';
import { LiveSource } from '../../src/lib/server/live-source';
import { parseScenario } from '../../simulator/scenario/load';

const S = 1000;
const M = 60 * S;
const H = 60 * M;

const scenario = parseScenario(
	`
name: hub test
start: "09:00"
horizon: 3h
warmup: 15m
seed: 3
handleTime: { dist: exponential, mean: 3m }
patience: { dist: exponential, mean: 2m }
queues:
  - id: sales
  - id: support
arrivals:
  - queue: sales
    perHour: 150
    heat: { dist: beta, a: 5, b: 2 }
  - queue: support
    perHour: 60
agents:
  - group: closers
    count: 4
    skills: [sales]
  - group: helpers
    count: 2
    skills: [support]
`,
	'hub-test.yaml'
);

type BoardClient = Socket<ServerToClient, ClientToServer>;
interface Messages {
	snapshot: BoardSnapshot;
	delta: BoardDelta;
	warning: BoardWarning;
}
type Message = { [K in keyof Messages]: { kind: K; msg: Messages[K] } }[keyof Messages];

/** Timers the test fires by hand: one tick per `fire()`, only while the hub keeps one scheduled. */
function manualTimers() {
	let fn: (() => void) | null = null;
	const timers: TickTimers = {
		setInterval(f) {
			fn = f;
			return 1;
		},
		clearInterval() {
			fn = null;
		}
	};
	return {
		timers,
		get scheduled() {
			return fn !== null;
		},
		fire() {
			fn?.();
		}
	};
}

interface Board {
	server: HeatboardServer;
	hub: Hub;
	base: string;
	source: LiveSource;
	logs: string[];
	/** moves the fake wall clock */
	wait(ms: number): void;
	manual: ReturnType<typeof manualTimers>;
}

const servers: HeatboardServer[] = [];
const sockets: BoardClient[] = [];

afterEach(async () => {
	for (const s of sockets.splice(0)) s.disconnect();
	await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function startBoard(options: { speed?: number; realTime?: boolean } = {}): Promise<Board> {
	let wall = 5_000_000;
	const wallNow = options.realTime ? Date.now : () => wall;
	const source = new LiveSource({ scenario, speed: options.speed ?? 1, wallNow });
	const logs: string[] = [];
	const manual = manualTimers();
	let hub: Hub | undefined;
	const server = createHeatboardServer({
		handler: (req, res) => {
			if (hub !== undefined && handleSnapshotRequest(hub, req, res)) return;
			res.end('app');
		},
		version: 'test',
		log: (l) => logs.push(l)
	});
	servers.push(server);
	const attached = attachHub({
		io: server.io,
		source,
		wallNow,
		log: (l) => logs.push(l),
		...(options.realTime ? {} : { timers: manual.timers })
	});
	hub = attached;
	server.httpServer.once('close', () => attached.close());
	const address = await server.listen(0, '127.0.0.1');
	return {
		server,
		hub: attached,
		base: `http://127.0.0.1:${address.port}`,
		source,
		logs,
		manual,
		wait(ms) {
			wall += ms;
		}
	};
}

/** A board connected over websocket that keeps every message it gets, in order. */
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
	const until = async (ok: () => boolean, what: string) => {
		const deadline = Date.now() + 5_000;
		while (!ok()) {
			if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(got.map((m) => m.kind))}`);
			await new Promise((r) => setTimeout(r, 5));
		}
	};
	return {
		socket,
		got,
		/** the first message of this kind after the first `after` messages */
		async next<K extends keyof Messages>(kind: K, after = 0): Promise<Messages[K]> {
			const find = () => got.slice(after).find((m) => m.kind === kind);
			await until(() => find() !== undefined, kind);
			return find()?.msg as Messages[K];
		},
		of<K extends keyof Messages>(kind: K): Array<Messages[K]> {
			return got.filter((m) => m.kind === kind).map((m) => m.msg as Messages[K]);
		},
		until
	};
}

/** One manual tick of the hub, after the wall clock moved a tick's worth. */
function tick(b: Board, ms = 1000 / MAX_UPDATES_PER_SECOND): void {
	b.wait(ms);
	b.manual.fire();
}

describe('wallboard hub', () => {
	it('answers a subscribe with a snapshot, then sends deltas with consecutive seq; /api/snapshot shows the same board', async () => {
		const b = await startBoard({ speed: 60 });
		const c = await board(b.base);
		c.socket.emit('subscribe', { queues: [] });
		const snap = await c.next('snapshot');
		expect(snap).toMatchObject({ v: 1, seq: 0, t: 10 * H, queueIds: ['sales', 'support'] });
		expect(snap.source).toEqual({ kind: 'simulator', name: 'hub test', speed: 60, paused: false });
		expect(snap.agents.length).toBeGreaterThan(0);
		expect(snap.series.all?.t.at(-1)).toBe(10 * H);
		expect(snap.series.all?.t).toHaveLength(H / (15 * S) + 1);
		expect(snap.heatmap.counts.flat().reduce((a, x) => a + x, 0)).toBeGreaterThan(50);

		// nothing moved since: the JSON endpoint shows the board exactly as the socket did
		const res = await fetch(`${b.base}/api/snapshot`);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toContain('application/json');
		const json = (await res.json()) as BoardSnapshot;
		expect({ ...json, wallMs: 0 }).toEqual({ ...snap, wallMs: 0 });

		expect(b.manual.scheduled).toBe(true);
		for (let i = 0; i < 3; i++) tick(b);
		await c.until(() => c.of('delta').length === 3, 'three deltas');
		const deltas = c.of('delta');
		expect(deltas.map((d) => d.seq)).toEqual([1, 2, 3]);
		// 250 ms of wall time at speed 60 is 15 s of source time per tick
		expect(deltas.map((d) => d.t)).toEqual([1, 2, 3].map((i) => 10 * H + i * 15 * S));
		expect(deltas.every((d) => d.queues.length === 2)).toBe(true);
		expect(deltas.map((d) => d.series.all?.t)).toEqual([1, 2, 3].map((i) => [10 * H + i * 15 * S]));

		const sales = (await (await fetch(`${b.base}/api/snapshot?queues=sales`)).json()) as BoardSnapshot;
		expect(sales).toMatchObject({ seq: 0, t: deltas[2]?.t, queueIds: ['sales'] });
		const bad = await fetch(`${b.base}/api/snapshot?queues=sales,nope`);
		expect(bad.status).toBe(400);
		expect(await bad.json()).toEqual({ error: 'unknown queues: "nope"', unknownQueues: ['nope'] });
		expect((await fetch(`${b.base}/api/snapshot`, { method: 'POST' })).status).toBe(405);
		expect(await (await fetch(`${b.base}/other`)).text()).toBe('app');
	});

	it('puts each subscription in its room: a board of one queue gets only that queue', async () => {
		const b = await startBoard({ speed: 120 });
		const sales = await board(b.base);
		const all = await board(b.base);
		sales.socket.emit('subscribe', { queues: ['sales'] });
		all.socket.emit('subscribe', { queues: [] });
		const s0 = await sales.next('snapshot');
		await all.next('snapshot');
		expect(new Set(b.hub.rooms())).toEqual(new Set(['sub:sales', 'sub:*']));
		expect(s0.queueIds).toEqual(['sales']);
		expect(s0.queues.map((q) => q.id)).toEqual(['sales']);
		expect(s0.totals).toEqual(
			(({ day, interval, last15, last60, now }) => ({ day, interval, last15, last60, now }))(
				s0.queues[0] as BoardSnapshot['queues'][number]
			)
		);
		expect(Object.keys(s0.series).sort()).toEqual(['all', 'sales']);
		expect(s0.agents.length).toBeGreaterThan(0);
		expect(s0.agents.every((a) => a.queues.includes('sales'))).toBe(true);

		for (let i = 0; i < 4; i++) tick(b);
		await sales.until(() => sales.of('delta').length === 4, 'sales deltas');
		await all.until(() => all.of('delta').length === 4, 'all deltas');
		for (const d of sales.of('delta')) {
			expect(d.queues.map((q) => q.id)).toEqual(['sales']);
			expect(d.agents.upsert.every((a) => a.queues.includes('sales'))).toBe(true);
			expect(Object.keys(d.series).every((k) => k === 'all' || k === 'sales')).toBe(true);
		}
		expect(all.of('delta').every((d) => d.queues.length === 2)).toBe(true);

		// a second board of the same queues joins the room mid-stream, at the room's seq
		const late = await board(b.base);
		late.socket.emit('subscribe', { queues: ['sales', 'sales'] });
		const l0 = await late.next('snapshot');
		expect(l0.seq).toBe(4);
		expect(b.hub.rooms()).toHaveLength(2);
		tick(b);
		const d5 = await late.next('delta');
		const s5 = await sales.next('delta', sales.got.length - 1);
		expect(d5.seq).toBe(5);
		expect(d5).toEqual(s5);
	});

	it('answers a resync after a gap with a snapshot whose seq the deltas continue from', async () => {
		const b = await startBoard({ speed: 60 });
		const c = await board(b.base);
		c.socket.emit('subscribe', { queues: ['support'] });
		await c.next('snapshot');
		for (let i = 0; i < 4; i++) tick(b);
		await c.until(() => c.of('delta').length === 4, 'four deltas');
		// the board lost deltas 2 to 4 (a network blip): it asks to resync from the last it applied
		const before = c.got.length;
		c.socket.emit('resync', { lastSeq: 1 });
		const snap = await c.next('snapshot', before);
		expect(snap.seq).toBe(4);
		expect(snap.t).toBe(c.of('delta')[3]?.t);
		expect(snap.queueIds).toEqual(['support']);
		tick(b);
		const next = await c.next('delta', before);
		expect(next.seq).toBe(5);
	});

	it('sends a new day to every board as a snapshot, in the seq', async () => {
		const b = await startBoard({ speed: 600 });
		const c = await board(b.base);
		c.socket.emit('subscribe', { queues: ['sales'] });
		const first = await c.next('snapshot');
		tick(b);
		await c.next('delta');
		// 10:02:30 now; 2.5 h more passes 12:00, the horizon: the next day is 32.5 minutes in
		tick(b, (2.5 * H) / 600);
		const day2 = await c.next('snapshot', 2);
		expect(day2.seq).toBe(2);
		expect(day2.t).toBe(9 * H + 32.5 * M);
		expect(day2.series.all?.t[0]).toBe(9 * H);
		expect(day2.series.all?.t.at(-1)).toBe(9 * H + 32.5 * M);
		expect(day2.heatmap.counts.flat().reduce((a, x) => a + x, 0)).toBeLessThan(first.heatmap.counts.flat().reduce((a, x) => a + x, 0));
		tick(b);
		expect((await c.next('delta', 3)).seq).toBe(3);
		expect(b.source.dayNumber).toBe(1);
	});

	it('answers bad messages with warnings, never a crash', async () => {
		const b = await startBoard();
		const c = await board(b.base);
		const raw = c.socket as unknown as { emit(event: string, ...args: unknown[]): void };
		raw.emit('resync', { lastSeq: 0 });
		expect(await c.next('warning')).toMatchObject({ code: 'not-subscribed' });
		for (const junk of ['x', null, 42, { queues: 'sales' }, { queues: [7] }, { queues: [''] }, { queues: Array(100).fill('q') }]) {
			const at = c.got.length;
			raw.emit('subscribe', junk);
			expect(await c.next('warning', at)).toMatchObject({ code: 'invalid-message' });
		}
		let at = c.got.length;
		raw.emit('subscribe', { queues: ['nope'] });
		expect(await c.next('warning', at)).toEqual({
			code: 'unknown-queues',
			message: 'subscribe ignored: no queue "nope"',
			queues: ['nope']
		});
		raw.emit('subscribe', { queues: ['sales', 'nope'] });
		const snap = await c.next('snapshot', at);
		expect(snap.queueIds).toEqual(['sales']);
		expect(c.of('warning').at(-1)).toMatchObject({ code: 'unknown-queues', queues: ['nope'] });
		// logged once per board, however often it asks
		expect(b.logs.filter((l) => l.includes('"nope"'))).toEqual([expect.stringMatching(/^board .+: subscribe ignored: no queue "nope"$/)]);

		at = c.got.length;
		raw.emit('control', { action: 'explode' });
		expect(await c.next('warning', at)).toMatchObject({ code: 'invalid-message' });
		at = c.got.length;
		raw.emit('control', { action: 'seek', value: 11 * H });
		expect(await c.next('warning', at)).toMatchObject({ code: 'unsupported-control' });
		at = c.got.length;
		raw.emit('resync', { lastSeq: 'x' });
		expect(await c.next('warning', at)).toMatchObject({ code: 'invalid-message' });
		raw.emit('no-such-event', { a: 1 });
		raw.emit('control', { action: 'pause' });
		await c.until(() => b.source.info().paused, 'the pause to reach the server');

		// still serving: the board ticks on (paused now), and HTTP answers
		tick(b);
		const d = await c.next('delta', at);
		expect(d.seq).toBe(1);
		expect(d.source.paused).toBe(true);
		expect((await fetch(`${b.base}/healthz`)).status).toBe(200);
	});

	it('sends at most MAX_UPDATES_PER_SECOND deltas a second, in seq order, even with a fast source', async () => {
		const b = await startBoard({ speed: 600, realTime: true });
		const c = await board(b.base);
		c.socket.emit('subscribe', { queues: [] });
		const snap = await c.next('snapshot');
		const startedAt = performance.now();
		await new Promise((r) => setTimeout(r, 2_000));
		const elapsed = performance.now() - startedAt;
		const deltas = c.of('delta');
		expect(deltas.length).toBeGreaterThanOrEqual(4);
		expect(deltas.length).toBeLessThanOrEqual(Math.floor((elapsed / 1000) * MAX_UPDATES_PER_SECOND) + 1);
		expect(deltas.map((d) => d.seq)).toEqual(deltas.map((_, i) => i + 1));
		// 600 × the wall time went by in source time, sampled into the trend on the way
		const last = deltas.at(-1) as BoardDelta;
		expect(last.t - snap.t).toBeGreaterThan(600 * 1000);
		const points = deltas.flatMap((d) => d.series.all?.t ?? []);
		expect(points.length).toBeGreaterThan(30);
		expect(points.every((t, i) => i === 0 || t - (points[i - 1] as number) === 15 * S)).toBe(true);
	});

	it('stops ticking when the last board leaves, and on shutdown disconnects boards', async () => {
		const b = await startBoard();
		const one = await board(b.base);
		one.socket.emit('subscribe', { queues: [] });
		await one.next('snapshot');
		expect(b.hub.ticking).toBe(true);
		one.socket.disconnect();
		await one.until(() => !b.hub.ticking, 'the tick to stop');
		expect(b.manual.scheduled).toBe(false);
		expect(b.hub.rooms()).toEqual([]);

		const two = await board(b.base);
		two.socket.emit('subscribe', { queues: ['sales'] });
		await two.next('snapshot');
		expect(b.manual.scheduled).toBe(true);
		const disconnected = new Promise<string>((resolve) => two.socket.once('disconnect', resolve));
		await b.server.close();
		expect(await disconnected).toBe('transport close');
		expect(b.hub.ticking).toBe(false);
		expect(b.manual.scheduled).toBe(false);
	});
});
