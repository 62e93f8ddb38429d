import type { AgentStateName, HeatEvent, OverflowReason } from '../../src/lib/engine/events';
import type { IngestRejection } from '../../src/lib/server/adapters/types';

/**
 * Asterisk's queue_log, one line at a time: `epoch|callid|queue|agent|VERB|data1|data2|...`.
 * The mapper is a state machine over the lines (it has to remember which calls are waiting or
 * talking and which agents belong to which queues), so the file importer and the live tail run the
 * very same code: feed a line, get the engine events it implies and the reasons it was refused.
 *
 * Times are the phone system's epoch milliseconds; the importer moves them onto a day's clock.
 */

export const QUEUE_LOG_VERBS = [
	'ENTERQUEUE',
	'CONNECT',
	'COMPLETECALLER',
	'COMPLETEAGENT',
	'ABANDON',
	'EXITWITHTIMEOUT',
	'EXITWITHKEY',
	'EXITEMPTY',
	'RINGNOANSWER',
	'RINGCANCELED',
	'ATTENDEDTRANSFER',
	'BLINDTRANSFER',
	'TRANSFER',
	'ADDMEMBER',
	'REMOVEMEMBER',
	'PAUSE',
	'UNPAUSE',
	'PAUSEALL',
	'UNPAUSEALL',
	'AGENTLOGIN',
	'AGENTLOGOFF',
	'QUEUESTART',
	'CONFIGRELOAD'
] as const;
export type QueueLogVerb = (typeof QUEUE_LOG_VERBS)[number];
const KNOWN = new Set<string>(QUEUE_LOG_VERBS);

export interface QueueLogRecord {
	/** ms since the epoch (the file has whole, sometimes fractional, seconds) */
	t: number;
	callid: string;
	queue: string;
	agent: string;
	verb: string;
	data: string[];
}

/** Reasons a line yields no event; kebab-case like the adapter contract's own examples. */
export type QueueLogRejectReason = 'malformed' | 'unknown-verb' | 'duplicate-line' | 'unknown-call' | 'bad-transition' | 'future';
export const QUEUE_LOG_REJECT_REASONS: readonly QueueLogRejectReason[] = [
	'malformed',
	'unknown-verb',
	'duplicate-line',
	'unknown-call',
	'bad-transition',
	'future'
];

/** Things the mapper repaired or inferred: counted, not refused. */
export type QueueLogQuirk =
	| 'arrivalInferred'
	| 'answerInferred'
	| 'movedBetweenQueues'
	| 'enterWithoutExit'
	| 'outOfOrder'
	| 'closedByRestart'
	| 'partialPause'
	/** calls dropped from memory past `maxCalls` (their end was never written) */
	| 'callsForgotten';

export interface QueueLogCounts {
	lines: number;
	/** lines of each known verb that were mapped */
	byVerb: Record<string, number>;
	/** verbs this mapper does not know, kept and counted (never fatal) */
	unknownVerbs: Record<string, number>;
	rejected: Record<QueueLogRejectReason, number>;
	quirks: Record<QueueLogQuirk, number>;
	events: number;
}

export interface LeadMapping {
	heat?: number;
	value?: number;
	/** lead source on the board (default "phone") */
	source?: string;
}

export interface QueueLogMapperOptions {
	/**
	 * A call that leaves a queue without an agent (timeout, empty queue, key) or is transferred by
	 * its agent, and enters another queue within this many ms under the same callid, is one call
	 * moved between queues (call.transferred, keeping its arrival time); otherwise it is released as
	 * gone to voicemail (or ended) at the time it left. Keep it under the engine's reorder window.
	 */
	moveWindowMs?: number;
	/** heat, value and lead source of each queue's calls */
	queues?: Record<string, LeadMapping>;
	/** how long identical lines are remembered to drop repeats (ms of queue_log time) */
	dedupeWindowMs?: number;
	/**
	 * The wall clock (epoch ms), for a live file: a line stamped more than `maxAheadMs` after it is
	 * refused as 'future'. One such line (a broken stamp like 9999999999) would otherwise become the
	 * mapper's idea of now, and every later line would look old. Without it (an import), none is.
	 */
	now?: () => number;
	/** default 60 s, the live source's own allowance */
	maxAheadMs?: number;
	/**
	 * memory bounds whatever the stamps say: lines remembered for repeats (default 200,000), calls
	 * followed (default 50,000; the oldest go first, counted as callsForgotten) and finished channel
	 * ids (default 200,000)
	 */
	maxLines?: number;
	maxCalls?: number;
	maxFinished?: number;
}

