import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/lib/engine/engine';
import { Driver } from '../../src/lib/engine/driver';
import type { EngineConfigInput } from '../../src/lib/engine/config';
import type { HeatEvent } from '../../src/lib/engine/events';
import { snapshot } from '../../src/lib/engine/views';
import { cli } from '../cli/run-in-process';
import { readJournal } from './journal';
import { readCsv } from './csv-read';
import { csvJournalHeader, importCsvFile, importCsvText, resolveCsvMapping, timeParser } from './csv';

const DIR = fileURLToPath(new URL('../../tests/fixtures/csv/', import.meta.url));
const CSV = join(DIR, 'calls.csv');
const MAPPING = resolveCsvMapping(JSON.parse(readFileSync(join(DIR, 'mapping.json'), 'utf8')));

function replay(config: EngineConfigInput, events: readonly HeatEvent[]) {
	const engine = new Engine(config);
	const driver = new Driver(engine, false);
	driver.pushAll(events);
	return { engine, driver, day: snapshot(engine).totals.day };
}

/**
 * The export's own figures, counted from its records: a row counts when it has every header field,
 * a real date, an ANSWERED or ABANDONED disposition (any case) and a call id not seen before; an
 * answered call waited from Start to Answered At.
 */
function countCsv() {
	const [head, ...rows] = readCsv(readFileSync(CSV, 'utf8')).records;
	const col = (name: string) => head!.fields.indexOf(name);
	const seconds = (s: string) => {
		const m = /^(\d\d)\/(\d\d)\/(\d{4}) (\d\d):(\d\d):(\d\d)$/.exec(s);
		if (!m) return null;
		const d = new Date(Date.UTC(+m[3]!, +m[2]! - 1, +m[1]!, +m[4]!, +m[5]!, +m[6]!));
		return d.getUTCDate() === +m[1]! ? d.getTime() / 1000 : null;
	};
	const ids = new Set<string>();
	let answered = 0;
	let abandoned = 0;
	let wait = 0;
	for (const r of rows) {
		const f = r.fields;
		if (f.length !== head!.fields.length) continue;
		const start = seconds(f[col('Start')]!);
		const outcome = f[col('Disposition')]!.toUpperCase();
		if (start === null || (outcome !== 'ANSWERED' && outcome !== 'ABANDONED') || ids.has(f[0]!)) continue;
		ids.add(f[0]!);
		if (outcome === 'ANSWERED') {
			answered++;
			wait += seconds(f[col('Answered At')]!)! - start;
		} else abandoned++;
	}
	return { offered: answered + abandoned, answered, abandoned, asa: wait / answered, rows: rows.length };
}

