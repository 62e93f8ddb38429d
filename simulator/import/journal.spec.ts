import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HeatEvent } from '../../src/lib/engine/events';
import { JOURNAL_FORMAT, readJournal, writeJournal } from './journal';

const dir = () => mkdtempSync(join(tmpdir(), 'hb-journal-'));
const header = { format: JOURNAL_FORMAT, v: 1, source: 'test' } as const;
const events: HeatEvent[] = [
	{ type: 'agent.state', id: 'a1', t: 0, agentId: 'a', state: 'available', skills: { sales: 1 } },
	{ type: 'call.arrived', id: 'c1', t: 1000, callId: 'c1', queue: 'sales', heat: 0.9, caller: '6.02E+11' },
	{ type: 'call.answered', id: 'c1a', t: 5000, callId: 'c1', agentId: 'a' },
	{ type: 'call.ended', id: 'c1e', t: 65000, callId: 'c1', wrapMs: 0 }
];

describe('journal', () => {
	it('round-trips a header and events', async () => {
		const path = join(dir(), 'j.ndjson');
		await writeJournal(path, header, events);
		expect(await readJournal(path)).toEqual({ header, events, rejects: [] });
	});

	it('keeps every good event around bad lines, and says which lines were bad and why', async () => {
		const path = join(dir(), 'j.ndjson');
		const lines = [
			JSON.stringify(header),
			JSON.stringify(events[0]),
			'{"type":"call.arrived",', // truncated
			JSON.stringify(events[1]),
			JSON.stringify({ type: 'call.teleported', id: 'x', t: 1 }),
			'',
			JSON.stringify({ ...events[2], t: -5 }),
			JSON.stringify(events[2]),
			JSON.stringify(events[3]) // no newline at the end: a truncated file
		];
		writeFileSync(path, lines.join('\r\n'));
		const j = await readJournal(path);
		expect(j.events).toEqual(events);
		expect(j.rejects.map((r) => r.line)).toEqual([3, 5, 7]);
		expect(j.rejects[0]?.detail).toMatch(/not JSON/);
		expect(j.rejects[2]?.detail).toMatch(/call\.answered: t/);
	});

	it('a file that is not a journal is refused at its header', async () => {
		const d = dir();
		writeFileSync(join(d, 'a'), '{"format":"other","v":1,"source":"x"}\n');
		writeFileSync(join(d, 'b'), '{"format":"heatboard-journal","v":2,"source":"x"}\n');
		writeFileSync(join(d, 'c'), 'vru+line\tcall_id\n');
		writeFileSync(join(d, 'e'), '');
		await expect(readJournal(join(d, 'a'))).rejects.toThrow(/not a heatboard journal/);
		await expect(readJournal(join(d, 'b'))).rejects.toThrow(/version 2/);
		await expect(readJournal(join(d, 'c'))).rejects.toThrow(/header is not JSON/);
		await expect(readJournal(join(d, 'e'))).rejects.toThrow(/no journal header/);
	});

	it('a header that is JSON but not an object (an array, a number) is refused as such', async () => {
		const d = dir();
		writeFileSync(join(d, 'a'), '[{"format":"heatboard-journal","v":1,"source":"x"}]\n');
		writeFileSync(join(d, 'n'), '7\n');
		await expect(readJournal(join(d, 'a'))).rejects.toThrow(/a:1: the header is not a JSON object/);
		await expect(readJournal(join(d, 'n'))).rejects.toThrow(/n:1: the header is not a JSON object/);
	});
});
