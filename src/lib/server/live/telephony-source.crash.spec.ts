import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { snapshot } from '../../engine/views';
import { TelephonySource } from './telephony-source';
import { readDayJournal } from './day-journal';
import { callScript, type ScriptedEvent } from './test-support/call-script';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./test-support/crash-child.ts', import.meta.url));
const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);
const COUNT = 20_000;

/** Runs the child until its journal holds at least `lines` lines, then kills it with SIGKILL. */
async function runAndKill(dir: string, lines: number): Promise<{ signal: NodeJS.Signals | null; stdout: string }> {
	const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, '7', String(COUNT), String(T0)], {
		cwd: ROOT,
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
	child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
	const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
	const file = join(dir, 'pbx-1-2026-11-23.ndjson');
	const deadline = Date.now() + 20_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`the child ended by itself (${child.exitCode}): ${stderr}`);
		let n = 0;
		try {
			n = readFileSync(file, 'utf8').split('\n').length;
		} catch {
			// not created yet
		}
		if (n >= lines) break;
		if (Date.now() > deadline) throw new Error(`the child wrote ${n} lines in 20 s: ${stderr}`);
		await new Promise((r) => setTimeout(r, 10));
	}
	child.kill('SIGKILL');
	return { signal: await exited, stdout };
}

describe('TelephonySource after a real crash', () => {
	it('a process killed with SIGKILL mid-stream restarts to the state of exactly the events it journaled', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'hb-live-crash-'));
		const { signal, stdout } = await runAndKill(dir, 2000);
		expect(signal).toBe('SIGKILL');
		expect(stdout).not.toContain('done'); // killed mid-stream

		const journal = readDayJournal(join(dir, 'pbx-1-2026-11-23.ndjson'));
		if (journal === null) throw new Error('no journal');
		const script = callScript(7, COUNT, T0);
		const inputs = journal.records.filter((r) => r.event.type !== 'timer');
		const k = inputs.length;
		expect(k).toBeGreaterThan(1000);
		expect(k).toBeLessThan(COUNT);
		// the journal holds a prefix of what was sent, in order, as sent (a torn last line at most is lost)
		expect(inputs.map((r) => r.event)).toEqual(script.slice(0, k).map((s) => s.event));
		expect(journal.bad.length).toBeLessThanOrEqual(1);

		// a reference that never crashed, fed the same prefix at the same wall times
		let now = T0;
		const reference = new TelephonySource({ name: 'PBX 1', journalDir: mkdtempSync(join(tmpdir(), 'hb-live-ref-')), now: () => now });
		for (const s of script.slice(0, k)) {
			now = s.at;
			expect(reference.ingest(s.event, 'test:script').ok).toBe(true);
		}
		const restarted = new TelephonySource({ name: 'PBX 1', journalDir: dir, now: () => now });
		restarted.start();
		// the same instant for both: past the last record the child journaled (a timer may have been due later than its last input)
		now = Math.max((script[k - 1] as ScriptedEvent).at, ...journal.records.map((r) => r.clock));
		const read = (src: TelephonySource) => {
			src.advance();
			return JSON.stringify(snapshot(src.engine, src.now()));
		};
		expect(read(restarted)).toBe(read(reference));

		// and both go on alike
		for (const s of script.slice(k, k + 500)) {
			now = Math.max(now, s.at);
			expect(restarted.ingest(s.event, 'test:script')).toEqual(reference.ingest(s.event, 'test:script'));
		}
		now += 120_000;
		expect(read(restarted)).toBe(read(reference));
	});
});
