import type { AgentState, AgentStateName, CallArrived, CallEnded, EngineTimer, HeatEvent, OverflowReason } from './events';
import { parseEvent } from './schema';
import {
	parseHours,
	resolveConfig,
	resolveTiers,
	type EngineConfig,
	type EngineConfigInput,
	type Fallback,
	type QueueConfig
} from './config';
import { queueConfigSchema } from './config';
import { TierTable } from './value';
import { DedupeWindow } from './dedupe';
import { ScopeCell, ScopeMetrics, stateIndex } from './metrics/scope';
import {
	Agent,
	Call,
	OverflowTier,
	PoolEntry,
	QueueRt,
	Route,
	skillRequirement,
	CALL_STATUSES,
	statusIndex,
	type CallStatus
} from './state';
import type { KeyedHeap } from './util/heap';
import { goesFirst } from './order';
import { EffectCollector, timerEvent, type DecisionSink, type Effect, type TimerKind } from './effects';

export type { Effect } from './effects';

export type RejectReason =
	| 'invalid'
	| 'duplicate'
	| 'stale'
	| 'unknownCall'
	| 'future'
	| 'unknownQueue'
	| 'unknownTarget'
	| 'duplicateCall'
	| 'badTransition'
	| 'contradiction';

export const REJECT_REASONS: readonly RejectReason[] = [
	'invalid',
	'duplicate',
	'stale',
	'unknownCall',
	'future',
	'unknownQueue',
	'unknownTarget',
	'duplicateCall',
	'badTransition',
	'contradiction'
];

/** Why stepInto refused an event. */
export interface Refusal {
	reason: RejectReason;
	detail: string;
}

/** Events about one call in progress, which stepCallInto takes with the call's handle. */
export type CallEvent = Exclude<HeatEvent, CallArrived | AgentState | EngineTimer>;

/** statusIndex from here on: the call has finished (ended, abandoned, voicemail) */
const FINISHED = 5;

export type StepResult =
	{ accepted: true; effects: Effect[]; late: boolean } | { accepted: false; reason: RejectReason; detail: string; effects: Effect[] };

export interface EngineOptions {
	/** a seeded uniform [0,1) stream, used by the 'random' strategy only */
	random?: () => number;
	/** a clock for the time limit on tabulating expression curves at construction (e.g. performance.now) */
	clock?: () => number;
	/** events further ahead of the engine clock than this are rejected as 'future' (default 1 day) */
	maxAheadMs?: number;
}

export interface EngineCounts {
	accepted: number;
	rejected: Record<RejectReason, number>;
	/** accepted late events, applied at the engine clock */
	late: number;
	/** timers that arrived after their cause had passed */
	timersStale: number;
	/** observe mode: what the external ACD did that our model says could not happen */
	contradictions: Record<string, number>;
	agentsAutoCreated: number;
	queuesAutoCreated: number;
}

class Rejection extends Error {
	constructor(
		readonly reason: RejectReason,
		detail: string
	) {
		super(detail);
	}
}

const DAY = 86_400_000;
/** spare call objects kept at most (a burst's worth; more are left to the collector) */
const MAX_SPARE_CALLS = 4096;

/** Object.keys(o).length > 0 without making the array. */
function hasOwnKeys(o: object): boolean {
	for (const k in o) if (Object.hasOwn(o, k)) return true;
	return false;
}

/** o has exactly these own entries (in any order). */
function sameEntries(o: Record<string, number>, entries: ReadonlyArray<readonly [string, number]>): boolean {
	let n = 0;
	for (const k in o) if (Object.hasOwn(o, k)) n++;
	if (n !== entries.length) return false;
	for (const [k, v] of entries) if (!Object.hasOwn(o, k) || o[k] !== v) return false;
	return true;
}
/** ring timers carry call sequence x RING_SEQ + offer number, so a reused call id cannot match an old timer */
const RING_SEQ = 1_000_000;

/** Wait timers belong to one call (engine-wide sequence) in one queue stay (bumped by each move). */
function waitTimerSeq(c: Call): number {
	return c.seq * 1000 + (c.gen % 1000);
}
const NO_EFFECTS: Effect[] = [];
/** an end with nothing known of the sale */
const NO_OUTCOME = { type: 'call.ended', id: '', t: 0, callId: '' } as const satisfies CallEnded;

/** Where decisions go between steps: nowhere, since only a step makes them. */
const NO_SINK: DecisionSink = new EffectCollector();

/**
 * The routing and queueing engine: state + event -> effects. Pure: time comes from the events,
 * randomness from the injected stream, and every decision comes back as an effect for the caller
 * to journal or act on. Cost per event is O(log n) in calls and agents (a longest-idle pool takes an
 * agent in at no cost, or at the distance to the nearer end for one keeping an older place).
 */
export class Engine {
	readonly config: EngineConfig;
	readonly tiers: TierTable;
	readonly all: ScopeMetrics;
	readonly queues = new Map<string, QueueRt>();
	readonly sources = new Map<string, ScopeMetrics>();
	readonly agents = new Map<string, Agent>();
	/** live calls by id, in arrival order (see `calls`) */
	private readonly callMap = new Map<string, Call>();
	/**
	 * Calls that arrived through arriveInto and are not in callMap yet, in arrival order: a source
	 * that holds handles never needs the lookup by id, so the map is brought up to date only when
	 * someone reads it. Finished calls in here are dropped, never added.
	 */
	private unmapped: Array<Call | null> = [];
	/** entries of unmapped in use (the array keeps its length, so adding to it seldom reallocates) */
	private nUnmapped = 0;
	/** finished calls that were never handed out by id, for arriveInto to reuse */
	private readonly spareCalls: Call[] = [];
	/** unmapped is compacted when it grows past this */
	private unmappedLimit = 4096;
	/** arriveInto runs: the source vouches that the call id is not in progress */
	private trustedArrival = false;
	/** what arriveInto's source attaches to the call (Call.tag) */
	private arrivalTag: unknown = undefined;
	readonly overflowTiers = new Map<string, OverflowTier>();
	/** agents' cells by the queues they count in (besides everything) */
	private readonly agentCells = new Map<string, ScopeCell>();
	/** calls in each status, indexed like CALL_STATUSES */
	private readonly byStatus = new Float64Array(CALL_STATUSES.length);
	arrived = 0;
	readonly counts: EngineCounts;

