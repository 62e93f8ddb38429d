import { describe, expect, it } from 'vitest';
import { Driver } from '../engine/driver';
import { Engine } from '../engine/engine';
import type { CallArrived, HeatEvent } from '../engine/events';
import { snapshot } from '../engine/views';
import { WAITING_CALLS_SHOWN, type QueueBoard, type ScopeBoard } from '../protocol';
import { boardTotals, buildDelta, buildSnapshot, readFrame } from './build';
import { BoardHistory } from './history';
import { ALL_QUEUES, resolveSubscription, type Subscription } from './subscription';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const DAY0 = 8 * H;

let n = 0;
const id = () => `e${++n}`;
const login = (t: number, agentId: string, skills: Record<string, number>): HeatEvent => ({
	type: 'agent.state',
	id: id(),
	t,
	agentId,
	state: 'available',
	skills
});
const state = (t: number, agentId: string, s: 'available' | 'away' | 'offline', reason?: string): HeatEvent => ({
	type: 'agent.state',
	id: id(),
	t,
	agentId,
	state: s,
	...(reason !== undefined ? { reason } : {})
});
const arrive = (t: number, callId: string, queue: string, extra: Partial<CallArrived> = {}): HeatEvent => ({
	type: 'call.arrived',
	id: id(),
	t,
	callId,
	queue,
	...extra
});
const end = (t: number, callId: string): HeatEvent => ({ type: 'call.ended', id: id(), t, callId });
const abandon = (t: number, callId: string): HeatEvent => ({ type: 'call.abandoned', id: id(), t, callId });

/** A two-queue engine fed by hand, with the board history seeing every input event like a source would. */
function setup() {
	const engine = new Engine({
		queues: [
			{ id: 'sales', autoAnswer: true, defaultValue: 1000 },
			{ id: 'support', autoAnswer: true, wrapUpSeconds: 30, serviceLevel: { seconds: 60, target: 0.9 } }
		],
		dayStartMs: DAY0,
		intervalMinutes: 15
	});
	const driver = new Driver(engine);
	const history = new BoardHistory(engine);
	const push = (...events: HeatEvent[]) => {
		for (const e of events) {
			history.event(e);
			const r = driver.push(e);
			if (!r.accepted) throw new Error(`rejected: ${r.detail}`);
		}
	};
	return { engine, driver, history, push };
}

function sub(queues: string[], engine: Engine): Subscription {
	const r = resolveSubscription(queues, engine.queues);
	if (r.subscription === null) throw new Error('no subscription');
	return r.subscription;
}

const meta = (seq: number) => ({ seq, wallMs: 123, source: { kind: 'simulator' as const, name: 'test', speed: 1, paused: false } });

/** A morning: three agents, sales and support calls, answers, an abandon, a call ended. */
function morning() {
	const s = setup();
	s.push(
		login(DAY0, 'a1', { sales: 1 }),
		login(DAY0 + 1 * S, 'a2', { support: 1 }),
		login(DAY0 + 2 * S, 'a3', { sales: 2, support: 1 }),
		arrive(DAY0 + 1 * M, 'c1', 'sales', { heat: 0.9, value: 2000, caller: '+1 555 0101' }), // a1
		arrive(DAY0 + 2 * M, 'c2', 'support', { heat: 0.1 }), // a2
		arrive(DAY0 + 3 * M, 'c3', 'sales', { heat: 0.5 }), // a3
		arrive(DAY0 + 4 * M, 'c4', 'sales', { heat: 0.8, caller: '0044 20 7946 0958' }), // waits
		arrive(DAY0 + 5 * M, 'c5', 'support', { heat: 0.2 }), // waits
		abandon(DAY0 + 6 * M, 'c5'),
		end(DAY0 + 7 * M, 'c2') // a2 wraps up for 30 s
	);
	return s;
}

function scopeOf(q: QueueBoard): ScopeBoard {
	const { day, interval, last15, last60, now } = q;
	return { day, interval, last15, last60, now };
}

