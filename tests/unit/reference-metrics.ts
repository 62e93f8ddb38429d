import type { LoggedEvent } from '../../src/lib/engine/driver';
import type { AgentStateName, CallEnded, HeatEvent } from '../../src/lib/engine/events';
import { queueConfigSchema, resolveConfig, type EngineConfig, type EngineConfigInput, type QueueConfig } from '../../src/lib/engine/config';
import { defaultTiers, type CurveSpec, type TierConfig } from '../../src/lib/engine/value';

/*
 * A brute-force re-computation of the engine's metrics from the log of what it accepted
 * (Driver.log: inputs, its own decisions and its timers, in the order applied). It deliberately
 * shares no code with the engine's state or metrics: plain maps, rescans allowed, every fact
 * re-derived from the README definitions. Only the config schema (defaults) and the tier table
 * (curve parameters) are read from the engine, because they are inputs, not computations.
 *
 * The engine's decisions are in the log, so the model never routes; it only needs the rules that
 * change state without a logged decision: wrap-up and its end, a state asked for mid-call, escalation
 * (also one that fell due while the call rang, applied at its ring-no-answer), where a ring-no-answer
 * sends the agent, what a transfer, an abandon or an ACD answer by another agent does to the agents.
 *
 * Rules the README states and the model reimplements (README "Engine rules"):
 * - wait timers (escalation, overflow) run from arrival, even for a call that rings at once, and from
 *   the move for a call transferred or escalated to another queue (the new queue's timers; the old
 *   queue's no longer apply);
 * - timers belong to one call: a timer whose sequence is not the call's is stale, even if the call id
 *   is used again (ring timers `arrival × 1 000 000 + offer`; wait timers `arrival × 1000 + moves`,
 *   with `arrival` the call's number among all calls and `moves` its moves between queues);
 * - wait timers that fall due while the call rings take effect if that ring ends in a ring-no-answer
 *   (an answer or a transfer settles them), in the order they fell due, an escalation first on a tie;
 *   an overflow no longer applies once that escalation has moved the call to another queue or got it
 *   an agent;
 * - a wrap-up timer ends only the wrap-up it was set for: another call taken, or a state the source
 *   sets, during the wrap-up ends it;
 * - the day counts from dayStartMs: facts and agent time before it are in negative intervals and in
 *   the rolling windows, not in the day;
 * - skills are plain names: a queue or skill named like an Object method ("constructor") is not had
 *   by an agent who was not given it;
 * - a caller answered once, transferred and then hanging up (or reported ended while back in line)
 *   is not an abandon: the call ends with the expected conversion of its first answer, no agent work;
 * - the agent a call rang at when the ACD reports another agent's answer is freed (a state asked for
 *   meanwhile, else available) once the answer is applied;
 * - a repeated `available` keeps the agent's place in the longest-idle order.
 *
 * Where the README is silent the model takes the engine's observable choice, so that the comparison
 * tests the arithmetic rather than re-litigating it (the spec checks the doubtful ones separately):
 * - a fact is counted in the queue the call is in when the fact settles (a transfer is counted in the
 *   queue it moves to, the talk before it in the queue it leaves, with that queue's wrap-up);
 * - a `call.ended` for a call answered once and back in line after a transfer is the caller hanging up
 *   there: the expected conversion of its first answer, whatever the event says of the sale.
 */

export const COUNTER_FIELDS = [
	'offered',
	'answered',
	'answeredInSl',
	'answeredDelayed',
	'abandoned',
	'shortAbandoned',
	'overflowed',
	'voicemail',
	'callbacks',
	'transfers',
	'waitAnsweredMs',
	'waitAbandonedMs',
	'handled',
	'talkMs',
	'wrapMs',
	'conversions',
	'revenue',
	'revenueLost',
	'availableMs',
	'busyMs',
	'wrapUpMs',
	'awayMs'
] as const;
export type CounterField = (typeof COUNTER_FIELDS)[number];
export type RefCounters = Record<CounterField, number>;

/** Fields that count things (compared exactly); the rest are sums (compared to 1e-9 relative). */
export const COUNT_FIELDS: ReadonlySet<CounterField> = new Set<CounterField>([
	'offered',
	'answered',
	'answeredInSl',
	'answeredDelayed',
	'abandoned',
	'shortAbandoned',
	'overflowed',
	'voicemail',
	'callbacks',
	'transfers',
	'handled'
]);

