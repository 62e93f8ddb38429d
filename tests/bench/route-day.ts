import type { AgentState, CallArrived, Effect, Engine, EngineTimer, HeatEvent, StepResult } from '../../src/lib/engine';
import { Calendar } from './calendar';
import { exponential, mulberry32, pick } from './random';
import { sanity } from './harness';
import { agentSkills, MINUTE_MS as MIN, QUEUES, SOURCES, VALUES } from './workload';

/**
 * A closed-loop day in route mode: the bench plays the world (callers arriving, talking, giving up)
 * and the engine decides who answers. Everything random is drawn up front per call, so a timed run
 * spends its time in the engine and a small calendar, and every run of a plan is the same day.
 */

export interface RouteDayOptions {
	seed: number;
	agents: number;
	arrivalsPerMinute: number;
	handleMinutes: number;
	patienceMinutes: number;
	dayHours: number;
}

export interface RoutePlan {
	logins: AgentState[];
	arrivals: CallArrived[];
	/** event ids of each call's end and abandonment, made ahead so the timed loop does not build strings */
	endIds: string[];
	abandonIds: string[];
	handleMs: Float64Array;
	patienceMs: Float64Array;
	callIndex: Map<string, number>;
}

export interface RouteDayStats {
	/** engine.step calls: logins, arrivals, ends, abandons and the engine's own timers */
	steps: number;
	arrived: number;
	answered: number;
	completed: number;
	abandoned: number;
	timers: number;
	/** where the source clock stood when the last call's work was done */
	endMs: number;
}

export function planRouteDay(o: RouteDayOptions): RoutePlan {
	const rnd = mulberry32(o.seed);
	const logins: AgentState[] = [];
	for (let i = 0; i < o.agents; i++)
		logins.push({ type: 'agent.state', id: `login-${i}`, t: 0, agentId: `agent-${i}`, state: 'available', skills: agentSkills(i) });
	const arrivals: CallArrived[] = [];
	const endIds: string[] = [];
	const abandonIds: string[] = [];
	const handle: number[] = [];
	const patience: number[] = [];
	const callIndex = new Map<string, number>();
	const dayMs = o.dayHours * 60 * MIN;
	const meanGap = MIN / o.arrivalsPerMinute;
	for (let t = exponential(rnd, meanGap); t < dayMs; t += exponential(rnd, meanGap)) {
		const callId = `call-${arrivals.length}`;
		callIndex.set(callId, arrivals.length);
		arrivals.push({
			type: 'call.arrived',
			id: `${callId}/arrived`,
			t,
			callId,
			queue: QUEUES[rnd() < 0.5 ? 0 : 1] as string,
			heat: Math.round(rnd() * 100) / 100,
			value: pick(rnd, VALUES),
			source: pick(rnd, SOURCES)
		});
		endIds.push(`${callId}/ended`);
		abandonIds.push(`${callId}/abandoned`);
		handle.push(exponential(rnd, o.handleMinutes * MIN));
		patience.push(exponential(rnd, o.patienceMinutes * MIN));
	}
	return { logins, arrivals, endIds, abandonIds, handleMs: Float64Array.from(handle), patienceMs: Float64Array.from(patience), callIndex };
}

/** A call's end (2 x call) or its caller's patience running out (2 x call + 1), or a timer the engine scheduled; numbers so the loop allocates nothing of its own. */
type Happening = number | EngineTimer;
const end = (call: number) => 2 * call;
const patience = (call: number) => 2 * call + 1;

const WAITING = 0;
const ANSWERED = 1;
const ABANDONED = 2;

/** How often (in steps) the routing invariant is checked; often enough to catch a lazy router, rarely enough not to cost. */
const CHECK_EVERY = 512;

/**
 * Plays the plan's day against `engine` (route-mode queues with autoAnswer), draining every call and
 * timer after the last arrival. With `record`, every event stepped is appended to it, in order.
 */
