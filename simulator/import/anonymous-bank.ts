import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { EngineConfigInput } from '../../src/lib/engine/config';
import type { HeatEvent } from '../../src/lib/engine/events';
import { JOURNAL_FORMAT, type JournalHeader } from './journal';

/**
 * The "Anonymous Bank" call-by-call format (Technion SEE Center, I. Guedj and A. Mandelbaum):
 * tab-separated, one header line, one call per line. Every record becomes engine events on its day's
 * clock (ms since that day's midnight); every quirk is counted, none is fatal.
 */

export const COLUMNS = [
	'vru+line',
	'call_id',
	'customer_id',
	'priority',
	'type',
	'date',
	'vru_entry',
	'vru_exit',
	'vru_time',
	'q_start',
	'q_exit',
	'q_time',
	'outcome',
	'ser_start',
	'ser_exit',
	'ser_time',
	'server'
] as const;

export interface TypeMapping {
	queue: string;
	heat: number;
	value: number;
}

/** Service calls are lukewarm and carry no sale; NW (a prospective customer) is the hot lead. */
export const DEFAULT_MAPPING: Readonly<Record<string, TypeMapping>> = {
	PS: { queue: 'PS', heat: 0.2, value: 0 },
	PE: { queue: 'PE', heat: 0.2, value: 0 },
	IN: { queue: 'IN', heat: 0.3, value: 0 },
	NE: { queue: 'NE', heat: 0.4, value: 0 },
	NW: { queue: 'NW', heat: 0.9, value: 1000 },
	TT: { queue: 'TT', heat: 0.3, value: 0 }
};
/** a type the documentation does not list (the data has `AA`) */
const FALLBACK: Omit<TypeMapping, 'queue'> = { heat: 0.2, value: 0 };

export type Mapping = Record<string, Partial<TypeMapping>>;

/** Merges a user's mapping file (type -> any of queue, heat, value) over the defaults; rejects nonsense. */
export function resolveMapping(raw: unknown): Record<string, TypeMapping> {
	const out: Record<string, TypeMapping> = { ...DEFAULT_MAPPING };
	if (raw === undefined) return out;
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
		throw new Error('mapping: expected an object of call type -> {queue, heat, value}');
	for (const [type, v] of Object.entries(raw as Record<string, unknown>)) {
		if (typeof v !== 'object' || v === null) throw new Error(`mapping.${type}: expected an object`);
		const m = v as Record<string, unknown>;
		const base = out[type] ?? { queue: type, ...FALLBACK };
		const queue = m.queue ?? base.queue;
		const heat = m.heat ?? base.heat;
		const value = m.value ?? base.value;
		if (typeof queue !== 'string' || queue === '') throw new Error(`mapping.${type}.queue: expected a name`);
		if (typeof heat !== 'number' || !(heat >= 0 && heat <= 1)) throw new Error(`mapping.${type}.heat: expected 0..1`);
		if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value))
			throw new Error(`mapping.${type}.value: expected a number >= 0`);
		out[type] = { queue, heat, value };
	}
	return out;
}

export type CountReason =
	| 'records'
	| 'offered'
	| 'answered'
	| 'abandoned'
	| 'servedWithoutQueue'
	| 'vruHangup'
	| 'phantom'
	| 'malformed'
	| 'negativeVruTime'
	| 'zeroServiceTime'
	| 'agentWithoutTimes'
	| 'unknownServer'
	| 'unknownType'
	| 'spreadsheetCustomerId'
	| 'answerClockAdjusted'
	| 'agentOverlap'
	| 'duplicateCall'
	| 'otherDay';

export interface ImportCounts {
	byReason: Record<CountReason, number>;
	/** line numbers and reasons of the first malformed lines */
	malformedLines: Array<{ line: number; reason: string }>;
}

const MAX_LISTED = 10;

export function emptyCounts(): ImportCounts {
	const byReason = {} as Record<CountReason, number>;
	for (const r of [
		'records',
		'offered',
		'answered',
		'abandoned',
		'servedWithoutQueue',
		'vruHangup',
		'phantom',
		'malformed',
		'negativeVruTime',
		'zeroServiceTime',
		'agentWithoutTimes',
		'unknownServer',
		'unknownType',
		'spreadsheetCustomerId',
		'answerClockAdjusted',
		'agentOverlap',
		'duplicateCall',
		'otherDay'
	] as const)
		byReason[r] = 0;
	return { byReason, malformedLines: [] };
}

