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
import { importQueueLogFile, importQueueLogLines, queueLogJournalHeader, resolveLeadMapping } from './queue-log';

const FIXTURES = fileURLToPath(new URL('../../tests/fixtures/', import.meta.url));
const DAY_FILE = join(FIXTURES, 'queue-log/day.queue_log');

function replay(config: EngineConfigInput, events: readonly HeatEvent[]) {
	const engine = new Engine(config);
	const driver = new Driver(engine, false);
	driver.pushAll(events);
	return { engine, driver, day: snapshot(engine).totals.day };
}

async function importAndReplay(file: string, opts = {}) {
	const r = await importQueueLogFile(file, opts);
	const [date] = [...r.days.keys()];
	const events = r.days.get(date as string) ?? [];
	const header = queueLogJournalHeader(date as string, events, 'x', 0, r.dayStart.get(date as string) ?? 0);
	return { r, events, header, ...replay(header.engine as EngineConfigInput, events) };
}

/**
 * The day's figures counted straight from the text, call by call: each channel's well-formed lines
 * (a repeated line once) in time order; a stay starts at ENTERQUEUE, is answered at its first CONNECT
 * (wait from the stay's start), ends at ABANDON or COMPLETE*; an EXIT* or transfer followed within
 * three seconds by an ENTERQUEUE of the same channel keeps the stay going, otherwise an EXIT* went
 * to voicemail.
 */
function countQueueLog(file: string) {
	const seen = new Set<string>();
	const rows: Array<{ t: number; callid: string; verb: string; i: number }> = [];
	readFileSync(file, 'utf8')
		.split('\n')
		.forEach((raw, i) => {
			const text = raw.replace(/\r$/, '');
			if (seen.has(text)) return;
			seen.add(text);
			const f = text.split('|');
			if (f.length < 5 || !/^\d{9,10}$/.test(f[0] ?? '')) return;
			rows.push({ t: Number(f[0]), callid: f[1] ?? '', verb: f[4] ?? '', i });
		});
	rows.sort((a, b) => a.t - b.t || a.i - b.i);
	const byCall = new Map<string, typeof rows>();
	for (const r of rows) {
		if (r.callid === 'NONE') continue;
		byCall.set(r.callid, [...(byCall.get(r.callid) ?? []), r]);
	}
	let offered = 0;
	let answered = 0;
	let abandoned = 0;
	let voicemail = 0;
	let waitAnswered = 0;
	let waitAbandoned = 0;
	for (const lines of byCall.values()) {
		let start: number | null = null;
		let wasAnswered = false;
		let left: { t: number; exit: boolean } | null = null;
		const close = () => {
			if (left?.exit) voicemail++;
			start = null;
			left = null;
			wasAnswered = false;
		};
		for (const l of lines) {
			if (left !== null && (l.verb !== 'ENTERQUEUE' || l.t - left.t > 3)) close();
			switch (l.verb) {
				case 'ENTERQUEUE':
					if (left !== null) left = null;
					else if (start === null) {
						start = l.t;
						offered++;
					}
					break;
				case 'CONNECT':
					if (start !== null && !wasAnswered) {
						wasAnswered = true;
						answered++;
						waitAnswered += l.t - start;
					}
					break;
				case 'ABANDON':
					if (start !== null) {
						abandoned++;
						waitAbandoned += l.t - start;
					}
					start = null;
					break;
				case 'COMPLETECALLER':
				case 'COMPLETEAGENT':
					close();
					break;
				case 'BLINDTRANSFER':
				case 'ATTENDEDTRANSFER':
				case 'TRANSFER':
					left = { t: l.t, exit: false };
					break;
				case 'EXITWITHTIMEOUT':
				case 'EXITEMPTY':
				case 'EXITWITHKEY':
					left = { t: l.t, exit: true };
					break;
			}
		}
		close();
	}
	return { offered, answered, abandoned, voicemail, asa: waitAnswered / answered, meanAbandonWait: waitAbandoned / abandoned };
}