	private clockMs = Number.NEGATIVE_INFINITY;
	/** the clock before the step in progress, to put back if the step is refused (a field: a double argument would be boxed) */
	private clockBefore = Number.NEGATIVE_INFINITY;
	private readonly routes: Route[] = [];
	private readonly agentList: Agent[] = [];
	private readonly dedupe: DedupeWindow;
	private readonly random: () => number;
	private callSeq = 0;
	private offerCounter = 0;
	private sink: DecisionSink = NO_SINK;
	/** the call stepCallInto names by handle, for the step it runs */
	private handle: Call | null = null;
	private lastQueue: QueueRt | null = null;
	/** the call the last accepted arrival made (arriveInto's result) */
	private lastArrived: Call | null = null;
	private readonly valueOrder: boolean;
	private readonly maxAheadMs: number;

	constructor(config: EngineConfigInput, options: EngineOptions = {}) {
		this.config = resolveConfig(config);
		this.tiers = new TierTable(resolveTiers(this.config), options.clock ? { clock: options.clock } : {});
		this.valueOrder = this.config.order === 'value';
		this.maxAheadMs = options.maxAheadMs ?? DAY;
		const needsRandom = this.config.queues.some((q) => q.strategy === 'random');
		if (needsRandom && options.random === undefined)
			throw new Error('engine config: a queue uses the random strategy: pass a seeded random stream (EngineOptions.random)');
		this.random = options.random ?? (() => 0.5);
		this.dedupe = new DedupeWindow(this.config.dedupeWindowMs);
		this.all = this.newScope();
		this.counts = {
			accepted: 0,
			rejected: Object.fromEntries(REJECT_REASONS.map((r) => [r, 0])) as Record<RejectReason, number>,
			late: 0,
			timersStale: 0,
			contradictions: {},
			agentsAutoCreated: 0,
			queuesAutoCreated: 0
		};
		for (const t of this.config.overflowTiers) this.overflowTiers.set(t.id, new OverflowTier(t));
		for (const q of this.config.queues) this.addQueue(q);
	}

	/** Calls in progress by id, in arrival order. */
	get calls(): Map<string, Call> {
		if (this.nUnmapped > 0) this.mapCalls();
		return this.callMap;
	}

	private mapCalls(): void {
		const list = this.unmapped;
		for (let i = 0; i < this.nUnmapped; i++) {
			const c = list[i] as Call | null;
			if (c === null) continue;
			if (this.callMap.has(c.id))
				throw new Error(`engine: call "${c.id}" arrived through arriveInto while a call of that id was in progress`);
			list[i] = null;
			this.callMap.set(c.id, c);
			c.mapped = true;
			c.unmappedAt = -1;
		}
		this.nUnmapped = 0;
	}

	/** Closes the gaps finished calls left in unmapped, keeping the order. */
	private compactUnmapped(): void {
		const list = this.unmapped;
		const used = this.nUnmapped;
		let n = 0;
		for (let i = 0; i < used; i++) {
			const c = list[i] as Call | null;
			if (c !== null) {
				c.unmappedAt = n;
				list[n++] = c;
			}
		}
		for (let i = n; i < used; i++) list[i] = null;
		this.nUnmapped = n;
		this.unmappedLimit = Math.max(4096, 4 * n);
	}

	/** The engine's clock: the latest event time seen (ms on the source's clock). */
	get clock(): number {
		return this.clockMs;
	}

	/** An event at t would be rejected as 'future' (a caller delivering timers checks this first). */
	isTooFarAhead(t: number): boolean {
		return this.clockMs > Number.NEGATIVE_INFINITY && t > this.clockMs + this.maxAheadMs;
	}

	/** Validates an event from outside (webhook, file, socket), then steps it. */
	ingest(raw: unknown): StepResult {
		const parsed = parseEvent(raw);
		if (!parsed.ok) return this.reject('invalid', parsed.detail);
		return this.step(parsed.event);
	}

	/** Applies a typed event. Duplicates and too-late events are rejected and counted, never applied. */
	step(e: HeatEvent): StepResult {
		if (this.dedupe.enabled && this.dedupe.has(e.id)) return this.reject('duplicate', `${e.type} ${e.id}: duplicate id`);
		const late = e.t < this.clockMs;
		const collector = new EffectCollector();
		const rejected = this.stepInto(e, collector);
		if (rejected !== null) return { accepted: false, ...rejected, effects: NO_EFFECTS };
		const effects = collector.effects;
		if (this.dedupe.enabled) {
			const t = late ? this.clockMs : e.t;
			this.dedupe.add(e.id, t);
			for (const f of effects) if (f.kind === 'emit') this.dedupe.add(f.event.id, t);
			this.dedupe.expire(this.clockMs);
		}
		return { accepted: true, effects, late };
	}

	/**
	 * Applies a typed event, sending decisions and timers straight to `sink`: the fast path for a
	 * trusted, time-ordered source that makes its own ids unique (the simulator), with no
	 * de-duplication. Returns null when accepted, else why not (counted like any rejection).
	 */
	stepInto(e: HeatEvent, sink: DecisionSink): { reason: RejectReason; detail: string } | null {
		let t = e.t;
		if (this.isTooFarAhead(t))
			return this.refuse('future', `${e.type} ${e.id}: t=${t} is more than ${this.maxAheadMs} ms ahead of the engine clock`);
		if (t < this.clockMs) {
			if (t < this.clockMs - this.config.reorderWindowMs)
				return this.refuse(
					'stale',
					`${e.type} ${e.id}: t=${t} is ${this.clockMs - t} ms behind the engine clock (reorder window ${this.config.reorderWindowMs} ms)`
				);
			t = this.clockMs;
		}
		this.clockBefore = this.clockMs;
		this.clockMs = t;
		const rejected = this.run(e, t, sink);
		if (rejected !== null) return this.refuse(rejected.reason, rejected.detail);
		if (t > e.t) this.counts.late++;
		this.counts.accepted++;
		return null;
	}