describe('readFrame', () => {
	it('holds exactly what snapshot() reports, per queue and for everything', () => {
		const { engine } = morning();
		const t = DAY0 + 7 * M + 10 * S;
		const frame = readFrame(engine, t);
		const snap = snapshot(engine, t);
		expect(frame.t).toBe(snap.t);
		expect(frame.totals).toEqual({
			day: snap.totals.day,
			interval: snap.totals.interval.metrics,
			last15: snap.totals.last15,
			last60: snap.totals.last60,
			now: snap.totals.now
		});
		expect([...frame.queues.keys()]).toEqual(['sales', 'support']);
		for (const view of snap.queues) {
			const board = frame.queues.get(view.id) as QueueBoard;
			const { projectedNextHour, ...gauges } = view.now;
			expect(board.day).toEqual(view.day);
			expect(board.interval).toEqual(view.interval.metrics);
			expect(board.last15).toEqual(view.last15);
			expect(board.last60).toEqual(view.last60);
			expect(board.serviceLevel).toEqual(view.serviceLevel);
			expect(board.now).toEqual({ ...gauges, projectedRevenueAtRiskNextHour: projectedNextHour.revenueAtRisk });
		}
		// the morning's facts, so the comparison is not between two empty boards
		expect(frame.totals.day.offered).toBe(5);
		expect(frame.totals.day.abandoned).toBe(1);
		expect(frame.queues.get('sales')?.now.waiting).toBe(1);
	});

	it('makes a tile of every agent logged in, with the call they are on', () => {
		const { engine, push } = morning();
		push(state(DAY0 + 8 * M, 'a2', 'offline', 'shift end'));
		const frame = readFrame(engine, DAY0 + 8 * M);
		const tiles = frame.agents.map((e) => e.tile);
		expect(tiles.map((t) => t.id)).toEqual(['a1', 'a3']);
		expect(tiles[0]).toEqual({
			id: 'a1',
			state: 'busy',
			sinceMs: DAY0 + 1 * M,
			queues: ['sales'],
			call: { id: 'c1', queue: 'sales', tier: 'hot', waitSeconds: 0, value: 2000 }
		});
		expect(tiles[1]).toMatchObject({ id: 'a3', queues: ['sales', 'support'], call: { id: 'c3', tier: 'warm', value: 1000 } });
	});
});

describe('waiting calls', () => {
	it('shows the first WAITING_CALLS_SHOWN in router order, priority first, callers masked', () => {
		const { engine, push } = setup();
		push(login(DAY0, 'a1', { sales: 1 }), state(DAY0 + S, 'a1', 'away', 'lunch'));
		for (let i = 1; i <= 15; i++) push(arrive(DAY0 + i * M, `w${i}`, 'sales', { caller: `+1 (555) 010-01${String(i).padStart(2, '0')}` }));
		push(arrive(DAY0 + 16 * M, 'vip', 'sales', { priority: 1 }));
		const frame = readFrame(engine, DAY0 + 20 * M);
		const shown = (frame.queues.get('sales') as QueueBoard).waitingCalls;
		expect(shown).toHaveLength(WAITING_CALLS_SHOWN);
		expect(shown.map((c) => c.callId)).toEqual(['vip', ...Array.from({ length: WAITING_CALLS_SHOWN - 1 }, (_, i) => `w${i + 1}`)]);
		expect(shown[0]?.caller).toBeUndefined();
		expect(shown[1]?.caller).toBe('••••••••01');
		expect(shown[1]?.waitSeconds).toBe(19 * 60);
		for (const c of shown.slice(1)) expect(c.caller).toMatch(/^•+\d\d$/);
		// the frame shows them, nothing is revealed beyond the last two digits
		expect(JSON.stringify(shown)).not.toContain('555');
	});
});