export interface MappedEvent {
	event: HeatEvent;
	/** the line the event came from */
	line: number;
}

export interface MappedRejection extends IngestRejection {
	reason: QueueLogRejectReason;
	line: number;
}

export interface FeedResult {
	events: MappedEvent[];
	rejections: MappedRejection[];
}

const EPOCH = /^\d{9,11}(\.\d{1,6})?$/;
const VERB = /^[A-Z][A-Z0-9_]*$/;
const INT = /^\d+$/;
/** 1990 onwards: an earlier stamp is a truncated or broken line, not a real call */
const MIN_EPOCH_MS = 631_152_000_000;
const MAX_ID = 128;

/** Splits a line into its fields; a string saying what is wrong when it cannot be a queue_log line. */
export function parseQueueLogLine(text: string): QueueLogRecord | string {
	const fields = text.split('|');
	if (fields.length < 5)
		return `${fields.length} field${fields.length === 1 ? '' : 's'}, expected at least 5 (epoch|callid|queue|agent|event)`;
	const [epoch, callid, queue, agent, verb, ...data] = fields as [string, string, string, string, string, ...string[]];
	if (!EPOCH.test(epoch)) return `bad timestamp "${epoch.slice(0, 20)}"`;
	const t = Math.round(Number(epoch) * 1000);
	if (t < MIN_EPOCH_MS) return `timestamp ${epoch} is before 1990`;
	if (!VERB.test(verb)) return `bad event name "${verb.slice(0, 30)}"`;
	if (callid.length > MAX_ID || queue.length > MAX_ID || agent.length > MAX_ID) return 'a name is longer than 128 characters';
	return { t, callid, queue, agent, verb, data };
}

/** "1234" -> 1234; anything else undefined (the data fields of old and truncated lines vary) */
function whole(s: string | undefined): number | undefined {
	return s !== undefined && INT.test(s) ? Number(s) : undefined;
}

interface CallState {
	/** engine call id: the callid, or callid~n for a later stay of the same channel */
	id: string;
	queue: string;
	status: 'waiting' | 'talking' | 'left';
	arrivedAt: number;
	agent: string | undefined;
}

interface Pending {
	callid: string;
	call: CallState;
	at: number;
	line: number;
	events: HeatEvent[];
}

interface AgentInfo {
	queues: Set<string>;
	paused: Set<string>;
	pausedAll: boolean;
	loggedOff: boolean;
	/** what the engine was last told */
	told: AgentStateName | undefined;
	toldReason: string | undefined;
	toldQueues: string;
	reason: string | undefined;
}

export function emptyQueueLogCounts(): QueueLogCounts {
	return {
		lines: 0,
		byVerb: {},
		unknownVerbs: {},
		rejected: Object.fromEntries(QUEUE_LOG_REJECT_REASONS.map((r) => [r, 0])) as Record<QueueLogRejectReason, number>,
		quirks: {
			arrivalInferred: 0,
			answerInferred: 0,
			movedBetweenQueues: 0,
			enterWithoutExit: 0,
			outOfOrder: 0,
			closedByRestart: 0,
			partialPause: 0,
			callsForgotten: 0
		},
		events: 0
	};
}

/** a short, stable digest so an id built from long names stays within the schema's 128 characters */
function digest(s: string): string {
	let h = 0x811c9dc5;
	let g = 5381;
	for (let i = 0; i < s.length; i++) {
		h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
		g = (Math.imul(g, 33) ^ s.charCodeAt(i)) >>> 0;
	}
	return h.toString(36) + g.toString(36);
}