/** The Anonymous Bank TSV's own figures (every record but PHANTOM and VRU hang-ups reached the agents). */
function countBankTsv(file: string) {
	let offered = 0;
	let answered = 0;
	let abandoned = 0;
	let waitSum = 0;
	for (const line of readFileSync(file, 'latin1').split('\n').slice(1)) {
		const f = line.split('\t');
		if (f.length !== 17 || f[12] === 'PHANTOM' || (f[12] === 'HANG' && f[9] === '0:00:00')) continue;
		offered++;
		if (f[12] === 'AGENT') {
			answered++;
			waitSum += Number(f[11]);
		} else abandoned++;
	}
	return { offered, answered, abandoned, asa: waitSum / answered };
}

describe('queue_log importer: a hand-written day replays to its own figures', () => {
	it('offered, answered, abandoned, voicemail and mean waits match a count of the text; the engine rejects nothing', async () => {
		const expected = countQueueLog(DAY_FILE);
		expect(expected.offered).toBeGreaterThan(60);
		const { driver, engine, day } = await importAndReplay(DAY_FILE);
		expect(driver.rejected).toEqual([]);
		expect(engine.counts.contradictions).toEqual({});
		expect(day.offered).toBe(expected.offered);
		expect(day.answered).toBe(expected.answered);
		expect(day.abandoned).toBe(expected.abandoned);
		expect(day.voicemail).toBe(expected.voicemail);
		expect(day.asa).toBeCloseTo(expected.asa, 9);
		// every call settled by the end of the day
		expect([...engine.calls.values()].filter((c) => c.status === 'waiting' || c.status === 'talking')).toEqual([]);
		const abandonWait = engine.all.dayAt(engine.clock).waitAbandonedMs / day.abandoned / 1000;
		expect(abandonWait).toBeCloseTo(expected.meanAbandonWait, 9);
	});

	it('counts every refused line by reason, with its line number, and keeps unknown verbs by name', async () => {
		const { r } = await importAndReplay(DAY_FILE);
		expect(r.counts.rejected).toEqual({
			malformed: 4,
			'unknown-verb': 16,
			'duplicate-line': 1,
			'unknown-call': 0,
			'bad-transition': 0,
			future: 0
		});
		expect(r.counts.unknownVerbs).toEqual({ DID: 14, PENALTY: 1, ENTERQ: 1 });
		expect(r.counts.quirks).toMatchObject({ movedBetweenQueues: 2, outOfOrder: 1, partialPause: 1 });
		const malformed = r.rejectedLines.filter((l) => l.reason === 'malformed').map((l) => l.line);
		expect(malformed).toEqual([52, 135, 136, 189]);
		const text = readFileSync(DAY_FILE, 'utf8').split('\n');
		expect(text[52 - 1]).toBe('this is not a queue_log line');
		for (const verb of [
			'QUEUESTART',
			'CONFIGRELOAD',
			'PAUSEALL',
			'UNPAUSEALL',
			'AGENTLOGIN',
			'AGENTLOGOFF',
			'REMOVEMEMBER',
			'RINGCANCELED'
		])
			expect(r.counts.byVerb[verb]).toBeGreaterThan(0);
	});

	it('a call that times out of sales and enters renewals is one call, its wait from the first queue', async () => {
		const { events, engine } = await importAndReplay(DAY_FILE);
		const id = '1773133920.100';
		const own = events.filter((e) => 'callId' in e && e.callId === id).map((e) => [e.type, e.t / 1000]);
		const nine12 = 9 * 3600 + 12 * 60;
		expect(own).toEqual([
			['call.arrived', nine12],
			['call.transferred', nine12 + 121],
			['call.offered', nine12 + 150],
			['call.answered', nine12 + 150],
			['call.ended', nine12 + 460]
		]);
		expect(engine.queues.get('renewals')?.scope.dayAt(engine.clock).transfers).toBe(1);
	});

	it('agents: known from ADDMEMBER, AGENTLOGIN or a first CONNECT; paused everywhere is away, a partial pause is not', async () => {
		const { events } = await importAndReplay(DAY_FILE);
		const states = (agentId: string) =>
			events.flatMap((e) => (e.type === 'agent.state' && e.agentId === agentId ? [[e.state, e.reason ?? '']] : []));
		expect(states('Frank')[0]).toEqual(['available', '']);
		expect(states('Bob')).toEqual([
			['available', ''],
			['away', 'Lunch'],
			['available', ''],
			['offline', '']
		]);
		expect(states('Carol')).toEqual([
			['available', ''],
			['away', ''],
			['away', 'Break'],
			['available', '']
		]);
		// Dave is auto-paused in support only: he still takes sales calls
		expect(states('Dave').map(([s]) => s)).not.toContain('away');
		// logged in first (no queue yet), then added to support
		expect(
			events
				.filter((e) => e.type === 'agent.state' && e.agentId === 'Agent/1001')
				.map((e) => e.type === 'agent.state' && [e.state, e.skills])
		).toEqual([
			['available', {}],
			['available', { support: 1 }],
			['offline', { support: 1 }]
		]);
		const frankFirst = events.find((e) => e.type === 'agent.state' && e.agentId === 'Frank');
		expect(frankFirst).toMatchObject({ skills: { sales: 1 } });
	});
});