describe('buildSnapshot', () => {
	it('for every queue: all queues, the totals of everything, every agent logged in', () => {
		const { engine, history } = morning();
		const frame = readFrame(engine, DAY0 + 8 * M);
		const { snapshot: snap } = buildSnapshot(frame, history, ALL_QUEUES, meta(0));
		expect(snap).toMatchObject({ v: 1, seq: 0, t: DAY0 + 8 * M, wallMs: 123, queueIds: ['sales', 'support'] });
		expect(snap.totals).toBe(frame.totals);
		expect(snap.queues.map((q) => q.id)).toEqual(['sales', 'support']);
		expect(snap.agents.map((a) => a.id)).toEqual(['a1', 'a2', 'a3']);
		expect(Object.keys(snap.series).sort()).toEqual(['all', 'sales', 'support']);
	});

	it('for one queue: only that queue, its own figures as totals, only its agents', () => {
		const { engine, history } = morning();
		const frame = readFrame(engine, DAY0 + 8 * M);
		const { snapshot: snap } = buildSnapshot(frame, history, sub(['support'], engine), meta(4));
		expect(snap.queueIds).toEqual(['support']);
		expect(snap.queues).toEqual([frame.queues.get('support')]);
		expect(snap.totals).toEqual(scopeOf(frame.queues.get('support') as QueueBoard));
		expect(snap.agents.map((a) => a.id)).toEqual(['a2', 'a3']);
		expect(Object.keys(snap.series).sort()).toEqual(['all', 'support']);
		expect(snap.heatmap.counts).toEqual([[0, 0, 2]]);
		// a3 has both skills: the tile says so, and that they are on a sales call
		expect(snap.agents[1]).toMatchObject({ queues: ['sales', 'support'], call: { queue: 'sales' } });
	});

	it('for some queues: counters added up, the longest wait, each agent counted once', () => {
		const { engine } = morning();
		const frame = readFrame(engine, DAY0 + 8 * M);
		const both = sub(['support', 'sales', 'sales'], engine);
		expect(both.key).toBe('sub:sales,support');
		const totals = boardTotals(frame, ['sales', 'support'], both);
		const sales = frame.queues.get('sales') as QueueBoard;
		const support = frame.queues.get('support') as QueueBoard;
		expect(totals.day.offered).toBe(sales.day.offered + support.day.offered);
		expect(totals.day.abandoned).toBe(1);
		expect(totals.day.revenueLost).toBeCloseTo(sales.day.revenueLost + support.day.revenueLost, 9);
		expect(totals.now.waiting).toBe(1);
		expect(totals.now.longestWaitSeconds).toBe(Math.max(sales.now.longestWaitSeconds, support.now.longestWaitSeconds));
		expect(totals.now.revenueAtRisk).toBeCloseTo(sales.now.revenueAtRisk + support.now.revenueAtRisk, 9);
		// a3 has both skills: counted once, where each queue counts them
		expect(totals.now.agents).toEqual({ available: 0, busy: 2, 'wrap-up': 1, away: 0, offline: 0 });
		expect(sales.now.agents.busy + support.now.agents.busy).toBe(3);
		// with the queues together equal to everything, the call figures match the engine's totals
		expect(totals.day).toMatchObject({
			offered: frame.totals.day.offered,
			answered: frame.totals.day.answered,
			asa: frame.totals.day.asa,
			slOffered: frame.totals.day.slOffered
		});
	});
});