export function zeroCounters(): RefCounters {
	return Object.fromEntries(COUNTER_FIELDS.map((f) => [f, 0])) as RefCounters;
}

export interface ScopeTotals {
	day: RefCounters;
	/** by interval index, floor((t - dayStartMs) / interval) */
	intervals: Map<number, RefCounters>;
	/** by absolute minute, floor(t / 60 000) */
	minutes: Map<number, RefCounters>;
}

export interface ReferenceMetrics {
	all: ScopeTotals;
	queues: Map<string, ScopeTotals>;
	sources: Map<string, ScopeTotals>;
}

/** Sum of the minutes (now - minutes, now], the way the README defines the rolling windows. */
export function rollingWindow(scope: ScopeTotals, now: number, minutes: number): RefCounters {
	const out = zeroCounters();
	const cur = Math.floor(now / 60_000);
	for (const [m, c] of scope.minutes) if (m > cur - minutes && m <= cur) for (const f of COUNTER_FIELDS) out[f] += c[f];
	return out;
}

export interface RefDerived {
	asa: number | null;
	meanWaitAll: number | null;
	pWait: number | null;
	slAnswered: number | null;
	slOffered: number | null;
	abandonRate: number | null;
	aht: number | null;
	occupancy: number | null;
	conversionRate: number | null;
}

/** The README's derived figures, written out again from their definitions. */
export function referenceDerive(c: RefCounters): RefDerived {
	const div = (a: number, b: number) => (b > 0 ? a / b : null);
	const settled = c.answered + c.abandoned - c.shortAbandoned;
	return {
		asa: c.answered > 0 ? c.waitAnsweredMs / 1000 / c.answered : null,
		meanWaitAll: c.answered + c.abandoned > 0 ? (c.waitAnsweredMs + c.waitAbandonedMs) / 1000 / (c.answered + c.abandoned) : null,
		pWait: div(c.answeredDelayed + c.abandoned, c.answered + c.abandoned),
		slAnswered: div(c.answeredInSl, c.answered),
		slOffered: div(c.answeredInSl, settled),
		abandonRate: div(c.abandoned - c.shortAbandoned, settled),
		aht: c.handled > 0 ? (c.talkMs + c.wrapMs) / 1000 / c.handled : null,
		occupancy: div(c.busyMs + c.wrapUpMs, c.availableMs + c.busyMs + c.wrapUpMs),
		conversionRate: div(c.conversions, c.offered)
	};
}

export type LiveStatus = 'waiting' | 'callback' | 'ringing' | 'talking' | 'ai';
export type FinalStatus = 'ended' | 'abandoned' | 'voicemail';

export interface ModelCall {
	readonly id: string;
	/** arrival order among all calls, 1-based */
	readonly seq: number;
	queue: string;
	readonly arrivedAt: number;
	readonly value: number;
	readonly tier: number;
	priority: number;
	readonly source: string;
	/** skills beyond the queue's; null once dropped (escalation widening, transfer) */
	extra: Record<string, number> | null;
	status: LiveStatus;
	agent: string | null;
	isCallback: boolean;
	answeredAt: number;
	/** wait at the first human answer, -1 before */
	answerWaitMs: number;
	aiTier: string | null;
	aiAt: number;
	/** its moves between queues (transfers, escalations to another queue): which wait timers are its own */
	moves: number;
	/** when its escalation timer fell due while it rang, -1 if not: applied if that ring ends in a ring-no-answer */
	escalateDue: number;
	/** when its overflow timer fell due while it rang, -1 if not: it overflows if that ring ends in a ring-no-answer */
	overflowDue: number;
}

export interface ModelAgent {
	readonly id: string;
	/** creation order, 0-based: the final tie-break of every strategy */
	readonly seq: number;
	state: AgentStateName;
	/** no prototype: only the skills the agent was given */
	skills: Record<string, number>;
	call: string | null;
	/** a state asked for during a call */
	pending: AgentStateName | null;
	/** when the running wrap-up ends; null when none is running */
	wrapUntil: number | null;
	idleSince: number;
	answeredCount: number;
	/** global offer number of the agent's last offer, 0 if never offered */
	lastOffer: number;
	/** agent time is accounted up to here */
	since: number;
}

interface Curve {
	p(waitMs: number): number;
	lossRate(waitMs: number): number;
	exponential: boolean;
}

