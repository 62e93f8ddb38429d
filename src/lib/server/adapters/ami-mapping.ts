import type { AgentStateName, HeatEvent } from '../../engine';
import type { AmiMessage } from './ami-protocol';

/**
 * Asterisk app_queue events (AMI) to engine events, for queues the engine observes.
 *
 * Names and fields, Asterisk 12+ / 11 and older:
 * - QueueCallerJoin / Join, QueueCallerLeave / Leave, QueueCallerAbandon: `Uniqueid` is the caller.
 * - AgentCalled, AgentConnect, AgentComplete, AgentRingNoAnswer, AgentDump: the caller's `Uniqueid`;
 *   the member is `Interface` + `MemberName` (12+), `Member` + `MemberName` (11's AgentConnect and
 *   friends) or `AgentCalled` + `AgentName` (11's AgentCalled).
 * - QueueMemberStatus, QueueMember (QueueStatus reply), QueueMemberAdded/Removed, QueueMemberPause
 *   / QueueMemberPaused: `Interface` (12+) or `Location` (11), `Status` (device state), `Paused`.
 *
 * | AMI event | engine event |
 * | --- | --- |
 * | QueueCallerJoin / Join | call.arrived (caller = CallerIDNum; lead attributes from the queue's defaults); in another queue already: call.transferred |
 * | QueueEntry (QueueStatus reply) | call.arrived `Wait` seconds ago (not before the latest event mapped) for a caller not known yet |
 * | QueueCallerAbandon | call.abandoned |
 * | QueueCallerLeave / Leave | nothing while an agent rings or after an abandon; otherwise call.overflowed to voicemail (reason wait) |
 * | AgentCalled | call.offered (ringall: the first member only; the others are remembered) |
 * | AgentRingNoAnswer, AgentDump | call.ringNoAnswer, then the agent's state again (and the next ringing member offered) |
 * | AgentConnect | call.answered (another member than the one offered: ring-no-answer for that one first) |
 * | AgentComplete | call.ended |
 * | QueueMemberStatus / QueueMember with Status 1 (not in use, InCall not 1) for an agent on an answered call | call.ended (its AgentComplete, if it comes later, is a repeat) |
 * | QueueStatusComplete (the end of the reply asked for after a login) | for each call followed before the login and neither reported nor heard of since: call.ended if answered, else call.abandoned; then members' states from the reply |
 * | QueueMemberStatus, QueueMember, QueueMemberAdded, QueueMemberPause / QueueMemberPaused | agent.state when the agent's one state changes: away when paused in all their queues, offline when unavailable/invalid, busy when in use outside a queue call, else available; skills = their queues |
 * | QueueMemberRemoved | agent.state offline once out of every queue |
 *
 * app_queue's own order matters: when an agent answers, the caller leaves the queue *before*
 * AgentConnect, and an abandon is reported before the caller's Leave. So a Leave says nothing by
 * itself: it is an answer on its way while an agent rings, nothing after an abandon, and otherwise
 * the caller left unanswered (timeout, exit key, empty queue), which the engine records as a
 * call sent to voicemail. The mapper keeps the little per-call and per-agent state needed to tell
 * these apart and to turn per-queue member reports into one state per agent.
 */

export interface AmiQueueDefaults {
	heat?: number;
	tier?: string;
	value?: number;
	priority?: number;
	source?: string;
}

export interface AmiMappingOptions {
	/** prefixed to call and agent ids to keep two phone systems apart, e.g. "pbx1:" (default none) */
	idPrefix?: string;
	/** what names an agent: the member's interface (default; stable) or its MemberName */
	agentId?: 'interface' | 'memberName';
	/** lead attributes of a queue's calls by queue name; "*" applies to queues not listed */
	queues?: Record<string, AmiQueueDefaults>;
	/**
	 * calls followed at most (default 50,000): a call whose end was lost with the link (AMI does not
	 * replay what happened while disconnected) would otherwise be kept forever; the oldest go first
	 */
	maxCalls?: number;
}

export type AmiMapResult =
	/** what to hand the engine (may be empty: the message only updated what the mapper knows) */
	| { kind: 'events'; events: HeatEvent[] }
	/** nothing to map: not a queue event, a repeat of what is already known, or an unknown caller's Leave */
	| { kind: 'ignored'; reason: 'not-mapped' | 'repeat' | 'unknown-call' }
	| { kind: 'malformed'; detail: string };