export class QueueLogMapper {
	readonly counts: QueueLogCounts = emptyQueueLogCounts();
	private readonly moveWindowMs: number;
	private readonly dedupeWindowMs: number;
	private readonly leads: Record<string, LeadMapping>;
	private readonly wallNow: (() => number) | undefined;
	private readonly maxAheadMs: number;
	private readonly maxLines: number;
	private readonly maxCalls: number;
	private readonly maxFinished: number;
	private readonly calls = new Map<string, CallState>();
	/** callid -> stays finished so far, so a channel that queues again gets a fresh engine call */
	private readonly finished = new Map<string, { stays: number; at: number }>();
	private readonly pending = new Map<string, Pending>();
	private readonly agents = new Map<string, AgentInfo>();
	private readonly seenLines = new Map<string, number>();
	private latest = Number.NEGATIVE_INFINITY;
	private lastPrune = Number.NEGATIVE_INFINITY;
	// per-line scratch
	private out: MappedEvent[] = [];
	private line = 0;
	private key = '';
	private seq = 0;

	constructor(options: QueueLogMapperOptions = {}) {
		this.moveWindowMs = options.moveWindowMs ?? 3000;
		this.dedupeWindowMs = options.dedupeWindowMs ?? 3_600_000;
		this.leads = options.queues ?? {};
		this.wallNow = options.now;
		this.maxAheadMs = options.maxAheadMs ?? 60_000;
		this.maxLines = options.maxLines ?? 200_000;
		this.maxCalls = options.maxCalls ?? 50_000;
		this.maxFinished = options.maxFinished ?? 200_000;
	}

	/** What the mapper holds in memory (diagnostics, and the tests of its bounds). */
	get remembered(): { lines: number; calls: number; finished: number; pending: number } {
		return { lines: this.seenLines.size, calls: this.calls.size, finished: this.finished.size, pending: this.pending.size };
	}

	/** One line of the file (without its newline); `line` is its number, for messages and origins. */
	feed(text: string, line: number): FeedResult {
		this.counts.lines++;
		this.out = [];
		this.line = line;
		const rejections: MappedRejection[] = [];
		const reject = (reason: QueueLogRejectReason, detail: string): FeedResult => {
			this.counts.rejected[reason]++;
			rejections.push({ reason, detail, line });
			return { events: this.out, rejections };
		};
		const rec = parseQueueLogLine(text.replace(/\r$/, ''));
		if (typeof rec === 'string') return reject('malformed', rec);
		if (this.wallNow !== undefined) {
			const wall = this.wallNow();
			if (rec.t > wall + this.maxAheadMs)
				return reject('future', `stamped ${Math.round((rec.t - wall) / 1000)} s after the wall clock (${rec.verb} ${rec.callid})`);
		}
		this.release(rec.t);
		if (rec.t < this.latest) this.counts.quirks.outOfOrder++;
		this.latest = Math.max(this.latest, rec.t);
		if (this.seenLines.has(text)) return reject('duplicate-line', `repeats an earlier line (${rec.verb} ${rec.callid})`);
		this.seenLines.set(text, rec.t);
		if (this.seenLines.size > this.maxLines) dropOldest(this.seenLines);
		this.prune(rec.t);
		if (!KNOWN.has(rec.verb)) {
			this.counts.unknownVerbs[rec.verb] = (this.counts.unknownVerbs[rec.verb] ?? 0) + 1;
			return reject('unknown-verb', `unknown event ${rec.verb}, kept aside`);
		}
		this.key = `${rec.t}:${rec.callid}:${rec.verb}:${rec.agent}:${rec.queue}`;
		this.seq = 0;
		const refused = this.apply(rec);
		if (refused !== null) return reject(refused[0], `${rec.verb} ${rec.callid}: ${refused[1]}`);
		this.counts.byVerb[rec.verb] = (this.counts.byVerb[rec.verb] ?? 0) + 1;
		return { events: this.out, rejections };
	}

	/**
	 * Releases calls that left a queue more than the move window before `nowMs` and entered no other:
	 * the live tail calls it on a timer so a caller who went to voicemail does not wait on the board.
	 */
	flush(nowMs: number): MappedEvent[] {
		this.out = [];
		this.release(nowMs);
		return this.out;
	}

	/** The end of the input: every call still held is released. */
	end(): MappedEvent[] {
		this.out = [];
		this.release(Number.POSITIVE_INFINITY);
		return this.out;
	}