function curveOf(spec: CurveSpec): Curve {
	if (spec.shape === 'exponential') {
		const floor = spec.floor ?? 0;
		const drop = spec.p0 - floor;
		const tau = spec.tauSeconds * 1000;
		return {
			p: (w) => floor + drop * Math.exp(-Math.max(0, w) / tau),
			lossRate: (w) => (drop / tau) * Math.exp(-Math.max(0, w) / tau),
			exponential: true
		};
	}
	if (spec.shape === 'twoPhase') {
		const floor = spec.floor ?? 0;
		const drop = spec.p0 - floor;
		const fast = spec.fastTauSeconds * 1000;
		const slow = spec.slowTauSeconds * 1000;
		const fw = spec.fastWeight;
		return {
			p: (w) => floor + drop * (fw * Math.exp(-Math.max(0, w) / fast) + (1 - fw) * Math.exp(-Math.max(0, w) / slow)),
			lossRate: (w) => drop * ((fw / fast) * Math.exp(-Math.max(0, w) / fast) + ((1 - fw) / slow) * Math.exp(-Math.max(0, w) / slow)),
			exponential: false
		};
	}
	throw new Error(`reference model: curve shape ${spec.shape} is not modelled`);
}

class ModelError extends Error {}

/** Skills without a prototype, so that "constructor" is a skill only when it was given. */
function skillMap(from: Record<string, number>): Record<string, number> {
	return Object.assign(Object.create(null) as Record<string, number>, from);
}

/** An agent's level in a skill (0 when not given). */
export function skillLevel(a: ModelAgent, skill: string): number {
	return Object.hasOwn(a.skills, skill) ? (a.skills[skill] as number) : 0;
}

/** The sequence a wait timer of this call in its current queue stay carries. */
function waitTimerSeq(c: ModelCall): number {
	return c.seq * 1000 + c.moves;
}

const fail = (msg: string): never => {
	throw new ModelError(`reference model disagrees with an accepted event: ${msg}`);
};

interface Deferred {
	agentId: string;
	callId: string;
	run: () => void;
}

const STATE_FIELD: Partial<Record<AgentStateName, CounterField>> = {
	available: 'availableMs',
	busy: 'busyMs',
	'wrap-up': 'wrapUpMs',
	away: 'awayMs'
};

/**
 * Replays an accepted-event log. `apply` one entry at a time (checks may look at the state between
 * entries), `flush` at the end of each step, `metrics(until)` at the end.
 */
export class ReferenceModel {
	readonly config: EngineConfig;
	readonly tiers: readonly TierConfig[];
	readonly calls = new Map<string, ModelCall>();
	readonly agents = new Map<string, ModelAgent>();
	readonly queues = new Map<string, QueueConfig>();
	readonly finished: Record<FinalStatus, number> = { ended: 0, abandoned: 0, voicemail: 0 };
	arrivals = 0;
	clock = Number.NEGATIVE_INFINITY;
	private readonly curves: Curve[];
	private readonly scopes = new Map<string, ScopeTotals>();
	private offers = 0;
	private deferred: Deferred | null = null;
	/** a wait overflow took effect: the engine's overflow decision for this call must be the next entry */
	private overflowNext: string | null = null;
	/**
	 * ...unless an escalation applied just before it (both fell due during a ring) put the call straight
	 * into a ring: then the overflow does not apply at all, the call has an agent
	 */
	private overflowMayRing = false;

	constructor(config: EngineConfigInput) {
		this.config = resolveConfig(config);
		this.tiers = this.config.tiers ?? defaultTiers;
		this.curves = this.tiers.map((t) => curveOf(t.curve));
		this.scope('all');
		for (const q of this.config.queues) {
			this.queues.set(q.id, q);
			this.scope(`queue:${q.id}`);
		}
	}

	// ------------------------------------------------------------------ read access for checks

	queueConfig(id: string): QueueConfig {
		return this.queues.get(id) ?? fail(`no queue ${id}`);
	}

	queueSkill(id: string): string {
		const q = this.queueConfig(id);
		return q.skill ?? q.id;
	}

	/** The skills (name → minimum level) a call needs now. */
	requirement(c: ModelCall): Map<string, number> {
		const req = new Map<string, number>([[this.queueSkill(c.queue), 1]]);
		for (const [k, v] of Object.entries(c.extra ?? {})) req.set(k, Math.max(req.get(k) ?? 0, v, 1));
		return req;
	}

