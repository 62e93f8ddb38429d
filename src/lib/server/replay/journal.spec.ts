import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JOURNAL_FORMAT } from '../../../../simulator/import/journal';
import { describeBadLines, JournalError, readReplayJournal, whereIs } from './journal';

const file = (name: string, lines: string[]) => {
	const path = join(mkdtempSync(join(tmpdir(), 'hb-rj-')), name);
	writeFileSync(path, lines.join('\n'));
	return path;
};
const arrived = (id: string, t: number, queue = 'sales') => JSON.stringify({ type: 'call.arrived', id, t, callId: id, queue });

describe('readReplayJournal', () => {
	it('counts bad lines by reason with their line numbers, keeps every good event and its line', async () => {
		const path = file('day.ndjson', [
			JSON.stringify({ format: JOURNAL_FORMAT, v: 1, source: 'test', engine: { queues: [{ id: 'sales', mode: 'route' }] } }),
			arrived('c1', 1000),
			'{"type":"call.arrived",',
			'',
			JSON.stringify({ type: 'call.teleported', id: 'x', t: 5 }),
			arrived('c2', 2000, 'support'),
			JSON.stringify({ type: 'call.abandoned', id: 'c1a', t: -4, callId: 'c1' })
		]);
		const j = await readReplayJournal(path);
		expect(j.name).toBe('day.ndjson');
		expect(j.events.map((e) => e.id)).toEqual(['c1', 'c2']);
		expect([...j.lines]).toEqual([2, 6]);
		expect(whereIs(j, 1)).toBe(`${path}:6`);
		expect(j.badByReason).toEqual({ notJson: 1, invalid: 2 });
		expect(j.bad.map((b) => [b.line, b.reason])).toEqual([
			[3, 'notJson'],
			[5, 'invalid'],
			[7, 'invalid']
		]);
		expect(j.bad[2]?.detail).toMatch(/^call\.abandoned: t:/);
		expect(describeBadLines(j)).toBe(
			`journal ${path}: 3 bad lines left out (notJson 1, invalid 2); first at ${path}:3: ${j.bad[0]?.detail ?? ''}`
		);
		// the recorded phone system routed: every queue of the header's config is observed
		expect(j.engine).toMatchObject({ defaultMode: 'observe', queues: [{ id: 'sales', mode: 'observe' }] });
	});

	it('without an engine config in the header, observes the queues the arrivals name', async () => {
		const path = file('sim.ndjson', [
			JSON.stringify({ format: JOURNAL_FORMAT, v: 1, source: 'simulator' }),
			arrived('a', 1, 'b'),
			arrived('c', 2, 'a')
		]);
		const j = await readReplayJournal(path);
		expect(j.clocks).toBeNull();
		expect(j.originMs).toBe(0);
		expect(j.engine).toEqual({
			defaultMode: 'observe',
			queues: [
				{ id: 'a', mode: 'observe' },
				{ id: 'b', mode: 'observe' }
			]
		});
		expect(describeBadLines(j)).toBeNull();
	});

	it('takes the engine’s own timers by shape (ids past the input limit), with a live record’s clock; an outside event’s long id stays bad', async () => {
		const agent = 'a'.repeat(128);
		const timer = { type: 'timer', id: `${agent}/wrap.end-timer1`, t: 9000, kind: 'wrap.end', agentId: agent, seq: 1 };
		const path = file('live.ndjson', [
			JSON.stringify({ format: JOURNAL_FORMAT, v: 1, source: 'pbx' }),
			JSON.stringify({ ...JSON.parse(arrived('c1', 1000)), clock: 1500 }),
			JSON.stringify({ ...timer, clock: 9000 }),
			JSON.stringify({ ...timer, kind: 'teleport' }),
			JSON.stringify({ type: 'call.arrived', id: 'x'.repeat(129), t: 2000, callId: 'c2', queue: 'sales' }),
			arrived('c3', 3000)
		]);
		const j = await readReplayJournal(path);
		expect(j.events).toEqual([
			{ type: 'call.arrived', id: 'c1', t: 1000, callId: 'c1', queue: 'sales' },
			timer,
			JSON.parse(arrived('c3', 3000))
		]);
		// a record without a clock was applied at its own time
		expect([...(j.clocks ?? [])]).toEqual([1500, 9000, 3000]);
		expect(j.bad.map((b) => [b.line, b.reason])).toEqual([
			[4, 'invalid'],
			[5, 'invalid']
		]);
	});

	it('refuses a file that is not a journal, naming the file and line 1', async () => {
		await expect(readReplayJournal(file('x.ndjson', ['nope']))).rejects.toThrow(/x\.ndjson:1: the header is not JSON/);
		await expect(readReplayJournal(file('y.ndjson', [JSON.stringify({ format: 'csv', v: 1, source: 's' })]))).rejects.toThrow(
			/not a heatboard journal/
		);
		await expect(readReplayJournal(file('z.ndjson', [JSON.stringify({ format: JOURNAL_FORMAT, v: 2, source: 's' })]))).rejects.toThrow(
			JournalError
		);
		await expect(readReplayJournal(file('e.ndjson', []))).rejects.toThrow(/empty file/);
		await expect(
			readReplayJournal(file('h.ndjson', [JSON.stringify({ format: JOURNAL_FORMAT, v: 1, source: 's', engine: [1] })]))
		).rejects.toThrow(/header\.engine/);
	});
});
