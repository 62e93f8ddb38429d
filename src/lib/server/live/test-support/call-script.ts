import type { HeatEvent } from '../../../engine/events';

/** An event a phone system sends, and the wall time it reaches the server. */
export interface ScriptedEvent {
	event: HeatEvent;
	at: number;
}

function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** an event without its id and time, one variant at a time */
type Body = HeatEvent extends infer E ? (E extends HeatEvent ? Omit<E, 'id' | 't'> : never) : never;

const QUEUES = ['sales', 'support'] as const;
const AGENTS = ['ann', 'bob', 'cat', 'dan', 'eve'];

/**
 * A seeded stretch of a call center's day as an ACD reports it (observe mode): agents log in,
 * calls arrive, are answered by free agents, end (with wrap-up, so the engine schedules timers),
 * are abandoned or transferred; agents take breaks. Every event is one the engine accepts. Each
 * reaches the server up to 0.9 s after its own time, so many are late against the wall clock
 * (within the reorder window) and the order of arrival is not always the order of the stamps.
 */
export function callScript(seed: number, count: number, startMs: number): ScriptedEvent[] {
	const rnd = mulberry32(seed);
	const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
	const out: ScriptedEvent[] = [];
	const waiting: Array<{ id: string; queue: string }> = [];
	const talking = new Map<string, string>();
	const onCall = new Set<string>();
	const away = new Set<string>();
	const freeAt = new Map<string, number>();
	let t = startMs;
	let at = startMs;
	let n = 0;
	let calls = 0;
	const emit = (e: Body) => {
		at = Math.max(at, t + Math.floor(rnd() * 900));
		out.push({ event: { ...e, id: `e${++n}`, t } as HeatEvent, at });
	};
	for (const a of AGENTS) {
		t += 100;
		emit({ type: 'agent.state', agentId: a, state: 'available', skills: { sales: 1, support: 1 }, name: a.toUpperCase() });
	}
	while (out.length < count) {
		t += 200 + Math.floor(rnd() * 3000);
		const free = AGENTS.filter((a) => !onCall.has(a) && !away.has(a) && (freeAt.get(a) ?? 0) <= t);
		const r = rnd();
		if (r < 0.35) {
			const id = `c${++calls}`;
			const queue = pick(QUEUES);
			waiting.push({ id, queue });
			emit({
				type: 'call.arrived',
				callId: id,
				queue,
				heat: Math.round(rnd() * 100) / 100,
				value: 100 + Math.floor(rnd() * 4900),
				source: pick(['web', 'ads', 'referral']),
				caller: `+4420${Math.floor(rnd() * 1e8)}`
			});
		} else if (r < 0.6 && waiting.length > 0 && free.length > 0) {
			const c = waiting.splice(Math.floor(rnd() * waiting.length), 1)[0] as { id: string };
			const a = pick(free);
			onCall.add(a);
			talking.set(c.id, a);
			emit({ type: 'call.answered', callId: c.id, agentId: a });
		} else if (r < 0.8 && talking.size > 0) {
			const [id, a] = pick([...talking.entries()]);
			talking.delete(id);
			onCall.delete(a);
			const wrapMs = rnd() < 0.3 ? 0 : 1000 + Math.floor(rnd() * 20_000);
			freeAt.set(a, t + wrapMs);
			emit(rnd() < 0.5 ? { type: 'call.ended', callId: id, wrapMs, converted: rnd() < 0.3 } : { type: 'call.ended', callId: id, wrapMs });
		} else if (r < 0.88 && waiting.length > 0) {
			const c = waiting.splice(Math.floor(rnd() * waiting.length), 1)[0] as { id: string };
			emit({ type: 'call.abandoned', callId: c.id });
		} else if (r < 0.93 && waiting.length > 0) {
			const c = pick(waiting);
			c.queue = c.queue === 'sales' ? 'support' : 'sales';
			emit({ type: 'call.transferred', callId: c.id, toQueue: c.queue });
		} else if (free.length > 0 && rnd() < 0.5) {
			const a = pick(free);
			away.add(a);
			emit({ type: 'agent.state', agentId: a, state: 'away', reason: 'break' });
		} else if (away.size > 0) {
			const a = pick([...away]);
			away.delete(a);
			emit({ type: 'agent.state', agentId: a, state: 'available' });
		}
	}
	return out;
}