	qualifies(a: ModelAgent, c: ModelCall): boolean {
		for (const [k, v] of this.requirement(c)) if (skillLevel(a, k) < v) return false;
		return true;
	}

	/** Expected revenue lost per ms of further wait at time t. */
	lossPerMs(c: ModelCall, t: number): number {
		return c.value * this.curve(c.tier).lossRate(t - c.arrivedAt);
	}

	exponentialTiers(): boolean {
		return this.curves.every((c) => c.exponential);
	}

	// ------------------------------------------------------------------ replay

	apply(entry: LoggedEvent, beforeOffer?: (call: ModelCall, agent: ModelAgent, t: number) => void): void {
		const e = entry.event;
		const expectedOverflow = this.overflowNext;
		this.overflowNext = null;
		const rangFirst =
			expectedOverflow !== null &&
			this.overflowMayRing &&
			entry.origin === 'decision' &&
			e.type === 'call.offered' &&
			e.callId === expectedOverflow;
		if (
			expectedOverflow !== null &&
			!rangFirst &&
			!(entry.origin === 'decision' && e.type === 'call.overflowed' && e.callId === expectedOverflow)
		)
			fail(`${expectedOverflow} was due to overflow for its wait, but the engine went on with ${e.type} ${e.id}`);
		if (this.deferred !== null) {
			// the engine frees an agent after it has tried the call they let go on the other idle agents
			const d = this.deferred;
			const callSide =
				entry.origin === 'decision' &&
				(e.type === 'call.offered' || e.type === 'call.answered') &&
				e.callId === d.callId &&
				e.agentId !== d.agentId;
			if (!callSide) this.flush();
		}
		const t = Math.max(e.t, this.clock);
		this.clock = t;
		switch (e.type) {
			case 'call.arrived':
				return this.arrive(e, t);
			case 'call.offered': {
				const c = this.live(e.callId);
				if (c.status !== 'waiting' && c.status !== 'callback') fail(`offer of ${c.id} while ${c.status}`);
				const a = this.agentForCall(e.agentId, c, t);
				if (entry.origin === 'decision' && beforeOffer) beforeOffer(c, a, t);
				this.offer(c, a, t);
				return;
			}
			case 'call.answered': {
				const c = this.live(e.callId);
				if (c.status === 'ringing' && c.agent === e.agentId) return this.answer(c, this.agent(e.agentId), t);
				if (c.status !== 'ringing' && c.status !== 'waiting' && c.status !== 'callback') fail(`answer of ${c.id} while ${c.status}`);
				const a = this.agentForCall(e.agentId, c, t);
				// the ACD gave it to someone else than the agent it rang at, who is free again after the answer
				const released = c.status === 'ringing' ? this.unring(c) : null;
				this.offer(c, a, t);
				this.answer(c, a, t);
				if (released !== null) this.free(released, t);
				return;
			}
			case 'call.ringNoAnswer': {
				const c = this.live(e.callId);
				if (c.status !== 'ringing' || c.agent !== e.agentId) fail(`ring-no-answer of ${c.id} (${c.status} at ${c.agent}) by ${e.agentId}`);
				const { escalateDue, overflowDue } = c;
				const a = this.unring(c);
				if (this.queueConfig(c.queue).afterRingNoAnswer === 'away') this.setState(a, 'away', t);
				else this.defer(a, c, () => this.free(a, t));
				// back in line: the wait timers that fell due while it rang apply now, in the order they fell due
				if (escalateDue >= 0 && (overflowDue < 0 || escalateDue <= overflowDue)) {
					const moves = c.moves;
					this.escalate(c, t);
					// an escalation to another queue leaves the old queue's overflow behind
					if (overflowDue >= 0 && c.moves === moves) {
						this.overflowNext = c.id;
						this.overflowMayRing = true;
					}
				} else if (overflowDue >= 0) {
					this.overflowNext = c.id;
					this.overflowMayRing = false;
				}
				return;
			}
			case 'call.abandoned': {
				const c = this.live(e.callId);
				if (c.status !== 'waiting' && c.status !== 'callback' && c.status !== 'ringing') fail(`abandon of ${c.id} while ${c.status}`);
				return this.abandon(c, t);
			}
			case 'call.ended':
				return this.end(this.live(e.callId), e, t);
			case 'call.transferred':
				return this.transfer(this.live(e.callId), e.toQueue, t);
			case 'call.callback.requested': {
				const c = this.live(e.callId);
				if (c.status !== 'waiting') fail(`callback for ${c.id} while ${c.status}`);
				c.status = 'callback';
				c.isCallback = true;
				return this.count(c, t, { callbacks: 1 });
			}
			case 'call.overflowed': {
				const c = this.live(e.callId);
				if (c.status !== 'waiting' && c.status !== 'callback') fail(`overflow of ${c.id} while ${c.status}`);
				if (entry.origin === 'decision' && e.reason === 'wait' && expectedOverflow !== c.id)
					fail(`overflow of ${c.id} for its wait at ${t}, but no overflow timer of this call is due (queue ${c.queue})`);
				if (e.target === 'voicemail') {
					this.count(c, t, { voicemail: 1, revenueLost: c.value * this.curve(c.tier).p(0) });
					return this.close(c, 'voicemail');
				}
				if (!this.config.overflowTiers.some((x) => x.id === e.target)) fail(`overflow to unknown tier ${e.target}`);
				c.status = 'ai';
				c.aiTier = e.target;
				c.aiAt = t;
				return this.count(c, t, { overflowed: 1 });
			}
			case 'agent.state':
				return this.agentState(e, t);
			case 'timer':
				return this.timer(e, t);
		}
	}

