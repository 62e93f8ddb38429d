import { describe, expect, it } from 'vitest';
import { Engine } from './engine';
import { Driver } from './driver';
import type { EngineConfigInput } from './config';
import type { HeatEvent } from './events';
import { snapshot } from './views';
import { erlangAMeasures } from './analytics/erlang';

const S = 1000;
const M = 60 * S;
let n = 0;
const id = () => `e${++n}`;
const login = (t: number, agentId: string, skills: Record<string, number> = { sales: 1 }): HeatEvent => ({
	type: 'agent.state',
	id: id(),
	t,
	agentId,
	state: 'available',
	skills
});
const arrive = (t: number, callId: string, extra: Partial<Extract<HeatEvent, { type: 'call.arrived' }>> = {}): HeatEvent => ({
	type: 'call.arrived',
	id: id(),
	t,
	callId,
	queue: 'sales',
	...extra
});
const answer = (t: number, callId: string, agentId: string): HeatEvent => ({ type: 'call.answered', id: id(), t, callId, agentId });
const end = (t: number, callId: string, extra: { converted?: boolean; revenue?: number; wrapMs?: number } = {}): HeatEvent => ({
	type: 'call.ended',
	id: id(),
	t,
	callId,
	...extra
});
const abandon = (t: number, callId: string): HeatEvent => ({ type: 'call.abandoned', id: id(), t, callId });
const state = (t: number, agentId: string, s: 'available' | 'away' | 'offline' | 'busy', reason?: string): HeatEvent => ({
	type: 'agent.state',
	id: id(),
	t,
	agentId,
	state: s,
	...(reason ? { reason } : {})
});

function setup(config: EngineConfigInput = {}, random?: () => number) {
	const engine = new Engine({ queues: [{ id: 'sales', autoAnswer: true }], ...config }, random ? { random } : {});
	const driver = new Driver(engine);
	return { engine, driver };
}

/** The agent each call was offered to, from the engine's decisions. */
function offers(d: Driver): Array<[string, string]> {
	return d.log
		.filter((l) => l.event.type === 'call.offered' && l.origin === 'decision')
		.map((l) => {
			const e = l.event as Extract<HeatEvent, { type: 'call.offered' }>;
			return [e.callId, e.agentId];
		});
}