interface CallTrack {
	queue: string;
	/** the agent the engine was told is ringing */
	offeredTo: string | null;
	/** every agent Asterisk is ringing for this call (several with ringall) */
	ringing: string[];
	abandoned: boolean;
	/** an agent took it (AgentConnect) */
	answered: boolean;
}

interface AgentTrack {
	name: string | undefined;
	queues: Set<string>;
	paused: Set<string>;
	pauseReason: string | undefined;
	/** Asterisk device state (0..8), null until reported */
	device: number | null;
	/** the queue call the engine has this agent on */
	onCall: string | null;
	/** the state the engine has for the agent as far as the mapper can tell */
	engineState: AgentStateName | null;
	skillsKey: string;
	/** removed from every queue it was in (an agent seen only in call events has no queues yet) */
	removed: boolean;
}

// ast_device_state values
const DEVICE_INVALID = 4;
const DEVICE_UNAVAILABLE = 5;
const DEVICE_BUSY_STATES = new Set([2, 3, 8]); // in use, busy, on hold
const DEVICE_RINGING_STATES = new Set([6, 7]); // ringing, ring in use

const DEVICE_NOT_INUSE = 1;

const MAPPED_EVENTS = new Set([
	'QueueStatusComplete',
	'QueueCallerJoin',
	'Join',
	'QueueEntry',
	'QueueCallerLeave',
	'Leave',
	'QueueCallerAbandon',
	'AgentCalled',
	'AgentRingNoAnswer',
	'AgentDump',
	'AgentConnect',
	'AgentComplete',
	'QueueMemberStatus',
	'QueueMember',
	'QueueMemberAdded',
	'QueueMemberPause',
	'QueueMemberPaused',
	'QueueMemberRemoved'
]);

const NO_CALLER = new Set(['', 'unknown', '<unknown>']);
const MAX_SKILLS = 32;
/** calls ended by inference remembered, so their own late end is recognised as a repeat */
const MAX_INFERRED_ENDS = 1000;

export class AmiMapper {
	private readonly prefix: string;
	private readonly byName: boolean;
	private readonly queueDefaults: Record<string, AmiQueueDefaults>;
	private readonly maxCalls: number;
	private readonly calls = new Map<string, CallTrack>();
	private readonly agents = new Map<string, AgentTrack>();
	private seq = 0;
	/** the latest event time mapped so far */
	private latest = Number.NEGATIVE_INFINITY;
	/**
	 * While a QueueStatus reply is being read: the calls followed before it was asked for and not
	 * accounted for since (not in a QueueEntry, not their agent's busy report, no event about them).
	 */
	private unconfirmed: Set<string> | null = null;
	/** agents the QueueStatus reply reported */
	private reported = new Set<string>();
	/** calls this mapper ended without their own end event (a device report, a QueueStatus reply) */
	private readonly inferredEnds = new Set<string>();

	constructor(options: AmiMappingOptions = {}) {
		this.prefix = options.idPrefix ?? '';
		this.byName = options.agentId === 'memberName';
		this.queueDefaults = options.queues ?? {};
		this.maxCalls = options.maxCalls ?? 50_000;
	}

	/** Calls the mapper is following (for diagnostics and tests). */
	get callsInProgress(): number {
		return this.calls.size;
	}

	/**
	 * Called as `QueueStatus` is asked for after a (re-)login. AMI does not replay what happened
	 * while the link was down, so every call followed so far is in doubt until the reply (ended by
	 * `QueueStatusComplete`) or a later event accounts for it; the ones left are over.
	 */
	beginQueueStatus(): void {
		this.unconfirmed = new Set(this.calls.keys());
		this.reported = new Set();
	}