	/** Runs what the engine does at the end of the step being replayed. */
	flush(): void {
		const d = this.deferred;
		this.deferred = null;
		if (d !== null) d.run();
	}

	metrics(until: number): ReferenceMetrics {
		if (this.overflowNext !== null) fail(`${this.overflowNext} was due to overflow for its wait, but the log ends`);
		this.flush();
		const t = Math.max(until, this.clock);
		for (const a of this.agents.values()) this.settle(a, t);
		const queues = new Map<string, ScopeTotals>();
		const sources = new Map<string, ScopeTotals>();
		for (const [key, s] of this.scopes) {
			if (key.startsWith('queue:')) queues.set(key.slice(6), s);
			else if (key.startsWith('source:')) sources.set(key.slice(7), s);
		}
		return { all: this.scope('all'), queues, sources };
	}

	// ------------------------------------------------------------------ calls

	private curve(tier: number): Curve {
		return this.curves[tier] ?? fail(`no tier ${tier}`);
	}

	private live(id: string): ModelCall {
		return this.calls.get(id) ?? fail(`no live call ${id}`);
	}

	private agent(id: string): ModelAgent {
		return this.agents.get(id) ?? fail(`no agent ${id}`);
	}

	private ensureQueue(id: string, t: number): void {
		if (this.queues.has(id)) return;
		if (!this.config.autoQueues) fail(`unknown queue ${id} accepted with autoQueues off`);
		// agents who have the new queue's skill are counted in it from now on
		for (const a of this.agents.values()) this.settle(a, t);
		this.queues.set(id, queueConfigSchema.parse({ id, mode: this.config.defaultMode }));
		this.scope(`queue:${id}`);
	}

	private tierOf(e: Extract<HeatEvent, { type: 'call.arrived' }>): number {
		if (e.tier !== undefined) {
			const i = this.tiers.findIndex((x) => x.id === e.tier);
			return i >= 0 ? i : fail(`unknown tier ${e.tier}`);
		}
		const heat = e.heat ?? this.config.defaultHeat;
		let best = -1;
		for (let i = 0; i < this.tiers.length; i++) {
			const m = (this.tiers[i] as TierConfig).minHeat;
			if (heat >= m && (best < 0 || m > (this.tiers[best] as TierConfig).minHeat)) best = i;
		}
		return best >= 0 ? best : this.tiers.findIndex((x) => x.minHeat === 0);
	}

	private arrive(e: Extract<HeatEvent, { type: 'call.arrived' }>, t: number): void {
		if (this.calls.has(e.callId)) fail(`arrival of ${e.callId} already in progress`);
		this.ensureQueue(e.queue, t);
		const q = this.queueConfig(e.queue);
		const c: ModelCall = {
			id: e.callId,
			seq: ++this.arrivals,
			queue: e.queue,
			arrivedAt: t,
			value: e.value ?? q.defaultValue,
			tier: this.tierOf(e),
			priority: e.priority ?? 0,
			source: e.source ?? 'unknown',
			extra: e.skills !== undefined && Object.keys(e.skills).length > 0 ? { ...e.skills } : null,
			status: 'waiting',
			agent: null,
			isCallback: false,
			answeredAt: -1,
			answerWaitMs: -1,
			aiTier: null,
			aiAt: -1,
			moves: 0,
			escalateDue: -1,
			overflowDue: -1
		};
		this.calls.set(c.id, c);
		this.count(c, t, { offered: 1 });
	}