describe('queue_log importer: a real day (Anonymous Bank 5 May 1999 written as a queue_log)', () => {
	it('replays to the TSV own offered, answered, abandoned and ASA', async () => {
		const expected = countBankTsv(join(FIXTURES, 'anonymous-bank/990505.txt'));
		const { driver, engine, day, r } = await importAndReplay(join(FIXTURES, 'queue-log/990505.queue_log'));
		expect(driver.rejected).toEqual([]);
		expect(engine.counts.contradictions).toEqual({});
		expect(Object.values(r.counts.rejected).every((n) => n === 0)).toBe(true);
		expect(day.offered).toBe(expected.offered);
		expect(day.answered).toBe(expected.answered);
		expect(day.abandoned).toBe(expected.abandoned);
		expect(day.asa).toBeCloseTo(expected.asa, 9);
	});
});

describe('queue_log importer: days, time zone and mapping', () => {
	const base = Date.parse('2026-03-10T00:00:00Z') / 1000;
	const lines = [
		`${base - 3600}|NONE|sales|Ann|ADDMEMBER|`,
		`${base - 30}|${base - 30}.1|sales|NONE|ENTERQUEUE||5551234|1`,
		`${base + 20}|${base - 30}.1|sales|Ann|CONNECT|50|x.2|3`,
		`${base + 200}|${base - 30}.1|sales|Ann|COMPLETECALLER|50|180|1`,
		`${base + 300}|${base + 300}.3|sales|NONE|ENTERQUEUE||5559876|1`,
		`${base + 330}|${base + 300}.3|sales|NONE|ABANDON|1|1|30`
	];

	it('a call that crosses midnight stays on the day it arrived; each day opens with the agents present', async () => {
		const r = await importQueueLogLines(lines);
		expect([...r.days.keys()].sort()).toEqual(['2026-03-09', '2026-03-10']);
		const before = r.days.get('2026-03-09') ?? [];
		expect(before.filter((e) => e.type === 'call.ended').map((e) => e.t)).toEqual([86_400_000 + 200_000]);
		const after = r.days.get('2026-03-10') ?? [];
		expect(after[0]).toMatchObject({ type: 'agent.state', agentId: 'Ann', state: 'available', t: 0 });
		expect(after.filter((e) => e.type === 'call.arrived').map((e) => e.t)).toEqual([300_000]);
		for (const [date, events] of r.days) {
			const { driver, day } = replay(queueLogJournalHeader(date, events, 'x', 0, 0).engine as EngineConfigInput, events);
			expect(driver.rejected).toEqual([]);
			expect(day.offered).toBe(1);
		}
	});

	it('--tz-offset moves the day boundary; --date keeps one day and counts the others aside', async () => {
		const r = await importQueueLogLines(lines, { tzOffsetMinutes: 60, date: '2026-03-10' });
		expect([...r.days.keys()]).toEqual(['2026-03-10']);
		const events = r.days.get('2026-03-10') ?? [];
		expect(events.filter((e) => e.type === 'call.arrived').map((e) => e.t)).toEqual([3_600_000 - 30_000, 3_600_000 + 300_000]);
		expect(r.counts.otherDay).toBe(0);
		const utc = await importQueueLogLines(lines, { date: '2026-03-10' });
		expect(utc.counts.otherDay).toBe(1);
	});

	it('a mapping gives each queue its heat, value and lead source', async () => {
		const mapping = resolveLeadMapping({ sales: { heat: 0.9, value: 1200, source: 'pricing-page' } });
		const r = await importQueueLogLines(lines, { mapping });
		const arrived = [...r.days.values()].flat().filter((e) => e.type === 'call.arrived');
		for (const e of arrived) expect(e).toMatchObject({ heat: 0.9, value: 1200, source: 'pricing-page' });
		expect(arrived[0]).toMatchObject({ caller: '5551234' });
		expect(() => resolveLeadMapping({ sales: { heat: 3 } })).toThrow(/sales\.heat/);
		expect(() => resolveLeadMapping([])).toThrow();
	});
});

