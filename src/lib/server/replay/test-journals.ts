import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Engine } from '../../engine/engine';
import type { HeatEvent } from '../../engine/events';
import { snapshot } from '../../engine/views';
import { journalFile } from '../live/journal-writer';
import { TelephonySource } from '../live/telephony-source';
import { callScript } from '../live/test-support/call-script';
import { dayEvents, journalHeader, parseAnonymousBankFile } from '../../../../simulator/import/anonymous-bank';
import { writeJournal } from '../../../../simulator/import/journal';

/** The two real 1999 days shipped with the importer's tests. */
export const BANK_FIXTURES = fileURLToPath(new URL('../../../../tests/fixtures/anonymous-bank/', import.meta.url));

/**
 * For specs: imports a real recorded day with the importer's API and writes it as a journal in a
 * fresh temporary directory. Returns the journal's path and the day's events as imported.
 */
export async function bankJournal(date: '990505' | '990507'): Promise<{ path: string; events: HeatEvent[] }> {
	const parsed = await parseAnonymousBankFile(join(BANK_FIXTURES, `${date}.txt`));
	const events = dayEvents(parsed.days.get(date) ?? []);
	const path = join(mkdtempSync(join(tmpdir(), 'hb-replay-')), `anonymous-bank-${date}.ndjson`);
	await writeJournal(path, journalHeader(date, events, `${date}.txt`), events);
	return { path, events };
}

/** Arrivals of a day before source time t, counted straight from the events. */
export function arrivalsBefore(events: readonly HeatEvent[], t: number): number {
	let n = 0;
	for (const e of events) if (e.type === 'call.arrived' && e.t < t) n++;
	return n;
}

/** an agent id at the schema's limit: its wrap-up timer's id (`<agent>/wrap.end-…`) is longer than an outside id may be */
export const LONG_AGENT = `agent-${'x'.repeat(122)}`;

/** epoch ms of local midnight on 2026-11-23 at a phone system `tzOffsetMinutes` ahead of UTC */
export const liveMidnight = (tzOffsetMinutes: number): number => Date.UTC(2026, 10, 23) - tzOffsetMinutes * 60_000;

export interface LiveDay {
	path: string;
	/** epoch ms of the day's local midnight */
	midnight: number;
	/** the live board's snapshot JSON at instants between records (epoch ms), and at `endAt` */
	boards: Map<number, string>;
	endAt: number;
	/** the live board's engine at `endAt` */
	engine: Engine;
}

/**
 * For specs: a stretch of a live day (2026-11-23, local time) recorded by the real live source (TelephonySource) in a fresh
 * temporary directory, from 08:30 local on, with an agent whose timer ids are long. The live board
 * is read, as the hub reads it, at `marks` (local ms since midnight) and at the end, 2 minutes after
 * the last event.
 */
export function liveJournal(tzOffsetMinutes: number, marks: readonly number[], count = 900): LiveDay {
	const dir = mkdtempSync(join(tmpdir(), 'hb-replay-live-'));
	const midnight = liveMidnight(tzOffsetMinutes);
	let now = midnight + 8 * 3_600_000;
	const src = new TelephonySource({
		name: 'PBX 1',
		journalDir: dir,
		now: () => now,
		tzOffsetMinutes,
		engine: { queues: [{ id: 'sales' }, { id: 'support' }] }
	});
	const boards = new Map<number, string>();
	const read = (at: number) => {
		now = at;
		src.advance();
		boards.set(at, JSON.stringify(snapshot(src.engine, src.now())));
	};
	const t0 = midnight + 8.5 * 3_600_000;
	const long: Array<Record<string, unknown>> = [
		{ type: 'agent.state', id: 'long-in', t: t0 - 60_000, agentId: LONG_AGENT, state: 'available', skills: { sales: 1 } },
		{ type: 'call.arrived', id: 'long-c', t: t0 - 50_000, callId: 'long-c', queue: 'sales' },
		{ type: 'call.answered', id: 'long-a', t: t0 - 49_000, callId: 'long-c', agentId: LONG_AGENT },
		{ type: 'call.ended', id: 'long-e', t: t0 - 20_000, callId: 'long-c', wrapMs: 7_000 }
	];
	const script = [...long.map((e) => ({ event: e as unknown as HeatEvent, at: (e.t as number) + 300 })), ...callScript(11, count, t0)];
	const pending = [...marks].map((m) => midnight + m).sort((a, b) => a - b);
	script.forEach(({ event, at }, i) => {
		while (pending.length > 0 && (pending[0] as number) < at) {
			const mark = pending.shift() as number;
			// a replay at T has the records before T: one at T itself would be on the live board only
			if (mark <= now) throw new Error(`mark ${mark} is on or before the record at ${now}: pick another`);
			read(mark);
		}
		now = at;
		const r = src.ingest(event, 'test:script');
		if (!r.ok) throw new Error(`scripted event ${i} (${event.type} ${event.id}) refused: ${r.reason}: ${r.detail}`);
		if (i % 5 === 0) src.advance();
	});
	const endAt = now + 120_001;
	read(endAt);
	src.close();
	return { path: journalFile(dir, 'pbx-1', '2026-11-23'), midnight, boards, endAt, engine: src.engine };
}