	/** The agent an ACD (or the engine) named; one it has never seen is created, logged in for this queue. */
	private agentForCall(id: string, c: ModelCall, t: number): ModelAgent {
		let a = this.agents.get(id);
		if (a === undefined) {
			a = this.newAgent(id, t);
			a.skills = skillMap({ [this.queueSkill(c.queue)]: 1 });
			this.setState(a, 'available', t);
		}
		if (a.call !== null && a.call !== c.id) fail(`${id} took ${c.id} while on ${a.call}`);
		return a;
	}

	private offer(c: ModelCall, a: ModelAgent, t: number): void {
		c.status = 'ringing';
		c.agent = a.id;
		a.call = c.id;
		a.lastOffer = ++this.offers;
		this.setState(a, 'busy', t);
	}

	private answer(c: ModelCall, a: ModelAgent, t: number): void {
		c.status = 'talking';
		c.escalateDue = c.overflowDue = -1;
		c.answeredAt = t;
		if (c.answerWaitMs >= 0) return; // a call answered again after a transfer counts once
		const w = t - c.arrivedAt;
		c.answerWaitMs = w;
		a.answeredCount++;
		const curve = this.curve(c.tier);
		const inSl = w <= this.queueConfig(c.queue).serviceLevel.seconds * 1000 ? 1 : 0;
		this.count(c, t, {
			answered: 1,
			answeredInSl: inSl,
			answeredDelayed: w > 0 ? 1 : 0,
			waitAnsweredMs: w,
			revenueLost: c.value * (curve.p(0) - curve.p(w))
		});
	}

	/** Takes a ringing call off its agent, back to its place in line; the ring is over. */
	private unring(c: ModelCall): ModelAgent {
		const a = this.agent(c.agent ?? fail(`${c.id} rings at nobody`));
		a.call = null;
		c.agent = null;
		c.status = c.isCallback ? 'callback' : 'waiting';
		c.escalateDue = c.overflowDue = -1;
		return a;
	}

	private abandon(c: ModelCall, t: number): void {
		let freed: ModelAgent | null = null;
		if (c.status === 'ringing') {
			freed = this.unring(c);
		}
		if (c.answerWaitMs >= 0) {
			// answered once, then transferred: the caller had their answer, so the call ends with the
			// expected conversion of that answer; nobody worked on it since and nothing more is lost
			const p = this.curve(c.tier).p(c.answerWaitMs);
			this.count(c, t, { conversions: p, revenue: c.value * p });
			this.close(c, 'ended');
			if (freed !== null) this.free(freed, t);
			return;
		}
		const w = t - c.arrivedAt;
		const short = w < this.queueConfig(c.queue).shortAbandonSeconds * 1000 ? 1 : 0;
		this.count(c, t, { abandoned: 1, shortAbandoned: short, waitAbandonedMs: w, revenueLost: c.value * this.curve(c.tier).p(0) });
		this.close(c, 'abandoned');
		if (freed !== null) this.free(freed, t);
	}

	/** Booked when the source says, expected otherwise. */
	private outcome(e: CallEnded, c: ModelCall, p: number): Partial<RefCounters> {
		const conversions = e.converted === undefined ? p : e.converted ? 1 : 0;
		const revenue = e.revenue !== undefined ? e.revenue : e.converted === undefined ? c.value * p : e.converted ? c.value : 0;
		return { conversions, revenue };
	}

	private end(c: ModelCall, e: CallEnded, t: number): void {
		if (c.status === 'talking') {
			const a = this.agent(c.agent ?? fail(`${c.id} talks to nobody`));
			const wrap = e.wrapMs ?? this.queueConfig(c.queue).wrapUpSeconds * 1000;
			const p = this.curve(c.tier).p(c.answerWaitMs);
			this.count(c, t, { ...this.outcome(e, c, p), handled: 1, talkMs: t - c.answeredAt, wrapMs: wrap });
			a.call = null;
			c.agent = null;
			this.close(c, 'ended');
			return this.afterCall(a, wrap, t);
		}
		if (c.status === 'ai') {
			const tier = this.config.overflowTiers.find((x) => x.id === c.aiTier) ?? fail(`${c.id} in unknown tier`);
			const curve = this.curve(c.tier);
			const p = tier.conversionFactor * curve.p(c.aiAt - c.arrivedAt);
			this.count(c, t, { ...this.outcome(e, c, p), revenueLost: c.value * (curve.p(0) - p) });
			return this.close(c, 'ended');
		}
		// the source never said it was answered: for the caller it was an abandon
		this.abandon(c, t);
	}

