import { Engine, type CallEvent } from '../../src/lib/engine/engine';
import { Call, type Agent } from '../../src/lib/engine/state';
import { decisionEvents, type DecisionSink, type TimerKind } from '../../src/lib/engine/effects';
import type { AgentState, AgentStateName, CallAbandoned, CallArrived, CallEnded, HeatEvent } from '../../src/lib/engine/events';
import type { OverflowTierSim, Scenario, Share } from '../scenario/types';
import { createStreams } from '../random/streams';
import { sampler } from '../random/distributions';
import { createArrivalClock } from '../random/arrivals';
import { Calendar } from './calendar';
import { summarize, type RunSummary } from './summary';

/**
 * Calendar kinds; the number is also the priority among events at the same instant. Agents' shift
 * events come before all of them (in a list of their own), so a call arriving at a shift start
 * finds the agents who start then.
 */
const END = 1;
const AI_END = 2;
const TIMER = 3;
const ABANDON = 4;
const ARRIVAL = 5;
/** timers the engine handed over as handles (log off): kinds with TIMER's priority */
const TIMER_WRAP = 6;
const TIMER_RING = 7;
const TIMER_ESCALATE = 8;
const TIMER_OVERFLOW = 9;
const TIMER_KINDS: readonly TimerKind[] = ['wrap.end', 'ring.timeout', 'escalate', 'overflow'];
function timerCode(kind: TimerKind): number {
	switch (kind) {
		case 'wrap.end':
			return TIMER_WRAP;
		case 'ring.timeout':
			return TIMER_RING;
		case 'escalate':
			return TIMER_ESCALATE;
		case 'overflow':
			return TIMER_OVERFLOW;
	}
}

/** Where a call is, as the simulated world sees it (the engine keeps its own state). */
const WAITING = 0;
const CALLBACK = 1;
const TALKING = 2;
const IN_AI = 3;
const DONE = 4;

interface ShiftEvent {
	agentId: string;
	state: 'available' | 'away' | 'offline';
	reason: string | undefined;
	skills: Record<string, number> | undefined;
	at: number;
}

interface SimCall {
	/** the call's number n (its id is "c<n>" when logged); calendar entries carry it, so an entry of an earlier call this object held is recognised */
	no: number;
	id: string;
	/** the id of this object's calls when nobody logs them */
	slotId: string;
	/** the engine's handle on the call, so its later events skip the lookup by id */
	ec: Call;
	state: number;
	ai: OverflowTierSim | undefined;
	queue: number;
	/** where the call's numbers start in the simulation's slab (F_* offsets) */
	b: number;
}

/*
 * A call's numbers live in one Float64Array, a row per call object: read together, written in
 * place, and no boxed double per field for the garbage collector.
 */
/** uniform draw deciding the sale: converted when below the conversion chance */
const F_U = 0;
const F_ARRIVED_AT = 1;
const F_HANDLE_MS = 2;
/** wait at the first human answer; -1 before */
const F_ANSWER_WAIT_MS = 3;
/** when the caller's patience runs out (a hand-back from the AI tier starts it again) */
const F_ABANDON_AT = 4;
const F_PATIENCE_MS = 5;
const F_WRAP_MS = 6;
/** uniform draw deciding whether, out of patience, the caller asks for a callback */
const F_CALLBACK_U = 7;
const F_AI_AT = 8;
/** time the AI tier would take with this caller */
const F_AI_HANDLE_MS = 9;
/** uniform draw deciding whether the AI tier hands the caller back */
const F_HAND_BACK_U = 10;
const ROW = 12;

export interface SimulateOptions {
	/** overrides the scenario's seed */
	seed?: number;
	/** receives every event the engine accepted, in order (inputs, decisions, timers); off when omitted */
	onEvent?: (e: HeatEvent) => void;
	/** called now and then with the fraction of the horizon done */
	onProgress?: (fraction: number) => void;
	/** replaces the total staffing: every shift's count is scaled so the groups add up to this many agents */
	agents?: number;
	/**
	 * The callers of an earlier run of this scenario and seed (any staffing): replayed instead of
	 * drawn. They are the same by construction (common random numbers), so the run is too.
	 */
	callers?: CallerTape;
	/** record the callers as drawn (SimulateResult.callers), for runs of other staffings to replay */
	recordCallers?: boolean;
}