	/** `now` is the adapter's clock, used when the event carries no `Timestamp` (timestampevents=yes adds it). */
	map(msg: AmiMessage, now: number): AmiMapResult {
		// other events (FullyBooted, channels, dialplan) may carry no Timestamp: the adapter's clock
		// on them must not pull the engine's time away from the PBX's
		if (msg.event === undefined || !MAPPED_EVENTS.has(msg.event)) return { kind: 'ignored', reason: 'not-mapped' };
		const t = timeOf(msg, now);
		const latest = this.latest;
		this.latest = Math.max(this.latest, t);
		if (this.unconfirmed !== null) {
			// any event naming a call shows it is still known to Asterisk (or ends it the usual way)
			const uid = msg.pick('Uniqueid');
			if (uid !== undefined) this.unconfirmed.delete(this.prefix + uid);
		}
		switch (msg.event) {
			case 'QueueStatusComplete':
				return this.statusComplete(Math.max(t, latest));
			case 'QueueCallerJoin':
			case 'Join':
				return this.join(msg, t);
			case 'QueueEntry':
				return this.entry(msg, t, latest);
			case 'QueueCallerLeave':
			case 'Leave':
				return this.leave(msg, t);
			case 'QueueCallerAbandon':
				return this.abandon(msg, t);
			case 'AgentCalled':
				return this.called(msg, t);
			case 'AgentRingNoAnswer':
			case 'AgentDump':
				return this.ringNoAnswer(msg, t);
			case 'AgentConnect':
				return this.connect(msg, t);
			case 'AgentComplete':
				return this.complete(msg, t);
			case 'QueueMemberStatus':
			case 'QueueMember':
			case 'QueueMemberAdded':
			case 'QueueMemberPause':
			case 'QueueMemberPaused':
				return this.member(msg, t);
			case 'QueueMemberRemoved':
				return this.removed(msg, t);
			default:
				return { kind: 'ignored', reason: 'not-mapped' };
		}
	}

	// ---------------------------------------------------------------- callers

	private join(msg: AmiMessage, t: number): AmiMapResult {
		const uid = msg.pick('Uniqueid');
		const queue = msg.pick('Queue');
		if (uid === undefined || queue === undefined) return missing(msg, 'Uniqueid and Queue');
		const callId = this.prefix + uid;
		const known = this.calls.get(callId);
		if (known !== undefined) {
			if (known.queue === queue) return { kind: 'ignored', reason: 'repeat' };
			// still in one queue and joining another (a transfer from queue to queue): the wait goes on
			known.queue = queue;
			return events({ type: 'call.transferred', id: this.eventId(callId, 'transferred', t), t, callId, toQueue: queue });
		}
		if (this.calls.size >= this.maxCalls) {
			const oldest = this.calls.keys().next();
			if (oldest.done !== true) this.calls.delete(oldest.value);
		}
		this.calls.set(callId, { queue, offeredTo: null, ringing: [], abandoned: false, answered: false });
		const d = this.queueDefaults[queue] ?? this.queueDefaults['*'] ?? {};
		const caller = msg.pick('CallerIDNum', 'CallerID');
		const e: HeatEvent = { type: 'call.arrived', id: this.eventId(callId, 'arrived', t), t, callId, queue };
		if (caller !== undefined && !NO_CALLER.has(caller.toLowerCase())) e.caller = caller.slice(0, 64);
		if (d.heat !== undefined) e.heat = d.heat;
		if (d.tier !== undefined) e.tier = d.tier;
		if (d.value !== undefined) e.value = d.value;
		if (d.priority !== undefined) e.priority = d.priority;
		if (d.source !== undefined) e.source = d.source;
		return events(e);
	}

	/**
	 * A caller waiting when QueueStatus was asked (after each login): one who joined before we were
	 * listening, or while the link was down, arrives `Wait` seconds ago; one already known is a repeat.
	 * Never before the latest event already mapped: the engine's clock does not go back, and a caller
	 * shown with a shorter wait is better than one refused as stale.
	 */
	private entry(msg: AmiMessage, t: number, latest: number): AmiMapResult {
		const uid = msg.pick('Uniqueid');
		if (uid !== undefined && this.calls.has(this.prefix + uid)) return { kind: 'ignored', reason: 'repeat' };
		const wait = Number(msg.pick('Wait') ?? '0');
		const joined = Number.isFinite(wait) && wait > 0 ? t - Math.round(wait * 1000) : t;
		return this.join(msg, Math.max(joined, latest));
	}

	private leave(msg: AmiMessage, t: number): AmiMapResult {
		const uid = msg.pick('Uniqueid');
		if (uid === undefined) return missing(msg, 'Uniqueid');
		const callId = this.prefix + uid;
		const c = this.calls.get(callId);
		if (c === undefined) return { kind: 'ignored', reason: this.inferredEnds.has(callId) ? 'repeat' : 'unknown-call' };
		// ringing: the answer's own Leave, AgentConnect follows
		if (c.ringing.length > 0) return events();
		this.calls.delete(callId);
		if (c.abandoned) return events();
		return events({ type: 'call.overflowed', id: this.eventId(callId, 'left', t), t, callId, target: 'voicemail', reason: 'wait' });
	}