	/** Agents the engine was told about and the state it was last told, for starting a new day's journal. */
	agentStates(): Array<{ agentId: string; state: AgentStateName; skills: Record<string, number>; reason: string | undefined }> {
		const list = [];
		for (const [agentId, a] of this.agents)
			if (a.told !== undefined) list.push({ agentId, state: a.told, skills: skillsOf(a), reason: a.toldReason });
		return list;
	}

	// ------------------------------------------------------------------ plumbing

	private emit(e: HeatEvent): void {
		this.counts.events++;
		this.out.push({ event: e, line: this.line });
	}

	private id(suffix: string): string {
		const base = `ql:${this.key}:${suffix}${this.seq++ === 0 ? '' : `:${this.seq}`}`;
		return base.length <= MAX_ID ? base : `ql:h:${digest(base)}`;
	}

	private release(before: number): void {
		for (const [callid, p] of this.pending) {
			if (!(before - p.at > this.moveWindowMs)) continue;
			this.pending.delete(callid);
			this.finish(callid, p.call, p.at);
			for (const e of p.events) {
				this.counts.events++;
				this.out.push({ event: e, line: p.line });
			}
		}
	}

	private prune(now: number): void {
		// either way: a stamp far behind the last prune (a clock set back) must not stop pruning for good
		if (Math.abs(now - this.lastPrune) < 60_000) return;
		this.lastPrune = now;
		for (const [text, t] of this.seenLines) if (now - t > this.dedupeWindowMs) this.seenLines.delete(text);
		// a channel id is not reused within a day; a day-old finished stay can be forgotten
		for (const [callid, f] of this.finished) if (now - f.at > 86_400_000) this.finished.delete(callid);
	}

	/** `at`: when the stay ended, by its own line (not the latest stamp seen, which one bad line could set) */
	private finish(callid: string, c: CallState, at: number): void {
		if (this.calls.get(callid) === c) this.calls.delete(callid);
		const f = this.finished.get(callid);
		// re-inserted, so insertion order stays oldest first for the cap
		this.finished.delete(callid);
		this.finished.set(callid, { stays: (f?.stays ?? 0) + 1, at });
		if (this.finished.size > this.maxFinished) dropOldest(this.finished);
	}

	/** A call whose end was never written (lost line, rotated-away file) must not be kept forever. */
	private forgetOldestCall(): void {
		for (const callid of this.calls.keys()) {
			// a call held for the move window is about to be released: forget the next one
			if (this.pending.has(callid)) continue;
			this.calls.delete(callid);
			this.counts.quirks.callsForgotten++;
			return;
		}
	}

	private lead(queue: string): LeadMapping {
		return this.leads[queue] ?? {};
	}

	// ------------------------------------------------------------------ verbs

	private apply(r: QueueLogRecord): [QueueLogRejectReason, string] | null {
		switch (r.verb as QueueLogVerb) {
			case 'ENTERQUEUE':
				return this.enter(r);
			case 'CONNECT':
				return this.connect(r);
			case 'COMPLETECALLER':
			case 'COMPLETEAGENT':
				return this.complete(r, whole(r.data[0]), whole(r.data[1]), false);
			case 'BLINDTRANSFER':
			case 'TRANSFER':
				return this.complete(r, whole(r.data[2]), whole(r.data[3]), true);
			case 'ATTENDEDTRANSFER': {
				// BRIDGE|id|hold|call|pos, APP|app|hold|call|pos, LINK|a|b|hold|call|pos: count from the end
				const n = r.data.length;
				return this.complete(r, whole(r.data[n - 3]), whole(r.data[n - 2]), true);
			}
			case 'ABANDON':
				return this.leaveWaiting(r, whole(r.data[2]), null);
			case 'EXITWITHTIMEOUT':
				return this.leaveWaiting(r, whole(r.data[2]), 'wait');
			case 'EXITEMPTY':
				return this.leaveWaiting(r, whole(r.data[2]), 'no-agents');
			case 'EXITWITHKEY':
				// key|position|origposition|waittime; an old Asterisk wrote key|position only
				return this.leaveWaiting(r, whole(r.data[3]), 'wait');
			case 'RINGNOANSWER':
			case 'RINGCANCELED':
				return this.ring(r);
			case 'ADDMEMBER':
			case 'REMOVEMEMBER':
			case 'PAUSE':
			case 'UNPAUSE':
			case 'PAUSEALL':
			case 'UNPAUSEALL':
			case 'AGENTLOGIN':
			case 'AGENTLOGOFF':
				return this.member(r);
			case 'QUEUESTART':
				return this.restart(r);
			case 'CONFIGRELOAD':
				return null;
		}
	}

