import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { EngineConfigInput } from '../../src/lib/engine/config';
import type { HeatEvent } from '../../src/lib/engine/events';
import { JOURNAL_FORMAT, type JournalHeader } from './journal';
import { QueueLogMapper, type LeadMapping, type QueueLogCounts, type QueueLogMapperOptions } from './queue-log-mapper';

/**
 * A queue_log file -> one journal per day. The file's lines are put in time order first (Asterisk's
 * threads write them a little out of order), run through the same QueueLogMapper the live tail uses,
 * and each call goes to the day it arrived on, its times in ms since that day's local midnight.
 */

export interface QueueLogImportOptions {
	/** keep only this local day, yyyy-mm-dd */
	date?: string;
	/** the queue_log has no zone: minutes to add to UTC for local time (default 0) */
	tzOffsetMinutes?: number;
	mapping?: Record<string, LeadMapping>;
	mapper?: Omit<QueueLogMapperOptions, 'queues'>;
}

export interface QueueLogImport {
	/** yyyy-mm-dd -> that day's events, time-ordered, on the day's clock */
	days: Map<string, HeatEvent[]>;
	counts: QueueLogCounts & { otherDay: number };
	/** the first rejected lines of each reason, for the summary */
	rejectedLines: Array<{ line: number; reason: string; detail: string }>;
	/** yyyy-mm-dd -> epoch ms of that day's local midnight (t = 0 of its journal) */
	dayStart: Map<string, number>;
}

const DAY = 86_400_000;
const MAX_LISTED = 10;
const EPOCH_PREFIX = /^(\d{9,11}(?:\.\d{1,6})?)\|/;

export function localDate(epochMs: number, tzOffsetMinutes: number): string {
	return new Date(epochMs + tzOffsetMinutes * 60_000).toISOString().slice(0, 10);
}

function midnight(date: string, tzOffsetMinutes: number): number {
	return Date.parse(`${date}T00:00:00Z`) - tzOffsetMinutes * 60_000;
}

/** Converts lines (any iterable, so it streams from disk); never throws on content. */
export async function importQueueLogLines(
	lines: AsyncIterable<string> | Iterable<string>,
	opts: QueueLogImportOptions = {}
): Promise<QueueLogImport> {
	const tz = opts.tzOffsetMinutes ?? 0;
	const mapper = new QueueLogMapper({ ...opts.mapper, ...(opts.mapping ? { queues: opts.mapping } : {}) });
	// order by stamp, keeping file order within a second; a line with no readable stamp stays where it was
	const all: Array<{ text: string; line: number; key: number }> = [];
	let n = 0;
	let key = 0;
	let outOfOrder = 0;
	for await (const raw of lines) {
		n++;
		const text = raw.replace(/\r$/, '');
		if (text.trim() === '') continue;
		const m = EPOCH_PREFIX.exec(text);
		if (m) {
			const k = Number(m[1]);
			if (k < key) outOfOrder++;
			else key = k;
			all.push({ text, line: n, key: k });
		} else all.push({ text, line: n, key });
	}
	const sorted = all.map((x, i) => ({ ...x, i })).sort((a, b) => a.key - b.key || a.i - b.i);

	const events: Array<{ e: HeatEvent; i: number }> = [];
	const rejectedLines: QueueLogImport['rejectedLines'] = [];
	const perReason = new Map<string, number>();
	let i = 0;
	for (const { text, line } of sorted) {
		const r = mapper.feed(text, line);
		for (const m of r.events) events.push({ e: m.event, i: i++ });
		for (const x of r.rejections) {
			const listed = perReason.get(x.reason) ?? 0;
			if (listed >= MAX_LISTED) continue;
			perReason.set(x.reason, listed + 1);
			rejectedLines.push({ line: x.line, reason: x.reason, detail: x.detail });
		}
	}
	for (const m of mapper.end()) events.push({ e: m.event, i: i++ });
	events.sort((a, b) => a.e.t - b.e.t || a.i - b.i);

	// a call belongs to the day it arrived; agents' states to the day they happen, and each day
	// opens with every agent's state at its midnight so a day's journal replays on its own
	const callDay = new Map<string, string>();
	const days = new Map<string, HeatEvent[]>();
	const dayStart = new Map<string, number>();
	const agentNow = new Map<string, Extract<HeatEvent, { type: 'agent.state' }>>();
	let otherDay = 0;
	const dayList = (date: string): HeatEvent[] => {
		let list = days.get(date);
		if (list === undefined) {
			list = [];
			days.set(date, list);
			const start = midnight(date, tz);
			dayStart.set(date, start);
			for (const [agentId, a] of [...agentNow].sort(([x], [y]) => (x < y ? -1 : 1)))
				if (a.state !== 'offline' && a.t < start) list.push({ ...a, id: `ql:day:${date}:${agentId}`.slice(0, 128), t: start });
		}
		return list;
	};
	const countedOther = new Set<string>();
	for (const { e } of events) {
		let date: string;
		if (e.type === 'agent.state') {
			date = localDate(e.t, tz);
			agentNow.set(e.agentId, e);
		} else if ('callId' in e && e.callId !== undefined) {
			const known = callDay.get(e.callId);
			date = known ?? localDate(e.t, tz);
			if (known === undefined) callDay.set(e.callId, date);
		} else date = localDate(e.t, tz);
		if (opts.date !== undefined && date !== opts.date) {
			if (e.type === 'call.arrived' && !countedOther.has(e.callId)) {
				countedOther.add(e.callId);
				otherDay++;
			}
			continue;
		}
		dayList(date).push(e);
	}
	for (const [date, list] of days) {
		const start = dayStart.get(date) as number;
		for (let k = 0; k < list.length; k++) {
			const e = list[k] as HeatEvent;
			list[k] = { ...e, t: e.t - start };
		}
	}
	const counts = { ...mapper.counts, otherDay };
	counts.quirks = { ...counts.quirks, outOfOrder: counts.quirks.outOfOrder + outOfOrder };
	return { days, counts, rejectedLines, dayStart };
}

