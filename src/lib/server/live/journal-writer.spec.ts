import { appendFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HeatEvent } from '../../engine/events';
import { readJournal } from '../../../../simulator/import/journal';
import { JournalWriter, journalFile } from './journal-writer';
import { readDayJournal } from './day-journal';

const dir = () => mkdtempSync(join(tmpdir(), 'hb-live-journal-'));
const DATE = '2026-11-23';
const events: HeatEvent[] = [
	{ type: 'agent.state', id: 'a1', t: 1000, agentId: 'ann', state: 'available', skills: { sales: 1 } },
	{ type: 'call.arrived', id: 'c1', t: 2000, callId: 'c1', queue: 'sales', heat: 0.9 },
	{ type: 'call.answered', id: 'c1a', t: 5000, callId: 'c1', agentId: 'ann' },
	{ type: 'call.ended', id: 'c1e', t: 65000, callId: 'c1', wrapMs: 3000 }
];

function writer(d: string, extra: Partial<ConstructorParameters<typeof JournalWriter>[0]> = {}): JournalWriter {
	return new JournalWriter({ dir: d, source: 'pbx1', header: () => ({ name: 'PBX 1' }), ...extra });
}

describe('JournalWriter', () => {
	it('writes a header, then one record per line, that readJournal reads back whole', async () => {
		const d = dir();
		const w = writer(d);
		events.forEach((e, i) => w.append(DATE, { event: e, clock: e.t + i }));
		w.close();
		const path = journalFile(d, 'pbx1', DATE);
		expect(path).toBe(join(d, 'pbx1-2026-11-23.ndjson'));
		const j = await readJournal(path);
		expect(j.header).toEqual({ format: 'heatboard-journal', v: 1, source: 'pbx1', date: DATE, name: 'PBX 1' });
		expect(j.events).toEqual(events);
		expect(j.rejects).toEqual([]);
		// the clock each record was applied at rides along, for the live rebuild
		expect(readDayJournal(path)?.records.map((r) => r.clock)).toEqual([1000, 2001, 5002, 65003]);
		expect(readdirSync(d)).toEqual(['pbx1-2026-11-23.ndjson']); // no temporary file left behind
	});

	it('a second writer appends to the day file without a second header', async () => {
		const d = dir();
		const a = writer(d);
		a.append(DATE, { event: events[0] as HeatEvent, clock: 1000 });
		a.close();
		const b = writer(d);
		b.append(DATE, { event: events[1] as HeatEvent, clock: 2000 });
		b.close();
		const j = await readJournal(journalFile(d, 'pbx1', DATE));
		expect(j.events).toEqual(events.slice(0, 2));
		expect(readFileSync(journalFile(d, 'pbx1', DATE), 'utf8').match(/heatboard-journal/g)).toHaveLength(1);
	});

	it('ends a torn last line left by a crash, so that line alone is lost and later records are read', async () => {
		const d = dir();
		const a = writer(d);
		a.append(DATE, { event: events[0] as HeatEvent, clock: 1000 });
		a.close();
		const path = journalFile(d, 'pbx1', DATE);
		appendFileSync(path, JSON.stringify(events[1]).slice(0, 30)); // the crash: half a record
		expect(readDayJournal(path)?.torn).toBe(true);
		const b = writer(d);
		b.append(DATE, { event: events[2] as HeatEvent, clock: 5000 });
		b.close();
		expect(b.tornRepaired).toBe(1);
		const j = await readJournal(path);
		expect(j.events).toEqual([events[0], events[2]]);
		expect(j.rejects.map((r) => r.line)).toEqual([3]);
		const day = readDayJournal(path);
		expect(day?.torn).toBe(false);
		expect(day?.records.map((r) => r.event)).toEqual([events[0], events[2]]);
		expect(day?.bad).toEqual([{ line: 3, detail: expect.stringMatching(/not JSON/) as unknown as string }]);
	});

	it('refuses to append to another source’s file, another version, or a file that is not a journal', () => {
		const d = dir();
		const path = journalFile(d, 'pbx1', DATE);
		const cases: Array<[string, RegExp]> = [
			[
				'{"format":"heatboard-journal","v":1,"source":"pbx2"}\n',
				/refusing to append: the journal is of source "pbx2", this writer's is "pbx1"/
			],
			['{"format":"heatboard-journal","v":2,"source":"pbx1"}\n', /refusing to append: .*unsupported journal version 2/],
			['{"format":"something-else","v":1,"source":"pbx1"}\n', /refusing to append: .*not a heatboard journal/],
			['queue_log|1|2|3\n', /refusing to append: the first line is not a journal header/],
			['{"format":"heatboard-journal","v":1,"source":"pbx1"}', /refusing to append: the header line is not terminated/]
		];
		for (const [content, error] of cases) {
			writeFileSync(path, content);
			const w = writer(d);
			expect(() => w.append(DATE, { event: events[0] as HeatEvent, clock: 0 })).toThrow(error);
			expect(readFileSync(path, 'utf8')).toBe(content); // untouched
			expect(w.file).toBeNull();
		}
	});

	it('gives an empty file its header', async () => {
		const d = dir();
		writeFileSync(journalFile(d, 'pbx1', DATE), '');
		const w = writer(d);
		w.append(DATE, { event: events[0] as HeatEvent, clock: 1000 });
		w.close();
		expect((await readJournal(journalFile(d, 'pbx1', DATE))).events).toEqual([events[0]]);
	});

	it('rolls to a new file, with its own header, when the day changes', async () => {
		const d = dir();
		const w = writer(d);
		w.append('2026-11-23', { event: events[0] as HeatEvent, clock: 1000 });
		expect(w.file).toBe(journalFile(d, 'pbx1', '2026-11-23'));
		w.append('2026-11-24', { event: events[1] as HeatEvent, clock: 2000 });
		expect(w.file).toBe(journalFile(d, 'pbx1', '2026-11-24'));
		w.close();
		expect(readdirSync(d).sort()).toEqual(['pbx1-2026-11-23.ndjson', 'pbx1-2026-11-24.ndjson']);
		const second = await readJournal(journalFile(d, 'pbx1', '2026-11-24'));
		expect(second.header.date).toBe('2026-11-24');
		expect(second.events).toEqual([events[1]]);
	});

	it('fsyncs after so many records or so much time, whichever comes first, and on close', () => {
		let mono = 0;
		const w = writer(dir(), { fsyncEveryRecords: 3, fsyncEveryMs: 1000, monotonic: () => mono });
		const rec = (i: number) => ({ event: { ...(events[0] as HeatEvent), id: `a${i}` }, clock: i });
		w.append(DATE, rec(1));
		w.append(DATE, rec(2));
		expect(w.syncs).toBe(0);
		w.append(DATE, rec(3));
		expect(w.syncs).toBe(1); // three records
		w.append(DATE, rec(4));
		mono = 999;
		w.flush();
		expect(w.syncs).toBe(1);
		mono = 1000;
		w.flush();
		expect(w.syncs).toBe(2); // a quiet line is synced by time
		w.flush();
		expect(w.syncs).toBe(2); // nothing new to sync
		mono = 5000;
		w.append(DATE, rec(5));
		expect(w.syncs).toBe(3); // the first record after a quiet second goes to disk at once
		w.append(DATE, rec(6));
		w.close();
		expect(w.syncs).toBe(4);
	});

	it('syncs what a quiet line left unsynced by itself, within the interval', async () => {
		const w = writer(dir(), { fsyncEveryMs: 50 });
		w.append(DATE, { event: events[0] as HeatEvent, clock: 0 });
		w.append(DATE, { event: events[1] as HeatEvent, clock: 0 });
		expect(w.syncs).toBe(0);
		await new Promise((r) => setTimeout(r, 150));
		expect(w.syncs).toBe(1);
		w.close();
		expect(w.syncs).toBe(1); // nothing left to sync
	});

	it('takes only file-safe source names', () => {
		for (const bad of ['', '../etc', 'a/b', 'x'.repeat(65), 'pbx 1'])
			expect(() => new JournalWriter({ dir: dir(), source: bad })).toThrow(/letters, digits/);
	});
});

