import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HeatEvent } from '../../engine/events';
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
