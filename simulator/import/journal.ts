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
	if (typeof raw !== 'object' || raw === null) throw new JournalError(`${path}:1: the header is not a JSON object`);
	const h = raw as Record<string, unknown>;
	if (h.format !== JOURNAL_FORMAT) throw new JournalError(`${path}:1: not a heatboard journal (format ${JSON.stringify(h.format)})`);
	if (h.v !== 1) throw new JournalError(`${path}:1: unsupported journal version ${JSON.stringify(h.v)}`);
	if (typeof h.source !== 'string') throw new JournalError(`${path}:1: the header names no source`);
	return h as JournalHeader;
}

/**
 * Reads a journal line by line. A bad header is fatal (the file is not a journal); a bad event line
 * is collected with its line number so every good event around it is kept.
 */
export async function readJournal(path: string): Promise<Journal> {
	const rl = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
	let header: JournalHeader | undefined;
	const events: HeatEvent[] = [];
	const rejects: JournalReject[] = [];
	let n = 0;
	for await (const text of rl) {
		n++;
		if (header === undefined) {
			let raw: unknown;
			try {
				raw = JSON.parse(text);
			} catch {
				throw new JournalError(`${path}:1: the header is not JSON`);
			}
			header = checkHeader(raw, path);
			continue;
		}
		if (text.trim() === '') continue;
		let raw: unknown;
		try {
			raw = JSON.parse(text);
		} catch (err) {
			rejects.push({ line: n, detail: `not JSON: ${err instanceof Error ? err.message : String(err)}` });
			continue;
		}
		const parsed = parseEvent(raw);
		if (parsed.ok) events.push(parsed.event);
		else rejects.push({ line: n, detail: parsed.detail });
	}
	if (header === undefined) throw new JournalError(`${path}: empty file, no journal header`);
	return { header, events, rejects };
}