/**
 * Every caller of a run as drawn at arrival, a row of TAPE_ROW numbers each: time, arrival stream,
 * heat, value, lead source and skills (indices in the stream's mixes), handle, wrap-up and
 * patience times, and the uniforms deciding the sale, a callback, the AI tier's time and hand-back.
 */
export interface CallerTape {
	rows: Float64Array;
	count: number;
}
const TAPE_ROW = 13;
/** a longer day is not recorded (a tape is 104 bytes a caller) */
const MAX_TAPE_CALLERS = 300_000;

export interface SimulateResult {
	summary: RunSummary;
	engine: Engine;
	/** arrivals + completions + abandonments: the events a queueing model counts */
	logicalEvents: number;
	/** events the engine stepped (inputs and timers) */
	engineSteps: number;
	/** with recordCallers: the run's callers, unless there were too many to keep */
	callers?: CallerTape;
}

/** The index of the share `u` falls in. */
function pick<T>(mix: Share<T>[], u: number, total: number): number {
	let x = u * total;
	for (let i = 0; i < mix.length; i++) {
		x -= (mix[i] as Share<T>).share;
		if (x < 0) return i;
	}
	return mix.length - 1;
}

/** Agents per shift after scaling total staffing to `target` (largest remainder, so the total is exact). */
export function scaledShiftCounts(scenario: Scenario, target: number | undefined): number[][] {
	const counts = scenario.agents.map((g) => g.shifts.map((s) => s.count));
	if (target === undefined) return counts;
	const total = counts.flat().reduce((a, b) => a + b, 0);
	if (total === 0) throw new Error('cannot scale staffing: the scenario has no agents');
	const exact = counts.map((row) => row.map((c) => (c * target) / total));
	const floors = exact.map((row) => row.map(Math.floor));
	let missing = target - floors.flat().reduce((a, b) => a + b, 0);
	const order = exact
		.flatMap((row, g) => row.map((x, s) => ({ g, s, frac: x - Math.floor(x) })))
		.sort((a, b) => b.frac - a.frac || a.g - b.g || a.s - b.s);
	for (const o of order) {
		if (missing <= 0) break;
		const row = floors[o.g] as number[];
		row[o.s] = (row[o.s] as number) + 1;
		missing--;
	}
	return floors;
}

/**
 * Runs one replication of a scenario through the engine in route mode. The simulator plays the
 * world (callers, their patience, agents' shifts, how long calls take, who buys); the engine
 * decides who takes which call. Each purpose draws from its own seeded stream, and each call's
 * attributes are drawn at arrival, so a change of staffing or routing leaves the callers the same
 * (common random numbers).
 */
export function simulate(scenario: Scenario, options: SimulateOptions = {}): SimulateResult {
	const sim = createSimulation(scenario, options);
	sim.runUntil(Number.POSITIVE_INFINITY);
	return sim.finish();
}

/** A simulation that can be advanced in steps (a live board runs it against the wall clock). */
export interface Simulation {
	readonly engine: Engine;
	/** simulated time reached so far */
	readonly now: number;
	/** simulated time the run starts and ends */
	readonly startMs: number;
	readonly endMs: number;
	/** processes every event before `t` (capped at the horizon) */
	runUntil(t: number): void;
	/** lets time reach the horizon and summarises the run */
	finish(): SimulateResult;
}