export function runRouteDay(engine: Engine, plan: RoutePlan, record?: HeatEvent[]): RouteDayStats {
	const { arrivals, endIds, abandonIds, handleMs, patienceMs, callIndex } = plan;
	const state = new Uint8Array(arrivals.length);
	const cal = new Calendar<Happening>();
	const stats: RouteDayStats = { steps: 0, arrived: 0, answered: 0, completed: 0, abandoned: 0, timers: 0, endMs: 0 };
	const queues = QUEUES.map((q) => engine.queues.get(q));

	const step = (e: HeatEvent, t: number): void => {
		const r: StepResult = engine.step(e);
		if (record !== undefined) record.push(e);
		if (!r.accepted) throw new Error(`engine rejected ${e.type} at t=${t}: ${r.reason}: ${r.detail}`);
		stats.steps++;
		if (r.effects.length > 0) apply(r.effects, t);
		if (stats.steps % CHECK_EVERY === 0) checkNoIdleWhileWaiting(t);
	};

	const apply = (effects: readonly Effect[], t: number): void => {
		for (const f of effects) {
			if (f.kind === 'schedule') cal.push(f.at, f.event);
			else if (f.event.type === 'call.answered') {
				const c = callIndex.get(f.event.callId);
				if (c === undefined || state[c] !== WAITING) throw new Error(`engine answered ${f.event.callId}, which is not waiting`);
				state[c] = ANSWERED;
				stats.answered++;
				cal.push(t + (handleMs[c] as number), end(c));
			} else if (f.event.type !== 'call.offered') throw new Error(`unexpected engine decision ${f.event.type} in the route-mode day`);
		}
	};

	const checkNoIdleWhileWaiting = (t: number): void => {
		for (const q of queues) {
			if (q === undefined) throw new Error('route day: queue missing from the engine');
			const idle = q.scope.agentsByState[0] as number;
			sanity(
				q.scope.waiting === 0 || idle === 0,
				`t=${t}: queue ${q.id} has ${q.scope.waiting} waiting while ${idle} agents are available`
			);
		}
	};

	for (const e of plan.logins) step(e, 0);
	let next = 0;
	for (;;) {
		const arrival = arrivals[next];
		const tCal = cal.peekTime();
		if (arrival !== undefined && arrival.t < tCal) {
			const c = next++;
			stats.arrived++;
			step(arrival, arrival.t);
			if (state[c] === WAITING) cal.push(arrival.t + (patienceMs[c] as number), patience(c));
			continue;
		}
		const h = cal.pop();
		if (h === undefined) break;
		stats.endMs = tCal;
		if (typeof h !== 'number') {
			stats.timers++;
			step(h, tCal);
			continue;
		}
		const call = h >> 1;
		const callId = (arrivals[call] as CallArrived).callId;
		if ((h & 1) === 0) {
			stats.completed++;
			step({ type: 'call.ended', id: endIds[call] as string, t: tCal, callId }, tCal);
		} else if (state[call] === WAITING) {
			state[call] = ABANDONED;
			stats.abandoned++;
			step({ type: 'call.abandoned', id: abandonIds[call] as string, t: tCal, callId }, tCal);
		}
	}
	return stats;
}

/** What a correct engine must show after a drained day; throws on the first thing that does not add up. */
export function checkRouteDay(engine: Engine, plan: RoutePlan, s: RouteDayStats): void {
	const n = plan.arrivals.length;
	sanity(s.arrived === n && engine.arrived === n, `arrived: world ${s.arrived}, engine ${engine.arrived}, plan ${n}`);
	sanity(s.answered + s.abandoned === n, `answered ${s.answered} + abandoned ${s.abandoned} != arrived ${n}`);
	sanity(s.completed === s.answered, `completed ${s.completed} != answered ${s.answered}`);
	sanity(engine.calls.size === 0, `${engine.calls.size} calls still in the engine after the day drained`);
	sanity(engine.statusCount.ended === s.completed, `engine ended ${engine.statusCount.ended}, world ${s.completed}`);
	sanity(engine.statusCount.abandoned === s.abandoned, `engine abandoned ${engine.statusCount.abandoned}, world ${s.abandoned}`);
	sanity(engine.all.day.answered === s.answered, `engine day.answered ${engine.all.day.answered}, world ${s.answered}`);
	sanity(engine.all.day.handled === s.completed, `engine day.handled ${engine.all.day.handled}, world ${s.completed}`);
	const rejected = Object.values(engine.counts.rejected).reduce((a, b) => a + b, 0);
	sanity(rejected === 0, `engine rejected ${rejected} events`);
	sanity(engine.counts.accepted === s.steps, `engine accepted ${engine.counts.accepted}, steps ${s.steps}`);
	// wrap-up timers: one per completed call, each landing on an agent in wrap-up
	sanity(
		s.timers === s.completed && engine.counts.timersStale === 0,
		`timers ${s.timers} (stale ${engine.counts.timersStale}) for ${s.completed} calls`
	);
	sanity(
		engine.all.agentsByState[0] === plan.logins.length,
		`only ${engine.all.agentsByState[0]} of ${plan.logins.length} agents available at the end`
	);
	// a router that sits on calls shows up here even if every event was accepted
	sanity(s.answered > 0.5 * n, `only ${s.answered} of ${n} calls answered`);
}
