import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardSnapshot } from '../../src/lib/protocol';
import { readReplayJournal } from '../../src/lib/server/replay/journal';
import { BANK_FIXTURES, bankJournal, liveJournal } from '../../src/lib/server/replay/test-journals';
import { TOTAL_KEYS, type RunSummary } from '../core/summary';
import { serveReplay } from './replay';
import { cli } from './run-in-process';

/**
 * The day's own figures straight from the TSV, counted like awk would: PHANTOM records and VRU
 * hang-ups never reached the agents; AGENT is answered, the rest abandoned; ASA is the mean q_time
 * of AGENT records.
 */
function countTsv(date: string) {
	let offered = 0;
	let answered = 0;
	let waitSum = 0;
	for (const line of readFileSync(join(BANK_FIXTURES, `${date}.txt`), 'latin1')
		.split('\n')
		.slice(1)) {
		const f = line.split('\t');
		if (f.length !== 17 || f[5] !== date || f[12] === 'PHANTOM' || (f[12] === 'HANG' && f[9] === '0:00:00')) continue;
		offered++;
		if (f[12] === 'AGENT') {
			answered++;
			waitSum += Number(f[11]);
		}
	}
	return { offered, answered, abandoned: offered - answered, asa: waitSum / answered };
}

let dir: string;
let day: string;
beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'heatboard-cli-replay-'));
	day = (await bankJournal('990505')).path;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('heatboard replay --fast', () => {
	it('runs the recorded day through the engine and writes the summary JSON: the day’s own counts and ASA', async () => {
		const json = join(dir, 'summary.json');
		const r = await cli('replay', day, '--fast', '--json', json);
		expect(r.err).toBe('');
		expect(r.code).toBe(0);
		const s = JSON.parse(readFileSync(json, 'utf8')) as RunSummary;
		const expected = countTsv('990505');
		expect(s).toMatchObject({ v: 1, scenario: 'anonymous-bank-990505.ndjson', seed: 0, replications: 1, warmupSeconds: 0 });
		expect(s.halfWidths).toBeUndefined();
		expect(Object.keys(s.totals).sort()).toEqual([...TOTAL_KEYS].sort());
		expect(s.totals.offered).toBe(expected.offered);
		expect(s.totals.answered).toBe(expected.answered);
		expect(s.totals.abandoned).toBe(expected.abandoned);
		expect(s.totals.asaAnswered).toBeCloseTo(expected.asa, 9);
		expect(Object.keys(s.queues).sort()).toEqual(['IN', 'NE', 'NW', 'PE', 'PS', 'TT']);
		expect(Object.values(s.queues).reduce((a, q) => a + q.offered, 0)).toBe(expected.offered);
		// 15-minute intervals from the first call's (the bank opens at 7:00) to the last's
		expect(s.intervals[0]).toMatchObject({ index: 28, start: '07:00' });
		expect(s.intervals.reduce((a, i) => a + i.totals.offered, 0)).toBe(expected.offered);
		for (let i = 1; i < s.intervals.length; i++) expect(s.intervals[i]?.index).toBe((s.intervals[i - 1]?.index ?? 0) + 1);
		expect(s.totals.agentHours).toBeGreaterThan(0);
		expect(r.out).toContain('anonymous-bank-990505.ndjson: seed 0, 1 replication');
		expect(r.out).toMatch(new RegExp(`offered\\s+${expected.offered.toLocaleString('en-US')}`));
	});

	it('counts bad lines and refused events by reason with file:line, and keeps every good event', async () => {
		const lines = readFileSync(day, 'utf8').trimEnd().split('\n');
		lines.splice(3, 0, 'not json at all', JSON.stringify({ type: 'call.arrived', id: 'x', t: 'noon' }));
		lines.push(JSON.stringify({ type: 'call.ended', id: 'ghost-end', t: 86_440_000, callId: 'ghost' }));
		const path = join(dir, 'broken.ndjson');
		writeFileSync(path, lines.join('\n') + '\n');
		const json = join(dir, 'broken.json');
		const r = await cli('replay', path, '--fast', '--json', json);
		expect(r.code).toBe(0);
		expect(r.err).toContain(`journal ${path}: 2 bad lines left out (notJson 1, invalid 1)`);
		expect(r.err).toContain(`  ${path}:4: notJson: `);
		expect(r.err).toContain(`  ${path}:5: invalid: call.arrived: t: `);
		expect(r.err).toMatch(/the engine refused 1 event of broken\.ndjson:\n\s+unknownCall\s+1\n/);
		expect(r.err).toContain(`  ${path}:${lines.length}: unknownCall: call.ended ghost-end: no call "ghost" in progress`);
		const s = JSON.parse(readFileSync(json, 'utf8')) as RunSummary;
		expect(s.totals.offered).toBe(countTsv('990505').offered);
	});

	it('runs a live source’s journal (epoch times, UTC+5:30) on the day’s local clock, to the live board’s counts', async () => {
		const live = liveJournal(330, []);
		const json = join(dir, 'live.json');
		const r = await cli('replay', live.path, '--fast', '--json', json);
		expect(r.err).toBe('');
		expect(r.code).toBe(0);
		const s = JSON.parse(readFileSync(json, 'utf8')) as RunSummary;
		const day = live.engine.all.day;
		expect(s.totals).toMatchObject({ offered: day.offered, answered: day.answered, abandoned: day.abandoned });
		expect(s.totals.offered).toBeGreaterThan(100);
		// the first call came at 08:29 local time (02:59 UTC): the interval it falls in, counted from local midnight
		expect(s.intervals[0]).toMatchObject({ index: 33, start: '08:15' });
		expect(s.intervals.reduce((a, i) => a + i.totals.offered, 0)).toBe(day.offered);
	});

	it('refuses bad arguments with exit 2 and the usage', async () => {
		const cases: Array<[string[], RegExp]> = [
			[[], /missing the journal file/],
			[[day, '--json', 'x.json'], /--json writes the summary of a --fast run/],
			[[day, '--fast', '--speed', '10'], /--speed is for a replay on the board/],
			[[day, '--from', '9am'], /--from: expected a time of day like 09:00, got "9am"/],
			[[day, '--speed', '0'], /--speed: expected a number above 0/],
			[[day, '--port', '70000'], /--port: expected a port/],
			[[join(dir, 'nope.ndjson'), '--fast'], /ENOENT|no such file/],
			[[join(BANK_FIXTURES, '990505.txt'), '--fast'], /990505\.txt:1: the header is not JSON/]
		];
		for (const [args, message] of cases) {
			const r = await cli('replay', ...args);
			expect(r.code, args.join(' ')).toBe(2);
			expect(r.err).toMatch(message);
			expect(r.err).toContain('usage: heatboard replay <journal.ndjson>');
		}
	});
});

