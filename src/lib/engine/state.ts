import type { AgentStateName } from './events';
import type { QueueConfig, OverflowTierConfig } from './config';
import type { ConversionCurve } from './value';
import { KeyedHeap, type HeapItem } from './util/heap';
import { OrderedList, type ListItem } from './util/ordered-list';
import { ScopeMetrics, type ScopeCell } from './metrics/scope';

/**
 * Where a call is. Every call is in exactly one status, so the counts by status always add up to the
 * calls that arrived (the conservation invariant the property tests check).
 */
export type CallStatus =
	| 'waiting' // caller on hold
	| 'callback' // caller left, keeps their place, to be called back
	| 'ringing'
	| 'talking'
	| 'ai' // held by an overflow tier such as an AI receptionist
	| 'ended'
	| 'abandoned'
	| 'voicemail';

export const CALL_STATUSES: readonly CallStatus[] = ['waiting', 'callback', 'ringing', 'talking', 'ai', 'ended', 'abandoned', 'voicemail'];
/** The index of a status in CALL_STATUSES (a switch: this runs several times per call). */
export function statusIndex(s: CallStatus): number {
	switch (s) {
		case 'waiting':
			return 0;
		case 'callback':
			return 1;
		case 'ringing':
			return 2;
		case 'talking':
			return 3;
		case 'ai':
			return 4;
		case 'ended':
			return 5;
		case 'abandoned':
			return 6;
		case 'voicemail':
			return 7;
	}
}

/**
 * A call is a heap item of the lane it waits in: k1 = -priority, k2 = order key, k3 = arrival sequence.
 * A call that arrived through arriveInto and was never handed out by id goes back to the engine's
 * spares when it finishes and is reset for a later arrival (the simulator's day makes a few hundred
 * call objects, not a million), so every field is set again in `reset`.
 */
export class Call implements HeapItem {
	k1 = 0;
	k2 = 0;
	k3 = 0;
	pos = -1;
	status: CallStatus = 'waiting';
	/** the status as an index into CALL_STATUSES, for counting without string keys */
	statusIndex = 0;
	lane: KeyedHeap<Call> | null = null;
	agent: Agent | null = null;
	/** number of offers made, to tell a live ring timer from a stale one */
	offerSeq = 0;
	answeredAt = -1;
	/** wait at the first human answer: what the conversion chance is judged on */
	answerWaitMs = -1;
	/** a wait timer fell due while the call was ringing: applied if it comes back to the queue */
	/** the times they fell due (-1: not due); applied in that order */
	escalateDue = -1;
	overflowDue = -1;
	/** bumped when the call changes queue, so the old queue's wait timers go stale */
	gen = 0;
	/** the caller asked to be called back: they wait off the line, keeping their place */
	isCallback = false;
	ai: OverflowTier | null = null;
	/** when the overflow tier took it */
	aiAt = -1;
	/** probability of a sale judged at the first answer */
	pAnswer = 0;
	/** in the engine's map of calls by id (a call from arriveInto joins it only when the map is read) */
	mapped = false;
	/** its place in the engine's list of calls not yet in the map, -1 when not there */
	unmappedAt = -1;
	// set by reset, which every call goes through before use (declared so every call has one shape)
	id = '';
	seq = 0;
	queue!: QueueRt;
	route!: Route;
	tier = 0;
	curve!: ConversionCurve;
	value = 0;
	priority = 0;
	source = '';
	caller: string | undefined = undefined;
	arrivedAt = 0;
	/** counts this call's facts in everything, its queue and its lead source (shared by such calls) */
	cell!: ScopeCell;
	/** the source's own handle on the call, given to arriveInto (the engine never reads it) */
	tag: unknown = undefined;

	/** Makes a new call, or a finished one new again: every field is set here. */
	reset(
		id: string,
		seq: number,
		queue: QueueRt,
		route: Route,
		tier: number,
		curve: ConversionCurve,
		value: number,
		priority: number,
		source: string,
		caller: string | undefined,
		arrivedAt: number,
		cell: ScopeCell,
		tag: unknown = undefined
	): this {
		this.k1 = 0;
		this.k2 = 0;
		this.k3 = seq;
		this.pos = -1;
		this.status = 'waiting';
		this.statusIndex = 0;
		this.lane = null;
		this.agent = null;
		this.offerSeq = 0;
		this.answeredAt = -1;
		this.answerWaitMs = -1;
		this.escalateDue = -1;
		this.overflowDue = -1;
		this.gen = 0;
		this.isCallback = false;
		this.ai = null;
		this.aiAt = -1;
		this.pAnswer = 0;
		this.mapped = false;
		this.unmappedAt = -1;
		this.id = id;
		this.seq = seq;
		this.tier = tier;
		this.curve = curve;
		this.value = value;
		this.source = source;
		this.caller = caller;
		this.arrivedAt = arrivedAt;
		this.queue = queue;
		this.route = route;
		this.priority = priority;
		this.cell = cell;
		this.tag = tag;
		return this;
	}
}

