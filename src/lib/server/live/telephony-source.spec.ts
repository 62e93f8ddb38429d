import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../engine/engine';
import type { HeatEvent } from '../../engine/events';
import { snapshot } from '../../engine/views';
import { readJournal } from '../../../../simulator/import/journal';
import { TelephonySource, fileSafe, type TelephonySourceOptions } from './telephony-source';
import { callScript, type ScriptedEvent } from './test-support/call-script';

const dir = () => mkdtempSync(join(tmpdir(), 'hb-live-source-'));
const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);
const FILE = (d: string, date = '2026-11-23') => join(d, `pbx-1-${date}.ndjson`);

class Clock {
	constructor(public t: number) {}
	readonly now = () => this.t;
}

function source(d: string, clock: Clock, extra: Partial<TelephonySourceOptions> = {}, logs: string[] = []): TelephonySource {
	return new TelephonySource({ name: 'PBX 1', journalDir: d, now: clock.now, log: (l) => logs.push(l), ...extra });
}

function feed(src: TelephonySource, clock: Clock, script: readonly ScriptedEvent[], advanceEvery = 7): void {
	script.forEach(({ event, at }, i) => {
		clock.t = at;
		const r = src.ingest(event, 'test:script');
		if (!r.ok) throw new Error(`scripted event ${i} (${event.type} ${event.id}) refused: ${r.reason}: ${r.detail}`);
		if (i % advanceEvery === 0) src.advance();
	});
}

/** the board's figures as JSON, read the way the hub reads them: after an advance, at the source's time */
function board(src: TelephonySource): string {
	src.advance();
	return JSON.stringify(snapshot(src.engine, src.now()));
}

const ev = (e: Record<string, unknown>) => e as unknown as HeatEvent;