	/**
	 * stepInto for an arrival, returning the engine's handle on the call (or why it was refused): a
	 * source that keeps the handle can send the call's later events through stepCallInto without the
	 * engine looking the call up by id. The event may be an object the source reuses. For a source
	 * that never reuses the id of a call in progress (the simulator numbers its calls): the
	 * duplicate-call check is not made, and the call joins `calls` when that is next read.
	 */
	arriveInto(e: CallArrived, sink: DecisionSink, tag?: unknown): Call | Refusal {
		this.trustedArrival = true;
		this.arrivalTag = tag;
		let refused: Refusal | null;
		try {
			refused = this.stepInto(e, sink);
		} finally {
			this.trustedArrival = false;
			this.arrivalTag = undefined;
		}
		return refused ?? (this.lastArrived as Call);
	}

	/**
	 * stepInto for an event about a call whose handle the source holds (from arriveInto): the same
	 * rules and handlers, without the lookup by id. A handle of a call that has finished is refused
	 * as an unknown call, as its id would be.
	 */
	stepCallInto(c: Call, e: CallEvent, sink: DecisionSink): Refusal | null {
		if (c.statusIndex >= FINISHED || c.id !== e.callId) return this.stepInto(e, sink);
		this.handle = c;
		try {
			return this.stepInto(e, sink);
		} finally {
			this.handle = null;
		}
	}

	private refuse(reason: RejectReason, detail: string): { reason: RejectReason; detail: string } {
		this.counts.rejected[reason]++;
		return { reason, detail };
	}

	/** Applies an event at effective time t, sending decisions to the sink; a handler's Rejection becomes the result. */
	private run(e: HeatEvent, t: number, sink: DecisionSink): { reason: RejectReason; detail: string } | null {
		this.sink = sink;
		try {
			this.apply(e, t);
			return null;
		} catch (err) {
			// a rejected event must not have changed state: every handler validates before it mutates,
			// and the clock goes back to where it was
			if (err instanceof Rejection) {
				this.clockMs = this.clockBefore;
				return { reason: err.reason, detail: `${e.type} ${e.id}: ${err.message}` };
			}
			throw err;
		} finally {
			this.sink = NO_SINK;
		}
	}

	/** Lets time pass with no event (so waits, windows and agent time are read as of `t`). */
	advance(t: number): void {
		if (t > this.clockMs) this.clockMs = t;
		for (const cell of this.agentCells.values()) cell.accrue(this.clockMs);
	}

	private reject(reason: RejectReason, detail: string): StepResult {
		return { accepted: false, ...this.refuse(reason, detail), effects: NO_EFFECTS };
	}

	private contradiction(kind: string): void {
		this.counts.contradictions[kind] = (this.counts.contradictions[kind] ?? 0) + 1;
	}

	private apply(e: HeatEvent, t: number): void {
		switch (e.type) {
			case 'call.arrived':
				return this.onArrived(e, t);
			case 'call.offered':
				return this.onOffered(this.call(e.callId), e.agentId, t);
			case 'call.answered':
				return this.onAnswered(this.call(e.callId), e.agentId, t);
			case 'call.ringNoAnswer':
				return this.onRingNoAnswer(this.call(e.callId), e.agentId, t);
			case 'call.abandoned':
				return this.onAbandoned(this.call(e.callId), t);
			case 'call.ended':
				return this.onEnded(this.call(e.callId), e, t);
			case 'call.transferred':
				return this.onTransferred(this.call(e.callId), e.toQueue, t);
			case 'call.callback.requested':
				return this.onCallbackRequested(this.call(e.callId), t);
			case 'call.overflowed':
				return this.onOverflowed(this.call(e.callId), e.target, e.reason, t);
			case 'agent.state':
				return this.onAgentState(e, t);
			case 'timer':
				return this.onTimer(e, t);
		}
	}

	// ---------------------------------------------------------------- lookups and set-up

	private call(id: string): Call {
		const h = this.handle;
		if (h !== null) return h;
		const c = this.calls.get(id);
		if (c === undefined) throw new Rejection('unknownCall', `no call "${id}" in progress`);
		return c;
	}

	private newScope(): ScopeMetrics {
		return new ScopeMetrics({ intervalMs: this.config.intervalMinutes * 60_000, dayStartMs: this.config.dayStartMs });
	}

	private addQueue(cfg: QueueConfig): QueueRt {
		const overflow = cfg.overflowTo !== undefined ? (this.overflowTiers.get(cfg.overflowTo) ?? null) : null;
		const q = new QueueRt(cfg, this.newScope(), cfg.hours ? parseHours(cfg.hours) : null, overflow, this.tiers.size);
		this.queues.set(cfg.id, q);
		q.base = this.route(q, `${q.skill}:1`, [[q.skill, 1]]);
		for (const a of this.agentList) this.refreshAgentScopes(a, this.clockMs);
		return q;
	}

	private queue(id: string): QueueRt {
		// most sources send runs of one queue's calls: the same id string skips the hash lookup
		const last = this.lastQueue;
		if (last !== null && last.cfg.id === id) return last;
		const q = this.queues.get(id);
		if (q !== undefined) {
			this.lastQueue = q;
			return q;
		}
		if (!this.config.autoQueues) throw new Rejection('unknownQueue', `no queue "${id}" (autoQueues is off)`);
		this.counts.queuesAutoCreated++;
		return this.addQueue(queueConfigSchema.parse({ id, mode: this.config.defaultMode }));
	}

	private baseRoute(q: QueueRt): Route {
		return q.base as Route;
	}

	/** The route for a queue and skill set, made on first use; agents who qualify join it. */
	private route(q: QueueRt, sig: string, req: Array<[string, number]>): Route {
		let r = q.routes.get(sig);
		if (r !== undefined) return r;
		r = new Route(this.routes.length, q, sig, req, this.valueOrder ? this.tiers.size : 1);
		q.routes.set(sig, r);
		this.routes.push(r);
		for (const a of this.agentList) {
			if (!a.has(req)) continue;
			const entry = new PoolEntry(a, r);
			a.routes.push(r);
			a.entries.push(entry);
			if (a.state === 'available' && a.call === null) this.poolPush(entry);
		}
		return r;
	}