	private abandon(msg: AmiMessage, t: number): AmiMapResult {
		const uid = msg.pick('Uniqueid');
		if (uid === undefined) return missing(msg, 'Uniqueid');
		const callId = this.prefix + uid;
		const c = this.calls.get(callId);
		if (c !== undefined) {
			if (c.abandoned) return { kind: 'ignored', reason: 'repeat' };
			c.abandoned = true;
			// the engine frees a ringing agent when the caller hangs up
			if (c.offeredTo !== null) this.callOver(c.offeredTo, callId);
			c.ringing = [];
			c.offeredTo = null;
		}
		return events({ type: 'call.abandoned', id: this.eventId(callId, 'abandoned', t), t, callId });
	}

	// ---------------------------------------------------------------- agents and callers

	private called(msg: AmiMessage, t: number): AmiMapResult {
		const ids = this.callAndAgent(msg);
		if (typeof ids === 'string') return missing(msg, ids);
		const { callId, agentId } = ids;
		const c = this.calls.get(callId);
		if (c === undefined) return events(this.offered(callId, agentId, t));
		if (c.ringing.includes(agentId)) return { kind: 'ignored', reason: 'repeat' };
		c.ringing.push(agentId);
		this.agent(agentId, msg);
		// ringall rings several members; the engine models one ringing agent per call
		if (c.offeredTo !== null) return events();
		return events(this.offer(c, callId, agentId, t));
	}

	private ringNoAnswer(msg: AmiMessage, t: number): AmiMapResult {
		const ids = this.callAndAgent(msg);
		if (typeof ids === 'string') return missing(msg, ids);
		const { callId, agentId } = ids;
		const c = this.calls.get(callId);
		if (c === undefined) return events(this.rna(callId, agentId, t));
		if (!c.ringing.includes(agentId)) return { kind: 'ignored', reason: 'repeat' };
		c.ringing = c.ringing.filter((a) => a !== agentId);
		if (c.offeredTo !== agentId) return events();
		const out = this.release(c, callId, agentId, t);
		const next = c.ringing[0];
		if (next !== undefined) out.push(this.offer(c, callId, next, t));
		return events(...out);
	}

	private connect(msg: AmiMessage, t: number): AmiMapResult {
		const ids = this.callAndAgent(msg);
		if (typeof ids === 'string') return missing(msg, ids);
		const { callId, agentId } = ids;
		const c = this.calls.get(callId);
		const answered: HeatEvent = { type: 'call.answered', id: this.eventId(callId, 'answered', t), t, callId, agentId };
		if (c === undefined) return events(answered);
		const out: HeatEvent[] = [];
		// another member of a ringall took it: the one the engine saw ringing goes back to the pool
		if (c.offeredTo !== null && c.offeredTo !== agentId) out.push(...this.release(c, callId, c.offeredTo, t));
		c.ringing = [];
		c.offeredTo = agentId;
		c.answered = true;
		const a = this.agent(agentId, msg);
		a.onCall = callId;
		a.engineState = 'busy';
		out.push(answered);
		return events(...out);
	}

	private complete(msg: AmiMessage, t: number): AmiMapResult {
		const ids = this.callAndAgent(msg);
		if (typeof ids === 'string') return missing(msg, ids);
		const { callId, agentId } = ids;
		if (!this.calls.has(callId) && this.inferredEnds.has(callId)) return { kind: 'ignored', reason: 'repeat' };
		this.calls.delete(callId);
		this.callOver(agentId, callId);
		return events({ type: 'call.ended', id: this.eventId(callId, 'ended', t), t, callId });
	}

	/** Ends a call the engine still has although its own end event was lost or is yet to come. */
	private inferEnd(callId: string, t: number): HeatEvent | null {
		const c = this.calls.get(callId);
		this.calls.delete(callId);
		if (this.inferredEnds.size >= MAX_INFERRED_ENDS) {
			const oldest = this.inferredEnds.values().next();
			if (oldest.done !== true) this.inferredEnds.delete(oldest.value);
		}
		this.inferredEnds.add(callId);
		for (const [agentId, a] of this.agents) if (a.onCall === callId) this.callOver(agentId, callId);
		if (c?.abandoned === true) return null;
		// an answered call ends; one still queued or ringing left without us seeing how: the engine's word for that is abandoned
		if (c === undefined || c.answered) return { type: 'call.ended', id: this.eventId(callId, 'ended', t), t, callId };
		return { type: 'call.abandoned', id: this.eventId(callId, 'abandoned', t), t, callId };
	}