/** One call that reached the agents' side, on its day's clock. */
export interface CallRecord {
	callId: string;
	queue: string;
	heat: number;
	value: number;
	priority: number;
	caller: string | undefined;
	arriveMs: number;
	/** answered: the answer and end; abandoned: the abandon time in answerMs and no end */
	answerMs: number;
	endMs: number | undefined;
	server: string | undefined;
}

/** H:MM:SS -> seconds since midnight; null when it is not a clock time */
export function clockSeconds(s: string): number | null {
	const m = /^(\d{1,2}):(\d{2}):(\d{2})$/.exec(s);
	if (!m) return null;
	const h = Number(m[1]);
	const mi = Number(m[2]);
	const se = Number(m[3]);
	if (h > 23 || mi > 59 || se > 59) return null;
	return h * 3600 + mi * 60 + se;
}

const INT = /^-?\d+$/;
export const UNKNOWN_AGENT = 'NO_SERVER';

/** a kept call, with the quirks and outcome to count once it is known to be kept (not another day's, not a duplicate) */
type LineResult =
	| { kind: 'call'; date: string; call: CallRecord; tally: CountReason[] }
	| { kind: 'skip'; date: string; reason: 'phantom' | 'vruHangup' }
	| { kind: 'malformed'; reason: string };

function parseLine(cols: string[], mapping: Record<string, TypeMapping>): LineResult {
	const tally: CountReason[] = [];
	if (cols.length !== COLUMNS.length) return { kind: 'malformed', reason: `${cols.length} columns, expected ${COLUMNS.length}` };
	const [line, callNo, customer, priority, type, date, , vruExit, vruTime, qStart, , qTime, outcome, serStart, , serTime, server] =
		cols as [
			string,
			string,
			string,
			string,
			string,
			string,
			string,
			string,
			string,
			string,
			string,
			string,
			string,
			string,
			string,
			string,
			string
		];
	if (!/^\d{6}$/.test(date)) return { kind: 'malformed', reason: `bad date "${date}"` };
	if (callNo === '' || line === '') return { kind: 'malformed', reason: 'no call id' };
	if (!INT.test(vruTime) || !INT.test(qTime) || !INT.test(serTime) || !INT.test(priority))
		return { kind: 'malformed', reason: 'a duration or the priority is not a whole number' };
	const q = Number(qTime);
	const ser = Number(serTime);
	if (q < 0 || ser < 0) return { kind: 'malformed', reason: 'negative q_time or ser_time' };
	const qs = clockSeconds(qStart);
	const ss = clockSeconds(serStart);
	if (qs === null || ss === null) return { kind: 'malformed', reason: 'q_start or ser_start is not H:MM:SS' };
	if (outcome !== 'AGENT' && outcome !== 'HANG' && outcome !== 'PHANTOM')
		return { kind: 'malformed', reason: `unknown outcome "${outcome}"` };
	if (outcome === 'PHANTOM') {
		return { kind: 'skip', date, reason: 'phantom' };
	}
	const queued = qStart !== '0:00:00';
	if (outcome === 'HANG' && !queued) {
		return { kind: 'skip', date, reason: 'vruHangup' };
	}
	const ve = clockSeconds(vruExit);
	if (ve === null) return { kind: 'malformed', reason: 'vru_exit is not H:MM:SS' };
	// quirks only counted once the record is known to be a call
	if (Number(vruTime) < 0) tally.push('negativeVruTime');
	let m = mapping[type];
	if (m === undefined) {
		tally.push('unknownType');
		m = { queue: type || 'unknown', ...FALLBACK };
	}
	let caller: string | undefined;
	if (/^\d+(\.\d+)?E\+\d+$/i.test(customer)) {
		tally.push('spreadsheetCustomerId');
		caller = customer; // the digits are lost: keep what there is rather than invent a number
	} else if (customer !== '' && customer !== '0') caller = customer;
	const call: CallRecord = {
		callId: `${line}-${callNo}`,
		queue: m.queue,
		heat: m.heat,
		value: m.value,
		priority: Number(priority) >= 2 ? 1 : 0,
		caller,
		arriveMs: 0,
		answerMs: 0,
		endMs: undefined,
		server: undefined
	};
	if (outcome === 'HANG') {
		call.arriveMs = qs * 1000;
		call.answerMs = (qs + q) * 1000; // the abandon
		tally.push('abandoned');
	} else {
		if (ser === 0) tally.push('zeroServiceTime');
		if (serStart === '0:00:00') tally.push('agentWithoutTimes');
		if (queued) {
			// the queue's clock is the VRU's; the agents' runs a second or two off. The wait must be
			// exactly q_time so a replay gives the day's own mean waits.
			call.arriveMs = qs * 1000;
			call.answerMs = (qs + q) * 1000;
			if (serStart !== '0:00:00' && (ss - (qs + q)) % 86_400 !== 0) tally.push('answerClockAdjusted');
		} else {
			// straight from the VRU to a free agent: no wait. A record with no service clock at all is
			// placed at the VRU exit, the best time there is, and still counts as served.
			tally.push('servedWithoutQueue');
			const at = serStart === '0:00:00' ? ve : ss;
			call.arriveMs = call.answerMs = at * 1000;
		}
		call.endMs = call.answerMs + ser * 1000;
		// served by someone the data does not name: still a served call, on seats of an unnamed agent
		if (server === '' || server === 'NO_SERVER') tally.push('unknownServer');
		call.server = server === '' || server === 'NO_SERVER' ? UNKNOWN_AGENT : server;
		tally.push('answered');
	}
	tally.push('offered');
	return { kind: 'call', date, call, tally };
}