describe('TelephonySource as a board source', () => {
	it('says it is live, at 1x, and refuses pause, seek and speed with a reason', () => {
		const src = source(dir(), new Clock(T0));
		expect(src.info()).toEqual({ kind: 'live', name: 'PBX 1', speed: 1, paused: false });
		expect(src.control({ action: 'pause' })).toMatch(/live: it cannot pause/);
		expect(src.control({ action: 'seek', value: 0 })).toMatch(/cannot seek/);
		expect(src.control({ action: 'speed', value: 10 })).toMatch(/own speed, 1x/);
		expect(src.control({ action: 'play' })).toBeNull();
	});

	it('applies accepted events to the board’s engine only when pulled, reporting each, a day first and samples every 15 s', () => {
		const clock = new Clock(T0);
		const src = source(dir(), clock);
		const seen: string[] = [];
		const days: Engine[] = [];
		src.onDay((e) => days.push(e));
		src.onEvent((e) => seen.push(e.id));
		const samples: number[] = [];
		src.onSample((t) => samples.push(t));
		expect(
			src.ingest(ev({ type: 'agent.state', id: 'a1', t: T0, agentId: 'ann', state: 'available', skills: { sales: 1 } }), 'ami:pbx1')
		).toEqual({ ok: true });
		clock.t = T0 + 1000;
		expect(src.ingest(ev({ type: 'call.arrived', id: 'c1', t: T0 + 900, callId: 'c1', queue: 'sales' }), 'ami:pbx1')).toEqual({ ok: true });
		expect(src.engine.calls.size).toBe(0); // journaled, not yet on the board
		expect(src.stats().pending).toBe(2);
		clock.t = T0 + 31_000;
		src.advance();
		expect(days).toEqual([src.engine]);
		expect(seen).toEqual(['a1', 'c1']);
		expect(src.engine.calls.get('c1')?.status).toBe('waiting');
		expect(src.now()).toBe(T0 + 31_000);
		expect(src.engine.clock).toBe(T0 + 31_000);
		// from the day's start (local midnight) to now, every 15 s
		expect(samples[0]).toBe(Date.UTC(2026, 10, 23));
		expect(samples.at(-1)).toBe(T0 + 30_000);
		expect(samples).toHaveLength(9 * 240 + 3);
	});

	it('refuses what the engine would refuse, journals none of it, counts it by reason and origin, and logs the first of each', () => {
		const d = dir();
		const clock = new Clock(T0);
		const logs: string[] = [];
		const src = source(d, clock, {}, logs);
		const ok = (e: Record<string, unknown>, origin = 'ami:pbx1') => src.ingest(ev(e), origin);
		expect(ok({ type: 'call.arrived', id: 'c1', t: T0, callId: 'c1', queue: 'sales' }).ok).toBe(true);
		const refused: Array<[Record<string, unknown> | unknown, string]> = [
			[{ type: 'call.arrived', id: 'c1', t: T0, callId: 'c1', queue: 'sales' }, 'duplicate'],
			[{ type: 'call.answered', id: 'x1', t: T0, callId: 'nope', agentId: 'ann' }, 'unknownCall'],
			[{ type: 'call.arrived', id: 'x2', t: T0 - 6000, callId: 'c2', queue: 'sales' }, 'stale'],
			[{ type: 'call.arrived', id: 'x3', t: T0 + 61_000, callId: 'c3', queue: 'sales' }, 'future'],
			[{ type: 'call.arrived', id: 'x4', t: T0, callId: 'c1', queue: 'sales' }, 'duplicateCall'],
			[{ type: 'call.ended', id: 'x5', t: T0, callId: 'c1', revenue: -1 }, 'invalid'],
			[{ type: 'call.arrived', id: 'x'.repeat(10_000), t: T0, callId: 'c4', queue: 'sales' }, 'invalid'],
			['call.arrived|c5|sales', 'invalid'],
			[null, 'invalid']
		];
		for (const [raw, reason] of refused) {
			const r = src.ingest(raw, 'http:10.0.0.7');
			expect(r.ok ? 'accepted' : r.reason, JSON.stringify(raw)?.slice(0, 80)).toBe(reason);
		}
		src.reject({ reason: 'malformed', detail: 'queue_log:12: 3 fields' }, 'queue_log:/var/log/asterisk/queue_log:12');
		const s = src.stats();
		expect(s.accepted).toBe(1);
		expect(s.rejected).toEqual({ duplicate: 1, unknownCall: 1, stale: 1, future: 1, duplicateCall: 1, invalid: 4, malformed: 1 });
		expect(s.origins.http?.rejected.invalid).toBe(4);
		expect(s.origins.queue_log).toEqual({ accepted: 0, rejected: { malformed: 1 }, lastAt: T0 });
		expect(s.origins.ami?.accepted).toBe(1);
		expect(s.lastEvent).toEqual({ t: T0, at: T0, type: 'call.arrived', origin: 'ami:pbx1' });
		src.close();
		const lines = readFileSync(FILE(d), 'utf8').trim().split('\n');
		expect(lines).toHaveLength(2); // the header and the one accepted event
		// the first rejection of each reason is logged with its origin; huge details are clipped
		expect(logs.filter((l) => l.startsWith('rejected (invalid)'))).toHaveLength(1);
		expect(logs.find((l) => l.startsWith('rejected (stale)'))).toMatch(/from http:10\.0\.0\.7: call\.arrived x2: t=.* 6000 ms behind/);
		expect(logs.find((l) => l.startsWith('rejected (malformed)'))).toContain('queue_log:/var/log/asterisk/queue_log:12');
		expect(Math.max(...logs.map((l) => l.length))).toBeLessThan(1000);
	});

	it('logs a repeated rejection at most once a minute, saying how many it left out', () => {
		const clock = new Clock(T0);
		const logs: string[] = [];
		const src = source(dir(), clock, {}, logs);
		for (let i = 0; i < 50; i++) {
			clock.t = T0 + i * 2000; // 100 s of one broken peer
			src.ingest({ type: 'call.ended', id: `x${i}`, t: clock.t, callId: `gone${i}` }, 'ami:pbx1');
		}
		const lines = logs.filter((l) => l.includes('unknownCall'));
		expect(lines).toHaveLength(2);
		expect(lines[1]).toMatch(/and 29 more like it not logged/);
		expect(src.stats().rejected.unknownCall).toBe(50);
	});

	it('delivers the timers the engine schedules when their time comes, and journals them', async () => {
		const d = dir();
		const clock = new Clock(T0);
		const src = source(d, clock);
		const seen: HeatEvent[] = [];
		src.onEvent((e) => seen.push(e));
		const script = [
			{ type: 'agent.state', id: 'a1', t: T0, agentId: 'ann', state: 'available', skills: { sales: 1 } },
			{ type: 'call.arrived', id: 'c1', t: T0 + 1000, callId: 'c1', queue: 'sales' },
			{ type: 'call.answered', id: 'c1a', t: T0 + 2000, callId: 'c1', agentId: 'ann' },
			{ type: 'call.ended', id: 'c1e', t: T0 + 62_000, callId: 'c1', wrapMs: 30_000 }
		];
		for (const e of script) {
			clock.t = (e.t as number) + 200;
			expect(src.ingest(e, 'ami:pbx1').ok).toBe(true);
		}
		clock.t = T0 + 70_000;
		src.advance();
		expect(src.engine.agents.get('ann')?.state).toBe('wrap-up');
		clock.t = T0 + 93_000;
		src.advance();
		expect(src.engine.agents.get('ann')?.state).toBe('available');
		// the end arrived 200 ms after its stamp, late against the wall clock: applied then, so wrap-up runs from then
		expect(seen.at(-1)).toMatchObject({ type: 'timer', kind: 'wrap.end', t: T0 + 92_200 });
		expect(src.stats().timers).toBe(1);
		src.close();
		const j = await readJournal(FILE(d));
		expect(j.events.map((e) => e.type)).toEqual(['agent.state', 'call.arrived', 'call.answered', 'call.ended', 'timer']);
		expect(j.header).toMatchObject({
			format: 'heatboard-journal',
			v: 1,
			source: 'pbx-1',
			date: '2026-11-23',
			name: 'PBX 1',
			tzOffsetMinutes: 0
		});
	});

	it('measures "future" from the wall clock before delivering any timer: accepted events ahead cannot drag the clock further on', () => {
		const d = dir();
		const clock = new Clock(T0);
		const src = source(d, clock);
		const ok = [
			{ type: 'agent.state', id: 'a1', t: T0, agentId: 'ann', state: 'available', skills: { sales: 1 } },
			{ type: 'call.arrived', id: 'c1', t: T0 + 1000, callId: 'c1', queue: 'sales' },
			{ type: 'call.answered', id: 'c1a', t: T0 + 2000, callId: 'c1', agentId: 'ann' },
			// a phone clock 50 s ahead: within the 60 s allowed, the engine clock follows it
			{ type: 'call.ended', id: 'c1e', t: T0 + 50_000, callId: 'c1', wrapMs: 20_000 }
		];
		for (const e of ok) expect(src.ingest(e, 'ami:pbx1').ok).toBe(true);
		// 100 s ahead of the wall clock, though only 50 s ahead of the engine's: refused, and the
		// wrap-up timer due at +70 s is not delivered on its account
		const r = src.ingest({ type: 'call.arrived', id: 'c2', t: T0 + 100_000, callId: 'c2', queue: 'sales' }, 'ami:pbx1');
		expect(r).toMatchObject({ ok: false, reason: 'future' });
		expect(r.ok === false && r.detail).toMatch(/ahead of the wall clock/);
		expect(src.stats().timers).toBe(0);
		expect(src.stats().journal.written).toBe(4);
		src.advance();
		expect(src.engine.clock).toBe(T0 + 50_000);
		expect(src.engine.agents.get('ann')?.state).toBe('wrap-up');
	});

	it('takes observe-mode queues from its options and refuses a queue set to route', () => {
		const src = source(dir(), new Clock(T0), {
			engine: { queues: [{ id: 'sales', serviceLevel: { seconds: 30, target: 0.9 } }], autoQueues: false }
		});
		expect(src.engine.queues.get('sales')?.cfg.mode).toBe('observe');
		const r = src.ingest({ type: 'call.arrived', id: 'c1', t: T0, callId: 'c1', queue: 'elsewhere' }, 'ami:pbx1');
		expect(r.ok ? null : r.reason).toBe('unknownQueue');
		expect(() => source(dir(), new Clock(T0), { engine: { queues: [{ id: 'sales', mode: 'route' }] } })).toThrow(/phone system routes/);
	});

	it('names its journal files after the phone system', () => {
		expect(fileSafe('PBX 1')).toBe('pbx-1');
		expect(fileSafe('Asterisk @ HQ / floor 2')).toBe('asterisk-hq-floor-2');
		expect(fileSafe('***')).toBe('live');
	});
});