	/** The end of a QueueStatus reply: calls still in doubt are over; members take the state reported. */
	private statusComplete(t: number): AmiMapResult {
		const doubtful = this.unconfirmed;
		if (doubtful === null) return { kind: 'ignored', reason: 'not-mapped' };
		this.unconfirmed = null;
		const out: HeatEvent[] = [];
		for (const callId of doubtful) {
			if (!this.calls.has(callId)) continue;
			const e = this.inferEnd(callId, t);
			if (e !== null) out.push(e);
		}
		for (const agentId of this.reported) {
			const a = this.agents.get(agentId);
			const s = a === undefined ? null : this.sync(agentId, a, t);
			if (s !== null) out.push(s);
		}
		this.reported = new Set();
		return events(...out);
	}

	private offer(c: CallTrack, callId: string, agentId: string, t: number): HeatEvent {
		c.offeredTo = agentId;
		const a = this.agents.get(agentId);
		if (a !== undefined) {
			a.onCall = callId;
			a.engineState = 'busy';
		}
		return this.offered(callId, agentId, t);
	}

	private offered(callId: string, agentId: string, t: number): HeatEvent {
		return { type: 'call.offered', id: this.eventId(callId, 'offered', t), t, callId, agentId };
	}

	private rna(callId: string, agentId: string, t: number): HeatEvent {
		return { type: 'call.ringNoAnswer', id: this.eventId(callId, 'ringNoAnswer', t), t, callId, agentId };
	}

	/**
	 * The engine's ringing agent did not take the call. The engine's own rule for what happens to
	 * them (`afterRingNoAnswer`) is for the calls it routes; here Asterisk says, so the agent's state
	 * is sent again: available unless Asterisk paused them (autopause reports that separately).
	 */
	private release(c: CallTrack, callId: string, agentId: string, t: number): HeatEvent[] {
		c.offeredTo = null;
		const out = [this.rna(callId, agentId, t)];
		const a = this.agents.get(agentId);
		if (a !== undefined) {
			if (a.onCall === callId) a.onCall = null;
			a.engineState = null;
			const s = this.sync(agentId, a, t);
			if (s !== null) out.push(s);
		}
		return out;
	}

	/** The engine frees the agent when the call is over; only a pause asked for meanwhile sticks. */
	private callOver(agentId: string, callId: string): void {
		const a = this.agents.get(agentId);
		if (a === undefined || a.onCall !== callId) return;
		a.onCall = null;
		a.engineState = allPaused(a) ? 'away' : 'available';
	}

	// ---------------------------------------------------------------- members

	private member(msg: AmiMessage, t: number): AmiMapResult {
		const agentId = this.agentIdOf(msg);
		const queue = msg.pick('Queue');
		if (agentId === undefined || queue === undefined) return missing(msg, 'Queue and Interface/Location/MemberName');
		const a = this.agent(agentId, msg);
		a.queues.add(queue);
		a.removed = false;
		const status = msg.pick('Status');
		if (status !== undefined && /^\d+$/.test(status)) a.device = Number(status);
		const paused = msg.pick('Paused');
		if (paused !== undefined) {
			if (paused === '1' || paused.toLowerCase() === 'true') {
				a.paused.add(queue);
				a.pauseReason = msg.pick('PausedReason', 'Reason') ?? a.pauseReason;
			} else a.paused.delete(queue);
		}
		const out: HeatEvent[] = [];
		if (a.onCall !== null) {
			const c = this.calls.get(a.onCall);
			const answered = c === undefined || (c.answered && c.offeredTo === agentId);
			const inCall = msg.pick('InCall') === '1';
			// this report says the device is idle (not an older report) and the call was not ringing: the
			// call is over, whether or not its AgentComplete got here
			if (answered && status !== undefined && Number(status) === DEVICE_NOT_INUSE && !inCall) {
				const e = this.inferEnd(a.onCall, t);
				if (e !== null) out.push(e);
			} else if (this.unconfirmed !== null && (inCall || (a.device !== null && DEVICE_BUSY_STATES.has(a.device))))
				this.unconfirmed.delete(a.onCall);
		}
		if (msg.event === 'QueueMember') this.reported.add(agentId);
		const e = this.sync(agentId, a, t);
		if (e !== null) out.push(e);
		return events(...out);
	}

	private removed(msg: AmiMessage, t: number): AmiMapResult {
		const agentId = this.agentIdOf(msg);
		const queue = msg.pick('Queue');
		if (agentId === undefined || queue === undefined) return missing(msg, 'Queue and Interface/Location/MemberName');
		const a = this.agent(agentId, msg);
		a.queues.delete(queue);
		a.paused.delete(queue);
		if (a.queues.size === 0) a.removed = true;
		const e = this.sync(agentId, a, t);
		return e === null ? events() : events(e);
	}