describe('route mode', () => {
	it('offers a call to the longest-idle agent, answers, ends, wraps up and takes the next call', () => {
		const { engine, driver } = setup({ queues: [{ id: 'sales', wrapUpSeconds: 30 }] });
		driver.pushAll([login(0, 'a1'), login(10 * S, 'a2'), arrive(20 * S, 'c1'), arrive(21 * S, 'c2'), arrive(22 * S, 'c3')]);
		expect(offers(driver)).toEqual([
			['c1', 'a1'],
			['c2', 'a2']
		]);
		expect(engine.calls.get('c3')?.status).toBe('waiting');
		driver.pushAll([answer(25 * S, 'c1', 'a1'), end(85 * S, 'c1')]);
		expect(engine.agents.get('a1')?.state).toBe('wrap-up');
		// c3 must wait for a1's wrap-up to end at 115 s
		driver.runUntil(114 * S);
		expect(engine.calls.get('c3')?.status).toBe('waiting');
		driver.runUntil(115 * S);
		expect(engine.calls.get('c3')?.status).toBe('ringing');
		expect(engine.calls.get('c3')?.agent?.id).toBe('a1');
	});

	it('serves higher priority classes first, then oldest first', () => {
		const { driver } = setup();
		driver.pushAll([
			arrive(0, 'low'),
			arrive(1 * S, 'high', { priority: 5 }),
			arrive(2 * S, 'low2'),
			login(3 * S, 'a1'),
			end(4 * S, 'high'),
			end(5 * S, 'low')
		]);
		expect(offers(driver).map(([c]) => c)).toEqual(['high', 'low', 'low2']);
	});

	it('routes a call needing a skill level only to an agent who has it', () => {
		const { engine, driver } = setup();
		driver.pushAll([
			login(0, 'en', { sales: 5 }),
			login(1 * S, 'es1', { sales: 1, spanish: 2 }),
			arrive(2 * S, 'c1', { skills: { spanish: 3 } }),
			login(3 * S, 'es3', { sales: 1, spanish: 3 })
		]);
		expect(offers(driver)).toEqual([['c1', 'es3']]);
		expect(engine.agents.get('en')?.state).toBe('available');
	});

	it.each([
		['longest-idle', ['b', 'a', 'c']],
		['fewest-calls', ['b', 'c', 'b']],
		['round-robin', ['b', 'c', 'a']],
		['best-skill', ['c', 'c', 'c']]
	] as const)('strategy %s picks agents in the expected order', (strategy, expected) => {
		const { driver } = setup({ queues: [{ id: 'sales', autoAnswer: true, strategy }] });
		// a: idle longest but already handled 2 calls; c: best skill, idle shortest
		driver.pushAll([
			login(0, 'a', { sales: 2 }),
			arrive(1 * S, 'x1'),
			end(2 * S, 'x1'),
			arrive(3 * S, 'x2'),
			end(4 * S, 'x2'),
			login(5 * S, 'b', { sales: 1 }),
			state(6 * S, 'a', 'away'),
			state(7 * S, 'a', 'available'),
			login(8 * S, 'c', { sales: 9 }),
			arrive(10 * S, 'c1'),
			end(11 * S, 'c1'),
			arrive(12 * S, 'c2'),
			end(13 * S, 'c2'),
			arrive(14 * S, 'c3'),
			end(15 * S, 'c3')
		]);
		expect(
			offers(driver)
				.slice(2)
				.map(([, a]) => a)
		).toEqual(expected);
	});

	it('random strategy draws from the injected stream, so the same seed gives the same picks', () => {
		const pick = (seed: number) => {
			let s = seed;
			const rnd = () => ((s = (s * 16807) % 2147483647) - 1) / 2147483646;
			const { driver } = setup({ queues: [{ id: 'sales', autoAnswer: true, strategy: 'random' }] }, rnd);
			const evs: HeatEvent[] = ['a', 'b', 'c', 'd'].map((a, i) => login(i, a));
			for (let i = 0; i < 12; i++) evs.push(arrive(10 * S + i * 2 * S, `c${i}`), end(10 * S + i * 2 * S + S, `c${i}`));
			driver.pushAll(evs);
			return offers(driver).map(([, a]) => a);
		};
		expect(pick(7)).toEqual(pick(7));
		expect(new Set(pick(7)).size).toBeGreaterThan(1);
		expect(pick(7)).not.toEqual(pick(8));
	});

	it('value order takes the call whose wait costs most per minute; fifo takes the oldest', () => {
		const run = (order: 'fifo' | 'value') => {
			const { driver } = setup({ order });
			driver.pushAll([
				arrive(0, 'cold-big', { heat: 0.1, value: 1000 }),
				arrive(1 * S, 'hot-small', { heat: 0.9, value: 500 }),
				arrive(2 * S, 'hot-big', { heat: 0.9, value: 5000 }),
				login(3 * S, 'a')
			]);
			return offers(driver)[0]?.[0];
		};
		expect(run('fifo')).toBe('cold-big');
		expect(run('value')).toBe('hot-big');
	});

	it('escalation widens the skill set after the wait', () => {
		const { driver } = setup({ queues: [{ id: 'sales', autoAnswer: true, escalation: { afterSeconds: 60, widen: true } }] });
		driver.pushAll([login(0, 'en'), arrive(1 * S, 'c1', { skills: { spanish: 1 } })]);
		expect(offers(driver)).toEqual([]);
		driver.runUntil(61 * S);
		expect(offers(driver)).toEqual([['c1', 'en']]);
	});

	it('escalation can move a call to another queue, keeping its arrival time', () => {
		const { engine, driver } = setup({
			queues: [
				{ id: 'sales', autoAnswer: true, escalation: { afterSeconds: 30, toQueue: 'overflow', widen: false } },
				{ id: 'overflow', autoAnswer: true }
			]
		});
		driver.pushAll([login(0, 'o', { overflow: 1 }), arrive(1 * S, 'c1')]);
		driver.runUntil(31 * S);
		expect(offers(driver)).toEqual([['c1', 'o']]);
		expect(snapshot(engine).queues.find((q) => q.id === 'overflow')?.day.asa).toBe(30);
	});

	it('overflows to the AI tier when the queue is full, then to voicemail when the tier is full', () => {
		const { engine, driver } = setup({
			queues: [{ id: 'sales', maxWaiting: 1, whenFull: 'overflow', overflowTo: 'ai' }],
			overflowTiers: [{ id: 'ai', capacity: 1 }]
		});
		driver.pushAll([arrive(0, 'c1'), arrive(1, 'c2'), arrive(2, 'c3')]);
		expect(engine.calls.get('c1')?.status).toBe('waiting');
		expect(engine.calls.get('c2')?.status).toBe('ai');
		expect(engine.calls.has('c3')).toBe(false);
		expect(engine.statusCount.voicemail).toBe(1);
		const decisions = driver.log.filter((l) => l.origin === 'decision').map((l) => l.event);
		expect(decisions).toMatchObject([
			{ type: 'call.overflowed', callId: 'c2', target: 'ai', reason: 'queue-full' },
			{ type: 'call.overflowed', callId: 'c3', target: 'voicemail', reason: 'queue-full' }
		]);
		// the AI hands the caller back to humans: they keep their original arrival time
		driver.pushAll([{ type: 'call.transferred', id: id(), t: 10 * S, callId: 'c2', toQueue: 'sales' }, login(20 * S, 'a')]);
		expect(offers(driver)).toEqual([['c1', 'a']]);
		expect(engine.calls.get('c2')?.status).toBe('waiting');
		expect(engine.overflowTiers.get('ai')?.inUse).toBe(0);
	});

	it('overflows a call that waited too long', () => {
		const { engine, driver } = setup({
			queues: [{ id: 'sales', overflowAfterSeconds: 90, overflowTo: 'ai' }],
			overflowTiers: [{ id: 'ai', capacity: 10 }]
		});
		driver.pushAll([arrive(0, 'c1'), arrive(50 * S, 'c2')]);
		driver.runUntil(100 * S);
		expect(engine.calls.get('c1')?.status).toBe('ai');
		expect(engine.calls.get('c2')?.status).toBe('waiting');
	});

	it('closed hours: callers are offered a callback that keeps their place', () => {
		const { engine, driver } = setup({ queues: [{ id: 'sales', autoAnswer: true, hours: ['08:00-18:00'], whenClosed: 'callback' }] });
		const h = (x: number) => x * 60 * M;
		driver.pushAll([arrive(h(7), 'early'), arrive(h(8) + 1, 'open1')]);
		expect(engine.calls.get('early')?.status).toBe('callback');
		expect(snapshot(engine, h(8) + 2).totals.now).toMatchObject({ waiting: 1, callbacksWaiting: 1 });
		driver.push(login(h(8) + 5, 'a'));
		expect(offers(driver)).toEqual([['early', 'a']]);
	});

	it('a caller who asks for a callback keeps their place and cannot be lost as an abandon', () => {
		const { engine, driver } = setup();
		driver.pushAll([
			arrive(0, 'c1'),
			arrive(1 * S, 'c2'),
			{ type: 'call.callback.requested', id: id(), t: 2 * S, callId: 'c1' },
			login(3 * S, 'a')
		]);
		expect(offers(driver)).toEqual([['c1', 'a']]);
		expect(engine.calls.get('c2')?.status).toBe('waiting');
	});

	it('ring-no-answer after the ring timeout: the agent goes away and the call goes to the next agent', () => {
		const { engine, driver } = setup({ queues: [{ id: 'sales', ringTimeoutSeconds: 15 }] });
		driver.pushAll([login(0, 'a'), login(1 * S, 'b'), arrive(2 * S, 'c1')]);
		expect(offers(driver)).toEqual([['c1', 'a']]);
		driver.runUntil(17 * S);
		expect(offers(driver)).toEqual([
			['c1', 'a'],
			['c1', 'b']
		]);
		expect(engine.agents.get('a')).toMatchObject({ state: 'away', reason: 'ring-no-answer' });
		driver.push(answer(20 * S, 'c1', 'b'));
		driver.runUntil(40 * S); // the second ring timer is stale now
		expect(engine.calls.get('c1')?.status).toBe('talking');
		expect(engine.counts.timersStale).toBe(1);
	});

	it('a pause asked for during a call takes effect after it', () => {
		const { engine, driver } = setup();
		driver.pushAll([login(0, 'a'), arrive(1 * S, 'c1'), state(2 * S, 'a', 'away', 'lunch'), arrive(3 * S, 'c2'), end(4 * S, 'c1')]);
		expect(engine.agents.get('a')).toMatchObject({ state: 'away', reason: 'lunch' });
		expect(engine.calls.get('c2')?.status).toBe('waiting');
	});

	it('the same events give the same decisions, byte for byte', () => {
		const run = () => {
			n = 0;
			const { driver } = setup({ queues: [{ id: 'sales', wrapUpSeconds: 5, ringTimeoutSeconds: 10 }] });
			const evs: HeatEvent[] = [login(0, 'a'), login(1, 'b')];
			for (let i = 0; i < 20; i++) evs.push(arrive(i * 7 * S, `c${i}`, { heat: (i % 10) / 10, value: 100 * i }));
			driver.pushAll(evs);
			driver.runUntil(10 * M);
			return JSON.stringify(driver.log);
		};
		expect(run()).toBe(run());
	});
});

