import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { EngineConfigInput } from '../../src/lib/engine/config';
import type { HeatEvent } from '../../src/lib/engine/events';
import { dayEvents, emptyCounts, type CallRecord } from './anonymous-bank';
import { readCsv } from './csv-read';
import { JOURNAL_FORMAT, type JournalHeader } from './journal';

/**
 * A call-detail export from another phone system: one row per call, its columns named by a mapping
 * file. Rows become call.arrived / offered / answered / ended or abandoned events on the day's
 * clock (ms since local midnight); an agent is present from the first call they answer, and one
 * name on two calls at once is two seats (as in the anonymous-bank importer, whose day builder this
 * reuses). Every row that cannot be used is counted by reason with its line; none is fatal.
 */

/** a column by header name, or by 1-based position; several are joined with a space (a date and a time column) */
const columnRef = z.union([
	z.string().min(1),
	z.number().int().positive(),
	z.array(z.union([z.string().min(1), z.number().int().positive()])).min(1)
]);
export type ColumnRef = z.infer<typeof columnRef>;

export const TIME_FORMATS = ['iso', 'epoch', 'epoch-ms'] as const;

const mappingSchema = z
	.object({
		delimiter: z.string().length(1).default(','),
		/** the first record names the columns */
		header: z.boolean().default(true),
		/** iso, epoch (seconds), epoch-ms, or a pattern of YYYY MM DD HH mm ss (and optional .SSS), e.g. "DD/MM/YYYY HH:mm:ss" */
		timeFormat: z.string().min(1).default('iso'),
		/** minutes to add to UTC for local time: places zone-less times and the day boundary */
		tzOffsetMinutes: z.number().int().min(-840).max(840).default(0),
		columns: z.object({
			callId: columnRef,
			queue: columnRef.optional(),
			arrival: columnRef,
			answer: columnRef.optional(),
			waitSeconds: columnRef.optional(),
			end: columnRef.optional(),
			talkSeconds: columnRef.optional(),
			agent: columnRef.optional(),
			outcome: columnRef.optional(),
			heat: columnRef.optional(),
			value: columnRef.optional(),
			leadSource: columnRef.optional(),
			caller: columnRef.optional()
		}),
		/** outcome values (compared without case and surrounding blanks) */
		outcomes: z
			.object({ answered: z.array(z.string()).default([]), abandoned: z.array(z.string()).default([]) })
			.default({ answered: [], abandoned: [] }),
		/** the queue of every call when there is no queue column */
		queue: z.string().min(1).max(128).optional(),
		/** the decimal separator of number cells: "1,5" is refused with the default "." rather than read as 1.5 or 15 */
		decimal: z.enum(['.', ',']).default('.'),
		/** the thousands separator of number cells, if they have one ("1,500" with ","; "1.500,5" with "." and decimal ",") */
		thousands: z.enum([',', '.', ' ', "'"]).optional(),
		/** the heat column's full scale (100 for a 0-100 lead score) */
		heatScale: z.number().positive().default(1),
		/** heat and value of a call whose row has none (otherwise the engine's defaults apply) */
		defaults: z
			.object({
				heat: z.number().min(0).max(1).optional(),
				value: z.number().min(0).optional(),
				leadSource: z.string().min(1).max(128).optional()
			})
			.default({})
	})
	.refine((m) => m.columns.queue !== undefined || m.queue !== undefined, {
		message: 'columns.queue or queue is required',
		path: ['columns', 'queue']
	})
	.refine((m) => m.header || allNumeric(m.columns), { message: 'without a header row, columns are 1-based numbers', path: ['columns'] })
	.refine((m) => m.thousands !== m.decimal, { message: 'the thousands separator must differ from the decimal one', path: ['thousands'] });

export type CsvMapping = z.output<typeof mappingSchema>;

function allNumeric(cols: Record<string, ColumnRef | undefined>): boolean {
	return Object.values(cols).every(
		(c) => c === undefined || (Array.isArray(c) ? c.every((x) => typeof x === 'number') : typeof c === 'number')
	);
}