	/**
	 * The route of a call needing these skills. Sources draw skills from a small mix, usually the
	 * same object each time: the last one is remembered with a copy of its content, so a repeat
	 * (even a reused object changed meanwhile) is recognised without making the signature again.
	 */
	private skillRoute(q: QueueRt, skills: Record<string, number>): Route {
		const memo = q.skillMemo;
		if (memo !== null && memo.skills === skills && sameEntries(skills, memo.entries)) return memo.route;
		const { sig, req } = skillRequirement(q.skill, skills);
		const route = this.route(q, sig, req);
		q.skillMemo = { skills, entries: Object.entries(skills), route };
		return route;
	}

	/** The fact cell of calls of this queue and lead source, one per pair. */
	private cellFor(q: QueueRt, source: string): ScopeCell {
		if (q.lastSource === source) return q.lastCell as ScopeCell;
		let cell = q.cellsBySource.get(source);
		if (cell === undefined) {
			cell = new ScopeCell([this.all, q.scope, this.sourceScope(source)]);
			q.cellsBySource.set(source, cell);
		}
		q.lastSource = source;
		q.lastCell = cell;
		return cell;
	}

	private sourceScope(source: string): ScopeMetrics {
		let s = this.sources.get(source);
		if (s === undefined) {
			s = this.newScope();
			this.sources.set(source, s);
		}
		return s;
	}

	/** Calls in each status; they add up to the calls that arrived. */
	get statusCount(): Record<CallStatus, number> {
		return Object.fromEntries(CALL_STATUSES.map((s, i) => [s, this.byStatus[i] as number])) as Record<CallStatus, number>;
	}

	private setStatus(c: Call, s: CallStatus): void {
		const b = this.byStatus;
		const to = statusIndex(s);
		b[c.statusIndex] = (b[c.statusIndex] as number) - 1;
		b[to] = (b[to] as number) + 1;
		c.status = s;
		c.statusIndex = to;
	}

	private finish(c: Call, s: CallStatus): void {
		this.setStatus(c, s);
		if (c.mapped) {
			this.callMap.delete(c.id);
			c.mapped = false;
		} else if (c.unmappedAt >= 0) {
			this.unmapped[c.unmappedAt] = null;
			c.unmappedAt = -1;
			// nobody outside got it by id; the source that holds its handle knows when the call is over
			// (the simulator marks its own call done), and timers tell a reused one by sequence
			if (this.spareCalls.length < MAX_SPARE_CALLS) this.spareCalls.push(c);
		}
	}

	private isOpen(q: QueueRt, t: number): boolean {
		if (q.hours === null) return true;
		const local = (((t + this.config.tzOffsetMinutes * 60_000) % DAY) + DAY) % DAY;
		for (const [a, b] of q.hours) {
			if (a <= b ? local >= a && local < b : local >= a || local < b) return true;
		}
		return false;
	}

	// ---------------------------------------------------------------- calls

	private onArrived(e: CallArrived, t: number): void {
		const trusted = this.trustedArrival;
		if (!trusted && this.calls.has(e.callId)) throw new Rejection('duplicateCall', `call "${e.callId}" is already in progress`);
		let tier: number;
		if (e.tier !== undefined) {
			tier = this.tiers.indexOf(e.tier);
			if (tier < 0) throw new Rejection('invalid', `tier: no heat tier "${e.tier}"`);
		} else tier = this.tiers.tierOf(e.heat ?? this.config.defaultHeat);
		const q = this.queue(e.queue);
		const route = e.skills !== undefined && hasOwnKeys(e.skills) ? this.skillRoute(q, e.skills) : this.baseRoute(q);
		const source = e.source ?? 'unknown';
		const spare = trusted ? this.spareCalls.pop() : undefined;
		const c = (spare ?? new Call()).reset(
			e.callId,
			++this.callSeq,
			q,
			route,
			tier,
			this.tiers.curve(tier),
			e.value ?? q.cfg.defaultValue,
			e.priority ?? 0,
			source,
			e.caller,
			t,
			this.cellFor(q, source),
			this.arrivalTag
		);
		if (trusted) {
			const at = this.nUnmapped++;
			c.unmappedAt = at;
			if (at < this.unmapped.length) this.unmapped[at] = c;
			else this.unmapped.push(c);
			if (this.nUnmapped > this.unmappedLimit) this.compactUnmapped();
		} else {
			this.callMap.set(c.id, c);
			c.mapped = true;
		}
		this.lastArrived = c;
		this.arrived++;
		if (t >= this.config.dayStartMs) {
			q.tierOffered[tier] = (q.tierOffered[tier] as number) + 1;
			q.tierValue[tier] = (q.tierValue[tier] as number) + c.value;
		}
		this.byStatus[0] = (this.byStatus[0] as number) + 1;
		c.cell.at(t).offered++;

		if (q.cfg.mode !== 'route') return this.enqueue(c);
		if (!this.isOpen(q, t)) return this.fallback(c, q.cfg.whenClosed, 'closed', t);
		if (q.cfg.maxWaiting !== undefined && q.scope.waiting >= q.cfg.maxWaiting) return this.fallback(c, q.cfg.whenFull, 'queue-full', t);
		// the wait timers run from arrival even if the call rings at once: a ring-no-answer puts it back in line
		this.scheduleWaitTimers(c, t);
		// an idle agent takes it at once: no need to queue it
		if (route.pool.size > 0) return this.dispatchCall(c, t);
		this.enqueue(c);
		this.dispatchCall(c, t);
	}

	/** Puts a waiting or callback call into its lane (keys keep its place across ring-no-answers). */
	private enqueue(c: Call): void {
		// 0, not -0: a key that stays a small integer keeps the heap's comparisons on integers
		c.k1 = c.priority === 0 ? 0 : -c.priority;
		let lane: KeyedHeap<Call>;
		if (this.valueOrder) {
			// within one tier the loss rate decays the same way for every call, so this key is time-invariant
			c.k2 = -(Math.log(Math.max(c.value, 1e-9)) + c.arrivedAt / c.curve.tauMs);
			lane = c.route.lanes[c.tier] as KeyedHeap<Call>;
		} else {
			c.k2 = c.arrivedAt;
			lane = c.route.lanes[0] as KeyedHeap<Call>;
		}
		lane.push(c);
		c.lane = lane;
		if (c.status === 'waiting') {
			for (const s of c.cell.scopes) s.waiting++;
		} else for (const s of c.cell.scopes) s.callbacksWaiting++;
	}