export interface ParseOptions {
	/** keep only this day (yymmdd) */
	date?: string;
	mapping?: Record<string, TypeMapping>;
}

export interface ParsedFile {
	/** yymmdd -> that day's calls, kept in file order until converted */
	days: Map<string, CallRecord[]>;
	counts: ImportCounts;
}

/** Reads the file's lines (any iterable of lines, so it streams from disk); never throws on content. */
export async function parseAnonymousBankLines(
	lines: AsyncIterable<string> | Iterable<string>,
	opts: ParseOptions = {}
): Promise<ParsedFile> {
	const mapping = opts.mapping ?? { ...DEFAULT_MAPPING };
	const counts = emptyCounts();
	const days = new Map<string, CallRecord[]>();
	const seen = new Map<string, Set<string>>();
	let n = 0;
	for await (const raw of lines) {
		n++;
		const text = raw.replace(/\r$/, '');
		if (n === 1 && text.startsWith('vru+line')) continue;
		if (text.trim() === '') continue;
		counts.byReason.records++;
		const r = parseLine(text.split('\t'), mapping);
		if (r.kind === 'malformed') {
			counts.byReason.malformed++;
			if (counts.malformedLines.length < MAX_LISTED) counts.malformedLines.push({ line: n, reason: r.reason });
			continue;
		}
		if (opts.date !== undefined && r.date !== opts.date) {
			counts.byReason.otherDay++;
			continue;
		}
		if (r.kind === 'skip') {
			counts.byReason[r.reason]++;
			continue;
		}
		let ids = seen.get(r.date);
		if (ids === undefined) seen.set(r.date, (ids = new Set()));
		if (ids.has(r.call.callId)) {
			counts.byReason.duplicateCall++;
			continue;
		}
		for (const q of r.tally) counts.byReason[q]++;
		ids.add(r.call.callId);
		let list = days.get(r.date);
		if (list === undefined) days.set(r.date, (list = []));
		list.push(r.call);
	}
	return { days, counts };
}

export async function parseAnonymousBankFile(path: string, opts: ParseOptions = {}): Promise<ParsedFile> {
	const rl = createInterface({ input: createReadStream(path, 'latin1'), crlfDelay: Infinity });
	return parseAnonymousBankLines(rl, opts);
}

/** at one instant: ends free agents before new work; an agent logs in before the call it takes */
const RANK: Record<HeatEvent['type'], number> = {
	'call.ended': 0,
	'call.abandoned': 1,
	'agent.state': 2,
	'call.arrived': 3,
	'call.offered': 4,
	'call.answered': 5,
	'call.ringNoAnswer': 6,
	'call.transferred': 6,
	'call.callback.requested': 6,
	'call.overflowed': 6,
	timer: 6
};