describe('buildDelta', () => {
	it('sends only the tiles that changed, and removes agents who logged off', () => {
		const { engine, history, push } = morning();
		const all = ALL_QUEUES;
		const salesOnly = sub(['sales'], engine);
		const f0 = readFrame(engine, DAY0 + 8 * M);
		const a = buildSnapshot(f0, history, all, meta(0)).cursor;
		const s = buildSnapshot(f0, history, salesOnly, meta(0)).cursor;

		const quiet = buildDelta(readFrame(engine, DAY0 + 8 * M + 250), history, all, a, meta(1));
		expect(quiet.agents).toEqual({ upsert: [], remove: [] });

		push(state(DAY0 + 9 * M, 'a2', 'away', 'coaching')); // a2 was in wrap-up: support only
		const f1 = readFrame(engine, DAY0 + 9 * M);
		const d1 = buildDelta(f1, history, all, a, meta(2));
		expect(d1.agents.upsert).toEqual([{ id: 'a2', state: 'away', reason: 'coaching', sinceMs: DAY0 + 9 * M, queues: ['support'] }]);
		expect(d1.agents.remove).toEqual([]);
		expect(buildDelta(f1, history, salesOnly, s, meta(1)).agents).toEqual({ upsert: [], remove: [] });

		push(end(DAY0 + 10 * M, 'c1'), state(DAY0 + 10 * M + S, 'a2', 'offline'));
		const f2 = readFrame(engine, DAY0 + 10 * M + S);
		const d2 = buildDelta(f2, history, all, a, meta(3));
		// a1 ended c1 and took c4, the sales call waiting
		expect(d2.agents.upsert.map((t) => t.id)).toEqual(['a1']);
		expect(d2.agents.upsert[0]?.call?.id).toBe('c4');
		expect(d2.agents.remove).toEqual(['a2']);
		const ds = buildDelta(f2, history, salesOnly, s, meta(2));
		expect(ds.agents).toEqual({ upsert: [d2.agents.upsert[0]], remove: [] });
	});

	it('carries every queue board and the totals, with the seq and source it is given', () => {
		const { engine, history } = morning();
		const f = readFrame(engine, DAY0 + 8 * M);
		const { cursor } = buildSnapshot(f, history, ALL_QUEUES, meta(0));
		const d = buildDelta(f, history, ALL_QUEUES, cursor, meta(7));
		expect(d).toMatchObject({ v: 1, seq: 7, t: f.t, wallMs: 123, source: meta(7).source });
		expect(d.totals).toEqual(f.totals);
		expect(d.queues).toEqual([...f.queues.values()]);
	});

	it('appends only the series points and heatmap rows that are new', () => {
		const { engine, history, push } = morning();
		history.sample(DAY0 + 8 * M);
		const f0 = readFrame(engine, DAY0 + 8 * M);
		const { snapshot: snap, cursor } = buildSnapshot(f0, history, ALL_QUEUES, meta(0));
		expect(snap.series.all?.t).toEqual([DAY0 + 8 * M]);
		expect(snap.heatmap.counts).toEqual([[2, 1, 2]]);

		const same = buildDelta(f0, history, ALL_QUEUES, cursor, meta(1));
		expect(same.series).toEqual({});
		expect(same.heatmap).toEqual([]);

		push(arrive(DAY0 + 20 * M, 'late1', 'support', { heat: 0.95 }));
		history.sample(DAY0 + 20 * M + 15 * S);
		history.sample(DAY0 + 20 * M + 30 * S);
		const d = buildDelta(readFrame(engine, DAY0 + 20 * M + 30 * S), history, ALL_QUEUES, cursor, meta(2));
		expect(d.series.all?.t).toEqual([DAY0 + 20 * M + 15 * S, DAY0 + 20 * M + 30 * S]);
		expect(Object.keys(d.series).sort()).toEqual(['all', 'sales', 'support']);
		expect(d.heatmap).toEqual([[1, [1, 0, 0]]]);
		expect(buildDelta(readFrame(engine, DAY0 + 21 * M), history, ALL_QUEUES, cursor, meta(3)).heatmap).toEqual([]);
	});
});

describe('SeriesRecorder', () => {
	it('samples waiting, 15-minute service level and revenue at risk as snapshot() reads them', () => {
		const { engine, history, push } = morning();
		const times = [DAY0 + 7 * M + 15 * S, DAY0 + 7 * M + 30 * S] as const;
		history.sample(times[0]);
		const before = snapshot(engine, times[0]);
		push(arrive(DAY0 + 7 * M + 20 * S, 'c6', 'support', { value: 300 }));
		history.sample(times[1]);
		const after = snapshot(engine, times[1]);
		const cols = history.series.forBoard(['sales', 'support'], null);
		[before, after].forEach((snap, i) => {
			expect(cols.all?.t[i]).toBe(times[i]);
			expect(cols.all?.waiting[i]).toBe(snap.totals.now.waiting);
			expect(cols.all?.slOffered[i]).toBe(snap.totals.last15.slOffered);
			expect(cols.all?.revenueAtRisk[i]).toBeCloseTo(snap.totals.now.revenueAtRisk, 12);
			for (const q of snap.queues) {
				expect(cols[q.id]?.waiting[i]).toBe(q.now.waiting);
				expect(cols[q.id]?.slOffered[i]).toBe(q.last15.slOffered);
				expect(cols[q.id]?.revenueAtRisk[i]).toBeCloseTo(q.now.revenueAtRisk, 12);
			}
		});
		expect(cols.all?.revenueAtRisk[1]).toBeGreaterThan(0);
		expect(cols.support?.waiting).toEqual([0, 1]);
		expect(cols.sales?.waiting).toEqual([1, 1]);
		// the support call that abandoned counts against its service level
		expect(cols.support?.slOffered).toEqual([0.5, 0.5]);
	});

	it('adds up a board of some queues, and keeps one window of points', () => {
		const { engine, push } = morning();
		const h = new BoardHistory(engine, 60 * S);
		for (let i = 1; i <= 10; i++) h.sample(DAY0 + 8 * M + i * 15 * S);
		expect(h.series.count).toBe(10);
		const all = h.series.totals(null);
		expect(all.t).toEqual([7, 8, 9, 10].map((i) => DAY0 + 8 * M + i * 15 * S));
		expect(h.series.totals(['sales', 'support'])).toEqual(all);
		expect(h.series.totals(null, 8).t).toHaveLength(2);
		expect(h.series.totals(null, 10).t).toEqual([]);
		// a sample not after the last one is ignored
		h.sample(DAY0 + 8 * M + 10 * 15 * S);
		expect(h.series.count).toBe(10);
		// a queue first seen later reads zero before it existed
		push(arrive(DAY0 + 11 * M, 'x1', 'returns'));
		h.sample(DAY0 + 11 * M + 15 * S);
		expect(h.series.queue('returns').t).toEqual([DAY0 + 10 * M + 30 * S, DAY0 + 11 * M + 15 * S]);
		expect(h.series.queue('returns').waiting).toEqual([0, 1]);
		expect(h.series.totals(['returns', 'nope']).waiting).toEqual([0, 1]);
	});
});