describe('observe mode', () => {
	const observe = () => setup({ queues: [{ id: 'sales', mode: 'observe' }] });

	it('mirrors the external ACD and makes no decisions', () => {
		const { engine, driver } = observe();
		driver.pushAll([login(0, 'a'), arrive(1 * S, 'c1'), answer(11 * S, 'c1', 'a'), end(71 * S, 'c1')]);
		expect(driver.log.filter((l) => l.origin === 'decision')).toEqual([]);
		expect(snapshot(engine).totals.day).toMatchObject({ answered: 1, asa: 10, aht: 60 });
	});

	it('counts an answer by an offline agent as a contradiction, and mirrors it', () => {
		const { engine, driver } = observe();
		driver.pushAll([login(0, 'a'), state(1, 'a', 'offline'), arrive(1 * S, 'c1'), answer(2 * S, 'c1', 'a')]);
		expect(engine.counts.contradictions).toEqual({ 'offered to offline agent': 1 });
		expect(engine.calls.get('c1')?.status).toBe('talking');
	});

	it('creates agents it has not seen log in', () => {
		const { engine, driver } = observe();
		driver.pushAll([arrive(0, 'c1'), answer(1 * S, 'c1', 'ghost')]);
		expect(engine.counts.agentsAutoCreated).toBe(1);
		expect(engine.agents.get('ghost')?.call?.id).toBe('c1');
	});

	it('rejects an answer by an agent who is on another call, keeping one call per agent', () => {
		const { engine, driver } = observe();
		driver.pushAll([login(0, 'a'), arrive(1, 'c1'), arrive(2, 'c2'), answer(3, 'c1', 'a')]);
		const r = driver.push(answer(4, 'c2', 'a'));
		expect(r).toMatchObject({ accepted: false, reason: 'contradiction' });
		expect(engine.calls.get('c2')?.status).toBe('waiting');
		expect(engine.agents.get('a')?.call?.id).toBe('c1');
	});
});