describe('readDayJournal', () => {
	it('is null for a day with no file, keeps a complete last line without its newline, and reads the engine’s long timer ids', () => {
		const d = dir();
		expect(readDayJournal(join(d, 'none.ndjson'))).toBeNull();
		const longAgent = 'a'.repeat(128);
		const timer = { type: 'timer', kind: 'wrap.end', id: `${longAgent}/wrap.end-timer1`, t: 9000, agentId: longAgent, seq: 1, clock: 9000 };
		const path = join(d, 'j.ndjson');
		writeFileSync(
			path,
			[
				'{"format":"heatboard-journal","v":1,"source":"pbx1"}',
				JSON.stringify({ ...events[0], clock: 1500 }),
				JSON.stringify({ type: 'call.teleported', id: 'x', t: 1 }),
				JSON.stringify(timer),
				JSON.stringify(events[1])
			].join('\n')
		);
		const j = readDayJournal(path);
		expect(j?.torn).toBe(true);
		expect(j?.bad.map((b) => b.line)).toEqual([3]);
		expect(j?.records).toEqual([
			{ event: events[0], clock: 1500 },
			{ event: { type: 'timer', kind: 'wrap.end', id: timer.id, t: 9000, agentId: longAgent, seq: 1 }, clock: 9000 },
			{ event: events[1], clock: 2000 } // no clock: its own time
		]);
	});
});
