import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HeatEvent } from '../../engine/events';
import { QueueLogTail, type QueueLogTailOptions } from './queue-log-tail';
import type { EventSink, IngestRejection } from './types';

const T0 = Date.parse('2026-03-10T09:00:00Z') / 1000;

class Collect implements EventSink {
	readonly events: Array<{ event: HeatEvent; origin: string }> = [];
	readonly rejects: Array<IngestRejection & { origin: string }> = [];
	ingest(raw: unknown, origin: string) {
		this.events.push({ event: raw as HeatEvent, origin });
		return { ok: true } as const;
	}
	reject(r: IngestRejection, origin: string) {
		this.rejects.push({ ...r, origin });
	}
	types(): string[] {
		return this.events.map((e) => `${e.event.type}${'callId' in e.event ? ` ${e.event.callId}` : ''}`);
	}
}

async function until(what: () => boolean, ms = 3000): Promise<void> {
	const end = Date.now() + ms;
	while (!what()) {
		if (Date.now() > end) throw new Error('timed out waiting');
		await new Promise((r) => setTimeout(r, 10));
	}
}
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

const enter = (t: number, id: string, q = 'sales') => `${t}|${id}|${q}|NONE|ENTERQUEUE||555|1\n`;
const abandon = (t: number, id: string, q = 'sales') => `${t}|${id}|${q}|NONE|ABANDON|1|1|${t - T0}\n`;

let tails: QueueLogTail[] = [];
let dirs: string[] = [];
afterEach(async () => {
	for (const t of tails) await t.stop();
	for (const d of dirs) rmSync(d, { recursive: true, force: true });
	tails = [];
	dirs = [];
});

function setup(options: Partial<QueueLogTailOptions> = {}, initial = '') {
	const dir = mkdtempSync(join(tmpdir(), 'hb-tail-'));
	dirs.push(dir);
	const path = join(dir, 'queue_log');
	if (initial !== '' || options.from !== undefined) writeFileSync(path, initial);
	const sink = new Collect();
	const tail = new QueueLogTail({ path, sink, pollMs: 25, now: () => (T0 + 30) * 1000, ...options });
	tails.push(tail);
	return { path, dir, sink, tail };
}

describe.each([
	['fs.watch with polling', true],
	['polling only', false]
])('QueueLogTail (%s)', (_name, watch) => {
	it('starts at the end, then follows appends with the file own line numbers', async () => {
		const { path, sink, tail } = setup({ watch }, enter(T0 - 100, 'old.1') + abandon(T0 - 90, 'old.1'));
		await tail.start();
		appendFileSync(path, enter(T0, 'a.1') + enter(T0 + 1, 'b.1'));
		await until(() => sink.events.length === 2);
		expect(sink.types()).toEqual(['call.arrived a.1', 'call.arrived b.1']);
		expect(sink.events.map((e) => e.origin)).toEqual([`queue_log:${path}:3`, `queue_log:${path}:4`]);
	});

	it('holds a line without its newline until the rest of it is written', async () => {
		const { path, sink, tail } = setup({ watch }, '');
		await tail.start();
		const line = enter(T0, 'a.1');
		appendFileSync(path, line.slice(0, 25));
		await pause(120);
		expect(sink.events).toEqual([]);
		expect(sink.rejects).toEqual([]);
		appendFileSync(path, line.slice(25));
		await until(() => sink.events.length === 1);
		expect(sink.types()).toEqual(['call.arrived a.1']);
	});

	it('follows a rotation by rename and recreate: the old file is read to its end, the new one from line 1', async () => {
		const { path, sink, tail } = setup({ watch }, enter(T0 - 10, 'old.1'));
		await tail.start();
		appendFileSync(path, enter(T0, 'a.1'));
		await until(() => sink.events.length === 1);
		// written just before the rotation, a line the tail may not have seen yet
		appendFileSync(path, enter(T0 + 1, 'b.1'));
		renameSync(path, `${path}.1`);
		await pause(60);
		writeFileSync(path, abandon(T0 + 5, 'b.1') + enter(T0 + 6, 'c.1'));
		await until(() => sink.events.length === 4);
		expect(sink.types()).toEqual(['call.arrived a.1', 'call.arrived b.1', 'call.abandoned b.1', 'call.arrived c.1']);
		expect(sink.events.map((e) => e.origin)).toEqual([
			`queue_log:${path}:2`,
			`queue_log:${path}:3`,
			`queue_log:${path}:1`,
			`queue_log:${path}:2`
		]);
	});

	it('reads a truncated file again from the start', async () => {
		const { path, sink, tail } = setup({ watch }, enter(T0 - 10, 'old.1') + enter(T0 - 5, 'old.2'));
		await tail.start();
		appendFileSync(path, enter(T0, 'a.1'));
		await until(() => sink.events.length === 1);
		truncateSync(path, 0);
		await pause(80);
		appendFileSync(path, abandon(T0 + 20, 'a.1'));
		await until(() => sink.events.length === 2);
		expect(sink.types()).toEqual(['call.arrived a.1', 'call.abandoned a.1']);
		expect(sink.events[1]?.origin).toBe(`queue_log:${path}:1`);
	});

	it('stop releases the file: later lines are not read, and stopping again is harmless', async () => {
		const { path, sink, tail } = setup({ watch }, '');
		await tail.start();
		appendFileSync(path, enter(T0, 'a.1'));
		await until(() => sink.events.length === 1);
		await tail.stop();
		appendFileSync(path, enter(T0 + 1, 'b.1'));
		await pause(120);
		expect(sink.events).toHaveLength(1);
		await tail.stop();
	});
});

