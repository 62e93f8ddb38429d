import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { HeatEvent } from '../../src/lib/engine/events';
import { parseEvent } from '../../src/lib/engine/schema';

export const JOURNAL_FORMAT = 'heatboard-journal';

export interface JournalHeader {
	format: typeof JOURNAL_FORMAT;
	v: 1;
	source: string;
	[key: string]: unknown;
}

export interface JournalReject {
	line: number;
	detail: string;
}

export interface Journal {
	header: JournalHeader;
	events: HeatEvent[];
	rejects: JournalReject[];
}

export class JournalError extends Error {
	override name = 'JournalError';
}

export async function writeJournal(path: string, header: JournalHeader, events: Iterable<HeatEvent>): Promise<void> {
	const lines = [JSON.stringify(header)];
	for (const e of events) lines.push(JSON.stringify(e));
	await writeFile(path, lines.join('\n') + '\n');
}

/** Checks a parsed first line is a journal header this code reads (format and version); throws a JournalError naming the file. */
export function checkHeader(raw: unknown, path: string): JournalHeader {
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new JournalError(`${path}:1: the header is not a JSON object`);
	const h = raw as Record<string, unknown>;
	if (h.format !== JOURNAL_FORMAT) throw new JournalError(`${path}:1: not a heatboard journal (format ${JSON.stringify(h.format)})`);
	if (h.v !== 1) throw new JournalError(`${path}:1: unsupported journal version ${JSON.stringify(h.v)}`);
	if (typeof h.source !== 'string') throw new JournalError(`${path}:1: the header names no source`);
	return h as JournalHeader;
}

/** The first line of a journal file, parsed and checked (by `check`: checkHeader, or a reader's stricter one). */
export function parseHeaderLine(text: string, path: string, check: HeaderCheck = checkHeader): JournalHeader {
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch {
		throw new JournalError(`${path}:1: the header is not JSON`);
	}
	return check(raw, path);
}

export type HeaderCheck = (raw: unknown, path: string) => JournalHeader;

/** Why an event line was left out: not JSON at all, or not a valid event. */
export type BadLineReason = 'notJson' | 'invalid';

export interface JournalLineSink {
	/** a valid event, with its 1-based line in the file and the clock it was applied at (live journals only) */
	event(e: HeatEvent, line: number, clock: number | null): void;
	bad(line: number, reason: BadLineReason, detail: string): void;
}

/** One parsed event line: the event and, for a live journal, the source clock it was applied at. */
export type LineRecord = { ok: true; event: HeatEvent; clock: number | null } | { ok: false; detail: string };
export type LineReader = (raw: unknown) => LineRecord;

/** An importer's event line: the input schema, no clock. */
export function readEventLine(raw: unknown): LineRecord {
	const parsed = parseEvent(raw);
	return parsed.ok ? { ok: true, event: parsed.event, clock: null } : { ok: false, detail: parsed.detail };
}

/**
 * Streams a journal file line by line into `sink` and returns its header. A bad header is fatal
 * (the file is not a journal); a bad event line goes to the sink with its line number, so every
 * good event around it is kept. Blank lines are skipped.
 */
export async function scanJournal(
	path: string,
	sink: JournalLineSink,
	check: HeaderCheck = checkHeader,
	read: LineReader = readEventLine
): Promise<JournalHeader> {
	const rl = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
	let header: JournalHeader | undefined;
	let n = 0;
	for await (const text of rl) {
		n++;
		if (header === undefined) {
			header = parseHeaderLine(text, path, check);
			continue;
		}
		if (text.trim() === '') continue;
		let raw: unknown;
		try {
			raw = JSON.parse(text);
		} catch (err) {
			sink.bad(n, 'notJson', err instanceof Error ? err.message : String(err));
			continue;
		}
		const r = read(raw);
		if (r.ok) sink.event(r.event, n, r.clock);
		else sink.bad(n, 'invalid', r.detail);
	}
	if (header === undefined) throw new JournalError(`${path}: empty file, no journal header`);
	return header;
}

/** Reads a journal whole: its events, and the lines left out with why. */
export async function readJournal(path: string): Promise<Journal> {
	const events: HeatEvent[] = [];
	const rejects: JournalReject[] = [];
	const header = await scanJournal(path, {
		event: (e) => events.push(e),
		bad: (line, reason, detail) => rejects.push({ line, detail: reason === 'notJson' ? `not JSON: ${detail}` : detail })
	});
	return { header, events, rejects };
}