describe('observe mode contradictions', () => {
	const observe = () => setup({ queues: [{ id: 'sales', mode: 'observe' }], overflowTiers: [{ id: 'ai', capacity: 1 }] });

	it('an answer by another agent than the one ringing frees the ringing agent', () => {
		const { engine, driver } = observe();
		driver.pushAll([
			login(0, 'a'),
			login(0, 'b'),
			arrive(1 * S, 'c1'),
			{ type: 'call.offered', id: id(), t: 2 * S, callId: 'c1', agentId: 'a' },
			answer(3 * S, 'c1', 'b')
		]);
		expect(engine.counts.contradictions).toEqual({ 'answered by another agent than the one ringing': 1 });
		expect(engine.calls.get('c1')?.agent?.id).toBe('b');
		expect(engine.agents.get('a')).toMatchObject({ state: 'available', call: null });
	});

	it('a call ended without an answer counts as abandoned, and as a contradiction', () => {
		const { engine, driver } = observe();
		driver.pushAll([arrive(0, 'c1'), end(30 * S, 'c1')]);
		expect(engine.counts.contradictions).toEqual({ 'ended without an answer': 1 });
		expect(snapshot(engine).totals.day).toMatchObject({ abandoned: 1, answered: 0 });
	});

	it('an overflow tier asked to take more than its capacity is mirrored and counted', () => {
		const { engine, driver } = observe();
		for (const c of ['c1', 'c2'])
			driver.pushAll([arrive(0, c), { type: 'call.overflowed', id: id(), t: 1, callId: c, target: 'ai', reason: 'wait' }]);
		expect(engine.counts.contradictions).toEqual({ 'overflow tier over capacity (wait)': 1 });
		expect(engine.overflowTiers.get('ai')?.inUse).toBe(2);
	});
});