	private dequeue(c: Call): void {
		if (c.lane === null) return;
		c.lane.remove(c);
		c.lane = null;
		if (c.status === 'waiting') {
			for (const s of c.cell.scopes) s.waiting--;
		} else for (const s of c.cell.scopes) s.callbacksWaiting--;
	}

	private fallback(c: Call, action: Fallback, reason: OverflowReason, t: number): void {
		if (action === 'callback') {
			this.toCallback(c, t);
			this.sink.callbackRequested(t, c.id, c);
			this.dispatchCall(c, t);
			return;
		}
		const tier = c.queue.overflow;
		if (action === 'overflow' && tier !== null && tier.inUse < tier.cfg.capacity) {
			this.toTier(c, tier, t);
			this.sink.overflowed(t, c.id, tier.cfg.id, reason, c);
			return;
		}
		this.toVoicemail(c, t);
		this.sink.overflowed(t, c.id, 'voicemail', reason, c);
	}

	private toCallback(c: Call, t: number): void {
		const queued = c.lane !== null;
		if (queued) {
			for (const s of c.cell.scopes) s.waiting--;
		}
		this.setStatus(c, 'callback');
		c.isCallback = true;
		if (queued) for (const s of c.cell.scopes) s.callbacksWaiting++;
		else this.enqueue(c);
		c.cell.at(t).callbacks++;
	}

	private toTier(c: Call, tier: OverflowTier, t: number): void {
		this.dequeue(c);
		this.setStatus(c, 'ai');
		c.ai = tier;
		c.aiAt = t;
		tier.inUse++;
		c.cell.at(t).overflowed++;
	}

	private toVoicemail(c: Call, t: number): void {
		this.dequeue(c);
		const lost = c.value * c.curve.p(0);
		const cell = c.cell.at(t);
		cell.voicemail++;
		cell.revenueLost += lost;
		this.finish(c, 'voicemail');
	}

	private onOffered(c: Call, agentId: string, t: number): void {
		if (c.status !== 'waiting' && c.status !== 'callback')
			throw new Rejection('badTransition', `call "${c.id}" is ${c.status}, cannot be offered`);
		const a = this.agentFor(agentId, c, t);
		this.offer(c, a, t, false);
	}

	/** An agent named by an external system; unknown agents are created (they logged in before we listened). */
	private agentFor(agentId: string, c: Call, t: number): Agent {
		let a = this.agents.get(agentId);
		if (a === undefined) {
			a = this.newAgent(agentId, t);
			this.counts.agentsAutoCreated++;
			this.setSkills(a, { [c.queue.skill]: 1 }, t);
			this.setAgentState(a, 'available', undefined, t);
		}
		if (a.call !== null && a.call !== c) throw new Rejection('contradiction', `agent "${agentId}" is already on call "${a.call.id}"`);
		if (a.call === null && a.state !== 'available') this.contradiction(`offered to ${a.state} agent`);
		return a;
	}

	private offer(c: Call, a: Agent, t: number, decided: boolean): void {
		this.dequeue(c);
		this.poolRemove(a);
		this.setStatus(c, 'ringing');
		c.agent = a;
		c.offerSeq++;
		a.call = c;
		a.lastOffer = ++this.offerCounter;
		a.wrapSeq++; // a call taken during wrap-up ends it: its timer is stale
		this.setAgentState(a, 'busy', undefined, t);
		if (!decided) return;
		this.sink.offered(t, c.id, a.id, c.offerSeq, c);
		const q = c.queue.cfg;
		if (q.autoAnswer) {
			this.answer(c, a, t);
			this.sink.answered(t, c.id, a.id, c.offerSeq, c);
		} else if (q.ringTimeoutSeconds !== undefined) {
			const at = t + q.ringTimeoutSeconds * 1000;
			this.schedule(at, 'ring.timeout', c, null, c.seq * RING_SEQ + c.offerSeq);
		}
	}

	private onAnswered(c: Call, agentId: string, t: number): void {
		if (c.status === 'ringing' && c.agent !== null && c.agent.id === agentId) return this.answer(c, c.agent, t);
		if (c.status !== 'ringing' && c.status !== 'waiting' && c.status !== 'callback')
			throw new Rejection('badTransition', `call "${c.id}" is ${c.status}, cannot be answered`);
		const a = this.agentFor(agentId, c, t);
		let released: Agent | null = null;
		if (c.status === 'ringing') {
			// the ACD gave it to someone else than the agent we saw ringing
			this.contradiction('answered by another agent than the one ringing');
			released = this.releaseRinging(c);
		}
		this.offer(c, a, t, false);
		this.answer(c, a, t);
		if (released !== null) this.agentFree(released, t);
	}

	private answer(c: Call, a: Agent, t: number): void {
		this.setStatus(c, 'talking');
		c.escalateDue = -1;
		c.overflowDue = -1;
		c.answeredAt = t;
		if (c.answerWaitMs >= 0) return;
		const w = t - c.arrivedAt;
		c.answerWaitMs = w;
		a.answeredCount++;
		const inSl = w <= c.queue.cfg.serviceLevel.seconds * 1000 ? 1 : 0;
		const delayed = w > 0 ? 1 : 0;
		c.pAnswer = c.curve.p(w);
		const lost = c.value * (c.curve.p(0) - c.pAnswer);
		const cell = c.cell.at(t);
		cell.answered++;
		cell.answeredInSl += inSl;
		cell.answeredDelayed += delayed;
		cell.waitAnsweredMs += w;
		cell.revenueLost += lost;
	}

	/** Takes a ringing call off its agent and puts it back in its place. */
	private releaseRinging(c: Call): Agent {
		const a = c.agent as Agent;
		a.call = null;
		c.agent = null;
		this.setStatus(c, c.isCallback ? 'callback' : 'waiting');
		this.enqueue(c);
		return a;
	}