/** a call that ends the instant it began (ser_time 0, or a hang-up with q_time 0) ends after its own start */
function rank(e: HeatEvent): number {
	return zeroLength.has(e) ? 7 : RANK[e.type];
}
const zeroLength = new WeakSet<HeatEvent>();

/**
 * One day's calls -> time-ordered events. A server name that is on two calls at once is a shared
 * login (the data has them): the overlapping call goes to another seat of that name (`AVI#2`), counted.
 */
export function dayEvents(calls: readonly CallRecord[], counts: ImportCounts = emptyCounts()): HeatEvent[] {
	const events: HeatEvent[] = [];
	const seats = new Map<string, number[]>(); // server -> busy-until per seat
	const agentSkills = new Map<string, Record<string, number>>();
	const agentFirst = new Map<string, number>();
	const answered = calls.filter((c) => c.endMs !== undefined).sort((a, b) => a.answerMs - b.answerMs || (a.callId < b.callId ? -1 : 1));
	const agentOf = new Map<string, string>();
	for (const c of answered) {
		const name = c.server as string;
		let list = seats.get(name);
		if (list === undefined) seats.set(name, (list = []));
		let seat = list.findIndex((busyUntil) => busyUntil <= c.answerMs);
		if (seat < 0) {
			seat = list.length;
			list.push(0);
		}
		if (seat > 0) counts.byReason.agentOverlap++;
		// a zero-length call ends after its own answer at that instant, so the seat is free only later
		list[seat] = (c.endMs as number) + (c.endMs === c.answerMs ? 0.5 : 0);
		const agentId = seat === 0 ? name : `${name}#${seat + 1}`;
		agentOf.set(c.callId, agentId);
		const skills = agentSkills.get(agentId) ?? {};
		skills[c.queue] = 1;
		agentSkills.set(agentId, skills);
		if (!agentFirst.has(agentId)) agentFirst.set(agentId, c.answerMs);
	}
	for (const [agentId, t] of agentFirst)
		events.push({ type: 'agent.state', id: `agent:${agentId}`, t, agentId, state: 'available', skills: agentSkills.get(agentId) ?? {} });
	for (const c of calls) {
		events.push({
			type: 'call.arrived',
			id: `${c.callId}:arrived`,
			t: c.arriveMs,
			callId: c.callId,
			queue: c.queue,
			heat: c.heat,
			value: c.value,
			priority: c.priority,
			source: 'phone',
			...(c.caller !== undefined ? { caller: c.caller } : {})
		});
		const agentId = agentOf.get(c.callId);
		if (agentId === undefined || c.endMs === undefined) {
			const abandoned: HeatEvent = { type: 'call.abandoned', id: `${c.callId}:abandoned`, t: c.answerMs, callId: c.callId };
			if (c.answerMs === c.arriveMs) zeroLength.add(abandoned);
			events.push(abandoned);
			continue;
		}
		events.push({ type: 'call.offered', id: `${c.callId}:offered`, t: c.answerMs, callId: c.callId, agentId });
		events.push({ type: 'call.answered', id: `${c.callId}:answered`, t: c.answerMs, callId: c.callId, agentId });
		const ended: HeatEvent = { type: 'call.ended', id: `${c.callId}:ended`, t: c.endMs, callId: c.callId, wrapMs: 0 };
		if (c.endMs === c.answerMs) zeroLength.add(ended);
		events.push(ended);
	}
	// stable: a call's own events keep their order when they share an instant
	return events
		.map((e, i) => ({ e, i }))
		.sort((a, b) => a.e.t - b.e.t || rank(a.e) - rank(b.e) || a.i - b.i)
		.map((x) => x.e);
}

/** The engine config a journal of this source replays under: the phone system routed, the engine observes. */
export function observeConfig(events: readonly HeatEvent[]): EngineConfigInput {
	const queues = [...new Set(events.flatMap((e) => (e.type === 'call.arrived' ? [e.queue] : [])))].sort();
	return { defaultMode: 'observe', queues: queues.map((id) => ({ id, mode: 'observe' as const })) };
}

export function journalHeader(date: string, events: readonly HeatEvent[], file: string): JournalHeader {
	return {
		format: JOURNAL_FORMAT,
		v: 1,
		source: 'anonymous-bank',
		date,
		file,
		attribution: 'Anonymous Bank call-center data, Technion SEE Center (I. Guedj, A. Mandelbaum)',
		engine: observeConfig(events)
	};
}