describe('wait timers and queue moves', () => {
	it('a transferred call gets the new queue’s timers, from the transfer, and loses the old queue’s', () => {
		const { engine, driver } = setup({
			queues: [
				{ id: 'sales', mode: 'observe', overflowAfterSeconds: 30, overflowTo: 'ai' },
				{ id: 'support', escalation: { afterSeconds: 60, widen: false, priorityBoost: 5 } }
			],
			overflowTiers: [{ id: 'ai', capacity: 5 }]
		});
		driver.pushAll([
			login(0, 'a'),
			arrive(0, 'c1'),
			answer(1 * S, 'c1', 'a'),
			{ type: 'call.transferred', id: id(), t: 10 * S, callId: 'c1', toQueue: 'support' }
		]);
		driver.runUntil(69 * S);
		expect(engine.calls.get('c1')).toMatchObject({ status: 'waiting', priority: 0 });
		driver.runUntil(70 * S);
		expect(engine.calls.get('c1')).toMatchObject({ status: 'waiting', priority: 5 });
		expect(engine.overflowTiers.get('ai')?.inUse).toBe(0);
	});
});

describe('names that are Object methods', () => {
	it('a queue called "constructor" is not served by an agent without that skill', () => {
		const { engine, driver } = setup({ queues: [{ id: 'constructor', autoAnswer: true }] });
		driver.pushAll([login(0, 'a', { other: 1 }), arrive(1 * S, 'c1', { queue: 'constructor' })]);
		expect(engine.calls.get('c1')?.status).toBe('waiting');
		expect(snapshot(engine).queues[0]?.now.agents.available).toBe(0);
	});
});

