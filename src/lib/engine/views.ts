import type { Engine } from './engine';
import type { AgentStateName } from './events';
import { AGENT_STATES } from './events';
import { derive, type Counters, type DerivedMetrics } from './metrics/counters';
import type { ScopeMetrics } from './metrics/scope';
import type { Call, QueueRt } from './state';
import { erlangAMeasures } from './analytics/erlang';
import { goesFirst } from './order';

/**
 * Read-time views of the engine. They may cost O(calls waiting) — they run a few times a second,
 * not per event — and never change what the engine counts.
 */

export const SNAPSHOT_VERSION = 1;

export interface NowGauges {
	/** callers on hold */
	waiting: number;
	callbacksWaiting: number;
	/** seconds the longest-waiting caller on hold has waited */
	longestWaitSeconds: number;
	agents: Record<AgentStateName, number>;
	/** expected revenue the calls waiting now will lose if they wait the expected time */
	revenueAtRisk: number;
	/** expected revenue the next hour's calls will lose, from Erlang A on the current staffing and arrival rate */
	projectedNextHour: Projection;
}

export interface Projection {
	revenueAtRisk: number;
	arrivalsPerHour: number;
	agents: number;
	ahtSeconds: number;
	patienceSeconds: number;
	pAbandon: number;
	asaSeconds: number;
}

export interface ScopeView {
	day: DerivedMetrics;
	interval: { index: number; metrics: DerivedMetrics };
	last15: DerivedMetrics;
	last60: DerivedMetrics;
}

export interface QueueView extends ScopeView {
	id: string;
	mode: 'route' | 'observe';
	serviceLevel: { seconds: number; target: number };
	now: NowGauges;
}

export interface Snapshot {
	v: typeof SNAPSHOT_VERSION;
	t: number;
	totals: ScopeView & { now: Omit<NowGauges, 'projectedNextHour'> & { projectedRevenueAtRiskNextHour: number } };
	queues: QueueView[];
	sources: Array<{ id: string; day: DerivedMetrics }>;
	counts: Engine['counts'];
}

export interface WaitingCallView {
	callId: string;
	queue: string;
	status: 'waiting' | 'callback';
	waitSeconds: number;
	tier: string;
	value: number;
	priority: number;
	source: string;
	/** the caller's number with all but the last two digits hidden */
	caller: string | undefined;
	/** expected revenue this call loses per extra minute of wait now */
	lossPerMinute: number;
	/** expected further wait before an agent takes it, seconds */
	expectedWaitSeconds: number;
}

export function maskCaller(caller: string | undefined): string | undefined {
	if (caller === undefined) return undefined;
	const digits = caller.replace(/\D/g, '');
	if (digits.length <= 2) return '••';
	return '•'.repeat(Math.min(digits.length - 2, 8)) + digits.slice(-2);
}

function scopeView(s: ScopeMetrics, now: number): ScopeView {
	const index = s.intervalIndex(now);
	return {
		day: derive(s.dayAt(now)),
		interval: { index, metrics: derive(s.intervalAt(index, now)) },
		last15: derive(s.rolling(now, 15)),
		last60: derive(s.rolling(now, 60))
	};
}

function agentsByState(s: ScopeMetrics): Record<AgentStateName, number> {
	return Object.fromEntries(AGENT_STATES.map((st, i) => [st, s.agentsByState[i] ?? 0])) as Record<AgentStateName, number>;
}

/**
 * A queue's waiting and callback calls in the order the router will take them: each lane is ordered
 * by its heap keys, and the lanes' heads are merged the way the engine picks among them.
 */
export function queuedCalls(engine: Engine, q: QueueRt, now: number): Call[] {
	const valueOrder = engine.config.order === 'value';
	const lanes: Call[][] = [];
	for (const r of q.routes.values()) for (const lane of r.lanes) if (lane.size > 0) lanes.push(lane.sorted());
	const heads = lanes.map(() => 0);
	const out: Call[] = [];
	for (;;) {
		let best = -1;
		for (let i = 0; i < lanes.length; i++) {
			const c = (lanes[i] as Call[])[heads[i] as number];
			if (c !== undefined && (best < 0 || goesFirst(c, (lanes[best] as Call[])[heads[best] as number] as Call, valueOrder, now))) best = i;
		}
		if (best < 0) return out;
		out.push((lanes[best] as Call[])[heads[best] as number] as Call);
		heads[best] = (heads[best] as number) + 1;
	}
}

/**
 * The handle time (talk + wrap) the queue has shown today, seconds; its configured default before
 * any call, or while calls end the moment they are answered (which says nothing about handle time).
 */
function handleSeconds(q: QueueRt, day: Counters): number {
	const measured = day.handled > 0 ? (day.talkMs + day.wrapMs) / day.handled / 1000 : 0;
	return Number.isFinite(measured) && measured > 0 ? measured : q.cfg.defaultHandleSeconds;
}

/** Agents staffing the queue now: available, busy or in wrap-up. */
function staffedAgents(q: QueueRt): number {
	const s = q.scope.agentsByState;
	return (s[0] ?? 0) + (s[1] ?? 0) + (s[2] ?? 0);
}

/**
 * Expected ms between agents freeing up for this queue: today's handle time divided among the agents
 * staffing it. The k-th call in line is expected to wait k of these.
 */
function waitStepMs(q: QueueRt): number {
	return (handleSeconds(q, q.scope.day) * 1000) / Math.max(1, staffedAgents(q));
}