	private onRingNoAnswer(c: Call, agentId: string, t: number): void {
		if (c.status !== 'ringing' || c.agent === null || c.agent.id !== agentId)
			throw new Rejection('badTransition', `call "${c.id}" is not ringing at agent "${agentId}"`);
		this.ringNoAnswer(c, t);
	}

	private ringNoAnswer(c: Call, t: number): void {
		const genBefore = c.gen;
		const a = this.releaseRinging(c);
		const q = c.queue.cfg;
		if (q.afterRingNoAnswer === 'away') this.setAgentState(a, 'away', 'ring-no-answer', t);
		// wait timers that fell due while it rang apply now, in the order they fell due (an
		// escalation first on a tie, as it was scheduled first); one that moves the call to another
		// queue makes the old queue's overflow moot
		const esc = c.escalateDue;
		const ovf = c.overflowDue;
		c.escalateDue = -1;
		c.overflowDue = -1;
		if (esc >= 0 && (ovf < 0 || esc <= ovf)) {
			this.escalate(c, t);
			if (ovf >= 0 && c.gen === genBefore && c.status === 'waiting') this.fallback(c, 'overflow', 'wait', t);
		} else if (ovf >= 0) this.fallback(c, 'overflow', 'wait', t);
		else this.dispatchCall(c, t);
		if (q.afterRingNoAnswer === 'available') this.agentFree(a, t);
	}

	private onAbandoned(c: Call, t: number): void {
		if (c.status !== 'waiting' && c.status !== 'callback' && c.status !== 'ringing')
			throw new Rejection('badTransition', `call "${c.id}" is ${c.status}, cannot be abandoned`);
		this.abandon(c, t);
	}

	private abandon(c: Call, t: number): void {
		let freed: Agent | null = null;
		if (c.status === 'ringing') {
			freed = c.agent as Agent;
			freed.call = null;
			c.agent = null;
		} else this.dequeue(c);
		if (c.answerWaitMs >= 0) {
			// answered once, then transferred: not an abandon; the sale's chance was set at that answer
			this.outcome(c, NO_OUTCOME, c.pAnswer, t, -1, 0);
			this.finish(c, 'ended');
			if (freed !== null) this.agentFree(freed, t);
			return;
		}
		const w = t - c.arrivedAt;
		const short = w < c.queue.cfg.shortAbandonSeconds * 1000 ? 1 : 0;
		const lost = c.value * c.curve.p(0);
		const cell = c.cell.at(t);
		cell.abandoned++;
		cell.shortAbandoned += short;
		cell.waitAbandonedMs += w;
		cell.revenueLost += lost;
		this.finish(c, 'abandoned');
		if (freed !== null) this.agentFree(freed, t);
	}

	private onEnded(c: Call, e: CallEnded, t: number): void {
		switch (c.status) {
			case 'talking':
				return this.endTalk(c, e, t);
			case 'ai':
				return this.endAi(c, e, t);
			case 'waiting':
			case 'callback':
			case 'ringing':
				// the source never told us it was answered: from the caller's side it was abandoned
				this.contradiction('ended without an answer');
				return this.abandon(c, t);
			default:
				throw new Rejection('badTransition', `call "${c.id}" is ${c.status}, cannot end`);
		}
	}

	/** Conversions and revenue of a finished call: booked when the source says, expected otherwise. */
	/** talkMs < 0: no agent worked on it (an abandon after a transfer, the AI tier) */
	private outcome(c: Call, e: CallEnded, p: number, t: number, talkMs: number, wrapMs: number): void {
		const conv = e.converted === undefined ? p : e.converted ? 1 : 0;
		const rev = e.revenue ?? (e.converted === undefined ? c.value * p : e.converted ? c.value : 0);
		const worked = talkMs >= 0;
		const cell = c.cell.at(t);
		cell.conversions += conv;
		cell.revenue += rev;
		if (worked) {
			cell.handled++;
			cell.talkMs += talkMs;
			cell.wrapMs += wrapMs;
		}
	}

	private endTalk(c: Call, e: CallEnded, t: number): void {
		const a = c.agent as Agent;
		const wrap = e.wrapMs ?? c.queue.cfg.wrapUpSeconds * 1000;
		this.outcome(c, e, c.pAnswer, t, t - c.answeredAt, wrap);
		a.call = null;
		c.agent = null;
		this.finish(c, 'ended');
		this.afterCall(a, wrap, t);
	}

	private endAi(c: Call, e: CallEnded, t: number): void {
		const tier = c.ai as OverflowTier;
		tier.inUse--;
		const p = c.curve.p(c.aiAt - c.arrivedAt) * tier.cfg.conversionFactor;
		const lost = c.value * (c.curve.p(0) - p);
		c.cell.at(t).revenueLost += lost;
		this.outcome(c, e, p, t, -1, 0);
		c.ai = null;
		this.finish(c, 'ended');
	}

	/** Wrap-up, then free: the agent's work after a call. */
	private afterCall(a: Agent, wrapMs: number, t: number): void {
		if (wrapMs > 0) {
			this.setAgentState(a, 'wrap-up', undefined, t);
			a.wrapSeq++;
			const at = t + wrapMs;
			this.schedule(at, 'wrap.end', null, a, a.wrapSeq);
		} else this.agentFree(a, t);
	}

	/** The agent's call work is over: take a state asked for meanwhile, else become available. */
	private agentFree(a: Agent, t: number): void {
		const pending = a.pending;
		a.pending = null;
		if (pending !== null && pending.state !== 'available') {
			this.setAgentState(a, pending.state, pending.reason, t);
			return;
		}
		this.setAgentState(a, 'available', undefined, t);
		this.dispatchAgent(a, t);
	}