describe('heatmap', () => {
	it("counts today's arrivals per interval and heat tier, for the board's queues", () => {
		const { history, push } = setup();
		push(
			login(DAY0 - 10 * M, 'a1', { sales: 1, support: 1 }),
			arrive(DAY0 - 1 * M, 'early', 'sales', { heat: 0.9 }), // before the day: not today's
			arrive(DAY0 + 1 * M, 'h1', 'sales', { heat: 0.9 }),
			arrive(DAY0 + 2 * M, 'h2', 'support', { heat: 0.75 }),
			arrive(DAY0 + 16 * M, 'w1', 'support', { heat: 0.4 }),
			arrive(DAY0 + 17 * M, 'c1', 'sales', { heat: 0.1 }),
			arrive(DAY0 + 46 * M, 't1', 'sales', { tier: 'warm' })
		);
		const hm = history.heatmap;
		expect(hm.heatmap(null, 3)).toEqual({
			intervalMinutes: 15,
			dayStartMs: DAY0,
			tiers: ['hot', 'warm', 'cold'],
			counts: [
				[2, 0, 0],
				[0, 1, 1],
				[0, 0, 0],
				[0, 1, 0]
			]
		});
		expect(hm.heatmap(['sales'], 5).counts).toEqual([
			[1, 0, 0],
			[0, 0, 1],
			[0, 0, 0],
			[0, 1, 0],
			[0, 0, 0],
			[0, 0, 0]
		]);
		const v = hm.version;
		push(arrive(DAY0 + 47 * M, 'w2', 'support', { heat: 0.5 }));
		expect(hm.changedSince(null, v)).toEqual([[3, [0, 2, 0]]]);
		expect(hm.changedSince(['sales'], v)).toEqual([]);
		expect(hm.changedSince(['support', 'sales'], v)).toEqual([[3, [0, 2, 0]]]);
		expect(hm.changedSince(['support'], v)).toEqual([[3, [0, 1, 0]]]);
		expect(hm.changedSince(null, hm.version)).toEqual([]);
	});
});

describe('resolveSubscription', () => {
	const known = new Set(['sales', 'support', 'a,b', '*']);
	it('is canonical and keeps unknown queues out', () => {
		expect(resolveSubscription([], known)).toEqual({ subscription: ALL_QUEUES, unknown: [] });
		expect(resolveSubscription(['support', 'nope', 'sales', 'nope'], known)).toEqual({
			subscription: { key: 'sub:sales,support', queues: ['sales', 'support'] },
			unknown: ['nope']
		});
		expect(resolveSubscription(['nope'], known)).toEqual({ subscription: null, unknown: ['nope'] });
	});
	it('never gives two different subscriptions one room', () => {
		const keys = [['a,b'], ['*'], ['sales', 'support'], ['sales'], []].map((q) => resolveSubscription(q, known).subscription?.key);
		expect(new Set(keys).size).toBe(keys.length);
	});
});