	private agent(agentId: string, msg: AmiMessage): AgentTrack {
		let a = this.agents.get(agentId);
		if (a === undefined) {
			a = {
				name: undefined,
				queues: new Set(),
				paused: new Set(),
				pauseReason: undefined,
				device: null,
				onCall: null,
				engineState: null,
				skillsKey: '',
				removed: false
			};
			this.agents.set(agentId, a);
		}
		const name = msg.pick('MemberName', 'AgentName', 'Name');
		if (name !== undefined) a.name = name.slice(0, 128);
		return a;
	}

	/** The agent's one state from its per-queue reports; an event only when the engine's view changes. */
	private sync(agentId: string, a: AgentTrack, t: number): HeatEvent | null {
		const skillsKey = [...a.queues].sort().join('\n');
		const state = this.wanted(a);
		if (state === null) return null;
		if (state === a.engineState && skillsKey === a.skillsKey) return null;
		a.engineState = state;
		a.skillsKey = skillsKey;
		const e: HeatEvent = { type: 'agent.state', id: this.eventId(agentId, 'state', t), t, agentId, state };
		if (a.queues.size > 0) e.skills = Object.fromEntries([...a.queues].slice(0, MAX_SKILLS).map((q) => [q, 1]));
		if (a.name !== undefined) e.name = a.name;
		if (state === 'away') e.reason = a.pauseReason?.slice(0, 128) || 'paused';
		return e;
	}

	private wanted(a: AgentTrack): AgentStateName | null {
		if (a.removed) return a.onCall !== null ? null : 'offline';
		const paused = allPaused(a);
		// on a call the call events own the state; a pause asked for now takes effect after it
		if (a.onCall !== null) return paused ? 'away' : a.engineState === 'away' ? 'available' : null;
		if (paused) return 'away';
		const d = a.device;
		if (d === DEVICE_INVALID || d === DEVICE_UNAVAILABLE) return 'offline';
		// a call outside the queues (or one we joined too late to see)
		if (d !== null && DEVICE_BUSY_STATES.has(d)) return 'busy';
		// AgentCalled says which call rings; a new agent starts available
		if (d !== null && DEVICE_RINGING_STATES.has(d)) return a.engineState === null ? 'available' : null;
		return 'available';
	}

	// ---------------------------------------------------------------- ids and fields

	private callAndAgent(msg: AmiMessage): { callId: string; agentId: string } | string {
		const uid = msg.pick('Uniqueid');
		const agentId = this.agentIdOf(msg);
		if (uid === undefined || agentId === undefined) return 'Uniqueid and Interface/Member/MemberName';
		return { callId: this.prefix + uid, agentId };
	}

	private agentIdOf(msg: AmiMessage): string | undefined {
		// 12+: Interface; 11: Location (member events), Member (AgentConnect...), AgentCalled (AgentCalled)
		const iface = msg.pick('Interface', 'Location', 'Member', 'AgentCalled');
		const name = msg.pick('MemberName', 'AgentName', 'Name');
		const id = this.byName ? (name ?? iface) : (iface ?? name);
		return id === undefined ? undefined : this.prefix + id;
	}

	/** Unique per event (time and a sequence), so a restarted adapter never reuses a recent id. */
	private eventId(subject: string, verb: string, t: number): string {
		return `ami:${subject}:${verb}:${t}:${++this.seq}`;
	}
}

function allPaused(a: AgentTrack): boolean {
	if (a.queues.size === 0) return false;
	for (const q of a.queues) if (!a.paused.has(q)) return false;
	return true;
}

function events(...list: HeatEvent[]): AmiMapResult {
	return { kind: 'events', events: list };
}

function missing(msg: AmiMessage, what: string): AmiMapResult {
	return { kind: 'malformed', detail: `${msg.event ?? '?'} without ${what}` };
}

/** `Timestamp: 1409169929.412068` (timestampevents=yes) is the PBX's own time; otherwise the adapter's clock. */
export function timeOf(msg: AmiMessage, now: number): number {
	const ts = msg.get('Timestamp');
	if (ts !== undefined && /^\d{1,12}(\.\d+)?$/.test(ts)) {
		const ms = Math.round(Number(ts) * 1000);
		if (Number.isFinite(ms) && ms > 0) return ms;
	}
	return now;
}