describe('heatboard import queue_log', () => {
	it('writes the day and prints the counts by reason with file:line for refused lines', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'hb-ql-'));
		const out = join(dir, 'day.ndjson');
		const r = await cli('import', 'queue_log', 'tests/fixtures/queue-log/day.queue_log', '--out', out);
		expect(r.err).toBe('');
		expect(r.code).toBe(0);
		expect(r.out).toMatch(/ENTERQUEUE\s+84/);
		expect(r.out).toMatch(/unknown verb DID\s+14/);
		expect(r.out).toMatch(/rejected: malformed\s+4/);
		expect(r.out).toContain('day.queue_log:52: malformed:');
		const j = await readJournal(out);
		expect(j.rejects).toEqual([]);
		expect(j.header).toMatchObject({ source: 'queue_log', date: '2026-03-10', tzOffsetMinutes: 0 });
		expect((j.header.engine as { queues: Array<{ id: string }> }).queues.map((q) => q.id)).toEqual(['renewals', 'sales', 'support']);
		const { day, driver } = replay(j.header.engine as EngineConfigInput, j.events);
		expect(driver.rejected).toEqual([]);
		expect(day.offered).toBe(countQueueLog(DAY_FILE).offered);
	});

	it('--out-dir writes a file per day; bad --date, --tz-offset and mapping are usage errors', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'hb-ql-'));
		const two = join(dir, 'two.queue_log');
		const base = Date.parse('2026-03-10T00:00:00Z') / 1000;
		writeFileSync(
			two,
			[
				`${base + 10}|a.1|sales|NONE|ENTERQUEUE||1|1`,
				`${base + 20}|a.1|sales|NONE|ABANDON|1|1|10`,
				`${base + 86_410}|b.1|sales|NONE|ENTERQUEUE||2|1`,
				''
			].join('\n')
		);
		const r = await cli('import', 'queue_log', two, '--out-dir', dir, '--tz-offset=-60');
		expect(r.code).toBe(0);
		expect((await readJournal(join(dir, 'queue_log-2026-03-09.ndjson'))).events.length).toBe(2);
		expect((await readJournal(join(dir, 'queue_log-2026-03-10.ndjson'))).header).toMatchObject({ tzOffsetMinutes: -60 });
		expect((await cli('import', 'queue_log', two, '--out', join(dir, 'x.ndjson'))).err).toContain('--date');
		expect((await cli('import', 'queue_log', two, '--out', join(dir, 'x.ndjson'), '--date', '990505')).code).toBe(2);
		expect((await cli('import', 'queue_log', two, '--out', join(dir, 'x.ndjson'), '--tz-offset', 'east')).code).toBe(2);
		writeFileSync(join(dir, 'm.json'), '{"sales": {"heat": "hot"}}');
		const bad = await cli('import', 'queue_log', two, '--out-dir', dir, '--mapping', join(dir, 'm.json'));
		expect(bad.code).toBe(2);
		expect(bad.err).toContain('sales.heat');
	});
});