describe('QueueLogTail: the rest of the contract', () => {
	it('from today: the lines already in the file from midnight on, not yesterday’s', async () => {
		const midnight = Date.parse('2026-03-10T00:00:00Z') / 1000;
		const { path, sink, tail } = setup(
			{ from: 'today' },
			enter(midnight - 60, 'y.1') + enter(midnight + 60, 't.1') + abandon(midnight + 90, 't.1')
		);
		await tail.start();
		await until(() => sink.events.length === 2);
		expect(sink.types()).toEqual(['call.arrived t.1', 'call.abandoned t.1']);
		appendFileSync(path, enter(T0, 'n.1'));
		await until(() => sink.events.length === 3);
	});

	it('catching up after a restart: lines before catchUpFrom only rebuild the mapper, so a call that ended while down just ends', async () => {
		const connect = (t: number, id: string) => `${t}|${id}|sales|Ann|CONNECT|5\n`;
		const complete = (t: number, id: string) => `${t}|${id}|sales|Ann|COMPLETECALLER|5|${t - T0}|1\n`;
		const before = enter(T0 - 100, 'a.1') + connect(T0 - 95, 'a.1') + enter(T0 - 50, 'b.1');
		const { sink, tail } = setup({ from: 'today', catchUpFrom: T0 * 1000 }, before + complete(T0 + 10, 'a.1') + abandon(T0 + 20, 'b.1'));
		await tail.start();
		// known calls: no arrival or answer placed back from the hold and call times, nothing twice
		expect(sink.types()).toEqual(['call.ended a.1', 'call.abandoned b.1']);
		expect(tail.linesReread).toBe(3);
		expect(tail.counts.quirks.arrivalInferred).toBe(0);
	});

	it('start() resolves with the file read, and callers who left long ago released, before any timer ran', async () => {
		const { sink, tail } = setup(
			{ from: 'today', pollMs: 60_000, mapper: { moveWindowMs: 2000 } },
			enter(T0, 'a.1') + `${T0 + 5}|a.1|sales|NONE|EXITWITHTIMEOUT|1|1|5\n`
		);
		await tail.start();
		expect(sink.types()).toEqual(['call.arrived a.1', 'call.overflowed a.1']);
	});

	it('a line stamped far ahead of the wall clock is refused as future and does not hold back the next lines', async () => {
		const { path, sink, tail } = setup({}, '');
		await tail.start();
		appendFileSync(path, `9999999999|x.1|sales|NONE|ENTERQUEUE||555|1\n${enter(T0, 'a.1')}`);
		await until(() => sink.events.length === 1 && sink.rejects.length === 1);
		expect(sink.rejects[0]).toMatchObject({ reason: 'future', origin: `queue_log:${path}:1` });
		expect(tail.counts.quirks.outOfOrder).toBe(0);
	});

	it('waits for a file that does not exist yet and reads it from its start', async () => {
		const { path, sink, tail } = setup({});
		await tail.start();
		writeFileSync(path, enter(T0, 'a.1'));
		await until(() => sink.events.length === 1);
	});

	it('refused lines go to the sink with their origin; a caller who timed out is released on the timer', async () => {
		let now = (T0 + 1) * 1000;
		const { path, sink, tail } = setup({ now: () => now, mapper: { moveWindowMs: 2000 } }, '');
		await tail.start();
		appendFileSync(path, `not a line\n${enter(T0, 'a.1')}${T0 + 30}|a.1|sales|NONE|EXITWITHTIMEOUT|1|1|30\n`);
		await until(() => sink.events.length === 1 && sink.rejects.length === 1);
		expect(sink.rejects[0]).toMatchObject({ reason: 'malformed', origin: `queue_log:${path}:1` });
		await pause(100);
		expect(sink.events).toHaveLength(1);
		now = (T0 + 34) * 1000;
		await until(() => sink.events.length === 2);
		expect(sink.events[1]).toMatchObject({
			event: { type: 'call.overflowed', target: 'voicemail', t: (T0 + 30) * 1000 },
			origin: `queue_log:${path}:3`
		});
		expect(tail.counts.byVerb).toMatchObject({ ENTERQUEUE: 1, EXITWITHTIMEOUT: 1 });
	});
});
