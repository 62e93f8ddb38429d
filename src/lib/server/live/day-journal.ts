import { readFileSync } from 'node:fs';
import type { HeatEvent } from '../../engine/events';
import { parseEvent } from '../../engine/schema';
import { JournalError, parseHeaderLine, type JournalHeader, type JournalReject } from '../../../../simulator/import/journal';
import type { JournalRecord } from './journal-writer';
import { recordedTimer } from '../recorded-timer';

export interface DayJournal {
	header: JournalHeader;
	records: JournalRecord[];
	/** lines skipped, with their line numbers (a torn last line among them) */
	bad: JournalReject[];
	/** the file did not end with a newline: a crash cut its last line */
	torn: boolean;
}

/**
 * Reads a live journal day file whole and synchronously (a day of a busy center is tens of MB), for
 * the rebuild on restart. Null when there is no file. A bad header throws; a bad line is skipped
 * and reported with its number, every good record around it kept.
 */
export function readDayJournal(path: string): DayJournal | null {
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch (err) {
		if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return null;
		throw err;
	}
	const lines = text.split('\n');
	const torn = text.length > 0 && !text.endsWith('\n');
	if (!torn) lines.pop();
	const first = lines[0];
	if (first === undefined || first === '') throw new JournalError(`${path}: empty file, no journal header`);
	const header = parseHeaderLine(first, path);
	const records: JournalRecord[] = [];
	const bad: JournalReject[] = [];
	for (let i = 1; i < lines.length; i++) {
		const line = lines[i] as string;
		const n = i + 1;
		const isTornLine = torn && i === lines.length - 1;
		if (line.trim() === '') continue;
		let raw: unknown;
		try {
			raw = JSON.parse(line);
		} catch (err) {
			const why = isTornLine ? 'torn last line (cut short by a crash)' : `not JSON: ${err instanceof Error ? err.message : String(err)}`;
			bad.push({ line: n, detail: why });
			continue;
		}
		if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
			bad.push({ line: n, detail: 'not a JSON object' });
			continue;
		}
		const obj = raw as Record<string, unknown>;
		let event: HeatEvent | null = recordedTimer(obj);
		if (event === null) {
			const parsed = parseEvent(raw);
			if (!parsed.ok) {
				bad.push({ line: n, detail: parsed.detail });
				continue;
			}
			event = parsed.event;
		}
		const clock = typeof obj.clock === 'number' && Number.isFinite(obj.clock) ? obj.clock : event.t;
		records.push({ event, clock });
	}
	return { header, records, bad, torn };
}
