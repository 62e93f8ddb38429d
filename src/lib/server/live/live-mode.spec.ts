import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { snapshot } from '../../engine/views';
import type { LiveConfig } from './config';
import { lastJournalTime, startLiveMode, type LiveMode } from './live-mode';

const T = Date.UTC(2026, 10, 23, 9, 0, 0) / 1000;

let dir: string;
let running: LiveMode[] = [];
afterEach(async () => {
	for (const m of running) await m.stop();
	running = [];
	if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

function setup(): { config: LiveConfig; log: string } {
	dir = mkdtempSync(join(tmpdir(), 'hb-live-mode-'));
	const log = join(dir, 'queue_log');
	writeFileSync(log, '');
	const config: LiveConfig = {
		name: 'pbx',
		journalDir: join(dir, 'journal'),
		tzOffsetMinutes: 0,
		queueLog: log,
		ami: null,
		ingestSecret: null
	};
	mkdirSync(config.journalDir);
	return { config, log };
}

async function start(config: LiveConfig, wallSeconds: number, logs: string[] = []): Promise<LiveMode> {
	const m = await startLiveMode(config, { log: (l) => logs.push(l), now: () => wallSeconds * 1000 });
	running.push(m);
	return m;
}

function journalLines(config: LiveConfig): string[] {
	const [file] = readdirSync(config.journalDir);
	return readFileSync(join(config.journalDir, file as string), 'utf8')
		.trim()
		.split('\n')
		.slice(1);
}

describe('live mode with a queue_log', () => {
	it('catches up on the lines written while the server was down, at their own times, and delivers nothing twice', async () => {
		const { config, log } = setup();
		appendFileSync(
			log,
			[
				`${T - 600}|NONE|support|PJSIP/alice|ADDMEMBER|`,
				`${T - 300}|a.1|support|NONE|ENTERQUEUE||555|1`,
				`${T - 290}|a.1|support|PJSIP/alice|CONNECT|10|x|0`
			].join('\n') + '\n'
		);
		// the first start of the day reads the day so far
		let live = await start(config, T);
		live.source.advance();
		expect(live.source.engine.calls.get('a.1')?.status).toBe('talking');
		await live.stop();

		// down for ten minutes: the call ends, another comes and gives up
		appendFileSync(
			log,
			[
				`${T + 120}|a.1|support|PJSIP/alice|COMPLETECALLER|10|410|1`,
				`${T + 130}|b.1|support|NONE|ENTERQUEUE||556|1`,
				`${T + 200}|b.1|support|NONE|ABANDON|1|1|70`
			].join('\n') + '\n'
		);
		const logs: string[] = [];
		live = await start(config, T + 600, logs);
		live.source.advance();
		const board = snapshot(live.source.engine, live.source.now());
		expect(live.source.engine.calls.size).toBe(0);
		expect(board.totals.day).toMatchObject({ answered: 1, abandoned: 1 });
		expect(live.source.engine.agents.get('PJSIP/alice')?.state).toBe('available');
		// nothing stale; the CONNECT line, within the overlap before the last journaled time, is read again and refused as a repeat
		expect(live.source.stats().rejected).toEqual({ duplicate: 2 });
		expect(logs.join('\n')).toMatch(/caught up after 2 of today's lines already journaled/);
		const ended = journalLines(config).map((l) => JSON.parse(l) as { type: string; callId?: string; t: number; clock: number });
		// applied at the line's own time, not at the restart's wall clock
		expect(ended.find((e) => e.type === 'call.ended')).toMatchObject({ callId: 'a.1', t: (T + 120) * 1000, clock: (T + 120) * 1000 });
		const written = journalLines(config).length;
		await live.stop();

		// a restart with nothing new: the lines near the end are read again and refused as repeats
		live = await start(config, T + 700);
		live.source.advance();
		expect(journalLines(config)).toHaveLength(written);
		expect(snapshot(live.source.engine, live.source.now()).totals.day).toMatchObject({ answered: 1, abandoned: 1 });
		expect(Object.keys(live.source.stats().rejected)).toEqual(['duplicate']);
	});

	it('lastJournalTime reads the latest time among the last records, past a torn line', () => {
		const { config } = setup();
		const file = join(config.journalDir, 'x.ndjson');
		writeFileSync(
			file,
			'{"format":"heatboard-journal","v":1}\n{"type":"call.arrived","t":5000,"clock":7000}\n{"type":"timer","t":6000,"clock":6000}\n{"type":"cal'
		);
		expect(lastJournalTime(file)).toBe(7000);
		expect(lastJournalTime(join(config.journalDir, 'none.ndjson'))).toBeNull();
	});
});