	private needsCall(r: QueueLogRecord): [QueueLogRejectReason, string] | null {
		if (r.callid === '' || r.callid === 'NONE') return ['malformed', 'no callid'];
		if (r.queue === '' || r.queue === 'NONE') return ['malformed', 'no queue'];
		return null;
	}

	private needsAgent(r: QueueLogRecord): [QueueLogRejectReason, string] | null {
		if (r.agent === '' || r.agent === 'NONE') return ['malformed', 'no agent'];
		return null;
	}

	private arrive(r: QueueLogRecord, t: number): CallState {
		const stays = (this.finished.get(r.callid)?.stays ?? 0) + 1;
		const c: CallState = {
			id: stays === 1 ? r.callid : `${r.callid}~${stays}`,
			queue: r.queue,
			status: 'waiting',
			arrivedAt: t,
			agent: undefined
		};
		this.calls.set(r.callid, c);
		if (this.calls.size > this.maxCalls) this.forgetOldestCall();
		const lead = this.lead(r.queue);
		// ENTERQUEUE's data is url|callerid|position
		const caller = r.verb === 'ENTERQUEUE' ? r.data[1] : undefined;
		this.emit({
			type: 'call.arrived',
			id: this.id('arrived'),
			t,
			callId: c.id,
			queue: r.queue,
			source: lead.source ?? 'phone',
			...(lead.heat !== undefined ? { heat: lead.heat } : {}),
			...(lead.value !== undefined ? { value: lead.value } : {}),
			...(caller !== undefined && caller !== '' && caller.length <= 64 && caller !== 'unknown' ? { caller } : {})
		});
		return c;
	}

	/** The call of a line about a call in progress; one whose ENTERQUEUE we never saw is placed back from the waited seconds. */
	private known(r: QueueLogRecord, waitedMs: number | undefined): CallState | null {
		const c = this.calls.get(r.callid);
		if (c !== undefined) return c;
		if (waitedMs === undefined) return null;
		this.counts.quirks.arrivalInferred++;
		return this.arrive(r, r.t - waitedMs);
	}

	private enter(r: QueueLogRecord): [QueueLogRejectReason, string] | null {
		const bad = this.needsCall(r);
		if (bad) return bad;
		const c = this.calls.get(r.callid);
		if (c === undefined) {
			this.arrive(r, r.t);
			return null;
		}
		const held = this.pending.get(r.callid);
		if (held !== undefined) {
			// overflow by the dialplan, or an agent's transfer to a queue: one call that changed queue
			this.pending.delete(r.callid);
			this.counts.quirks.movedBetweenQueues++;
		} else {
			if (c.status === 'waiting' && c.queue === r.queue) return ['bad-transition', `already waiting in ${r.queue}`];
			this.counts.quirks.enterWithoutExit++;
		}
		c.queue = r.queue;
		c.status = 'waiting';
		c.agent = undefined;
		this.emit({ type: 'call.transferred', id: this.id('moved'), t: r.t, callId: c.id, toQueue: r.queue });
		return null;
	}

	private connect(r: QueueLogRecord): [QueueLogRejectReason, string] | null {
		const bad = this.needsCall(r) ?? this.needsAgent(r);
		if (bad) return bad;
		const hold = whole(r.data[0]);
		const c = this.known(r, hold !== undefined ? hold * 1000 : undefined);
		if (c === null) return ['unknown-call', 'no call in progress and no hold time to place it'];
		if (c.status !== 'waiting') return ['bad-transition', `call is ${c.status === 'left' ? 'gone' : 'already connected'}`];
		this.answer(r, c, r.t);
		return null;
	}

	private answer(r: QueueLogRecord, c: CallState, t: number): void {
		this.ensureAgent(r.agent, r.queue, t);
		this.emit({ type: 'call.offered', id: this.id('offered'), t, callId: c.id, agentId: r.agent });
		this.emit({ type: 'call.answered', id: this.id('answered'), t, callId: c.id, agentId: r.agent });
		c.status = 'talking';
		c.agent = r.agent;
	}