	private onTransferred(c: Call, toQueue: string, t: number): void {
		if (c.status === 'ended' || c.status === 'abandoned' || c.status === 'voicemail')
			throw new Rejection('badTransition', `call "${c.id}" is ${c.status}, cannot be transferred`);
		const q = this.queue(toQueue);
		let after: (() => void) | null = null;
		switch (c.status) {
			case 'talking': {
				const a = c.agent as Agent;
				const wrap = c.queue.cfg.wrapUpSeconds * 1000;
				const cell = c.cell.at(t);
				cell.handled++;
				cell.talkMs += t - c.answeredAt;
				cell.wrapMs += wrap;
				a.call = null;
				c.agent = null;
				after = () => this.afterCall(a, wrap, t);
				break;
			}
			case 'ringing': {
				const a = c.agent as Agent;
				a.call = null;
				c.agent = null;
				after = () => this.agentFree(a, t);
				break;
			}
			case 'ai':
				(c.ai as OverflowTier).inUse--;
				c.ai = null;
				break;
			default:
				this.dequeue(c);
		}
		this.moveToQueue(c, q);
		this.setStatus(c, 'waiting');
		c.cell.at(t).transfers++;
		this.enqueue(c);
		this.scheduleWaitTimers(c, t);
		this.dispatchCall(c, t);
		if (after !== null) after();
	}

	/** Escalation and overflow-by-wait timers of the call's current queue, counted from t. */
	private scheduleWaitTimers(c: Call, t: number): void {
		const q = c.queue.cfg;
		if (q.mode !== 'route') return;
		if (q.escalation) {
			const at = t + q.escalation.afterSeconds * 1000;
			this.schedule(at, 'escalate', c, null, waitTimerSeq(c));
		}
		if (q.overflowAfterSeconds !== undefined) {
			const at = t + q.overflowAfterSeconds * 1000;
			this.schedule(at, 'overflow', c, null, waitTimerSeq(c));
		}
	}

	/**
	 * A call changes queue (transfer, escalation): the old queue's wait timers no longer apply, and the
	 * new queue's run from now.
	 */
	private moveToQueue(c: Call, q: QueueRt): void {
		c.gen++;
		c.escalateDue = -1;
		c.overflowDue = -1;
		c.queue = q;
		c.cell = this.cellFor(q, c.source);
		c.route = this.baseRoute(q);
	}

	private onCallbackRequested(c: Call, t: number): void {
		if (c.status !== 'waiting') throw new Rejection('badTransition', `call "${c.id}" is ${c.status}, cannot ask for a callback`);
		this.toCallback(c, t);
	}

	private onOverflowed(c: Call, target: string, reason: OverflowReason, t: number): void {
		if (c.status !== 'waiting' && c.status !== 'callback')
			throw new Rejection('badTransition', `call "${c.id}" is ${c.status}, cannot overflow`);
		if (target === 'voicemail') return this.toVoicemail(c, t);
		const tier = this.overflowTiers.get(target);
		if (tier === undefined) throw new Rejection('unknownTarget', `no overflow tier "${target}"`);
		if (tier.inUse >= tier.cfg.capacity) this.contradiction(`overflow tier over capacity (${reason})`);
		this.toTier(c, tier, t);
	}

	// ---------------------------------------------------------------- routing

	/** A call wants an agent now: the queue's strategy picks among the idle agents who qualify. */
	private dispatchCall(c: Call, t: number): void {
		if (c.queue.cfg.mode !== 'route' || (c.status !== 'waiting' && c.status !== 'callback')) return;
		const pool = c.route.pool;
		if (pool.size === 0) return;
		let entry: PoolEntry;
		if (c.queue.cfg.strategy === 'random') {
			const items = pool.values();
			entry = items[Math.min(items.length - 1, Math.floor(this.random() * items.length))] as PoolEntry;
		} else entry = pool.peek() as PoolEntry;
		this.offer(c, entry.agent, t, true);
	}

	/** An agent is free: they take the call the routing order puts first among those they can serve. */
	private dispatchAgent(a: Agent, t: number): void {
		let best: Call | null = null;
		// the entries, not a.routes (the same routes in the same order): one array less to fetch,
		// and poolAdd reads the entries next anyway
		for (const en of a.entries) {
			const r = en.route;
			if (r.queue.cfg.mode !== 'route') continue;
			for (const lane of r.lanes) {
				const c = lane.peek();
				if (c !== undefined && (best === null || goesFirst(c, best, this.valueOrder, t))) best = c;
			}
		}
		if (best !== null) this.offer(best, a, t, true);
		else this.poolAdd(a);
	}

	private poolAdd(a: Agent): void {
		for (const e of a.entries) if (e.route.queue.cfg.mode === 'route') this.poolPush(e);
	}

	private poolPush(e: PoolEntry): void {
		if (e.pos >= 0) return;
		const a = e.agent;
		switch (e.route.queue.cfg.strategy) {
			case 'fewest-calls':
				e.k1 = a.answeredCount;
				e.k2 = a.idleSince;
				break;
			case 'round-robin':
				e.k1 = a.lastOffer;
				e.k2 = 0;
				break;
			case 'best-skill':
				e.k1 = -(a.skills[e.route.queue.skill] ?? 0);
				e.k2 = a.idleSince;
				break;
			default:
				e.k1 = a.idleSince;
				e.k2 = 0;
		}
		e.k3 = a.seq;
		e.route.pool.push(e);
	}

	private poolRemove(a: Agent): void {
		for (const e of a.entries) if (e.pos >= 0) e.route.pool.remove(e);
	}

	// ---------------------------------------------------------------- agents

	private newAgent(id: string, t: number): Agent {
		const a = new Agent(id, this.agentList.length, t);
		this.agents.set(id, a);
		this.agentList.push(a);
		return a;
	}

	private setAgentState(a: Agent, state: AgentStateName, reason: string | undefined, t: number): void {
		const cell = a.cell;
		const from = cell !== null ? a.stateIndex : -1;
		const to = stateIndex(state);
		a.stateIndex = to;
		if (from !== to && cell !== null) cell.agentMoved(t, from, to);
		if (a.state !== state) a.stateSince = t;
		a.state = state;
		a.reason = reason;
		// a repeated 'available' (new skills, say) keeps the agent's place in the longest-idle order
		if (state === 'available' && from !== to) a.idleSince = t;
	}

	private setSkills(a: Agent, skills: Record<string, number>, t: number): void {
		this.poolRemove(a);
		// no prototype: a skill named like an Object method ("constructor") must not exist by accident
		a.skills = Object.assign(Object.create(null) as Record<string, number>, skills);
		a.routes = [];
		a.entries = [];
		for (const r of this.routes)
			if (a.has(r.req)) {
				a.routes.push(r);
				a.entries.push(new PoolEntry(a, r));
			}
		this.refreshAgentScopes(a, t);
	}