describe('CSV call-detail importer', () => {
	it('the example export replays to its own offered, answered, abandoned and ASA; the engine rejects nothing', async () => {
		const expected = countCsv();
		const r = await importCsvFile(CSV, MAPPING);
		expect([...r.days.keys()]).toEqual(['2026-03-10']);
		const events = r.days.get('2026-03-10') ?? [];
		const { driver, engine, day } = replay(
			csvJournalHeader('2026-03-10', events, 'calls.csv', MAPPING, 0).engine as EngineConfigInput,
			events
		);
		expect(driver.rejected).toEqual([]);
		expect(engine.counts.contradictions).toEqual({});
		expect(day.offered).toBe(expected.offered);
		expect(day.answered).toBe(expected.answered);
		expect(day.abandoned).toBe(expected.abandoned);
		expect(day.asa).toBeCloseTo(expected.asa, 9);
		expect(r.counts.rows).toBe(expected.rows);
		expect(engine.calls.size).toBe(0);
	});

	it('counts every unusable row by reason with its line, and what it repaired', async () => {
		const r = await importCsvFile(CSV, MAPPING);
		expect(r.counts.rejected).toEqual({
			malformed: 1,
			missing: 0,
			'bad-time': 1,
			'bad-number': 0,
			'ambiguous-number': 0,
			'unknown-outcome': 1,
			'duplicate-call': 1
		});
		expect(r.counts.byOutcome).toEqual({ answered: 9, abandoned: 3 });
		expect(r.counts.quirks).toMatchObject({ unknownAgent: 1, agentOverlap: 1 });
		const lines = readFileSync(CSV, 'utf8').split(/\r\n|\n/);
		for (const l of r.rejectedLines) expect(lines[l.line - 1]).toMatch(/^C-10(15|07|03|10),/);
		expect(r.rejectedLines.map((l) => l.reason).sort()).toEqual(['bad-time', 'duplicate-call', 'malformed', 'unknown-outcome']);
	});

	it('number cells are read with the separators the mapping declares; a value that does not fit them is refused as ambiguous', () => {
		const text = (value: string) => `id;q;start;wait;value\nc1;sales;2026-03-10T09:00:00;12;${value}\n`;
		const base = { delimiter: ';', columns: { callId: 'id', queue: 'q', arrival: 'start', waitSeconds: 'wait', value: 'value' } };
		const valueOf = (mapping: Record<string, unknown>, cell: string) => {
			const r = importCsvText(text(cell), resolveCsvMapping({ ...base, ...mapping }));
			const arrived = r.days.get('2026-03-10')?.find((e) => e.type === 'call.arrived');
			return arrived !== undefined && 'value' in arrived ? arrived.value : r.rejectedLines[0]?.reason;
		};
		// the default: "." decimals, no thousands separator; "1,500" is 1.5 to some exports and 1500 to others
		expect(valueOf({}, '1500.25')).toBe(1500.25);
		expect(valueOf({}, '1,500')).toBe('ambiguous-number');
		expect(valueOf({}, '1,5')).toBe('ambiguous-number');
		expect(valueOf({}, 'lots')).toBe('bad-number');
		expect(valueOf({ thousands: ',' }, '1,500')).toBe(1500);
		expect(valueOf({ thousands: ',' }, '1,500,000.5')).toBe(1_500_000.5);
		expect(valueOf({ thousands: ',' }, '1,50')).toBe('ambiguous-number');
		expect(valueOf({ decimal: ',' }, '1,5')).toBe(1.5);
		expect(valueOf({ decimal: ',' }, '1.500')).toBe('ambiguous-number');
		expect(valueOf({ decimal: ',', thousands: '.' }, '1.500,75')).toBe(1500.75);
		expect(valueOf({ decimal: ',', thousands: ' ' }, '12 500,5')).toBe(12_500.5);
		const r = importCsvText(text('1,500'), resolveCsvMapping(base));
		expect(r.counts.rejected['ambiguous-number']).toBe(1);
		expect(r.rejectedLines[0]?.detail).toMatch(/value "1,500" does not read with decimal "\." and no thousands separator/);
		expect(() => resolveCsvMapping({ ...base, decimal: ',', thousands: ',' })).toThrow(/thousands/);
	});

	it('rows become time-ordered events on the local day clock, with heat, value, lead source and caller', async () => {
		const r = await importCsvFile(CSV, MAPPING);
		const events = r.days.get('2026-03-10') ?? [];
		for (let i = 1; i < events.length; i++) expect(events[i]!.t).toBeGreaterThanOrEqual(events[i - 1]!.t);
		const first = events.find((e) => e.type === 'call.arrived' && e.callId === 'C-1001');
		// 09:00:05 local at +60 minutes is 08:00:05 UTC; the day clock is local
		expect(first).toMatchObject({
			t: (9 * 3600 + 5) * 1000,
			queue: 'Sales',
			heat: 0.88,
			value: 2400,
			source: 'Spring promo',
			caller: '+34911000001'
		});
		const support = events.find((e) => e.type === 'call.arrived' && e.callId === 'C-1003');
		expect(support).not.toHaveProperty('heat');
		expect(support).toMatchObject({ source: 'phone' });
		expect(events.find((e) => e.type === 'call.arrived' && e.callId === 'C-1004')).toMatchObject({ source: 'Pricing page, EU' });
		// one login on two calls at once is two seats; an answered call without an agent is UNKNOWN's
		const agents = new Set(events.flatMap((e) => (e.type === 'call.answered' ? [e.agentId] : [])));
		expect([...agents].sort()).toEqual(['Ana Ruiz', 'Jonas Berg', 'Maria Lopez', 'Maria Lopez#2', 'UNKNOWN']);
		// the late call ends after midnight and stays on its day
		const late = events.find((e) => e.type === 'call.ended' && e.callId === 'C-1014');
		expect(late?.t).toBe((24 * 3600 + 4 * 60) * 1000);
	});

	it('wait and talk seconds instead of times, no header, semicolons, epoch seconds; --date-style day filter', () => {
		const mapping = resolveCsvMapping({
			delimiter: ';',
			header: false,
			timeFormat: 'epoch',
			queue: 'sales',
			columns: { callId: 1, arrival: 2, waitSeconds: 3, talkSeconds: 4, agent: 5 }
		});
		const base = Date.parse('2026-03-10T09:00:00Z') / 1000;
		const text = [`a;${base};12;300;ann`, `b;${base + 60};45;;`, `c;${base + 86_400};5;60;bob`, `d;soon;5;60;bob`].join('\n');
		const r = importCsvText(text, mapping, { date: '2026-03-10' });
		const events = r.days.get('2026-03-10') ?? [];
		expect(events.map((e) => [e.type, e.t / 1000 - 9 * 3600])).toEqual([
			['call.arrived', 0],
			['agent.state', 12],
			['call.offered', 12],
			['call.answered', 12],
			['call.arrived', 60],
			['call.abandoned', 105],
			['call.ended', 312]
		]);
		expect(r.counts.quirks.otherDay).toBe(1);
		expect(r.counts.rejected['bad-time']).toBe(1);
	});

	it('mapping errors name the key at fault', () => {
		expect(() => resolveCsvMapping({ columns: { callId: 'id', arrival: 'start' } })).toThrow(/columns\.queue/);
		expect(() => resolveCsvMapping({ queue: 'q', columns: { arrival: 'start' } })).toThrow(/columns\.callId/);
		expect(() => resolveCsvMapping({ queue: 'q', timeFormat: 'whenever', columns: { callId: 'id', arrival: 'start' } })).toThrow(
			/timeFormat/
		);
		expect(() => resolveCsvMapping({ queue: 'q', header: false, columns: { callId: 'id', arrival: 2 } })).toThrow(/1-based/);
		const m = resolveCsvMapping({ queue: 'q', columns: { callId: 'id', arrival: 'nope' } });
		expect(() => importCsvText('id,start\n1,2026-03-10 09:00:00\n', m)).toThrow(/no column "nope"/);
	});

	it('times: ISO with and without a zone, patterns, and impossible dates refused', () => {
		const iso = timeParser('iso', 60);
		expect(iso('2026-03-10T09:00:00Z')).toBe(Date.parse('2026-03-10T09:00:00Z'));
		expect(iso('2026-03-10 10:00:00')).toBe(Date.parse('2026-03-10T09:00:00Z'));
		expect(iso('2026-03-10T11:30:00+02:30')).toBe(Date.parse('2026-03-10T09:00:00Z'));
		expect(iso('2026-02-30T10:00:00')).toBeNull();
		const us = timeParser('MM/DD/YYYY HH:mm:ss', 0);
		expect(us('03/10/2026 09:00:00')).toBe(Date.parse('2026-03-10T09:00:00Z'));
		expect(us('13/10/2026 09:00:00')).toBeNull();
		expect(timeParser('epoch-ms', 0)('1773133200000')).toBe(1773133200000);
	});
});

