import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Engine } from '../../engine/engine';
import type { HeatEvent } from '../../engine/events';
import { parseScenario } from '../../../../simulator/scenario/load';
import { scenarioFromObserved } from './from-observed';

const S = 1000;
const H = 3_600_000;
let n = 0;
const ev = (e: Record<string, unknown>) => ({ id: `e${++n}`, ...e }) as unknown as HeatEvent;

/** an observe-mode day: queue "a" answered and abandoned calls, queue "b" none, one agent logged off */
function observedEngine(): Engine {
	const engine = new Engine({
		defaultMode: 'observe',
		queues: [
			{ id: 'a', mode: 'observe' },
			{ id: 'b', mode: 'observe' }
		]
	});
	const t0 = 9 * H;
	const events = [
		ev({ type: 'agent.state', t: t0, agentId: 'x', state: 'available', skills: { a: 1 } }),
		ev({ type: 'agent.state', t: t0, agentId: 'y', state: 'available', skills: { a: 1 } }),
		ev({ type: 'agent.state', t: t0, agentId: 'z', state: 'available', skills: { a: 1, b: 2 } }),
		// answered after 10 s, talks 100 s, wraps 20 s
		ev({ type: 'call.arrived', t: t0 + 10 * S, callId: 'c1', queue: 'a' }),
		ev({ type: 'call.offered', t: t0 + 20 * S, callId: 'c1', agentId: 'x' }),
		ev({ type: 'call.answered', t: t0 + 20 * S, callId: 'c1', agentId: 'x' }),
		ev({ type: 'call.ended', t: t0 + 120 * S, callId: 'c1', wrapMs: 20 * S }),
		// abandons after 30 s and 50 s
		ev({ type: 'call.arrived', t: t0 + 200 * S, callId: 'c2', queue: 'a' }),
		ev({ type: 'call.abandoned', t: t0 + 230 * S, callId: 'c2' }),
		ev({ type: 'call.arrived', t: t0 + 300 * S, callId: 'c3', queue: 'a' }),
		ev({ type: 'call.abandoned', t: t0 + 350 * S, callId: 'c3' }),
		ev({ type: 'agent.state', t: t0 + 400 * S, agentId: 'y', state: 'offline' })
	];
	for (const e of events) {
		const r = engine.step(e);
		if (!r.accepted) throw new Error(`${e.id}: ${r.reason}: ${r.detail}`);
	}
	engine.advance(t0 + 600 * S);
	return engine;
}

describe('scenarioFromObserved', () => {
	it('estimates patience as all waits over the abandons, and says which figures are defaults', () => {
		const engine = observedEngine();
		const r = scenarioFromObserved({ kind: 'live', name: 'pbx', engine, nowMs: 9 * H + 600 * S });
		if ('error' in r) throw new Error(r.error);
		parseScenario(r.yaml, 'observed.yaml');
		const file = parse(r.yaml) as {
			queues: Array<{ id: string; handleTime: { mean: number }; wrapUp?: { mean: number }; patience: { mean: number } }>;
			agents: Array<{ count: number; skills: Record<string, number> | string[] }>;
		};
		const a = file.queues.find((q) => q.id === 'a');
		// (10 + 30 + 50) s of waiting over 2 abandons
		expect(a?.patience.mean).toBe(45);
		expect(a?.handleTime.mean).toBe(100);
		expect(a?.wrapUp?.mean).toBe(20);
		expect(file.queues.find((q) => q.id === 'b')?.patience.mean).toBe(180);
		expect(r.note).toMatch(/no caller of "b" has abandoned yet/);
		expect(r.note).toMatch(/no call of "b" has been handled yet/);
		// x alone with skill a, z with a and b; y logged off
		expect(file.agents).toEqual([
			{ group: 'on-duty-1', count: 1, skills: { a: 1 } },
			{ group: 'on-duty-2', count: 1, skills: { a: 1, b: 2 } }
		]);
		expect(r.note).toMatch(/the 2 on duty at 09:10/);
	});

	it('gives a queue nobody on duty can answer an empty group, so the scenario is still valid', () => {
		const engine = new Engine({ defaultMode: 'observe', queues: [{ id: 'a', mode: 'observe' }] });
		engine.advance(9 * H);
		const r = scenarioFromObserved({ kind: 'live', name: 'pbx', engine, nowMs: 9 * H });
		if ('error' in r) throw new Error(r.error);
		const sc = parseScenario(r.yaml, 'empty.yaml');
		expect(sc.agents).toHaveLength(1);
		expect(sc.agents[0]?.shifts[0]?.count).toBe(0);
	});

	it('refuses when the recorded day is over', () => {
		const engine = observedEngine();
		const r = scenarioFromObserved({ kind: 'replay', name: 'day', engine, nowMs: 10 * H, recorded: { events: [], endMs: 9 * H } });
		expect(r).toEqual({ error: expect.stringMatching(/is over/) });
	});
});