describe('heatboard replay on the board (serveReplay)', () => {
	it('serves the replay over HTTP and socket.io from --from, at the speed asked', async () => {
		const journal = await readReplayJournal(day);
		const logs: string[] = [];
		const served = await serveReplay({
			journal,
			speed: 30,
			fromMs: 9 * 3_600_000,
			paused: true,
			port: 0,
			host: '127.0.0.1',
			handler: (_req, res) => res.end('app'),
			log: (l) => logs.push(l),
			proc: { on: () => undefined, off: () => undefined, exit: () => undefined }
		});
		try {
			const res = await fetch(`http://127.0.0.1:${served.address.port}/api/snapshot`);
			const snap = (await res.json()) as BoardSnapshot;
			expect(snap.source).toMatchObject({ kind: 'replay', name: 'anonymous-bank-990505.ndjson', speed: 30, paused: true });
			expect(snap.t).toBe(9 * 3_600_000);
			expect(logs.some((l) => /seek checkpoints in \d+ ms/.test(l))).toBe(true);
		} finally {
			await served.server.close();
		}
	});

	it('starts a live source’s journal at --from as the day’s local time', async () => {
		const live = liveJournal(330, []);
		const journal = await readReplayJournal(live.path);
		const from = 8 * 3_600_000 + 45 * 60_000;
		const logs: string[] = [];
		const served = await serveReplay({
			journal,
			speed: 1,
			fromMs: from,
			paused: true,
			port: 0,
			host: '127.0.0.1',
			handler: (_req, res) => res.end('app'),
			log: (l) => logs.push(l),
			proc: { on: () => undefined, off: () => undefined, exit: () => undefined }
		});
		try {
			const snap = (await (await fetch(`http://127.0.0.1:${served.address.port}/api/snapshot`)).json()) as BoardSnapshot;
			expect(snap.t).toBe(from);
			// the first record: the long agent's login at 08:29:00, reaching the server 0.3 s later
			expect(snap.source.replay).toMatchObject({ startMs: 8 * 3_600_000 + 29 * 60_000 + 300, positionMs: from });
			expect(logs.some((l) => /: \d+ events, 08:29 to 0[89]:\d\d;/.test(l))).toBe(true);
		} finally {
			await served.server.close();
		}
	});

	it('tells the user to build the board when build/ is missing', async () => {
		const journal = await readReplayJournal(day);
		await expect(
			serveReplay({ journal, speed: 1, port: 0, handlerUrl: new URL(`file://${join(dir, 'no-build', 'handler.js')}`), log: () => {} })
		).rejects.toThrow(/Run `npm run build` once, or use --fast/);
	});
});