describe('bad input', () => {
	it('rejects invalid events with the field and what was expected, keeping the good ones around them', () => {
		const { engine, driver } = setup();
		const results = [
			driver.push(arrive(0, 'c1')),
			driver.push({ type: 'call.arrived', id: 'x', t: 1, queue: 'sales' }),
			driver.push({ type: 'call.arrived', id: 'y', t: 'soon', callId: 'c9', queue: 'sales' }),
			driver.push({ type: 'call.exploded', id: 'z', t: 1 }),
			driver.push('not an event'),
			driver.push({ ...arrive(2, 'c2'), heat: 3 }),
			driver.push({ ...arrive(2, 'c3'), callId: 'x'.repeat(5000) }),
			driver.push(arrive(3, 'c4'))
		];
		expect(results.map((r) => r.accepted)).toEqual([true, false, false, false, false, false, false, true]);
		const details = results.filter((r) => !r.accepted).map((r) => (r.accepted ? '' : r.detail));
		expect(details[0]).toMatch(/callId/);
		expect(details[1]).toMatch(/t: .*expected number/);
		expect(details[2]).toMatch(/type/);
		expect(details[4]).toMatch(/heat: .*<=1/);
		expect(details[5]).toMatch(/callId: .*<=128/);
		expect(engine.counts.rejected.invalid).toBe(6);
		expect([...engine.calls.keys()]).toEqual(['c1', 'c4']);
	});

	it('rejects events stamped more than a day ahead, so a broken clock cannot drag time forward', () => {
		const { engine, driver } = setup();
		driver.push(arrive(10 * S, 'c1'));
		expect(driver.push(arrive(2 * 86_400_000, 'c2'))).toMatchObject({ accepted: false, reason: 'future' });
		expect(driver.push({ ...arrive(11 * S, 'c3'), t: 9e15 })).toMatchObject({ accepted: false, reason: 'invalid' });
		expect(engine.clock).toBe(10 * S);
		expect(driver.push(arrive(11 * S, 'c4')).accepted).toBe(true);
	});

	it('ignores and counts duplicates by id', () => {
		const { engine, driver } = setup();
		const e = arrive(0, 'c1');
		driver.push(e);
		expect(driver.push({ ...e })).toMatchObject({ accepted: false, reason: 'duplicate' });
		expect(engine.counts.rejected.duplicate).toBe(1);
		expect(engine.arrived).toBe(1);
	});

	it('applies late events within the reorder window at the clock, rejects older ones as stale', () => {
		const { engine, driver } = setup({ reorderWindowMs: 5 * S });
		driver.pushAll([arrive(100 * S, 'c1')]);
		const late = driver.push(arrive(97 * S, 'c2'));
		expect(late).toMatchObject({ accepted: true, late: true });
		expect(engine.calls.get('c2')?.arrivedAt).toBe(100 * S);
		expect(driver.push(arrive(90 * S, 'c3'))).toMatchObject({ accepted: false, reason: 'stale' });
		expect(engine.clock).toBe(100 * S);
		expect(engine.counts.late).toBe(1);
	});

	it('rejects unknown calls, unknown queues and impossible transitions without changing state', () => {
		const { engine, driver } = setup({ autoQueues: false });
		driver.pushAll([login(0, 'a'), arrive(1 * S, 'c1'), end(2 * S, 'c1')]);
		const before = JSON.stringify(snapshot(engine, 3 * S).totals);
		expect(driver.push(end(3 * S, 'nope'))).toMatchObject({ reason: 'unknownCall' });
		expect(driver.push(arrive(3 * S, 'c2', { queue: 'nowhere' }))).toMatchObject({ reason: 'unknownQueue' });
		expect(driver.push(arrive(3 * S, 'c3', { tier: 'lukewarm' }))).toMatchObject({ reason: 'invalid' });
		driver.push(arrive(3 * S, 'c4'));
		expect(driver.push(abandon(3 * S, 'c4'))).toMatchObject({ reason: 'badTransition' }); // talking: a hang-up is call.ended
		expect(driver.push(arrive(3 * S, 'c4'))).toMatchObject({ reason: 'duplicateCall' });
		expect(engine.calls.get('c4')?.status).toBe('talking');
		expect(JSON.stringify(snapshot(engine, 3 * S).totals.day.answered)).toBe('2');
		expect(before).not.toBe('');
	});
});