	/** The cell of agents counted in everything and in these queues, one per set of queues. */
	private agentCellFor(queues: QueueRt[]): ScopeCell {
		const key = JSON.stringify(queues.map((q) => q.id));
		let cell = this.agentCells.get(key);
		if (cell === undefined) {
			cell = new ScopeCell([this.all, ...queues.map((q) => q.scope)]);
			this.agentCells.set(key, cell);
		}
		return cell;
	}

	/** The agent is counted in everything and in each queue whose skill they have. */
	private refreshAgentScopes(a: Agent, t: number): void {
		const queues: QueueRt[] = [];
		for (const q of this.queues.values()) if ((a.skills[q.skill] ?? 0) >= 1) queues.push(q);
		const idx = a.stateIndex;
		const cell = this.agentCellFor(queues);
		if (cell === a.cell) return;
		a.cell?.agentMoved(t, idx, -1);
		cell.agentMoved(t, -1, idx);
		a.cell = cell;
	}

	private onAgentState(e: AgentState, t: number): void {
		let a = this.agents.get(e.agentId);
		if (a === undefined) {
			a = this.newAgent(e.agentId, t);
			this.refreshAgentScopes(a, t);
		}
		if (e.name !== undefined) a.name = e.name;
		if (e.skills !== undefined) this.setSkills(a, e.skills, t);
		if (a.call !== null) {
			// state changes during a call take effect when its work is done (like a pause asked for mid-call)
			if (e.state === 'available' || e.state === 'busy') a.pending = null;
			else if (e.state !== 'wrap-up') a.pending = { state: e.state, reason: e.reason };
			return;
		}
		if (a.state === 'wrap-up') a.wrapSeq++; // the wrap timer is now stale
		if (e.state === 'available') {
			a.pending = null;
			this.poolRemove(a);
			this.setAgentState(a, 'available', e.reason, t);
			this.dispatchAgent(a, t);
			return;
		}
		this.poolRemove(a);
		this.setAgentState(a, e.state, e.reason, t);
	}

	// ---------------------------------------------------------------- timers

	/** Asks the sink to deliver a timer: by handle when it can take them so, else as an event. */
	private schedule(at: number, kind: TimerKind, c: Call | null, a: Agent | null, seq: number): void {
		const sink = this.sink;
		if (sink.scheduleTimer !== undefined) sink.scheduleTimer(at, kind, c, a, seq);
		else sink.schedule(at, timerEvent(kind, at, c === null ? undefined : c.id, a === null ? undefined : a.id, seq));
	}

	/**
	 * Delivers a timer the sink took by handle (DecisionSink.scheduleTimer): the same rules and
	 * outcome as stepInto of the timer's event, without making the event unless it is refused.
	 */
	timerInto(at: number, kind: TimerKind, c: Call | null, a: Agent | null, seq: number, sink: DecisionSink): Refusal | null {
		if (this.isTooFarAhead(at) || at < this.clockMs - this.config.reorderWindowMs)
			return this.stepInto(timerEvent(kind, at, c === null ? undefined : c.id, a === null ? undefined : a.id, seq), sink);
		const t = at < this.clockMs ? this.clockMs : at;
		const prevClock = this.clockMs;
		this.clockMs = t;
		this.sink = sink;
		try {
			// a finished call is not there any more, as it would not be found by its id
			this.timer(kind, c !== null && c.statusIndex < FINISHED ? c : undefined, a ?? undefined, seq, t);
		} catch (err) {
			if (err instanceof Rejection) {
				this.clockMs = prevClock;
				const e = timerEvent(kind, at, c === null ? undefined : c.id, a === null ? undefined : a.id, seq);
				return this.refuse(err.reason, `${e.type} ${e.id}: ${err.message}`);
			}
			throw err;
		} finally {
			this.sink = NO_SINK;
		}
		if (t > at) this.counts.late++;
		this.counts.accepted++;
		return null;
	}

	private onTimer(e: EngineTimer, t: number): void {
		const c = e.callId !== undefined ? this.calls.get(e.callId) : undefined;
		const a = e.kind === 'wrap.end' && e.agentId !== undefined ? this.agents.get(e.agentId) : undefined;
		this.timer(e.kind, c, a, e.seq, t);
	}

	private timer(kind: TimerKind, c: Call | undefined, a: Agent | undefined, seq: number | undefined, t: number): void {
		switch (kind) {
			case 'wrap.end': {
				if (a !== undefined && a.state === 'wrap-up' && a.call === null && a.wrapSeq === seq) return this.agentFree(a, t);
				break;
			}
			case 'ring.timeout':
				if (c !== undefined && c.status === 'ringing' && c.seq * RING_SEQ + c.offerSeq === seq) {
					const agentId = (c.agent as Agent).id;
					this.sink.ringNoAnswer(t, c.id, agentId, c.offerSeq, c);
					return this.ringNoAnswer(c, t);
				}
				break;
			case 'escalate':
				if (c === undefined || waitTimerSeq(c) !== seq) break;
				if ((c.status === 'waiting' || c.status === 'callback') && c.lane !== null) return this.escalate(c, t);
				// ringing: it escalates if it comes back to the queue
				if (c.status === 'ringing') return void (c.escalateDue = t);
				break;
			case 'overflow':
				if (c === undefined || waitTimerSeq(c) !== seq) break;
				if (c.status === 'waiting') return this.fallback(c, 'overflow', 'wait', t);
				if (c.status === 'ringing' && !c.isCallback) return void (c.overflowDue = t);
				break;
		}
		this.counts.timersStale++;
	}

	private escalate(c: Call, t: number): void {
		const esc = c.queue.cfg.escalation;
		if (esc === undefined) return;
		this.dequeue(c);
		c.priority += esc.priorityBoost;
		if (esc.toQueue !== undefined) {
			this.moveToQueue(c, this.queue(esc.toQueue));
			this.scheduleWaitTimers(c, t);
		} else if (esc.widen) c.route = this.baseRoute(c.queue);
		this.enqueue(c);
		this.dispatchCall(c, t);
	}
}
