import { readFileSync } from 'node:fs';
import type { EngineTimer, HeatEvent } from '../../engine/events';
import { parseEvent } from '../../engine/schema';
import { JournalError, parseHeaderLine, type JournalHeader, type JournalReject } from '../../../../simulator/import/journal';
import type { JournalRecord } from './journal-writer';

export interface DayJournal {
	header: JournalHeader;
	records: JournalRecord[];
	/** lines skipped, with their line numbers (a torn last line among them) */
	bad: JournalReject[];
	/** the file did not end with a newline: a crash cut its last line */
	torn: boolean;
}

const TIMER_KINDS: ReadonlySet<string> = new Set(['wrap.end', 'ring.timeout', 'escalate', 'overflow']);

/**
 * The engine's own timers are checked for shape only: their ids are derived from a call or agent id
 * (`<agent>/wrap.end-timer3`) and may run past the length the input schema allows an outside id.
 */
function engineTimer(raw: Record<string, unknown>): EngineTimer | null {
	const { id, t, kind, callId, agentId, seq } = raw;
	if (raw.type !== 'timer' || typeof id !== 'string' || typeof t !== 'number' || !Number.isFinite(t)) return null;
	if (typeof kind !== 'string' || !TIMER_KINDS.has(kind)) return null;
	if (callId !== undefined && typeof callId !== 'string') return null;
	if (agentId !== undefined && typeof agentId !== 'string') return null;
	if (seq !== undefined && !Number.isSafeInteger(seq)) return null;
	const e = { type: 'timer', id, t, kind } as EngineTimer;
	if (callId !== undefined) e.callId = callId as string;
	if (agentId !== undefined) e.agentId = agentId as string;
	if (seq !== undefined) e.seq = seq as number;
	return e;
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
		let event: HeatEvent | null = engineTimer(obj);
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
