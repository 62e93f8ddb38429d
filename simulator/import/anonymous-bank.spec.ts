import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
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
import { dayEvents, journalHeader, parseAnonymousBankFile, resolveMapping } from './anonymous-bank';
import { readJournal, writeJournal } from './journal';

const FIXTURES = fileURLToPath(new URL('../../tests/fixtures/anonymous-bank/', import.meta.url));

/**
 * The day's own figures straight from the TSV, the way one would count them with awk: every record
 * but PHANTOM and VRU hang-ups (HANG that never queued) reached the agents' side; AGENT is answered,
 * and the rest abandoned in the queue; ASA is the mean q_time of AGENT records.
 */
function countTsv(file: string, date: string) {
	let offered = 0;
	let answered = 0;
	let abandoned = 0;
	let waitSum = 0;
	const lines = readFileSync(file, 'latin1').split('\n').slice(1);
	for (const line of lines) {
		const f = line.split('\t');
		if (f.length !== 17 || f[5] !== date) continue;
		const outcome = f[12];
		if (outcome === 'PHANTOM') continue;
		if (outcome === 'HANG' && f[9] === '0:00:00') continue;
		offered++;
		if (outcome === 'AGENT') {
			answered++;
			waitSum += Number(f[11]);
		} else abandoned++;
	}
	return { offered, answered, abandoned, asa: waitSum / answered };
}

function replay(config: EngineConfigInput, events: readonly HeatEvent[]) {
	const engine = new Engine(config);
	const driver = new Driver(engine, false);
	driver.pushAll(events);
	return { engine, driver, day: snapshot(engine).totals.day };
}

describe('anonymous-bank importer: replaying a recorded day reproduces its own figures', () => {
	it.each([
		['990505', 'a Wednesday'],
		['990507', 'a Friday (short day)']
	])('%s (%s): offered, answered, abandoned and ASA match the TSV; the engine rejects nothing', async (date) => {
		const file = join(FIXTURES, `${date}.txt`);
		const parsed = await parseAnonymousBankFile(file);
		expect([...parsed.days.keys()]).toEqual([date]);
		const events = dayEvents(parsed.days.get(date) ?? [], parsed.counts);
		const header = journalHeader(date, events, `${date}.txt`);
		const expected = countTsv(file, date);
		expect(expected.offered).toBeGreaterThan(400);

		const { engine, driver, day } = replay(header.engine as EngineConfigInput, events);
		expect(driver.rejected).toEqual([]);
		expect(engine.counts.contradictions).toEqual({});
		expect(day.offered).toBe(expected.offered);
		expect(day.answered).toBe(expected.answered);
		expect(day.abandoned).toBe(expected.abandoned);
		expect(day.asa).toBeCloseTo(expected.asa, 9);
		expect(parsed.counts.byReason).toMatchObject({
			offered: expected.offered,
			answered: expected.answered,
			abandoned: expected.abandoned,
			malformed: 0
		});
		// every call ends the day settled: nobody left waiting or talking
		expect(engine.calls.size === 0 || [...engine.calls.values()].every((c) => c.status !== 'waiting' && c.status !== 'talking')).toBe(true);
	});

	it('events are in time order, agents are present before their first call, and NW calls are hot leads', async () => {
		const parsed = await parseAnonymousBankFile(join(FIXTURES, '990505.txt'));
		const events = dayEvents(parsed.days.get('990505') ?? []);
		for (let i = 1; i < events.length; i++) expect(events[i]!.t).toBeGreaterThanOrEqual(events[i - 1]!.t);
		const present = new Set<string>();
		for (const e of events) {
			if (e.type === 'agent.state') present.add(e.agentId);
			if (e.type === 'call.answered') expect(present.has(e.agentId)).toBe(true);
		}
		const nw = events.filter((e) => e.type === 'call.arrived' && e.queue === 'NW');
		expect(nw.length).toBeGreaterThan(0);
		for (const e of nw) expect(e).toMatchObject({ heat: 0.9 });
		// the wait is q_time exactly, whatever the agents' clock said
		const arrivals = new Map(events.flatMap((e) => (e.type === 'call.arrived' ? [[e.callId, e.t] as const] : [])));
		const line = readFileSync(join(FIXTURES, '990505.txt'), 'latin1')
			.split('\n')
			.map((l) => l.split('\t'))
			.find((f) => f[12] === 'AGENT' && f[9] !== '0:00:00' && f[13] !== '0:00:00');
		expect(line).toBeDefined();
		const callId = `${line![0]}-${line![1]}`;
		const answer = events.find((e) => e.type === 'call.answered' && e.callId === callId);
		expect(answer!.t - arrivals.get(callId)!).toBe(Number(line![11]) * 1000);
	});

	it('a mapping file overrides heat, value and queue per call type', async () => {
		const mapping = resolveMapping({ PS: { value: 50 }, NW: { queue: 'sales', value: 2500 } });
		const parsed = await parseAnonymousBankFile(join(FIXTURES, '990507.txt'), { mapping });
		const events = dayEvents(parsed.days.get('990507') ?? []);
		const arrived = events.filter((e) => e.type === 'call.arrived');
		expect(arrived.filter((e) => e.queue === 'NW')).toEqual([]);
		for (const e of arrived.filter((e) => e.queue === 'sales')) expect(e).toMatchObject({ heat: 0.9, value: 2500 });
		for (const e of arrived.filter((e) => e.queue === 'PS')) expect(e).toMatchObject({ heat: 0.2, value: 50 });
		expect(() => resolveMapping({ NW: { heat: 2 } })).toThrow(/heat/);
		expect(() => resolveMapping([1])).toThrow();
	});
});