/** Validates a mapping file; throws an Error naming the key at fault. */
export function resolveCsvMapping(raw: unknown): CsvMapping {
	const r = mappingSchema.safeParse(raw);
	if (!r.success) {
		const issue = r.error.issues[0];
		throw new Error(`mapping: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
	}
	const m = r.data;
	if (!TIME_FORMATS.includes(m.timeFormat as (typeof TIME_FORMATS)[number]) && compilePattern(m.timeFormat) === null)
		throw new Error(`mapping: timeFormat: "${m.timeFormat}" is neither ${TIME_FORMATS.join(', ')} nor a pattern of YYYY MM DD HH mm ss`);
	return m;
}

// ------------------------------------------------------------------ times

interface Pattern {
	re: RegExp;
	order: Array<'Y' | 'M' | 'D' | 'H' | 'm' | 's' | 'S'>;
}

const TOKENS: Record<string, { re: string; key: Pattern['order'][number] }> = {
	YYYY: { re: '(\\d{4})', key: 'Y' },
	MM: { re: '(\\d{1,2})', key: 'M' },
	DD: { re: '(\\d{1,2})', key: 'D' },
	HH: { re: '(\\d{1,2})', key: 'H' },
	mm: { re: '(\\d{2})', key: 'm' },
	ss: { re: '(\\d{2})', key: 's' },
	SSS: { re: '(\\d{1,3})', key: 'S' }
};

function compilePattern(p: string): Pattern | null {
	let re = '^';
	const order: Pattern['order'] = [];
	for (let i = 0; i < p.length;) {
		const tok = ['YYYY', 'SSS', 'MM', 'DD', 'HH', 'mm', 'ss'].find((t) => p.startsWith(t, i));
		if (tok !== undefined) {
			const t = TOKENS[tok] as (typeof TOKENS)[string];
			re += t.re;
			order.push(t.key);
			i += tok.length;
		} else {
			re += (p[i] as string).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
			i++;
		}
	}
	for (const k of ['Y', 'M', 'D', 'H', 'm'] as const) if (!order.includes(k)) return null;
	return { re: new RegExp(re + '$'), order };
}

/** A function from a cell to epoch ms (UTC), or null when the cell is not such a time. */
export function timeParser(format: string, tzOffsetMinutes: number): (s: string) => number | null {
	const tz = tzOffsetMinutes * 60_000;
	if (format === 'epoch' || format === 'epoch-ms') {
		const scale = format === 'epoch' ? 1000 : 1;
		return (s) => (/^\d+(\.\d+)?$/.test(s) ? Math.round(Number(s) * scale) : null);
	}
	if (format === 'iso') {
		return (s) => {
			const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
			if (!m) return null;
			const utc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0), Math.round(Number(m[7] ?? 0) * 1000));
			if (!validParts(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0))) return null;
			const zone = m[8];
			if (zone === undefined) return utc - tz;
			if (zone === 'Z') return utc;
			const zm = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
			const off = (Number(zm![2]) * 60 + Number(zm![3])) * 60_000 * (zm![1] === '-' ? -1 : 1);
			return utc - off;
		};
	}
	const p = compilePattern(format);
	if (p === null) throw new Error(`timeFormat: "${format}" is not a pattern`);
	return (s) => {
		const m = p.re.exec(s);
		if (!m) return null;
		const v: Record<string, number> = { Y: 0, M: 1, D: 1, H: 0, m: 0, s: 0, S: 0 };
		p.order.forEach((k, i) => (v[k] = Number(m[i + 1])));
		if (!validParts(v.Y!, v.M!, v.D!, v.H!, v.m!, v.s!)) return null;
		return Date.UTC(v.Y!, v.M! - 1, v.D!, v.H!, v.m!, v.s!, v.S!) - tz;
	};
}

function validParts(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
	if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
	return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

// ------------------------------------------------------------------ numbers

/**
 * A cell to a number >= 0 with the mapping's separators: a number, or 'bad' (not digits at all),
 * or 'ambiguous' (digits and separators that do not fit the declared ones, such as "1,500" with
 * decimal "." and no thousands separator: 1.5 in one export, 1500 in another).
 */
export function numberParser(decimal: '.' | ',', thousands: string | undefined): (s: string) => number | 'bad' | 'ambiguous' {
	const esc = (c: string) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	const int = thousands === undefined ? '\\d+' : `(?:\\d{1,3}(?:${esc(thousands)}\\d{3})+|\\d+)`;
	const re = new RegExp(`^(?:${int}(?:${esc(decimal)}\\d+)?|${esc(decimal)}\\d+)$`);
	return (s) => {
		if (re.test(s)) {
			const plain = (thousands === undefined ? s : s.split(thousands).join('')).replace(decimal, '.');
			const n = Number(plain);
			return Number.isFinite(n) ? n : 'bad';
		}
		return /^\d[\d.,' ]*\d$/.test(s) ? 'ambiguous' : 'bad';
	};
}

// ------------------------------------------------------------------ rows

export type CsvRejectReason =
	'malformed' | 'missing' | 'bad-time' | 'bad-number' | 'ambiguous-number' | 'unknown-outcome' | 'duplicate-call';
const REJECT_REASONS: readonly CsvRejectReason[] = [
	'malformed',
	'missing',
	'bad-time',
	'bad-number',
	'ambiguous-number',
	'unknown-outcome',
	'duplicate-call'
];

export interface CsvCounts {
	rows: number;
	byOutcome: { answered: number; abandoned: number };
	rejected: Record<CsvRejectReason, number>;
	quirks: { unknownAgent: number; agentOverlap: number; endBeforeAnswer: number; otherDay: number };
}

export interface CsvImport {
	/** yyyy-mm-dd -> that day's events, time-ordered, on the day's clock */
	days: Map<string, HeatEvent[]>;
	dayStart: Map<string, number>;
	counts: CsvCounts;
	/** the first rows that could not be used */
	rejectedLines: Array<{ line: number; reason: CsvRejectReason; detail: string }>;
}

const MAX_LISTED = 10;
export const UNKNOWN_AGENT = 'UNKNOWN';

interface Row {
	callId: string;
	queue: string;
	arrive: number;
	outcome: 'answered' | 'abandoned';
	answer: number | undefined;
	end: number | undefined;
	agent: string | undefined;
	heat: number | undefined;
	value: number | undefined;
	source: string | undefined;
	caller: string | undefined;
}

type RowResult = { ok: true; row: Row } | { ok: false; reason: CsvRejectReason; detail: string };

function localDate(epochMs: number, tzOffsetMinutes: number): string {
	return new Date(epochMs + tzOffsetMinutes * 60_000).toISOString().slice(0, 10);
}

function midnight(date: string, tzOffsetMinutes: number): number {
	return Date.parse(`${date}T00:00:00Z`) - tzOffsetMinutes * 60_000;
}

/** Reads a CSV text with a mapping; never throws on content. */
export function importCsvText(text: string, mapping: CsvMapping, opts: { date?: string } = {}): CsvImport {
	const counts: CsvCounts = {
		rows: 0,
		byOutcome: { answered: 0, abandoned: 0 },
		rejected: Object.fromEntries(REJECT_REASONS.map((r) => [r, 0])) as Record<CsvRejectReason, number>,
		quirks: { unknownAgent: 0, agentOverlap: 0, endBeforeAnswer: 0, otherDay: 0 }
	};
	const rejectedLines: CsvImport['rejectedLines'] = [];
	const refuse = (line: number, reason: CsvRejectReason, detail: string) => {
		counts.rejected[reason]++;
		if (rejectedLines.length < MAX_LISTED) rejectedLines.push({ line, reason, detail });
	};
	const { records, problems } = readCsv(text, mapping.delimiter);
	for (const p of problems) {
		counts.rows++;
		refuse(p.line, 'malformed', p.detail);
	}
	let width: number | undefined;
	let names: string[] = [];
	let body = records;
	if (mapping.header) {
		const head = records[0];
		if (head === undefined) return { days: new Map(), dayStart: new Map(), counts, rejectedLines };
		names = head.fields.map((f) => f.trim());
		width = names.length;
		body = records.slice(1);
	}
	const index = (ref: string | number): number => (typeof ref === 'number' ? ref - 1 : names.indexOf(ref));
	const cols = mapping.columns;
	for (const [key, ref] of Object.entries(cols)) {
		if (ref === undefined) continue;
		for (const r of Array.isArray(ref) ? ref : [ref])
			if (index(r) < 0) throw new Error(`mapping: columns.${key}: no column "${r}" in the header (${names.join(', ')})`);
	}
	const parseTime = timeParser(mapping.timeFormat, mapping.tzOffsetMinutes);
	const parseNumber = numberParser(mapping.decimal, mapping.thousands);
	const answeredSet = new Set(mapping.outcomes.answered.map((s) => s.trim().toLowerCase()));
	const abandonedSet = new Set(mapping.outcomes.abandoned.map((s) => s.trim().toLowerCase()));

	const rowOf = (fields: string[]): RowResult => {
		const cell = (ref: ColumnRef | undefined): string | undefined => {
			if (ref === undefined) return undefined;
			const parts = (Array.isArray(ref) ? ref : [ref]).map((r) => (fields[index(r)] ?? '').trim());
			const s = parts.join(' ').trim();
			return s === '' ? undefined : s;
		};
		const time = (key: 'arrival' | 'answer' | 'end'): number | undefined | null => {
			const s = cell(cols[key]);
			if (s === undefined) return undefined;
			return parseTime(s);
		};
		const num = (key: 'waitSeconds' | 'talkSeconds' | 'heat' | 'value'): number | undefined | 'bad' | 'ambiguous' => {
			const s = cell(cols[key]);
			if (s === undefined) return undefined;
			return parseNumber(s);
		};
		const callId = cell(cols.callId);
		const queue = cell(cols.queue) ?? mapping.queue;
		if (callId === undefined) return { ok: false, reason: 'missing', detail: 'no call id' };
		if (queue === undefined) return { ok: false, reason: 'missing', detail: 'no queue' };
		if (callId.length > 120 || queue.length > 128)
			return { ok: false, reason: 'malformed', detail: 'call id or queue longer than 128 characters' };
		const arrive = time('arrival');
		if (arrive === undefined) return { ok: false, reason: 'missing', detail: 'no arrival time' };
		if (arrive === null) return { ok: false, reason: 'bad-time', detail: `arrival "${cell(cols.arrival)}" is not ${mapping.timeFormat}` };
		const answerT = time('answer');
		const endT = time('end');
		if (answerT === null) return { ok: false, reason: 'bad-time', detail: `answer "${cell(cols.answer)}" is not ${mapping.timeFormat}` };
		if (endT === null) return { ok: false, reason: 'bad-time', detail: `end "${cell(cols.end)}" is not ${mapping.timeFormat}` };
		const wait = num('waitSeconds');
		const talk = num('talkSeconds');
		const heatRaw = num('heat');
		const value = num('value');
		const badNumber = (k: 'waitSeconds' | 'talkSeconds' | 'heat' | 'value', why: 'bad' | 'ambiguous'): RowResult =>
			why === 'bad'
				? { ok: false, reason: 'bad-number', detail: `${k} "${cell(cols[k])}" is not a number >= 0` }
				: {
						ok: false,
						reason: 'ambiguous-number',
						detail: `${k} "${cell(cols[k])}" does not read with decimal "${mapping.decimal}" and ${mapping.thousands === undefined ? 'no thousands separator' : `thousands "${mapping.thousands}"`}: set decimal or thousands in the mapping`
					};
		if (typeof wait === 'string') return badNumber('waitSeconds', wait);
		if (typeof talk === 'string') return badNumber('talkSeconds', talk);
		if (typeof heatRaw === 'string') return badNumber('heat', heatRaw);
		if (typeof value === 'string') return badNumber('value', value);
		const agent = cell(cols.agent);
		let outcome: Row['outcome'];
		const o = cell(cols.outcome);
		if (cols.outcome !== undefined) {
			const key = (o ?? '').toLowerCase();
			if (answeredSet.has(key)) outcome = 'answered';
			else if (abandonedSet.has(key)) outcome = 'abandoned';
			else
				return {
					ok: false,
					reason: 'unknown-outcome',
					detail: `outcome "${o ?? ''}" is in neither outcomes.answered nor outcomes.abandoned`
				};
		} else outcome = answerT !== undefined || agent !== undefined ? 'answered' : 'abandoned';
		// the wait ends at the answer (answered) or the hang-up (abandoned)
		const waitEnd = answerT ?? (wait !== undefined ? arrive + wait * 1000 : outcome === 'abandoned' ? endT : undefined);
		if (waitEnd === undefined)
			return {
				ok: false,
				reason: 'missing',
				detail: `an ${outcome} call needs ${outcome === 'answered' ? 'an answer time or wait seconds' : 'wait seconds or an end time'}`
			};
		let end: number | undefined;
		if (outcome === 'answered') {
			end = endT ?? (talk !== undefined ? waitEnd + talk * 1000 : undefined);
			if (end === undefined) return { ok: false, reason: 'missing', detail: 'an answered call needs an end time or talk seconds' };
		}
		if (waitEnd < arrive) return { ok: false, reason: 'bad-time', detail: 'answered or left before it arrived' };
		const heat = heatRaw !== undefined ? heatRaw / mapping.heatScale : mapping.defaults.heat;
		if (heat !== undefined && heat > 1)
			return { ok: false, reason: 'bad-number', detail: `heat ${heatRaw} is above heatScale ${mapping.heatScale}` };
		const caller = cell(cols.caller);
		const source = cell(cols.leadSource) ?? mapping.defaults.leadSource;
		return {
			ok: true,
			row: {
				callId,
				queue,
				arrive,
				outcome,
				answer: waitEnd,
				end,
				agent,
				heat,
				value: value ?? mapping.defaults.value,
				source: source !== undefined ? source.slice(0, 128) : undefined,
				caller: caller !== undefined && caller.length <= 64 ? caller : undefined
			}
		};
	};

	const byDay = new Map<string, CallRecord[]>();
	const extra = new Map<string, { heat: number | undefined; value: number | undefined; source: string | undefined }>();
	const seen = new Set<string>();
	for (const rec of body) {
		counts.rows++;
		if (width !== undefined && rec.fields.length !== width) {
			refuse(rec.line, 'malformed', `${rec.fields.length} fields, the header has ${width}`);
			continue;
		}
		const r = rowOf(rec.fields);
		if (!r.ok) {
			refuse(rec.line, r.reason, r.detail);
			continue;
		}
		const row = r.row;
		const date = localDate(row.arrive, mapping.tzOffsetMinutes);
		if (opts.date !== undefined && date !== opts.date) {
			counts.quirks.otherDay++;
			continue;
		}
		const key = `${date}\u0000${row.callId}`;
		if (seen.has(key)) {
			refuse(rec.line, 'duplicate-call', `call "${row.callId}" is already on ${date}`);
			continue;
		}
		seen.add(key);
		counts.byOutcome[row.outcome]++;
		const answerMs = row.answer as number;
		let endMs = row.end;
		if (endMs !== undefined && endMs < answerMs) {
			counts.quirks.endBeforeAnswer++;
			endMs = answerMs;
		}
		let server: string | undefined;
		if (row.outcome === 'answered') {
			if (row.agent === undefined || row.agent.length > 120) counts.quirks.unknownAgent++;
			server = row.agent !== undefined && row.agent.length <= 120 ? row.agent : UNKNOWN_AGENT;
		}
		if (row.outcome === 'abandoned') endMs = undefined;
		let list = byDay.get(date);
		if (list === undefined) byDay.set(date, (list = []));
		const start = midnight(date, mapping.tzOffsetMinutes);
		extra.set(key, { heat: row.heat, value: row.value, source: row.source });
		list.push({
			callId: row.callId,
			queue: row.queue,
			heat: row.heat ?? 0,
			value: row.value ?? 0,
			priority: 0,
			caller: row.caller,
			arriveMs: row.arrive - start,
			answerMs: answerMs - start,
			endMs: endMs !== undefined ? endMs - start : undefined,
			server
		});
	}
	const days = new Map<string, HeatEvent[]>();
	const dayStart = new Map<string, number>();
	for (const [date, calls] of byDay) {
		const overlap = emptyCounts();
		const events = dayEvents(calls, overlap).map((e): HeatEvent => {
			if (e.type !== 'call.arrived') return e;
			// the day builder speaks for the bank's data: put back what this export says, or nothing
			const x = extra.get(`${date}\u0000${e.callId}`);
			const { heat: _h, value: _v, source: _s, ...rest } = e;
			return {
				...rest,
				source: x?.source ?? 'phone',
				...(x?.heat !== undefined ? { heat: x.heat } : {}),
				...(x?.value !== undefined ? { value: x.value } : {})
			};
		});
		counts.quirks.agentOverlap += overlap.byReason.agentOverlap;
		days.set(date, events);
		dayStart.set(date, midnight(date, mapping.tzOffsetMinutes));
	}
	return { days, dayStart, counts, rejectedLines };
}

export async function importCsvFile(path: string, mapping: CsvMapping, opts: { date?: string } = {}): Promise<CsvImport> {
	return importCsvText(await readFile(path, 'utf8'), mapping, opts);
}

export function csvObserveConfig(events: readonly HeatEvent[]): EngineConfigInput {
	const ids = [...new Set(events.flatMap((e) => (e.type === 'call.arrived' ? [e.queue] : [])))].sort();
	return { defaultMode: 'observe', queues: ids.map((id) => ({ id, mode: 'observe' as const, wrapUpSeconds: 0 })) };
}

export function csvJournalHeader(
	date: string,
	events: readonly HeatEvent[],
	file: string,
	mapping: CsvMapping,
	dayStartEpochMs: number
): JournalHeader {
	return {
		format: JOURNAL_FORMAT,
		v: 1,
		source: 'csv',
		date,
		file,
		tzOffsetMinutes: mapping.tzOffsetMinutes,
		dayStartEpochMs,
		engine: csvObserveConfig(events)
	};
}