	private transfer(c: ModelCall, toQueue: string, t: number): void {
		this.ensureQueue(toQueue, t);
		if (c.status === 'talking') {
			const a = this.agent(c.agent ?? fail(`${c.id} talks to nobody`));
			const wrap = this.queueConfig(c.queue).wrapUpSeconds * 1000;
			this.count(c, t, { handled: 1, talkMs: t - c.answeredAt, wrapMs: wrap });
			a.call = null;
			c.agent = null;
			this.defer(a, c, () => this.afterCall(a, wrap, t));
		} else if (c.status === 'ringing') {
			const a = this.unring(c);
			this.defer(a, c, () => this.free(a, t));
		} else if (c.status === 'ai') {
			c.aiTier = null;
		}
		this.moveTo(c, toQueue);
		c.status = 'waiting';
		this.count(c, t, { transfers: 1 });
	}

	/** To another queue: its base skill only, and the old queue's wait timers no longer apply. */
	private moveTo(c: ModelCall, queue: string): void {
		c.queue = queue;
		c.extra = null;
		c.moves++;
		c.escalateDue = c.overflowDue = -1;
	}

	private close(c: ModelCall, status: FinalStatus): void {
		this.calls.delete(c.id);
		this.finished[status]++;
	}

	private defer(a: ModelAgent, c: ModelCall, run: () => void): void {
		this.flush();
		this.deferred = { agentId: a.id, callId: c.id, run };
	}

	// ------------------------------------------------------------------ agents

	private newAgent(id: string, t: number): ModelAgent {
		const a: ModelAgent = {
			id,
			seq: this.agents.size,
			state: 'offline',
			skills: skillMap({}),
			call: null,
			pending: null,
			wrapUntil: null,
			idleSince: t,
			answeredCount: 0,
			lastOffer: 0,
			since: t
		};
		this.agents.set(id, a);
		return a;
	}

	private setState(a: ModelAgent, s: AgentStateName, t: number): void {
		this.settle(a, t);
		// idle since they became available: a repeated 'available' keeps their longest-idle place
		if (s === 'available' && a.state !== 'available') a.idleSince = t;
		a.state = s;
		if (s !== 'wrap-up') a.wrapUntil = null;
	}

	/** The agent's work on a call is over: a state asked for meanwhile, else available. */
	private free(a: ModelAgent, t: number): void {
		const pending = a.pending;
		a.pending = null;
		this.setState(a, pending !== null && pending !== 'available' ? pending : 'available', t);
	}

	private afterCall(a: ModelAgent, wrapMs: number, t: number): void {
		if (wrapMs > 0) {
			this.setState(a, 'wrap-up', t);
			a.wrapUntil = t + wrapMs;
		} else this.free(a, t);
	}

	private agentState(e: Extract<HeatEvent, { type: 'agent.state' }>, t: number): void {
		const a = this.agents.get(e.agentId) ?? this.newAgent(e.agentId, t);
		if (e.skills !== undefined) {
			this.settle(a, t);
			a.skills = skillMap(e.skills);
		}
		if (a.call !== null) {
			// takes effect when the call's work is done; available or busy cancel an earlier request
			if (e.state === 'available' || e.state === 'busy') a.pending = null;
			else if (e.state !== 'wrap-up') a.pending = e.state;
			return;
		}
		if (e.state === 'available') a.pending = null;
		this.setState(a, e.state, t);
		// an agent.state during wrap-up replaces it: its timer no longer applies
		a.wrapUntil = null;
	}