	private complete(
		r: QueueLogRecord,
		hold: number | undefined,
		talk: number | undefined,
		transfer: boolean
	): [QueueLogRejectReason, string] | null {
		const bad = this.needsCall(r) ?? this.needsAgent(r);
		if (bad) return bad;
		const c = this.known(r, hold !== undefined && talk !== undefined ? (hold + talk) * 1000 : undefined);
		if (c === null) return ['unknown-call', 'no call in progress and no hold and call times to place it'];
		if (c.status === 'left') return ['bad-transition', 'call already left the queue'];
		if (c.status === 'waiting') {
			// the CONNECT line is missing: the talk time says when it was answered
			if (talk === undefined) return ['bad-transition', 'call was never connected and the line has no call time'];
			this.counts.quirks.answerInferred++;
			this.answer(r, c, Math.max(c.arrivedAt, r.t - talk * 1000));
		}
		const ended: HeatEvent = { type: 'call.ended', id: this.id('ended'), t: r.t, callId: c.id, wrapMs: 0 };
		if (transfer) this.hold(r, c, ended);
		else {
			this.emit(ended);
			this.finish(r.callid, c, r.t);
		}
		return null;
	}

	/** ABANDON (reason null) or an exit without an agent (timeout, empty, key). */
	private leaveWaiting(
		r: QueueLogRecord,
		waited: number | undefined,
		reason: OverflowReason | null
	): [QueueLogRejectReason, string] | null {
		const bad = this.needsCall(r);
		if (bad) return bad;
		const c = this.known(r, waited !== undefined ? waited * 1000 : undefined);
		if (c === null) return ['unknown-call', 'no call in progress and no wait time to place it'];
		if (c.status !== 'waiting')
			return ['bad-transition', `call is ${c.status === 'left' ? 'gone' : 'connected'}, it cannot leave the queue`];
		if (reason === null) {
			this.emit({ type: 'call.abandoned', id: this.id('abandoned'), t: r.t, callId: c.id });
			this.finish(r.callid, c, r.t);
			return null;
		}
		this.hold(r, c, { type: 'call.overflowed', id: this.id('overflowed'), t: r.t, callId: c.id, target: 'voicemail', reason });
		return null;
	}

	/** Keeps a call that left its queue for the move window: an ENTERQUEUE elsewhere makes it a move. */
	private hold(r: QueueLogRecord, c: CallState, e: HeatEvent): void {
		c.status = 'left';
		this.pending.set(r.callid, { callid: r.callid, call: c, at: r.t, line: this.line, events: [e] });
	}

	private ring(r: QueueLogRecord): [QueueLogRejectReason, string] | null {
		const bad = this.needsCall(r) ?? this.needsAgent(r);
		if (bad) return bad;
		const c = this.calls.get(r.callid);
		if (c === undefined) return ['unknown-call', 'no call in progress'];
		if (c.status !== 'waiting') return ['bad-transition', `call is ${c.status === 'left' ? 'gone' : 'connected'}`];
		// the line is written when the ringing stops; the ring and its end are one instant here so a
		// live engine never receives a ring from the past
		this.ensureAgent(r.agent, r.queue, r.t);
		this.emit({ type: 'call.offered', id: this.id('offered'), t: r.t, callId: c.id, agentId: r.agent });
		this.emit({ type: 'call.ringNoAnswer', id: this.id('rna'), t: r.t, callId: c.id, agentId: r.agent });
		return null;
	}

	private restart(r: QueueLogRecord): null {
		// Asterisk started: whatever we thought was on the line is gone
		for (const [callid, c] of [...this.calls]) {
			this.pending.delete(callid);
			this.counts.quirks.closedByRestart++;
			if (c.status === 'talking') this.emit({ type: 'call.ended', id: this.id(`closed:${c.id}`), t: r.t, callId: c.id, wrapMs: 0 });
			else if (c.status === 'waiting') this.emit({ type: 'call.abandoned', id: this.id(`closed:${c.id}`), t: r.t, callId: c.id });
			else
				this.emit({ type: 'call.overflowed', id: this.id(`closed:${c.id}`), t: r.t, callId: c.id, target: 'voicemail', reason: 'closed' });
			this.finish(callid, c, r.t);
		}
		return null;
	}