export function createSimulation(scenario: Scenario, options: SimulateOptions = {}): Simulation {
	const seed = options.seed ?? scenario.seed;
	const streams = createStreams(seed);
	const engine = new Engine(scenario.engine, { random: streams.routing });
	const start = scenario.startMs;
	const end = start + scenario.horizonMs;
	const cal = new Calendar<unknown>({ from: start, to: end });
	/**
	 * Each arrival stream's next call waits here, not in `cal`: nearly half of all events are
	 * arrivals, and this holds one entry per stream. Arrivals have the last priority, so at equal
	 * times everything in `cal` goes first, as it would in one calendar.
	 */
	const arrivals = new Calendar<unknown>({ from: start, to: end }, scenario.arrivals.length);
	const onEvent = options.onEvent;
	const queueIndex = new Map(scenario.queues.map((q, i) => [q.id, i]));

	const qs = scenario.queues.map((q) => ({
		cfg: q,
		aiTier: undefined as { handle: () => number } | undefined,
		handle: sampler(q.handleTime, streams.handle),
		wrap: sampler(q.wrapUp, streams.handle),
		patience: q.patience === null ? () => Number.POSITIVE_INFINITY : sampler(q.patience, streams.patience)
	}));
	// a call's time with the AI tier is drawn at arrival, from its queue's tier, so it does not
	// depend on which calls happen to overflow (common random numbers)
	const tiers = new Map(scenario.overflowTiers.map((t) => [t.id, { cfg: t, handle: sampler(t.handleTime, streams.stream(`ai:${t.id}`)) }]));
	const engineQueues = new Map((scenario.engine.queues ?? []).map((q) => [q.id, q]));
	for (const q of qs) {
		const to = engineQueues.get(q.cfg.id)?.overflowTo;
		q.aiTier = to !== undefined ? tiers.get(to) : undefined;
	}
	// finished calls' objects are reused for new arrivals: a day of a million calls then makes a few
	// hundred objects, not a million that each outlive the young generation
	const spare: SimCall[] = [];
	let D = new Float64Array(ROW * 256);
	let rows = 0;
	const blankCall = (): SimCall => {
		const b = rows++ * ROW;
		if (b + ROW > D.length) {
			const grown = new Float64Array(D.length * 2);
			grown.set(D);
			D = grown;
		}
		return {
			no: -1,
			id: '',
			slotId: `c-${rows}`,
			ec: undefined as unknown as Call,
			state: DONE,
			ai: undefined,
			queue: 0,
			b
		};
	};
	/** The call is over for the world; its object goes back for reuse (the step in progress may still read it). */
	const done = (c: SimCall): void => {
		c.state = DONE;
		spare.push(c);
	};
	const callbackStream = streams.stream('callbacks');
	const needCallbacks = scenario.queues.some((q) => q.callbackShare > 0);
	const needAi = scenario.overflowTiers.length > 0;
	let logical = 0;
	let steps = 0;
	let idn = 0;

	// ids matter only in the log (the engine's de-duplication is off for this trusted source)
	const eid = onEvent ? (callId: string, what: string) => `${callId}/${what}` : () => '';

	const refused = (r: { reason: string; detail: string }): Error =>
		new Error(`simulator produced an event the engine rejected: ${r.reason}: ${r.detail}`);
	const step = (e: HeatEvent): void => {
		steps++;
		if (onEvent) onEvent(e);
		const rejected = engine.stepInto(e, sink);
		if (rejected !== null) throw refused(rejected);
	};
	const stepCall = (c: SimCall, e: CallEvent): void => {
		steps++;
		if (onEvent) onEvent(e);
		const rejected = engine.stepCallInto(c.ec, e, sink);
		if (rejected !== null) throw refused(rejected);
	};
	// Without a log nobody keeps the events, so the world reuses one object for all of them: with
	// every field any kind has (undefined when unused), the engine's reads of it see one shape.
	const scratch = {
		type: 'call.arrived' as HeatEvent['type'],
		id: '',
		t: 0,
		callId: '',
		queue: '',
		// numbers from the start (only arrivals read them, and always set them), so writes stay in place
		heat: 0 as number | undefined,
		tier: undefined as string | undefined,
		value: 0 as number | undefined,
		priority: undefined as number | undefined,
		source: undefined as string | undefined,
		caller: undefined as string | undefined,
		skills: undefined as Record<string, number> | undefined,
		converted: undefined as boolean | undefined,
		revenue: undefined as number | undefined,
		wrapMs: 0 as number | undefined,
		agentId: '',
		state: 'available' as AgentStateName,
		reason: undefined as string | undefined,
		name: undefined as string | undefined
	};
	const arrivedScratch = scratch as CallArrived;
	const endedScratch = scratch as unknown as CallEnded;
	const abandonedScratch = scratch as unknown as CallAbandoned;
	const agentScratch = scratch as unknown as AgentState;

	// the engine's decisions and timers arrive here while it steps; events are built only for the log
	const sink: DecisionSink = {
		offered(t, callId, agentId, seq) {
			if (onEvent) onEvent(decisionEvents.offered(t, callId, agentId, seq));
		},
		// the engine's call carries the world's own (Call.tag, given at arrival)
		answered(t, callId, agentId, seq, call) {
			if (onEvent) onEvent(decisionEvents.answered(t, callId, agentId, seq));
			const c = call.tag as SimCall;
			if ((D[c.b + F_ANSWER_WAIT_MS] as number) < 0) D[c.b + F_ANSWER_WAIT_MS] = t - (D[c.b + F_ARRIVED_AT] as number);
			c.state = TALKING;
			cal.push(t + (D[c.b + F_HANDLE_MS] as number), END, END, c, c.no);
		},
		ringNoAnswer(t, callId, agentId, seq) {
			if (onEvent) onEvent(decisionEvents.ringNoAnswer(t, callId, agentId, seq));
		},
		overflowed(t, callId, target, reason, call) {
			if (onEvent) onEvent(decisionEvents.overflowed(t, callId, target, reason));
			const c = call.tag as SimCall;
			const tier = tiers.get(target);
			if (tier === undefined) {
				done(c); // voicemail
				return;
			}
			c.state = IN_AI;
			D[c.b + F_AI_AT] = t;
			c.ai = tier.cfg;
			cal.push(t + (D[c.b + F_AI_HANDLE_MS] as number), AI_END, AI_END, c, c.no);
		},
		callbackRequested(t, callId, call) {
			if (onEvent) onEvent(decisionEvents.callbackRequested(t, callId));
			(call.tag as SimCall).state = CALLBACK;
		},
		// the engine's timers in whole ms like everything else (a fraction of a ms late at most)
		schedule(at, timer) {
			const whole = Math.ceil(at);
			cal.push(whole, TIMER, TIMER, whole === timer.t ? timer : { ...timer, t: whole });
		},
		// without a log, timers stay handles: no event object or id string per wrap-up
		scheduleTimer: onEvent
			? undefined
			: (at, kind, call, agent, seq) => {
					cal.push(Math.ceil(at), TIMER, timerCode(kind), call ?? agent, seq);
				}
	};

	// agents: shifts and breaks become state events at their times, all known now: they wait in a
	// list of their own (a long run's shifts would crowd the calendar), ordered by time and, at one
	// time, as made (the calendar's rule); they come before anything else at their instant
	const counts = scaledShiftCounts(scenario, options.agents);
	const shifts: ShiftEvent[] = [];
	const shiftAt = (at: number, agentId: string, state: ShiftEvent['state'], reason?: string, skills?: Record<string, number>): void => {
		if (at < end) shifts.push({ agentId, state, reason, skills, at: Math.round(at) });
	};
	scenario.agents.forEach((g, gi) => {
		g.shifts.forEach((s, si) => {
			const n = (counts[gi] as number[])[si] as number;
			for (let i = 0; i < n; i++) {
				const agentId = `${g.id}-${si}-${i}`;
				shiftAt(Math.max(s.startMs, start), agentId, 'available', undefined, g.skills);
				for (const b of s.breaks) {
					shiftAt(b.atMs, agentId, 'away', 'break');
					shiftAt(b.atMs + b.durationMs, agentId, 'available');
				}
				shiftAt(s.endMs, agentId, 'offline', 'shift end');
			}
		});
	});
	shifts.sort((a, b) => a.at - b.at);
	let nextShift = 0;
	const shiftTime = (): number => (nextShift < shifts.length ? (shifts[nextShift] as ShiftEvent).at : Number.POSITIVE_INFINITY);

	// arrivals: one clock per stream, each on its own random stream
	const arrivalStreams = scenario.arrivals.map((a, i) => {
		const clock = createArrivalClock({
			ratesPerHour: a.ratesPerHour,
			intervalMs: a.intervalMs,
			startMs: start,
			endMs: end,
			scale: a.scale,
			factor: a.weekdayFactors[scenario.weekday] ?? 1,
			u: streams.stream(`arrivals:${i}`)
		});
		const sourceTotal = a.sources.reduce((s, x) => s + x.share, 0);
		const skillTotal = a.skills.reduce((s, x) => s + x.share, 0);
		return {
			a,
			/** its place in the scenario's arrivals (what a caller tape records) */
			index: i,
			clock,
			queue: queueIndex.get(a.queue) as number,
			heat: sampler(a.heat, streams.attributes),
			value: sampler(a.value, streams.attributes),
			// a mix of one draws nothing (its stream is the call's attributes, which staffing never changes)
			source: a.sources.length === 1 ? () => 0 : () => pick(a.sources, streams.attributes(), sourceTotal),
			skills: a.skills.length > 0 ? () => pick(a.skills, streams.attributes(), skillTotal) : () => -1
		};
	});
	const replay = options.callers;
	let tapeAt = 0;
	let tape = options.recordCallers === true ? new Float64Array(TAPE_ROW * 1024) : null;
	let taped = 0;
	if (replay === undefined)
		arrivalStreams.forEach((s) => {
			const t = Math.round(s.clock.next());
			if (t < end) arrivals.push(t, ARRIVAL, ARRIVAL, s);
		});
	const tapeTime = (): number =>
		replay !== undefined && tapeAt < replay.count ? (replay.rows[tapeAt * TAPE_ROW] as number) : Number.POSITIVE_INFINITY;

	/** A caller rings: their attributes are drawn, the engine routes them, and the next arrival is booked. */
	let lastArrival = start;
	const arrive = (s: (typeof arrivalStreams)[number], t: number, row: number): void => {
		const q = qs[s.queue] as (typeof qs)[number];
		++idn;
		lastArrival = t;
		const r = replay?.rows;
		const heat = r !== undefined ? (r[row + 2] as number) : Math.min(1, Math.max(0, s.heat()));
		const value = r !== undefined ? (r[row + 3] as number) : s.value();
		const sourceAt = r !== undefined ? (r[row + 4] as number) : s.source();
		const skillsAt = r !== undefined ? (r[row + 5] as number) : s.skills();
		const source = (s.a.sources[sourceAt] as Share<string>).value;
		const skills = skillsAt >= 0 ? (s.a.skills[skillsAt] as Share<Record<string, number>>).value : undefined;
		const c = spare.pop() ?? blankCall();
		c.no = idn;
		// a logged call's id is its number, unique over the day; unlogged, ids need only be unique among
		// calls in progress (the engine's rule), so each world object keeps one for all its calls
		const id = onEvent ? `c${idn}` : c.slotId;
		c.id = id;
		D[c.b + F_ARRIVED_AT] = t;
		c.state = WAITING;
		D[c.b + F_ANSWER_WAIT_MS] = -1;
		D[c.b + F_ABANDON_AT] = -1;
		D[c.b + F_AI_AT] = -1;
		c.ai = undefined;
		// durations and times in whole ms, the resolution of a telephony log: small integers
		// stay unboxed in the engine's fields and arguments, where fractions would each be a heap number
		if (r !== undefined) {
			D[c.b + F_HANDLE_MS] = r[row + 6] as number;
			D[c.b + F_WRAP_MS] = r[row + 7] as number;
			D[c.b + F_PATIENCE_MS] = r[row + 8] as number;
			D[c.b + F_U] = r[row + 9] as number;
			D[c.b + F_CALLBACK_U] = r[row + 10] as number;
			D[c.b + F_AI_HANDLE_MS] = r[row + 11] as number;
			D[c.b + F_HAND_BACK_U] = r[row + 12] as number;
		} else {
			D[c.b + F_HANDLE_MS] = Math.round(q.handle());
			D[c.b + F_WRAP_MS] = Math.round(q.wrap());
			D[c.b + F_PATIENCE_MS] = Math.round(q.patience());
			D[c.b + F_U] = streams.outcomes();
			// drawn only where the scenario can use them; staffing and routing never change that
			D[c.b + F_CALLBACK_U] = needCallbacks ? callbackStream() : 1;
			D[c.b + F_AI_HANDLE_MS] = q.aiTier !== undefined ? Math.round(q.aiTier.handle()) : 0;
			D[c.b + F_HAND_BACK_U] = needAi ? streams.ai() : 1;
			if (tape !== null) record(s, t, heat, value, sourceAt, skillsAt, c.b);
		}
		c.queue = s.queue;
		logical++;
		let e: CallArrived;
		if (onEvent) {
			e = { type: 'call.arrived', id: eid(id, 'arrived'), t, callId: id, queue: q.cfg.id, heat, value, source };
			if (skills !== undefined && Object.keys(skills).length > 0) e.skills = skills;
			if (s.a.priority !== 0) e.priority = s.a.priority;
			onEvent(e);
		} else {
			e = arrivedScratch;
			e.type = 'call.arrived';
			e.t = t;
			e.callId = id;
			e.queue = q.cfg.id;
			e.heat = heat;
			e.value = value;
			e.source = source;
			e.skills = skills; // the engine takes an empty set as none
			e.priority = s.a.priority !== 0 ? s.a.priority : undefined;
		}
		steps++;
		const ec = engine.arriveInto(e, sink, c);
		if (!(ec instanceof Call)) throw refused(ec);
		c.ec = ec;
		if (c.state === WAITING && Number.isFinite(D[c.b + F_PATIENCE_MS] as number))
			cal.push((D[c.b + F_ABANDON_AT] = t + (D[c.b + F_PATIENCE_MS] as number)), ABANDON, ABANDON, c, c.no);
		if (r !== undefined) return;
		const next = Math.round(s.clock.next());
		if (next < end) arrivals.push(next, ARRIVAL, ARRIVAL, s);
	};

	/** Keeps a drawn caller on the tape; past MAX_TAPE_CALLERS the tape is given up. */
	const record = (
		s: (typeof arrivalStreams)[number],
		t: number,
		heat: number,
		value: number,
		sourceAt: number,
		skillsAt: number,
		b: number
	): void => {
		if (tape === null) return;
		if (taped === MAX_TAPE_CALLERS) {
			tape = null;
			return;
		}
		let at = taped * TAPE_ROW;
		if (at + TAPE_ROW > tape.length) {
			const grown = new Float64Array(tape.length * 2);
			grown.set(tape);
			tape = grown;
		}
		const row = tape;
		row[at++] = t;
		row[at++] = s.index;
		row[at++] = heat;
		row[at++] = value;
		row[at++] = sourceAt;
		row[at++] = skillsAt;
		row[at++] = D[b + F_HANDLE_MS] as number;
		row[at++] = D[b + F_WRAP_MS] as number;
		row[at++] = D[b + F_PATIENCE_MS] as number;
		row[at++] = D[b + F_U] as number;
		row[at++] = D[b + F_CALLBACK_U] as number;
		row[at++] = D[b + F_AI_HANDLE_MS] as number;
		row[at] = D[b + F_HAND_BACK_U] as number;
		taped++;
	};

	/** An agent's shift, break or shift end. */
	const shiftEvent = (s: ShiftEvent, t: number): void => {
		if (onEvent) {
			const e: HeatEvent = { type: 'agent.state', id: `${s.agentId}/${s.state}@${t}`, t, agentId: s.agentId, state: s.state };
			if (s.skills) e.skills = s.skills;
			if (s.reason) e.reason = s.reason;
			step(e);
		} else {
			const e = agentScratch;
			e.type = 'agent.state';
			e.id = `${s.agentId}/${s.state}@${t}`;
			e.t = t;
			e.agentId = s.agentId;
			e.state = s.state;
			e.skills = s.skills ? s.skills : undefined;
			e.reason = s.reason ? s.reason : undefined;
			e.name = undefined;
			step(e);
		}
	};

	const progressEvery = 1 << 16;
	let progressAt = progressEvery;
	let now = start;
	const runUntil = (until: number): void => {
		const limit = Math.min(until, end);
		const arrivalsBound = arrivals.bound(limit);
		const onProgress = options.onProgress;
		// times are whole ms: what `cal` holds before the next shift event, and up to the next
		// arrival's time, goes first (shift events have the first priority, arrivals the last)
		let shiftNext = shiftTime();
		let arrivalNext = replay !== undefined ? tapeTime() : arrivals.peekTime();
		let bound = cal.bound(Math.min(limit, arrivalNext + 1, shiftNext));
		for (;;) {
			if (!cal.popBelow(bound)) {
				if (shiftNext < limit && shiftNext <= arrivalNext) {
					shiftEvent(shifts[nextShift++] as ShiftEvent, shiftNext);
					shiftNext = shiftTime();
				} else if (replay !== undefined) {
					if (!(arrivalNext < limit)) break;
					const row = tapeAt++ * TAPE_ROW;
					arrive(arrivalStreams[replay.rows[row + 1] as number] as (typeof arrivalStreams)[number], arrivalNext, row);
					arrivalNext = tapeTime();
				} else if (arrivals.popBelow(arrivalsBound)) {
					arrive(arrivals.lastPayload as (typeof arrivalStreams)[number], arrivals.lastTime, -1);
					arrivalNext = arrivals.peekTime();
				} else break;
				bound = cal.bound(Math.min(limit, arrivalNext + 1, shiftNext));
				// every 65,536 steps, checked between arrivals rather than on every event
				if (onProgress !== undefined && steps >= progressAt) {
					progressAt = steps + progressEvery;
					onProgress((Math.max(cal.lastTime, lastArrival) - start) / (end - start));
				}
				continue;
			}
			const t = cal.lastTime;
			const kind = cal.lastKind;
			const p = cal.lastPayload;
			switch (kind) {
				case END: {
					const c = p as SimCall;
					if (c.no !== cal.lastRef || c.state !== TALKING) break;
					// the engine judged the sale's chance at the first answer, on the same wait
					const converted = (D[c.b + F_U] as number) < c.ec.pAnswer;
					logical++;
					done(c);
					if (onEvent)
						stepCall(c, { type: 'call.ended', id: eid(c.id, 'ended'), t, callId: c.id, converted, wrapMs: D[c.b + F_WRAP_MS] as number });
					else {
						const e = endedScratch;
						e.type = 'call.ended';
						e.t = t;
						e.callId = c.id;
						e.converted = converted;
						e.revenue = undefined;
						e.wrapMs = D[c.b + F_WRAP_MS] as number;
						stepCall(c, e);
					}
					break;
				}
				case ABANDON: {
					const c = p as SimCall;
					if (c.no !== cal.lastRef || c.state !== WAITING || t !== (D[c.b + F_ABANDON_AT] as number)) break;
					const q = qs[c.queue] as (typeof qs)[number];
					if (q.cfg.callbackShare > 0 && (D[c.b + F_CALLBACK_U] as number) < q.cfg.callbackShare) {
						c.state = CALLBACK;
						stepCall(c, { type: 'call.callback.requested', id: `${c.id}/callback-asked`, t, callId: c.id });
						break;
					}
					logical++;
					done(c);
					if (onEvent) stepCall(c, { type: 'call.abandoned', id: eid(c.id, 'abandoned'), t, callId: c.id });
					else {
						const e = abandonedScratch;
						e.type = 'call.abandoned';
						e.t = t;
						e.callId = c.id;
						stepCall(c, e);
					}
					break;
				}
				case AI_END: {
					const c = p as SimCall;
					const tier = c.ai;
					if (c.no !== cal.lastRef || c.state !== IN_AI || tier === undefined) break;
					if (tier.handBack > 0 && (D[c.b + F_HAND_BACK_U] as number) < tier.handBack) {
						const toQueue = tier.handBackQueue ?? (qs[c.queue] as (typeof qs)[number]).cfg.id;
						c.state = WAITING;
						stepCall(c, { type: 'call.transferred', id: `${c.id}/handback`, t, callId: c.id, toQueue });
						// back on hold for a human: the caller's patience starts again
						if (c.state === WAITING && Number.isFinite(D[c.b + F_PATIENCE_MS] as number))
							cal.push((D[c.b + F_ABANDON_AT] = t + (D[c.b + F_PATIENCE_MS] as number)), ABANDON, ABANDON, c, c.no);
						break;
					}
					const converted =
						(D[c.b + F_U] as number) <
						c.ec.curve.p((D[c.b + F_AI_AT] as number) - (D[c.b + F_ARRIVED_AT] as number)) * tier.conversionFactor;
					logical++;
					done(c);
					stepCall(c, { type: 'call.ended', id: `${c.id}/ai-ended`, t, callId: c.id, converted });
					break;
				}
				case TIMER:
					step(p as HeatEvent);
					break;
				case TIMER_WRAP:
				case TIMER_RING:
				case TIMER_ESCALATE:
				case TIMER_OVERFLOW: {
					steps++;
					const isCall = kind !== TIMER_WRAP;
					const r = engine.timerInto(
						t,
						TIMER_KINDS[kind - TIMER_WRAP] as TimerKind,
						isCall ? (p as Call) : null,
						isCall ? null : (p as Agent),
						cal.lastRef,
						sink
					);
					if (r !== null) throw refused(r);
					break;
				}
			}
		}
		if (limit > now) now = limit;
	};
	return {
		engine,
		get now() {
			return now;
		},
		startMs: start,
		endMs: end,
		runUntil,
		finish() {
			runUntil(end);
			engine.advance(end);
			options.onProgress?.(1);
			const result: SimulateResult = { summary: summarize(engine, scenario, { seed }), engine, logicalEvents: logical, engineSteps: steps };
			if (tape !== null) result.callers = { rows: tape.subarray(0, taped * TAPE_ROW), count: taped };
			return result;
		}
	};
}