describe('TelephonySource rebuilds on restart', () => {
	it('a new source on the same journal shows the same board, byte for byte, and carries on from there', () => {
		const d = dir();
		const clock = new Clock(T0);
		const script = callScript(1, 400, T0);
		const before = source(d, clock);
		feed(before, clock, script.slice(0, 300));
		// the crash: the old source is dropped without close()
		const after = source(d, clock);
		expect(board(after)).toBe(board(before));
		expect(after.stats().rebuilt).toEqual({ file: FILE(d), records: expect.any(Number) as unknown as number, skipped: 0 });
		// both carry on alike: timers pending across the restart fire in both
		feed(before, clock, script.slice(300));
		feed(after, clock, script.slice(300));
		clock.t += 60_000;
		expect(board(after)).toBe(board(before));
		// and the figures are real: the script's calls are on the board
		const snap = snapshot(after.engine, after.now());
		expect(snap.totals.day.offered).toBeGreaterThan(50);
		expect(snap.totals.day.answered).toBeGreaterThan(20);
		expect(after.engine.counts.late).toBeGreaterThan(0); // events late against the wall clock, replayed late again
	});

	it('a restart gives the board the whole day again, as events and samples, after its first day', () => {
		const d = dir();
		const clock = new Clock(T0);
		const script = callScript(2, 100, T0);
		const before = source(d, clock);
		const live: string[] = [];
		before.onEvent((e) => live.push(e.id));
		before.advance();
		feed(before, clock, script);
		before.advance();
		const after = source(d, clock);
		const order: string[] = [];
		after.onDay(() => order.push('day'));
		after.onEvent((e) => order.push(e.id));
		after.advance();
		expect(order).toEqual(['day', ...live]);
	});

	it('skips and counts a torn last line; the state is as if that event never came', () => {
		const d = dir();
		const clock = new Clock(T0);
		const script = callScript(3, 60, T0);
		const whole = source(d, clock);
		feed(whole, clock, script.slice(0, 59));
		const reference = board(whole);
		const last = script[59] as ScriptedEvent;
		appendFileSync(FILE(d), JSON.stringify({ ...last.event, clock: last.at }).slice(0, 40));
		const after = source(d, clock);
		expect(board(after)).toBe(reference);
		expect(after.stats().rejected).toEqual({ 'journal-torn': 1 });
		expect(after.stats().rebuilt?.skipped).toBe(1);
		// the next event goes on a line of its own and is read back
		clock.t = last.at;
		expect(after.ingest(last.event, 'test:script').ok).toBe(true);
		after.close();
		const again = source(d, clock);
		expect(board(again)).toBe(board(after));
	});

	it('refuses to rebuild from, or append to, a file of another source', () => {
		const d = dir();
		writeFileSync(FILE(d), '{"format":"heatboard-journal","v":1,"source":"other"}\n');
		const src = source(d, new Clock(T0));
		expect(() => src.start()).toThrow(/journal is of source "other", this server's is "pbx-1"/);
		// an adapter started anyway gets a refusal, not an exception
		const r = src.ingest({ type: 'call.arrived', id: 'c1', t: T0, callId: 'c1', queue: 'sales' }, 'ami:pbx1');
		expect(r).toMatchObject({
			ok: false,
			reason: 'journal',
			detail: expect.stringMatching(/cannot be read: .*source "other"/) as unknown as string
		});
	});

	it('reads only today’s file: yesterday’s and tomorrow’s are left alone', () => {
		const d = dir();
		const clock = new Clock(T0);
		feed(source(d, clock), clock, callScript(4, 40, T0));
		const other = '{"format":"heatboard-journal","v":1,"source":"pbx-1"}\nnot json at all\n';
		writeFileSync(FILE(d, '2026-11-22'), other);
		writeFileSync(FILE(d, '2026-11-24'), other);
		const after = source(d, clock);
		after.advance();
		expect(after.stats().rejected).toEqual({});
		expect(readFileSync(FILE(d, '2026-11-24'), 'utf8')).toBe(other);
		expect(readFileSync(FILE(d, '2026-11-22'), 'utf8')).toBe(other);
	});
});

describe('TelephonySource days', () => {
	it('starts a new engine and journal file at local midnight, carrying over the agents still logged in', async () => {
		const d = dir();
		// UTC-5: local midnight of the 24th is 05:00 UTC
		const midnight = Date.UTC(2026, 10, 24, 5, 0, 0);
		const clock = new Clock(midnight - 120_000);
		const src = source(d, clock, { tzOffsetMinutes: -300 });
		const days: Engine[] = [];
		src.onDay((e) => days.push(e));
		const t = clock.t;
		const send = (e: Record<string, unknown>) => expect(src.ingest(ev(e), 'ami:pbx1')).toEqual({ ok: true });
		send({ type: 'agent.state', id: 'a1', t, agentId: 'ann', state: 'available', skills: { sales: 2 }, name: 'Ann' });
		send({ type: 'agent.state', id: 'a2', t, agentId: 'bob', state: 'away', reason: 'lunch', skills: { sales: 1 } });
		send({ type: 'agent.state', id: 'a3', t, agentId: 'cy', state: 'offline', skills: { sales: 1 } });
		send({ type: 'call.arrived', id: 'c1', t, callId: 'c1', queue: 'sales' });
		send({ type: 'call.answered', id: 'c1a', t, callId: 'c1', agentId: 'ann' });
		src.advance();
		expect(days).toHaveLength(1);
		expect(src.engine.config.dayStartMs).toBe(midnight - 86_400_000);
		clock.t = midnight + 1000;
		src.advance();
		expect(days).toHaveLength(2);
		const today = src.engine;
		expect(today).toBe(days[1]);
		expect(today.config.dayStartMs).toBe(midnight);
		expect(today.calls.size).toBe(0);
		expect(today.agents.get('ann')).toMatchObject({ state: 'available', name: 'Ann', stateSince: midnight });
		expect(today.agents.get('ann')?.skills).toEqual({ sales: 2 });
		expect(today.agents.get('bob')).toMatchObject({ state: 'away', reason: 'lunch' });
		expect(today.agents.has('cy')).toBe(false);
		// yesterday's call belongs to yesterday
		const r = src.ingest(ev({ type: 'call.ended', id: 'c1e', t: clock.t, callId: 'c1' }), 'ami:pbx1');
		expect(r.ok ? null : r.reason).toBe('unknownCall');
		src.close();
		expect(readdirSync(d).sort()).toEqual(['pbx-1-2026-11-23.ndjson', 'pbx-1-2026-11-24.ndjson']);
		const second = await readJournal(FILE(d, '2026-11-24'));
		expect(second.header).toMatchObject({ date: '2026-11-24', tzOffsetMinutes: -300, engine: { dayStartMs: midnight } });
		expect(second.events.map((e) => e.type)).toEqual(['agent.state', 'agent.state']);
		// a restart on the new day rebuilds the carried agents from the new day's file alone
		const after = source(d, clock, { tzOffsetMinutes: -300 });
		expect(board(after)).toBe(JSON.stringify(snapshot(today, clock.t)));
	});
});

describe('TelephonySource when the journal cannot be written', () => {
	it('refuses input rather than apply what it could not journal, and takes it again once the journal can be written', () => {
		const base = dir();
		const d = join(base, 'journal');
		const clock = new Clock(T0);
		const logs: string[] = [];
		const src = source(d, clock, { journalRetryMs: 5000 }, logs);
		src.start(); // no journal yet: a fresh day
		writeFileSync(d, 'a file where the journal directory should be');
		const script = callScript(5, 30, T0);
		clock.t = (script[0] as ScriptedEvent).at;
		const r = src.ingest((script[0] as ScriptedEvent).event, 'ami:pbx1');
		expect(r.ok ? null : r.reason).toBe('journal');
		expect(src.stats().journal.error).toMatch(/EEXIST|ENOTDIR/);
		expect(logs.some((l) => l.includes('JOURNAL FAILED'))).toBe(true);
		src.advance();
		expect(src.engine.agents.size).toBe(0); // nothing unjournaled reached the board
		// fixed, and the retry interval over: the next event is taken and the earlier refusal leaves no trace
		rmSync(d);
		clock.t += 5000;
		const rest = script.map((s) => ({ event: { ...s.event, t: s.event.t + 5000 }, at: s.at + 5000 }));
		feed(src, clock, rest);
		expect(src.stats().journal.error).toBeNull();
		expect(logs.some((l) => l.includes('journal back'))).toBe(true);
		const after = source(d, clock);
		expect(board(after)).toBe(board(src));
		expect(src.engine.agents.size).toBeGreaterThan(0);
	});
});