	private timer(e: Extract<HeatEvent, { type: 'timer' }>, t: number): void {
		if (e.kind === 'wrap.end') {
			const a = e.agentId !== undefined ? this.agents.get(e.agentId) : undefined;
			if (a !== undefined && a.state === 'wrap-up' && a.call === null && a.wrapUntil === e.t) this.free(a, t);
			return;
		}
		if (e.kind === 'escalate') {
			const c = e.callId !== undefined ? this.calls.get(e.callId) : undefined;
			// a timer of an earlier call under the same id, or of a queue the call has left, is not this call's
			if (c === undefined || e.seq !== waitTimerSeq(c)) return;
			if (c.status === 'ringing') c.escalateDue = t;
			else if (c.status === 'waiting' || c.status === 'callback') this.escalate(c, t);
			return;
		}
		if (e.kind === 'overflow') {
			const c = e.callId !== undefined ? this.calls.get(e.callId) : undefined;
			if (c === undefined || e.seq !== waitTimerSeq(c)) return;
			// a callback waits off the line: no wait overflow for it
			if (c.status === 'ringing' && !c.isCallback) c.overflowDue = t;
			else if (c.status === 'waiting') {
				this.overflowNext = c.id;
				this.overflowMayRing = false;
			}
		}
		// where an overflow goes and what a ring timeout does come as the decisions logged after them
	}

	/** After its wait: more priority, fewer skills or another queue, as the queue it is in says. */
	private escalate(c: ModelCall, t: number): void {
		const esc = this.queueConfig(c.queue).escalation;
		if (esc === undefined) return;
		c.priority += esc.priorityBoost;
		if (esc.toQueue !== undefined) {
			this.ensureQueue(esc.toQueue, t);
			this.moveTo(c, esc.toQueue);
		} else if (esc.widen) c.extra = null;
	}

	// ------------------------------------------------------------------ counting

	private scope(key: string): ScopeTotals {
		let s = this.scopes.get(key);
		if (s === undefined) {
			s = { day: zeroCounters(), intervals: new Map(), minutes: new Map() };
			this.scopes.set(key, s);
		}
		return s;
	}

	private bucket(m: Map<number, RefCounters>, k: number): RefCounters {
		let c = m.get(k);
		if (c === undefined) {
			c = zeroCounters();
			m.set(k, c);
		}
		return c;
	}

	private intervalOf(t: number): number {
		return Math.floor((t - this.config.dayStartMs) / (this.config.intervalMinutes * 60_000));
	}

	private count(c: ModelCall, t: number, facts: Partial<RefCounters>): void {
		const inDay = t >= this.config.dayStartMs;
		for (const key of ['all', `queue:${c.queue}`, `source:${c.source}`]) {
			const s = this.scope(key);
			const cells = [this.bucket(s.intervals, this.intervalOf(t)), this.bucket(s.minutes, Math.floor(t / 60_000))];
			if (inDay) cells.push(s.day);
			for (const [f, v] of Object.entries(facts) as Array<[CounterField, number]>) for (const cell of cells) cell[f] += v;
		}
	}

	/** Everything, plus each queue whose skill the agent has (level 1 or more). */
	private agentScopes(a: ModelAgent): string[] {
		const out = ['all'];
		for (const q of this.queues.values()) if (skillLevel(a, q.skill ?? q.id) >= 1) out.push(`queue:${q.id}`);
		return out;
	}

	/** Books the agent's time in their current state up to t: in the day from its start, in intervals and minutes whenever. */
	private settle(a: ModelAgent, t: number): void {
		const from = a.since;
		const field = STATE_FIELD[a.state];
		if (field !== undefined && t > from) {
			const intervalMs = this.config.intervalMinutes * 60_000;
			const dayFrom = Math.max(from, this.config.dayStartMs);
			for (const key of this.agentScopes(a)) {
				const s = this.scope(key);
				if (t > dayFrom) s.day[field] += t - dayFrom;
				for (let x = from; x < t;) {
					const i = this.intervalOf(x);
					const y = Math.min(t, this.config.dayStartMs + (i + 1) * intervalMs);
					this.bucket(s.intervals, i)[field] += y - x;
					x = y;
				}
				for (let x = from; x < t;) {
					const m = Math.floor(x / 60_000);
					const y = Math.min(t, (m + 1) * 60_000);
					this.bucket(s.minutes, m)[field] += y - x;
					x = y;
				}
			}
		}
		if (t > a.since) a.since = t;
	}
}

/** Replays a whole accepted-event log and returns the metrics as of `until`. */
export function referenceMetrics(config: EngineConfigInput, log: readonly LoggedEvent[], until: number): ReferenceMetrics {
	const model = new ReferenceModel(config);
	for (const entry of log) model.apply(entry);
	return model.metrics(until);
}
