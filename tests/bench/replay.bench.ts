import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSnapshot, readFrame } from '../../src/lib/board/build';
import { resolveSubscription } from '../../src/lib/board/subscription';
import type { HeatEvent } from '../../src/lib/engine/events';
import { readReplayJournal } from '../../src/lib/server/replay/journal';
import { ReplaySource } from '../../src/lib/server/replay/replay-source';
import { dayEvents, journalHeader, parseAnonymousBankFile } from '../../simulator/import/anonymous-bank';
import { writeJournal } from '../../simulator/import/journal';
import { findGc } from './gc';
import { median, sanity, type BenchResult } from './harness';

/**
 * Seeking a replay on a 40,000-call day (issue target: under a second). The day is a real one
 * scaled up: the 1999 bank day of the fixtures, copied with fresh call and agent ids and each copy
 * shifted by a few seconds, so the calls keep the day's shape (the 7:00 opening, the lunch peak)
 * at 40 times the volume and 40 times the agents.
 *
 * Measured: reading and validating the journal, building every checkpoint, and seeks (the control
 * message plus the `advance()` that applies it, then the frame and snapshot a board is sent)
 * forward, backward and at random, plus a first seek with no checkpoints yet (lazy). Each seek is
 * checked: the calls offered equal the arrivals before the target, counted from the events.
 */

export const name = 'replay';

const CALLS = 40_000;
const FIXTURE = fileURLToPath(new URL('../fixtures/anonymous-bank/990505.txt', import.meta.url));
const H = 3_600_000;
const RANDOM_SEEKS = 60;

export async function run(): Promise<BenchResult[]> {
	const dir = mkdtempSync(join(tmpdir(), 'hb-replay-bench-'));
	try {
		return await measure(join(dir, 'bank-40k.ndjson'));
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

async function measure(path: string): Promise<BenchResult[]> {
	const { events, calls, agents } = await scaledDay(CALLS);
	await writeJournal(path, { ...journalHeader('990505', events, '990505.txt (×40)'), scaled: true }, events);
	const arrivals = events.filter((e) => e.type === 'call.arrived').map((e) => e.t);
	const offeredBefore = (t: number) => lowerBound(arrivals, t);

	let t0 = performance.now();
	const journal = await readReplayJournal(path);
	const readMs = performance.now() - t0;
	sanity(journal.events.length === events.length && journal.bad.length === 0, 'the journal reads back whole');

	const gc = findGc();
	gc?.collect();
	const heapBefore = process.memoryUsage().heapUsed;
	t0 = performance.now();
	const source = new ReplaySource({ journal, wallNow: () => 0, paused: true, prebuild: true });
	const prebuildMs = performance.now() - t0;
	gc?.collect();
	const heapMiB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
	source.advance();

	const seek = (target: number): number => {
		const start = performance.now();
		source.control({ action: 'seek', value: target });
		source.advance();
		const frame = readFrame(source.engine, source.now());
		const sub = resolveSubscription([], frame.queues).subscription;
		sanity(sub !== null, 'a subscription to every queue');
		buildSnapshot(frame, source.history, sub, { seq: 0, wallMs: 0, source: source.info() });
		const ms = performance.now() - start;
		sanity(source.now() === target, `the seek landed on ${target}`);
		sanity(source.engine.all.day.offered === offeredBefore(target), `offered at ${clock(target)} equals the arrivals before it`);
		return ms;
	};

	const step = 30 * 60_000;
	const forwardTargets: number[] = [];
	for (let t = source.startMs + step; t < source.endMs; t += step) forwardTargets.push(t);
	const forward = forwardTargets.map(seek);
	const backward = [...forwardTargets].reverse().map(seek);
	let x = 0x2545f491;
	const rand = () => (x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32;
	const random = Array.from({ length: RANDOM_SEEKS }, () => seek(Math.floor(source.startMs + rand() * (source.endMs - source.startMs))));

	// lazily: no checkpoint beyond the start yet, so the first seek to the evening runs the whole day and takes them on the way
	const lazy = new ReplaySource({ journal, wallNow: () => 0, paused: true });
	lazy.advance();
	t0 = performance.now();
	lazy.control({ action: 'seek', value: 23 * H });
	lazy.advance();
	const coldMs = performance.now() - t0;
	sanity(lazy.engine.all.day.offered === offeredBefore(23 * H), 'the lazy seek lands right');

	const what = `${calls.toLocaleString('en-US')} calls, ${events.length.toLocaleString('en-US')} events, ${agents} agents, ${clock(source.startMs)}–${clock(source.endMs)}`;
	const stats = (label: string, xs: number[]): BenchResult[] => [
		{
			name: `replay.seek.${label}`,
			metric: 'p95',
			value: round(percentile(xs, 0.95)),
			unit: 'ms',
			notes: `${xs.length} seeks; median ${round(median(xs))} ms, max ${round(Math.max(...xs))} ms; ${what}; target p95 < 1000 ms`
		}
	];
	return [
		{ name: 'replay.read', metric: 'time', value: round(readMs), unit: 'ms', notes: `read and validate the journal (${what})` },
		{
			name: 'replay.checkpoints',
			metric: 'time',
			value: round(prebuildMs),
			unit: 'ms',
			notes: `run the day once and take ${source.checkpointTimes.length} checkpoints (every 15 min); heap ${heapMiB.toFixed(0)} MiB${gc ? '' : ' (with garbage: no gc)'}`
		},
		...stats('forward', forward),
		...stats('backward', backward),
		...stats('random', random),
		{
			name: 'replay.seek.cold',
			metric: 'time',
			value: round(coldMs),
			unit: 'ms',
			notes: 'first seek to 23:00 with no checkpoints yet (lazy: runs the day, taking them on the way)'
		}
	];
}

/** The fixture day copied until it has `calls` calls: fresh ids per copy, each copy a few seconds later. */
async function scaledDay(calls: number): Promise<{ events: HeatEvent[]; calls: number; agents: number }> {
	const parsed = await parseAnonymousBankFile(FIXTURE);
	const day = dayEvents(parsed.days.get('990505') ?? []);
	const perCopy = day.filter((e) => e.type === 'call.arrived').length;
	const copies = Math.ceil(calls / perCopy);
	const out: Array<{ e: HeatEvent; k: number; i: number }> = [];
	const agents = new Set<string>();
	for (let k = 0; k < copies; k++) {
		const shift = k * 7_000;
		day.forEach((e, i) => {
			const c = { ...e, id: `${e.id}~${k}`, t: e.t + shift } as HeatEvent & { callId?: string; agentId?: string };
			if (c.callId !== undefined) c.callId = `${c.callId}~${k}`;
			if (c.agentId !== undefined) {
				c.agentId = `${c.agentId}~${k}`;
				agents.add(c.agentId);
			}
			out.push({ e: c, k, i });
		});
	}
	// in time order; at one instant each copy keeps its own order
	out.sort((a, b) => a.e.t - b.e.t || a.k - b.k || a.i - b.i);
	return { events: out.map((x) => x.e), calls: perCopy * copies, agents: agents.size };
}

function lowerBound(sorted: readonly number[], t: number): number {
	let lo = 0;
	let hi = sorted.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if ((sorted[mid] as number) < t) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

function percentile(xs: readonly number[], p: number): number {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] as number;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

function clock(ms: number): string {
	const m = Math.floor(ms / 60_000);
	return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}