describe('metrics', () => {
	it('computes service level, ASA, abandon rate, AHT and occupancy as the README defines them', () => {
		const { engine, driver } = setup({
			queues: [{ id: 'sales', mode: 'observe', serviceLevel: { seconds: 20, target: 0.8 }, shortAbandonSeconds: 5 }]
		});
		driver.pushAll([
			login(0, 'a'),
			arrive(0, 'c1'),
			answer(10 * S, 'c1', 'a'), // wait 10 s: in SL
			arrive(20 * S, 'c2'),
			abandon(23 * S, 'c2'), // short abandon
			arrive(30 * S, 'c3'),
			end(70 * S, 'c1', { wrapMs: 0 }),
			abandon(90 * S, 'c3'), // abandon after 60 s
			arrive(100 * S, 'c4'),
			answer(130 * S, 'c4', 'a'), // wait 30 s: out of SL
			end(190 * S, 'c4', { wrapMs: 0 })
		]);
		const day = snapshot(engine, 200 * S).totals.day;
		expect(day).toMatchObject({ offered: 4, answered: 2, abandoned: 2, shortAbandoned: 1 });
		expect(day.asa).toBe(20);
		expect(day.slAnswered).toBe(0.5);
		expect(day.slOffered).toBeCloseTo(1 / 3, 12); // 1 in SL / (2 answered + 2 abandoned - 1 short)
		expect(day.abandonRate).toBeCloseTo(1 / 3, 12);
		expect(day.aht).toBe(60);
		// a: busy 10..70 and 130..190 = 120 s, available the other 80 s of 200
		expect(day.occupancy).toBeCloseTo(120 / 200, 12);
	});

	it('counts the day from dayStartMs: a warm-up before it is only in negative intervals', () => {
		const { engine, driver } = setup({ dayStartMs: 30 * M, queues: [{ id: 'sales', mode: 'observe' }] });
		driver.pushAll([login(0, 'a'), arrive(1 * M, 'early'), arrive(31 * M, 'late')]);
		const s = engine.all;
		expect(s.day.offered).toBe(1);
		expect(s.intervals.get(-2)?.offered).toBe(1);
		// agent time from the day start only
		expect(snapshot(engine, 40 * M).totals.day.occupancy).toBe(0);
		expect(s.dayAt(40 * M).availableMs).toBe(10 * M);
	});

	it('splits counts into 15-minute intervals and rolling windows', () => {
		const { engine, driver } = setup({ queues: [{ id: 'sales', mode: 'observe' }] });
		driver.pushAll([arrive(1 * M, 'c1'), arrive(16 * M, 'c2'), arrive(50 * M, 'c3'), arrive(74 * M, 'c4')]);
		const s = engine.all;
		expect([0, 1, 2, 3, 4].map((i) => s.intervals.get(i)?.offered ?? 0)).toEqual([1, 1, 0, 1, 1]);
		const snap = snapshot(engine, 75 * M);
		expect(snap.totals.last15.offered).toBe(1);
		expect(snap.totals.last60.offered).toBe(3); // minutes 16, 50 and 74 are within (15, 75]
		expect(snap.totals.interval).toMatchObject({ index: 5, metrics: { offered: 0 } });
	});

	it('books revenue when told, expects it otherwise, and counts what waiting lost', () => {
		const tiers = [{ id: 'hot', minHeat: 0, curve: { shape: 'exponential' as const, p0: 0.2, tauSeconds: 600 } }];
		const { engine, driver } = setup({ tiers, queues: [{ id: 'sales', mode: 'observe' }] });
		driver.pushAll([
			login(0, 'a'),
			arrive(0, 'sold', { value: 1000 }),
			answer(0, 'sold', 'a'),
			end(60 * S, 'sold', { converted: true, revenue: 1200 }),
			arrive(60 * S, 'slow', { value: 1000 }),
			answer(660 * S, 'slow', 'a'), // waited one time constant
			end(700 * S, 'slow'),
			arrive(700 * S, 'gone', { value: 500 }),
			abandon(760 * S, 'gone')
		]);
		const day = snapshot(engine, 800 * S).totals.day;
		const pSlow = 0.2 * Math.exp(-1);
		expect(day.conversions).toBeCloseTo(1 + pSlow, 12);
		expect(day.revenue).toBeCloseTo(1200 + 1000 * pSlow, 9);
		expect(day.revenueLost).toBeCloseTo(1000 * (0.2 - pSlow) + 500 * 0.2, 9);
	});

	it('revenue at risk now: waiting calls lose value over their expected further wait', () => {
		const tiers = [{ id: 'hot', minHeat: 0, curve: { shape: 'exponential' as const, p0: 0.2, tauSeconds: 600 } }];
		const { engine, driver } = setup({ tiers, queues: [{ id: 'sales', mode: 'observe', defaultHandleSeconds: 300 }] });
		driver.pushAll([
			login(0, 'a'),
			arrive(0, 'c0'),
			answer(0, 'c0', 'a'),
			arrive(0, 'c1', { value: 1000 }),
			arrive(0, 'c2', { value: 2000 })
		]);
		const snap = snapshot(engine, 60 * S);
		// one agent staffed, 300 s per call: c1 is expected to wait 300 s more, c2 600 s more
		const p = (w: number) => 0.2 * Math.exp(-w / 600);
		const expected = 1000 * (p(60) - p(360)) + 2000 * (p(60) - p(660));
		expect(snap.totals.now.revenueAtRisk).toBeCloseTo(expected, 9);
		expect(snap.totals.now.longestWaitSeconds).toBe(60);
		expect(snap.totals.now.waiting).toBe(2);
	});

	it('counts per lead source', () => {
		const { engine, driver } = setup();
		driver.pushAll([
			login(0, 'a'),
			arrive(1, 'c1', { source: 'pricing-page' }),
			arrive(2, 'c2', { source: 'web-form' }),
			end(3, 'c1', { converted: true, wrapMs: 60 * S })
		]);
		const sources = Object.fromEntries(snapshot(engine).sources.map((s) => [s.id, s.day]));
		expect(sources['pricing-page']).toMatchObject({ offered: 1, answered: 1, conversions: 1, conversionRate: 1 });
		expect(sources['web-form']).toMatchObject({ offered: 1, answered: 0, conversions: 0, conversionRate: 0 });
	});

	it('projects the next hour’s loss with Erlang A from the current staffing and arrival rate', () => {
		const tiers = [
			{ id: 'hot', minHeat: 0.5, curve: { shape: 'exponential' as const, p0: 0.3, tauSeconds: 300 } },
			{ id: 'cold', minHeat: 0, curve: { shape: 'exponential' as const, p0: 0.05, tauSeconds: 3600 } }
		];
		const project = (agents: number) => {
			const { engine, driver } = setup({
				tiers,
				queues: [{ id: 'sales', mode: 'observe', defaultHandleSeconds: 300, defaultPatienceSeconds: 120 }]
			});
			const evs: HeatEvent[] = [];
			for (let i = 0; i < agents; i++) evs.push(login(0, `a${i}`));
			// 60 calls in the last hour, a third hot at 3000, the rest cold at 600
			for (let i = 0; i < 60; i++)
				evs.push(arrive((i + 1) * M, `c${i}`, i % 3 === 0 ? { heat: 0.9, value: 3000 } : { heat: 0.1, value: 600 }));
			driver.pushAll(evs);
			return snapshot(engine, 60 * M).queues[0]?.now.projectedNextHour;
		};
		const p = project(4);
		expect(p).toMatchObject({ arrivalsPerHour: 60, agents: 4, ahtSeconds: 300, patienceSeconds: 120 });
		const m = erlangAMeasures({ arrivalsPerHour: 60, ahtSeconds: 300, agents: 4, patienceSeconds: 120, targetSeconds: 20 });
		const loss = (p0: number, tau: number, value: number) =>
			value * (m.pAbandon * p0 + (1 - m.pAbandon) * (p0 - p0 * Math.exp(-m.asaAnswered / tau)));
		expect(p?.revenueAtRisk).toBeCloseTo(20 * loss(0.3, 300, 3000) + 40 * loss(0.05, 3600, 600), 6);
		// more agents, less at risk; nobody staffed, every call is lost at its full expected value
		expect(project(8)?.revenueAtRisk).toBeLessThan(p?.revenueAtRisk as number);
		expect(project(0)?.revenueAtRisk).toBeCloseTo(20 * 3000 * 0.3 + 40 * 600 * 0.05, 6);
	});
});