describe('heatboard import csv', () => {
	it('writes the journal and prints the counts with file:line; no --mapping is a usage error', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'hb-csv-'));
		const out = join(dir, 'day.ndjson');
		const r = await cli('import', 'csv', 'tests/fixtures/csv/calls.csv', '--mapping', 'tests/fixtures/csv/mapping.json', '--out', out);
		expect(r.err).toBe('');
		expect(r.code).toBe(0);
		expect(r.out).toMatch(/answered\s+9/);
		expect(r.out).toMatch(/calls\.csv:\d+: unknown-outcome: outcome "VOICEMAIL"/);
		const j = await readJournal(out);
		expect(j.header).toMatchObject({ source: 'csv', date: '2026-03-10', tzOffsetMinutes: 60 });
		expect(replay(j.header.engine as EngineConfigInput, j.events).day.offered).toBe(countCsv().offered);
		expect((await cli('import', 'csv', 'tests/fixtures/csv/calls.csv', '--out', out)).code).toBe(2);
		writeFileSync(join(dir, 'm.json'), '{"columns": {"callId": "Call ID", "arrival": "Nope"}, "queue": "q"}');
		const bad = await cli('import', 'csv', 'tests/fixtures/csv/calls.csv', '--mapping', join(dir, 'm.json'), '--out', out);
		expect(bad.code).toBe(2);
		expect(bad.err).toContain('no column "Nope"');
	});
});
