import { describe, expect, it } from 'vitest';
import { Engine } from './engine';
import { EffectCollector, timerEvent, type DecisionSink, type TimerKind } from './effects';
import type { CallArrived, HeatEvent } from './events';
import { Call, type Agent } from './state';
import { snapshot } from './views';

/*
 * The trusted source's fast path (arriveInto, stepCallInto, timerInto with a sink that takes
 * timers as handles) must leave the engine exactly as stepInto of the same events does.
 */

const S = 1000;
const config = {
	queues: [
		{ id: 'sales', autoAnswer: true, wrapUpSeconds: 10, escalation: { afterSeconds: 30, priorityBoost: 1 } },
		{ id: 'support', autoAnswer: true, overflowAfterSeconds: 60, overflowTo: 'ai' }
	],
	overflowTiers: [{ id: 'ai', capacity: 5 }]
};

interface Timer {
	at: number;
	kind: TimerKind;
	call: Call | null;
	agent: Agent | null;
	seq: number;
}

/** A sink that records decisions as events and keeps timers as handles (when `handles`) or events. */
function recorder(handles: boolean) {
	const collector = new EffectCollector();
	const timers: Timer[] = [];
	const sink: DecisionSink = {
		offered: (t, callId, agentId, seq) => collector.offered(t, callId, agentId, seq),
		answered: (t, callId, agentId, seq) => collector.answered(t, callId, agentId, seq),
		ringNoAnswer: (t, callId, agentId, seq) => collector.ringNoAnswer(t, callId, agentId, seq),
		overflowed: (t, callId, target, reason) => collector.overflowed(t, callId, target, reason),
		callbackRequested: (t, callId) => collector.callbackRequested(t, callId),
		schedule: (at, timer) => collector.schedule(at, timer)
	};
	if (handles) sink.scheduleTimer = (at, kind, call, agent, seq) => void timers.push({ at, kind, call, agent, seq });
	return { sink, effects: collector.effects, timers };
}

const arrival = (t: number, callId: string, queue = 'sales'): CallArrived => ({
	type: 'call.arrived',
	id: `${callId}/a`,
	t,
	callId,
	queue
});
const login = (t: number, agentId: string, skills: Record<string, number>): HeatEvent => ({
	type: 'agent.state',
	id: `${agentId}/in`,
	t,
	agentId,
	state: 'available',
	skills
});

/** What a run leaves behind, for comparing two runs. */
function state(engine: Engine): unknown {
	return {
		counts: engine.counts,
		status: engine.statusCount,
		calls: [...engine.calls.values()].map((c) => [c.id, c.status, c.agent?.id ?? null, c.priority]),
		snapshot: snapshot(engine, engine.clock)
	};
}