describe('anonymous-bank importer: quirks and broken lines are counted, never fatal', () => {
	it('counts each quirk and keeps every good call', async () => {
		const parsed = await parseAnonymousBankFile(join(FIXTURES, 'quirks.txt'));
		expect(parsed.counts.byReason).toMatchObject({
			records: 18,
			offered: 11,
			answered: 8,
			abandoned: 3,
			servedWithoutQueue: 1,
			vruHangup: 1,
			phantom: 1,
			malformed: 4,
			negativeVruTime: 2,
			zeroServiceTime: 2,
			agentWithoutTimes: 1,
			unknownType: 1,
			spreadsheetCustomerId: 1,
			answerClockAdjusted: 4,
			duplicateCall: 1
		});
		expect(parsed.counts.malformedLines.map((m) => m.line)).toEqual([14, 15, 16, 18]);
		expect([...parsed.days.keys()].sort()).toEqual(['990105', '990113', '990128', '990513', '990531']);
		const may31 = dayEvents(parsed.days.get('990531') ?? []);
		const ids = may31.filter((e) => e.type === 'call.arrived').map((e) => e.type === 'call.arrived' && e.callId);
		expect(ids.sort()).toEqual(
			['AA0101-40471', 'AA0101-40472', 'AA0101-40473', 'AA0101-40476', 'AA0101-40478', 'AA0101-40481', 'AA0101-99005'].sort()
		);
		for (const [date, calls] of parsed.days) {
			const events = dayEvents(calls);
			const { driver } = replay(journalHeader(date, events, 'quirks.txt').engine as EngineConfigInput, events);
			expect(driver.rejected).toEqual([]);
		}
	});

	it('--date keeps one day and counts the others aside', async () => {
		const parsed = await parseAnonymousBankFile(join(FIXTURES, 'quirks.txt'), { date: '990113' });
		expect([...parsed.days.keys()]).toEqual(['990113']);
		expect(parsed.counts.byReason).toMatchObject({ offered: 1, abandoned: 1, vruHangup: 1, phantom: 0, otherDay: 12 });
	});
});

describe('heatboard import anonymous-bank', () => {
	it('writes one day to --out and prints the counts by reason; the journal reads back clean', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'hb-import-'));
		const out = join(dir, 'day.ndjson');
		const r = await cli('import', 'anonymous-bank', 'tests/fixtures/anonymous-bank/990507.txt', '--out', out);
		expect(r.err).toBe('');
		expect(r.code).toBe(0);
		expect(r.out).toMatch(/offered\s+\d+/);
		const j = await readJournal(out);
		expect(j.rejects).toEqual([]);
		expect(j.header).toMatchObject({ format: 'heatboard-journal', v: 1, source: 'anonymous-bank', date: '990507' });
		const expected = countTsv(join(FIXTURES, '990507.txt'), '990507');
		const { day } = replay(j.header.engine as EngineConfigInput, j.events);
		expect(day.offered).toBe(expected.offered);
	});

	it('all days to --out-dir, one file per day; --out with several days is a usage error', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'hb-import-'));
		const r = await cli('import', 'anonymous-bank', 'tests/fixtures/anonymous-bank/quirks.txt', '--out-dir', dir);
		expect(r.code).toBe(0);
		expect(r.out).toContain('line 14: 7 columns');
		const j = await readJournal(join(dir, 'anonymous-bank-990531.ndjson'));
		expect(j.events.filter((e) => e.type === 'call.arrived')).toHaveLength(7);
		const bad = await cli('import', 'anonymous-bank', 'tests/fixtures/anonymous-bank/quirks.txt', '--out', join(dir, 'x.ndjson'));
		expect(bad.code).toBe(2);
		expect(bad.err).toContain('--date');
		expect((await cli('import', 'csv', 'x')).code).toBe(2);
	});

	it('writeJournal output is what readJournal gives back', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'hb-import-'));
		const parsed = await parseAnonymousBankFile(join(FIXTURES, 'quirks.txt'));
		const events = dayEvents(parsed.days.get('990531') ?? []);
		const header = journalHeader('990531', events, 'quirks.txt');
		await writeJournal(join(dir, 'j.ndjson'), header, events);
		const j = await readJournal(join(dir, 'j.ndjson'));
		expect(j).toEqual({ header, events, rejects: [] });
	});
});