export async function importQueueLogFile(path: string, opts: QueueLogImportOptions = {}): Promise<QueueLogImport> {
	const rl = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
	return importQueueLogLines(rl, opts);
}

/** Every queue a day's calls or agents touch, observed: the phone system routes, the engine records. */
export function queueLogObserveConfig(events: readonly HeatEvent[]): EngineConfigInput {
	const ids = new Set<string>();
	for (const e of events) {
		if (e.type === 'call.arrived') ids.add(e.queue);
		else if (e.type === 'call.transferred') ids.add(e.toQueue);
		else if (e.type === 'agent.state') for (const q of Object.keys(e.skills ?? {})) ids.add(q);
	}
	return {
		defaultMode: 'observe',
		// Asterisk does not pause an agent for a missed ring unless it says so (a PAUSE line follows)
		queues: [...ids].sort().map((id) => ({ id, mode: 'observe' as const, afterRingNoAnswer: 'available' as const, wrapUpSeconds: 0 }))
	};
}

export function queueLogJournalHeader(
	date: string,
	events: readonly HeatEvent[],
	file: string,
	tzOffsetMinutes: number,
	dayStartEpochMs: number
): JournalHeader {
	return {
		format: JOURNAL_FORMAT,
		v: 1,
		source: 'queue_log',
		date,
		file,
		tzOffsetMinutes,
		dayStartEpochMs,
		engine: queueLogObserveConfig(events)
	};
}

/** Parses a queue -> {heat, value, source} mapping file; rejects nonsense with the key at fault. */
export function resolveLeadMapping(raw: unknown): Record<string, LeadMapping> {
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
		throw new Error('mapping: expected an object of queue name -> {heat, value, source}');
	const out: Record<string, LeadMapping> = {};
	for (const [queue, v] of Object.entries(raw as Record<string, unknown>)) {
		if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`mapping.${queue}: expected an object`);
		const m = v as Record<string, unknown>;
		const lead: LeadMapping = {};
		if (m.heat !== undefined) {
			if (typeof m.heat !== 'number' || !(m.heat >= 0 && m.heat <= 1)) throw new Error(`mapping.${queue}.heat: expected 0..1`);
			lead.heat = m.heat;
		}
		if (m.value !== undefined) {
			if (typeof m.value !== 'number' || !(m.value >= 0) || !Number.isFinite(m.value))
				throw new Error(`mapping.${queue}.value: expected a number >= 0`);
			lead.value = m.value;
		}
		if (m.source !== undefined) {
			if (typeof m.source !== 'string' || m.source === '' || m.source.length > 128)
				throw new Error(`mapping.${queue}.source: expected a name`);
			lead.source = m.source;
		}
		out[queue] = lead;
	}
	return out;
}