	// ------------------------------------------------------------------ agents

	private agentInfo(agentId: string): AgentInfo {
		let a = this.agents.get(agentId);
		if (a === undefined) {
			a = {
				queues: new Set(),
				paused: new Set(),
				pausedAll: false,
				loggedOff: false,
				told: undefined,
				toldReason: undefined,
				toldQueues: '',
				reason: undefined
			};
			this.agents.set(agentId, a);
		}
		return a;
	}

	/** An agent first seen taking or ringing a call is present, a member of that call's queue. */
	private ensureAgent(agentId: string, queue: string, t: number): void {
		const a = this.agentInfo(agentId);
		if (a.told !== undefined && a.queues.has(queue)) return;
		a.queues.add(queue);
		a.loggedOff = false;
		this.tell(agentId, a, t);
	}

	private member(r: QueueLogRecord): [QueueLogRejectReason, string] | null {
		const bad = this.needsAgent(r);
		if (bad) return bad;
		const queued = r.queue !== '' && r.queue !== 'NONE';
		const a = this.agentInfo(r.agent);
		switch (r.verb as QueueLogVerb) {
			case 'ADDMEMBER':
				if (!queued) return ['malformed', 'no queue'];
				a.queues.add(r.queue);
				a.loggedOff = false;
				break;
			case 'REMOVEMEMBER':
				if (!queued) return ['malformed', 'no queue'];
				a.queues.delete(r.queue);
				a.paused.delete(r.queue);
				break;
			case 'PAUSE':
				if (queued) {
					a.queues.add(r.queue);
					a.paused.add(r.queue);
				} else a.pausedAll = true;
				a.reason = r.data[0] || a.reason;
				break;
			case 'UNPAUSE':
				if (queued) a.paused.delete(r.queue);
				else {
					a.pausedAll = false;
					a.paused.clear();
				}
				break;
			case 'PAUSEALL':
				a.pausedAll = true;
				a.reason = r.data[0] || undefined;
				break;
			case 'UNPAUSEALL':
				a.pausedAll = false;
				a.paused.clear();
				break;
			case 'AGENTLOGIN':
				a.loggedOff = false;
				if (queued) a.queues.add(r.queue);
				break;
			case 'AGENTLOGOFF':
				a.loggedOff = true;
				break;
			default:
				break;
		}
		if (!a.pausedAll && a.paused.size > 0 && a.paused.size < a.queues.size && r.verb === 'PAUSE') this.counts.quirks.partialPause++;
		this.tell(r.agent, a, r.t);
		return null;
	}

	/**
	 * The engine has one state per agent, Asterisk a pause per queue membership: an agent is away when
	 * paused everywhere they are a member (a partial pause still takes the other queues' calls).
	 */
	private tell(agentId: string, a: AgentInfo, t: number): void {
		let state: AgentStateName;
		if (a.loggedOff || (a.queues.size === 0 && a.told !== undefined)) state = 'offline';
		else if (a.pausedAll || (a.paused.size > 0 && [...a.queues].every((q) => a.paused.has(q)))) state = 'away';
		else state = 'available';
		const reason = state === 'away' ? a.reason : undefined;
		const queues = [...a.queues].sort().join('|');
		if (state === a.told && reason === a.toldReason && queues === a.toldQueues) return;
		if (state !== 'away') a.reason = undefined;
		a.told = state;
		a.toldReason = reason;
		a.toldQueues = queues;
		this.emit({
			type: 'agent.state',
			id: this.id(`agent:${agentId}`),
			t,
			agentId,
			state,
			skills: skillsOf(a),
			...(reason !== undefined && reason.length <= 128 ? { reason } : {})
		});
	}
}

/** Maps iterate in insertion order: the first key is the oldest. */
function dropOldest(map: Map<string, unknown>): void {
	const first = map.keys().next();
	if (first.done !== true) map.delete(first.value);
}

function skillsOf(a: AgentInfo): Record<string, number> {
	const skills: Record<string, number> = {};
	for (const q of [...a.queues].sort()) skills[q] = 1;
	return skills;
}