export function waitingCalls(engine: Engine, q: QueueRt, now: number): WaitingCallView[] {
	const step = waitStepMs(q);
	return queuedCalls(engine, q, now).map((c, i) => {
		const w = now - c.arrivedAt;
		return {
			callId: c.id,
			queue: q.id,
			status: c.status === 'callback' ? 'callback' : 'waiting',
			waitSeconds: w / 1000,
			tier: engine.tiers.id(c.tier),
			value: c.value,
			priority: c.priority,
			source: c.source,
			caller: maskCaller(c.caller),
			lossPerMinute: c.value * c.curve.lossRate(w) * 60_000,
			expectedWaitSeconds: ((i + 1) * step) / 1000
		};
	});
}

/** Expected loss of the calls waiting now: value x (p(wait now) - p(wait now + expected further wait)). */
export function revenueAtRisk(engine: Engine, q: QueueRt, now: number): number {
	let risk = 0;
	const step = waitStepMs(q);
	queuedCalls(engine, q, now).forEach((c, i) => {
		const w = now - c.arrivedAt;
		risk += c.value * (c.curve.p(w) - c.curve.p(w + (i + 1) * step));
	});
	return risk;
}

/** Abandons needed before the queue's own patience estimate replaces its configured default. */
const MIN_ABANDONS_FOR_PATIENCE = 10;

/**
 * The next hour's expected loss: arrivals at the last 60 minutes' rate, today's mix of heat tiers and
 * values, the agents staffing the queue now (available, busy, wrap-up), today's handle time and
 * patience (exponential; estimated as time waited / abandons, the maximum-likelihood estimate with
 * answered calls as censored observations). Erlang A gives the abandon probability and the ASA; an
 * abandoned call loses value x p(0), an answered one value x (p(0) - p(ASA)).
 */
export function projectNextHour(engine: Engine, q: QueueRt, now: number): Projection {
	const day = q.scope.day;
	const arrivalsPerHour = q.scope.rolling(now, 60).offered;
	const ahtSeconds = handleSeconds(q, day);
	const waited = (day.waitAnsweredMs + day.waitAbandonedMs) / 1000;
	const patienceSeconds = day.abandoned >= MIN_ABANDONS_FOR_PATIENCE && waited > 0 ? waited / day.abandoned : q.cfg.defaultPatienceSeconds;
	const agents = staffedAgents(q);
	let pAbandon = 1;
	let asaSeconds = Number.POSITIVE_INFINITY;
	if (agents > 0 && arrivalsPerHour > 0) {
		const m = erlangAMeasures({ arrivalsPerHour, ahtSeconds, agents, patienceSeconds, targetSeconds: q.cfg.serviceLevel.seconds });
		pAbandon = m.pAbandon;
		asaSeconds = m.asaAnswered;
	} else if (arrivalsPerHour === 0) {
		pAbandon = 0;
		asaSeconds = 0;
	}
	let total = 0;
	let perCall = 0;
	for (let k = 0; k < engine.tiers.size; k++) {
		const n = q.tierOffered[k] ?? 0;
		if (n === 0) continue;
		total += n;
		const curve = engine.tiers.curve(k);
		const value = (q.tierValue[k] ?? 0) / n;
		const p0 = curve.p(0);
		const answeredLoss = Number.isFinite(asaSeconds) ? p0 - curve.p(asaSeconds * 1000) : p0;
		perCall += n * value * (pAbandon * p0 + (1 - pAbandon) * answeredLoss);
	}
	return {
		revenueAtRisk: total > 0 ? (arrivalsPerHour * perCall) / total : 0,
		arrivalsPerHour,
		agents,
		ahtSeconds,
		patienceSeconds,
		pAbandon,
		asaSeconds
	};
}

/**
 * Seconds the longest-waiting caller on hold has waited. Found when read (a few times a second)
 * rather than kept in order as calls come and go (twice per call that waits).
 */
function longestWait(q: QueueRt, now: number): number {
	let oldest = Number.POSITIVE_INFINITY;
	for (const r of q.routes.values())
		for (const lane of r.lanes) for (const c of lane.values()) if (c.status === 'waiting' && c.arrivedAt < oldest) oldest = c.arrivedAt;
	return oldest === Number.POSITIVE_INFINITY ? 0 : (now - oldest) / 1000;
}

/** Everything a board shows, as of `now` (not before the engine's clock). Reading changes nothing. */
export function snapshot(engine: Engine, now: number = engine.clock): Snapshot {
	const t = Math.max(now, engine.clock);
	const queues: QueueView[] = [];
	let totalRisk = 0;
	let totalProjected = 0;
	let totalLongest = 0;
	for (const q of engine.queues.values()) {
		const risk = revenueAtRisk(engine, q, t);
		const longest = longestWait(q, t);
		const projected = projectNextHour(engine, q, t);
		totalRisk += risk;
		totalProjected += projected.revenueAtRisk;
		totalLongest = Math.max(totalLongest, longest);
		queues.push({
			id: q.id,
			mode: q.cfg.mode,
			serviceLevel: q.cfg.serviceLevel,
			...scopeView(q.scope, t),
			now: {
				waiting: q.scope.waiting,
				callbacksWaiting: q.scope.callbacksWaiting,
				longestWaitSeconds: longest,
				agents: agentsByState(q.scope),
				revenueAtRisk: risk,
				projectedNextHour: projected
			}
		});
	}
	return {
		v: SNAPSHOT_VERSION,
		t,
		totals: {
			...scopeView(engine.all, t),
			now: {
				waiting: engine.all.waiting,
				callbacksWaiting: engine.all.callbacksWaiting,
				longestWaitSeconds: totalLongest,
				agents: agentsByState(engine.all),
				revenueAtRisk: totalRisk,
				projectedRevenueAtRiskNextHour: totalProjected
			}
		},
		queues,
		sources: [...engine.sources.entries()].map(([id, s]) => ({ id, day: derive(s.day) })),
		counts: structuredClone(engine.counts)
	};
}
