import { basename } from 'node:path';
import type { EngineConfigInput } from '../../engine/config';
import type { HeatEvent } from '../../engine/events';
import { checkHeader, JournalError, scanJournal, type BadLineReason, type JournalHeader } from '../../../../simulator/import/journal';
import { dayOrigin, rebaseEngineConfig } from './origin';
import { readRecord } from './record';

export { JournalError, type BadLineReason };

export interface BadLine {
	/** 1-based line of the file */
	line: number;
	reason: BadLineReason;
	detail: string;
}

/**
 * A journal read for replay: every event validated once here, so the replay can step them on the
 * engine's trusted path. `lines[i]` is the file line of `events[i]`, for messages about an event the
 * engine refuses later.
 *
 * Times are ms since the day's local midnight whatever the file's clock, so a replay's start
 * (`--from 09:00`), its seeks and the board's clock all read as the day's time of day: a live
 * journal's epoch times are moved back by `originMs`.
 */
export interface ReplayJournal {
	path: string;
	/** the file name, shown on the board */
	name: string;
	header: JournalHeader;
	/** the observe-mode engine config the day replays under (on the time-of-day clock) */
	engine: EngineConfigInput;
	/** epoch ms of the local midnight the file's times were moved back by; 0 when they already counted from it */
	originMs: number;
	events: HeatEvent[];
	/**
	 * A live journal's source clock of each record (time of day): the live board applied each as
	 * `advance(clock)` then the event, and the journal holds every timer the live engine had
	 * delivered. Null for journals without clocks (importers, the simulator).
	 */
	clocks: Float64Array | null;
	lines: Int32Array;
	bad: BadLine[];
	badByReason: Record<BadLineReason, number>;
}

/** bad lines kept with their details; the rest are only counted */
const MAX_LISTED = 100;

/**
 * Reads a journal. A bad header is fatal (the file is not a journal); a bad event line is counted
 * by reason with its line number, and every good event around it is kept.
 */
export async function readReplayJournal(path: string): Promise<ReplayJournal> {
	const events: HeatEvent[] = [];
	const lines: number[] = [];
	const clocks: Array<number | null> = [];
	const bad: BadLine[] = [];
	const badByReason: Record<BadLineReason, number> = { notJson: 0, invalid: 0 };
	const badLine = (line: number, reason: BadLineReason, detail: string) => {
		badByReason[reason]++;
		if (bad.length < MAX_LISTED) bad.push({ line, reason, detail });
	};
	const header = await scanJournal(
		path,
		{
			event: (e, line, clock) => {
				events.push(e);
				lines.push(line);
				clocks.push(clock);
			},
			bad: badLine
		},
		checkReplayHeader,
		readRecord
	);
	const originMs = dayOrigin(header);
	const hasClocks = clocks.some((c) => c !== null);
	return {
		path,
		name: basename(path),
		header,
		engine: rebaseEngineConfig(observeEngineConfig(header, events), originMs),
		originMs,
		events: originMs === 0 ? events : events.map((e) => ({ ...e, t: e.t - originMs })),
		// a record without its clock was applied at its own time, as the live source's reader takes it
		clocks: hasClocks ? Float64Array.from(clocks, (c, i) => (c ?? (events[i] as HeatEvent).t) - originMs) : null,
		lines: Int32Array.from(lines),
		bad,
		badByReason
	};
}

/** A replay also runs the header's engine config, so that must be an object too. */
function checkReplayHeader(raw: unknown, path: string): JournalHeader {
	const h = checkHeader(raw, path);
	if (h.engine !== undefined && (typeof h.engine !== 'object' || h.engine === null || Array.isArray(h.engine)))
		throw new JournalError(`${path}:1: header.engine is not an engine config object`);
	return h;
}

/**
 * The recorded day's phone system made every decision, so the replay only observes: the header's
 * engine config (an importer writes one) with every queue in observe mode, or, for a journal
 * without one (the simulator's), observe-mode queues named by the arrivals.
 */
export function observeEngineConfig(header: JournalHeader, events: readonly HeatEvent[]): EngineConfigInput {
	const given = header.engine as EngineConfigInput | undefined;
	if (given !== undefined) {
		return {
			...given,
			defaultMode: 'observe',
			queues: (given.queues ?? []).map((q) => ({ ...q, mode: 'observe' as const }))
		};
	}
	const queues = [...new Set(events.flatMap((e) => (e.type === 'call.arrived' ? [e.queue] : [])))].sort();
	return { defaultMode: 'observe', queues: queues.map((id) => ({ id, mode: 'observe' as const })) };
}

/** "file:line" of the i-th event, for messages. */
export function whereIs(journal: Pick<ReplayJournal, 'path' | 'lines'>, index: number): string {
	return `${journal.path}:${journal.lines[index] ?? '?'}`;
}

/** One line for a log: how many lines were left out, by reason, and the first of them. */
export function describeBadLines(journal: Pick<ReplayJournal, 'path' | 'bad' | 'badByReason'>): string | null {
	const total = journal.badByReason.notJson + journal.badByReason.invalid;
	if (total === 0) return null;
	const reasons = (Object.entries(journal.badByReason) as Array<[BadLineReason, number]>)
		.filter(([, k]) => k > 0)
		.map(([r, k]) => `${r} ${k}`)
		.join(', ');
	const first = journal.bad[0];
	const where = first === undefined ? '' : `; first at ${journal.path}:${first.line}: ${first.detail}`;
	return `journal ${journal.path}: ${total} bad line${total === 1 ? '' : 's'} left out (${reasons})${where}`;
}