describe('the trusted fast path', () => {
	it('gives the same decisions, calls and metrics as stepInto of the same events', () => {
		// by events: every event through stepInto, timers as events in time order
		const slow = new Engine(config);
		const slowSink = recorder(false);
		// by handles: arrivals through arriveInto, later events through stepCallInto, timers as handles
		const fast = new Engine(config);
		const fastSink = recorder(true);
		const handles = new Map<string, Call>();

		const inputs: HeatEvent[] = [
			login(0, 'a1', { sales: 1 }),
			arrival(1 * S, 'c1'),
			arrival(2 * S, 'c2'),
			arrival(3 * S, 'c3', 'support'),
			{ type: 'call.ended', id: 'c1/e', t: 20 * S, callId: 'c1', converted: true },
			{ type: 'call.abandoned', id: 'c2/x', t: 25 * S, callId: 'c2' },
			arrival(26 * S, 'c4'),
			login(100 * S, 'a2', { sales: 1, support: 1 }),
			{ type: 'call.ended', id: 'c4/e', t: 200 * S, callId: 'c4', wrapMs: 5 * S }
		];
		const slowTimers: Array<{ at: number; e: HeatEvent }> = [];
		const decisions: HeatEvent[][] = [[], []];
		// after every step: decisions to the lists, the slow side's timers to its queue
		const drain = () => {
			for (const f of slowSink.effects.splice(0)) {
				if (f.kind === 'schedule') slowTimers.push({ at: f.at, e: f.event });
				else decisions[0]?.push(f.event);
			}
			for (const f of fastSink.effects.splice(0)) {
				expect(f.kind).toBe('emit'); // timers come as handles
				if (f.kind === 'emit') decisions[1]?.push(f.event);
			}
			slowTimers.sort((x, y) => x.at - y.at);
			fastSink.timers.sort((x, y) => x.at - y.at);
			expect(fastSink.timers.map((x) => x.at)).toEqual(slowTimers.map((x) => x.at));
			expect(state(fast)).toEqual(state(slow));
		};
		const fire = (until: number) => {
			for (;;) {
				const s = slowTimers[0];
				const f = fastSink.timers[0];
				if (s === undefined || f === undefined || s.at > until) return;
				slowTimers.shift();
				fastSink.timers.shift();
				// the handle timer is the same timer as the event
				expect(timerEvent(f.kind, f.at, f.call?.id, f.agent?.id, f.seq)).toEqual(s.e);
				expect(slow.stepInto(s.e, slowSink.sink)).toBeNull();
				expect(fast.timerInto(f.at, f.kind, f.call, f.agent, f.seq, fastSink.sink)).toBeNull();
				drain();
			}
		};
		for (const e of inputs) {
			fire(e.t);
			expect(slow.stepInto(e, slowSink.sink)).toBeNull();
			if (e.type === 'call.arrived') {
				const c = fast.arriveInto(e, fastSink.sink);
				expect(c).toBeInstanceOf(Call);
				handles.set(e.callId, c as Call);
			} else if (e.type === 'agent.state') expect(fast.stepInto(e, fastSink.sink)).toBeNull();
			else if (e.type === 'call.ended' || e.type === 'call.abandoned')
				expect(fast.stepCallInto(handles.get(e.callId) as Call, e, fastSink.sink)).toBeNull();
			drain();
		}
		fire(Number.POSITIVE_INFINITY);
		expect(decisions[1]).toEqual(decisions[0]);
		expect(state(fast)).toEqual(state(slow));
		// the day used every kind of path: wrap-up timers, a stale escalation, an overflow by wait
		expect(decisions[0]?.map((e) => e.type)).toContain('call.overflowed');
		expect(fast.counts.timersStale).toBeGreaterThan(0);
		expect(fast.counts.accepted).toBeGreaterThan(inputs.length);
	});

	it('lists calls from arriveInto in arrival order, without finished ones, and still finds them by id', () => {
		const engine = new Engine(config);
		const sink = recorder(true).sink;
		const c1 = engine.arriveInto(arrival(1 * S, 'c1'), sink) as Call;
		engine.arriveInto(arrival(2 * S, 'c2'), sink);
		engine.arriveInto(arrival(3 * S, 'c3'), sink);
		expect(engine.stepCallInto(c1, { type: 'call.abandoned', id: 'x', t: 4 * S, callId: 'c1' }, sink)).toBeNull();
		expect([...engine.calls.keys()]).toEqual(['c2', 'c3']);
		// a call that arrives the usual way joins after them, and events by id find the fast-path calls
		expect(engine.stepInto(arrival(5 * S, 'c5'), sink)).toBeNull();
		expect(engine.stepInto({ type: 'call.abandoned', id: 'y', t: 6 * S, callId: 'c2' }, sink)).toBeNull();
		expect([...engine.calls.keys()]).toEqual(['c3', 'c5']);
		// a handle of a finished call is refused like its id would be
		expect(engine.stepCallInto(c1, { type: 'call.abandoned', id: 'z', t: 7 * S, callId: 'c1' }, sink)?.reason).toBe('unknownCall');
	});

	it('keeps no finished call alive, however many pass through', () => {
		const engine = new Engine(config);
		const sink = recorder(true).sink;
		for (let i = 0; i < 20_000; i++) {
			const c = engine.arriveInto(arrival(i * S, `c${i}`), sink) as Call;
			if (i % 100 !== 0) engine.stepCallInto(c, { type: 'call.abandoned', id: '', t: i * S, callId: c.id }, sink);
		}
		// the list of calls not yet in the map is compacted as it goes: only calls in progress remain
		const pending = (engine as unknown as { unmapped: Array<Call | null> }).unmapped.filter((c) => c !== null);
		expect(pending.every((c) => c.status === 'waiting')).toBe(true);
		expect(engine.calls.size).toBe(200);
		expect([...engine.calls.keys()].slice(0, 3)).toEqual(['c0', 'c100', 'c200']);
	});

	it('refuses a timer by handle the way stepInto refuses its event', () => {
		const engine = new Engine({ ...config, reorderWindowMs: 1000 });
		const sink = recorder(true);
		engine.stepInto(login(0, 'a1', { sales: 1 }), sink.sink);
		engine.arriveInto(arrival(10 * S, 'c1'), sink.sink);
		const agent = engine.agents.get('a1') as Agent;
		const r = engine.timerInto(5 * S, 'wrap.end', null, agent, 1, sink.sink);
		expect(r?.reason).toBe('stale');
		expect(r?.detail).toContain('a1/wrap.end-timer1');
		expect(engine.counts.rejected.stale).toBe(1);
	});

	it('reuses a finished call object for a later arrival, and its old handle and timers no longer reach it', () => {
		const engine = new Engine(config);
		const rec = recorder(true);
		const c1 = engine.arriveInto(arrival(1 * S, 'c1'), rec.sink) as Call;
		const escalation = rec.timers.find((x) => x.kind === 'escalate' && x.call === c1) as Timer;
		expect(engine.stepCallInto(c1, { type: 'call.abandoned', id: 'x', t: 2 * S, callId: 'c1' }, rec.sink)).toBeNull();
		const c2 = engine.arriveInto(arrival(3 * S, 'c2'), rec.sink) as Call;
		expect(c2).toBe(c1);
		// the same object, as new as a call made afresh
		const fresh = new Engine(config);
		// (its first call arrives by event, so it is never a spare)
		fresh.stepInto(arrival(1 * S, 'x1'), recorder(true).sink);
		fresh.stepInto({ type: 'call.abandoned', id: 'x', t: 2 * S, callId: 'x1' }, recorder(true).sink);
		const made = fresh.arriveInto(arrival(3 * S, 'c2'), recorder(true).sink) as Call;
		// every field but the engine objects it points to (lanes and queues of two different engines)
		// and its place in the list of calls not yet mapped (c1 left a gap there)
		const fields = (c: Call) =>
			Object.fromEntries(
				Object.entries(c)
					.filter(([k]) => k !== 'unmappedAt')
					.map(([k, v]) => [k, v !== null && typeof v === 'object' ? k : v])
			);
		expect(Object.keys(c2)).toEqual(Object.keys(made));
		expect(fields(c2)).toEqual(fields(made));
		// c1's escalation timer falls due for the object: stale, c2 keeps its priority
		expect(engine.timerInto(escalation.at, escalation.kind, escalation.call, null, escalation.seq, rec.sink)).toBeNull();
		expect(engine.counts.timersStale).toBe(1);
		expect(c2.priority).toBe(0);
		// an event for c1 through the old handle is refused as its id would be; c2 is untouched
		expect(engine.stepCallInto(c1, { type: 'call.abandoned', id: 'y', t: 40 * S, callId: 'c1' }, rec.sink)?.reason).toBe('unknownCall');
		expect(c2.status).toBe('waiting');
		expect([...engine.calls.keys()]).toEqual(['c2']);
	});

	it('never reuses a call someone looked up by id', () => {
		const engine = new Engine(config);
		const sink = recorder(true).sink;
		const c1 = engine.arriveInto(arrival(1 * S, 'c1'), sink) as Call;
		expect(engine.calls.get('c1')).toBe(c1);
		expect(engine.stepCallInto(c1, { type: 'call.abandoned', id: 'x', t: 2 * S, callId: 'c1' }, sink)).toBeNull();
		const c2 = engine.arriveInto(arrival(3 * S, 'c2'), sink) as Call;
		expect(c2).not.toBe(c1);
		expect(c1).toMatchObject({ id: 'c1', status: 'abandoned' });
	});

	it("names the call object with each decision and keeps the source's tag on it", () => {
		const engine = new Engine(config);
		const seen: Array<[string, Call]> = [];
		const sink: DecisionSink = {
			...recorder(true).sink,
			offered: (_t, callId, _a, _s, call) => void seen.push([callId, call]),
			answered: (_t, callId, _a, _s, call) => void seen.push([callId, call])
		};
		engine.stepInto(login(0, 'a1', { sales: 1 }), sink);
		const c1 = engine.arriveInto(arrival(1 * S, 'c1'), sink, 'mine-1') as Call;
		expect(c1.tag).toBe('mine-1');
		expect(seen).toEqual([
			['c1', c1],
			['c1', c1]
		]);
		expect(engine.stepCallInto(c1, { type: 'call.ended', id: 'e', t: 2 * S, callId: 'c1' }, sink)).toBeNull();
		// the object back for a new call carries the new call's tag, or none
		expect((engine.arriveInto(arrival(3 * S, 'c2'), sink, 'mine-2') as Call).tag).toBe('mine-2');
		expect((engine.arriveInto(arrival(4 * S, 'c3'), sink) as Call).tag).toBeUndefined();
	});
});