/** An idle agent's place in one route's pool, keyed by that queue's strategy. */
export class PoolEntry implements ListItem<PoolEntry> {
	k1 = 0;
	k2 = 0;
	k3 = 0;
	pos = -1;
	prev: PoolEntry | null = null;
	next: PoolEntry | null = null;
	constructor(
		readonly agent: Agent,
		readonly route: Route
	) {}
}

export class Agent {
	state: AgentStateName = 'offline';
	/** the state's index in STATE_INDEX order */
	stateIndex = 4;
	reason: string | undefined;
	name: string | undefined;
	// times get an initial number, not just the constructor's assignment: a field first defined
	// as undefined would hold every later time as a new boxed number
	stateSince = 0;
	skills: Record<string, number> = Object.create(null) as Record<string, number>;
	call: Call | null = null;
	/** available since; the longest-idle key */
	idleSince = 0;
	answeredCount = 0;
	/** global offer sequence of this agent's last offer; the round-robin key */
	lastOffer = 0;
	/** bumps on every wrap-up so a stale wrap timer is recognised */
	wrapSeq = 0;
	/** a state asked for while on a call, taken when the call's work is done */
	pending: { state: AgentStateName; reason: string | undefined } | null = null;
	/** routes whose required skills this agent has, and the agent's pool entry in each */
	routes: Route[] = [];
	entries: PoolEntry[] = [];
	/** counts the agent in everything and in each queue they have the skill for (shared by such agents) */
	cell: ScopeCell | null = null;

	constructor(
		readonly id: string,
		readonly seq: number,
		t: number
	) {
		this.stateSince = t;
		this.idleSince = t;
	}

	has(req: ReadonlyArray<readonly [string, number]>): boolean {
		for (const [skill, level] of req) if ((this.skills[skill] ?? 0) < level) return false;
		return true;
	}
}

/** What routing needs of a route's idle agents. */
export type Pool = Pick<KeyedHeap<PoolEntry>, 'size' | 'peek' | 'push' | 'remove' | 'values'>;

/**
 * Calls of one queue needing one set of skills, and the idle agents who have them. FIFO order keeps
 * one lane; value order keeps a lane per heat tier, because within one tier's curve the order of two
 * calls does not change as they wait.
 */
export class Route {
	readonly lanes: KeyedHeap<Call>[] = [];
	/**
	 * The idle agents in the order the queue's strategy takes them. Longest idle: an agent comes in
	 * as the newest idle, so a sorted list takes them in and out at once; other orders use a heap.
	 */
	readonly pool: Pool;
	constructor(
		readonly index: number,
		readonly queue: QueueRt,
		/** canonical "skill:level,..." */
		readonly sig: string,
		readonly req: ReadonlyArray<readonly [string, number]>,
		lanes: number
	) {
		for (let i = 0; i < lanes; i++) this.lanes.push(new KeyedHeap<Call>());
		this.pool = queue.cfg.strategy === 'longest-idle' ? new OrderedList<PoolEntry>() : new KeyedHeap<PoolEntry>();
	}
}

export class QueueRt {
	readonly routes = new Map<string, Route>();
	/** the route of calls needing only the queue's skill */
	base: Route | undefined;
	readonly skill: string;
	/** today's arrivals and their total value per heat tier: the mix the next hour's projection assumes */
	readonly tierOffered: Float64Array;
	/** the fact cell of this queue's calls per lead source */
	readonly cellsBySource = new Map<string, ScopeCell>();
	/** the last source looked up and its cell (calls of one source come in runs) */
	lastSource: string | null = null;
	lastCell: ScopeCell | null = null;
	/** the last skills object a call of this queue needed, a copy of its entries, and its route */
	skillMemo: { skills: Record<string, number>; entries: Array<[string, number]>; route: Route } | null = null;
	readonly tierValue: Float64Array;
	constructor(
		readonly cfg: QueueConfig,
		readonly scope: ScopeMetrics,
		readonly hours: Array<[number, number]> | null,
		readonly overflow: OverflowTier | null,
		tiers: number
	) {
		this.skill = cfg.skill ?? cfg.id;
		this.tierOffered = new Float64Array(tiers);
		this.tierValue = new Float64Array(tiers);
	}
	get id(): string {
		return this.cfg.id;
	}
}

export class OverflowTier {
	inUse = 0;
	constructor(readonly cfg: OverflowTierConfig) {}
}

/** Canonical signature and requirement list of a call's skills: the queue's skill plus its extras. */
export function skillRequirement(
	queueSkill: string,
	extra: Record<string, number> | undefined
): { sig: string; req: Array<[string, number]> } {
	const m = new Map<string, number>([[queueSkill, 1]]);
	if (extra) for (const [k, v] of Object.entries(extra)) m.set(k, Math.max(m.get(k) ?? 0, v, 1));
	const req = [...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
	return { sig: req.map(([k, v]) => `${k}:${v}`).join(','), req };
}
