import { writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BoardHistory } from '../../board/history';
import type { Engine } from '../../engine/engine';
import type { HeatEvent } from '../../engine/events';
import { snapshot } from '../../engine/views';
import { readReplayJournal, type ReplayJournal } from './journal';
import { ReplaySource } from './replay-source';
import { ReplayRunner } from './runner';
import { arrivalsBefore, bankJournal } from './test-journals';

const M = 60_000;
const H = 60 * M;

let journal: ReplayJournal;
let events: HeatEvent[];

beforeAll(async () => {
	const day = await bankJournal('990505');
	events = day.events;
	journal = await readReplayJournal(day.path);
});

function fakeWall(start = 1_000_000) {
	let wall = start;
	return {
		now: () => wall,
		pass(ms: number) {
			wall += ms;
		}
	};
}

/** What a board shows of an engine and its history at t: the engine's snapshot, the trend and the heat map. */
function fingerprint(engine: Engine, history: BoardHistory, t: number): string {
	return JSON.stringify({
		snapshot: snapshot(engine, t),
		series: history.series.forBoard([...engine.queues.keys()], null),
		heatmap: history.heatmap.heatmap(null, 200)
	});
}

/** The same day run from its start straight to t, with no checkpoint in between. */
function fromStart(t: number): string {
	const runner = new ReplayRunner(journal, 15_000);
	const s = runner.initial(true);
	runner.runTo(s, t);
	return fingerprint(s.engine, s.history as BoardHistory, t);
}

describe('ReplaySource', () => {
	it('starts at the first event (the bank opens at 7:00) and plays at wall clock × speed', () => {
		const wall = fakeWall();
		const source = new ReplaySource({ journal, speed: 10, wallNow: wall.now });
		const first = events[0] as HeatEvent;
		expect(source.startMs).toBe(first.t);
		expect(Math.floor(source.startMs / H)).toBe(7);
		expect(source.endMs % M).toBe(0);
		const days: Array<BoardHistory | undefined> = [];
		source.onDay((_engine, history) => days.push(history));
		source.advance();
		expect(days).toHaveLength(1);
		expect(days[0]).toBe(source.history);
		expect(source.now()).toBe(first.t);
		wall.pass(60_000);
		source.advance();
		expect(source.now()).toBe(first.t + 600_000);
		expect(source.engine.all.day.offered).toBe(arrivalsBefore(events, first.t + 600_000));
		expect(source.info()).toEqual({
			kind: 'replay',
			name: journal.name,
			speed: 10,
			paused: false,
			replay: { startMs: source.startMs, endMs: source.endMs, positionMs: first.t + 600_000, seeks: 0 }
		});
	});

	it('reports every event it applies and a sample every 15 s of source time, in order', () => {
		const wall = fakeWall();
		const source = new ReplaySource({ journal, speed: 60, wallNow: wall.now });
		const seen: string[] = [];
		const samples: number[] = [];
		source.onEvent((e) => seen.push(e.id));
		source.onSample((t) => samples.push(t));
		source.advance();
		wall.pass(30_000); // 30 minutes of the day
		source.advance();
		const expected = events.filter((e) => e.t < source.now()).map((e) => e.id);
		expect(seen).toEqual(expected);
		for (let i = 1; i < samples.length; i++) expect((samples[i] as number) - (samples[i - 1] as number)).toBe(15_000);
		expect(samples.at(-1)).toBeLessThanOrEqual(source.now());
	});

	it('pause holds the clock, play resumes from there, speed changes the rate from now on', () => {
		const wall = fakeWall();
		const source = new ReplaySource({ journal, speed: 2, wallNow: wall.now, fromMs: 9 * H });
		source.advance();
		expect(source.now()).toBe(9 * H);
		wall.pass(1000);
		expect(source.control({ action: 'pause' })).toBeNull();
		wall.pass(60_000);
		source.advance();
		expect(source.now()).toBe(9 * H + 2000);
		expect(source.info().paused).toBe(true);
		expect(source.control({ action: 'play' })).toBeNull();
		wall.pass(1000);
		source.advance();
		expect(source.now()).toBe(9 * H + 4000);
		expect(source.control({ action: 'speed', value: 30 })).toBeNull();
		wall.pass(1000);
		source.advance();
		expect(source.now()).toBe(9 * H + 34_000);
		expect(source.control({ action: 'speed', value: -1 })).toMatch(/positive/);
		expect(source.info().speed).toBe(30);
	});

	it('can start paused at --from, and holds there until played', () => {
		const wall = fakeWall();
		const source = new ReplaySource({ journal, wallNow: wall.now, fromMs: 11 * H + 30 * M, paused: true });
		source.advance();
		wall.pass(10 * M);
		source.advance();
		expect(source.now()).toBe(11 * H + 30 * M);
		expect(source.engine.all.day.offered).toBe(arrivalsBefore(events, 11 * H + 30 * M));
		expect(fingerprint(source.engine, source.history, source.now())).toBe(fromStart(11 * H + 30 * M));
	});

	it('seeks forward and back to any time: the board equals a replay from the start to that time, and boards get a new day', () => {
		const wall = fakeWall();
		const source = new ReplaySource({ journal, speed: 60, wallNow: wall.now });
		const days: Array<{ engine: Engine; history: BoardHistory | undefined }> = [];
		source.onDay((engine, history) => days.push({ engine, history }));
		source.advance();
		const targets = [14 * H, 9 * H + 7 * M + 13_001, 16 * H + 59 * M, 8 * H, 14 * H];
		for (const [i, target] of targets.entries()) {
			source.control({ action: 'pause' });
			expect(source.control({ action: 'seek', value: target })).toBeNull();
			source.advance();
			expect(source.now()).toBe(target);
			expect(source.info().replay?.seeks).toBe(i + 1);
			expect(days).toHaveLength(i + 2);
			const day = days.at(-1);
			expect(day?.engine === source.engine && day.history === source.history).toBe(true);
			expect(source.engine.all.day.offered, `offered at ${target}`).toBe(arrivalsBefore(events, target));
			expect(fingerprint(source.engine, source.history, target), `board at ${target}`).toBe(fromStart(target));
		}
		// the checkpoints it went by were taken on the way, every 15 minutes of source time
		const times = source.checkpointTimes;
		expect(times[0]).toBe(source.startMs);
		for (const t of times.slice(1)) expect(t % (15 * M)).toBe(0);
		expect(times).toContain(14 * H);
	});

	it('seeking while playing plays on from the target; a seek is clamped to the day', () => {
		const wall = fakeWall();
		const source = new ReplaySource({ journal, speed: 10, wallNow: wall.now });
		source.advance();
		source.control({ action: 'seek', value: 15 * H });
		wall.pass(1000);
		source.advance();
		expect(source.now()).toBe(15 * H + 10_000);
		source.control({ action: 'seek', value: 0 });
		source.advance();
		expect(source.now()).toBe(source.startMs);
		expect(source.control({ action: 'seek', value: Number.NaN })).toMatch(/seek needs/);
	});

	it('stops at the end of the journal, paused, with every event applied; it does not loop and play does not leave the end', () => {
		const wall = fakeWall();
		const logs: string[] = [];
		const source = new ReplaySource({ journal, speed: 600, wallNow: wall.now, fromMs: 23 * H, log: (l) => logs.push(l) });
		source.advance();
		wall.pass(10 * 60_000);
		source.advance();
		expect(source.now()).toBe(source.endMs);
		expect(source.info().paused).toBe(true);
		expect(source.engine.all.day.offered).toBe(arrivalsBefore(events, Number.POSITIVE_INFINITY));
		expect(logs.filter((l) => l.includes('reached its end'))).toHaveLength(1);
		source.control({ action: 'play' });
		wall.pass(60_000);
		source.advance();
		expect(source.now()).toBe(source.endMs);
		expect(source.info().paused).toBe(true);
		// a seek back and play goes on again
		source.control({ action: 'seek', value: 20 * H });
		source.control({ action: 'play' });
		wall.pass(1000);
		source.advance();
		expect(source.now()).toBe(20 * H + 600_000);
	});

	it('prebuild takes every checkpoint of the day up front without moving the replay', () => {
		const wall = fakeWall();
		const source = new ReplaySource({ journal, wallNow: wall.now, prebuild: true, paused: true });
		const expected = [source.startMs];
		for (let t = (Math.floor(source.startMs / (15 * M)) + 1) * 15 * M; t <= source.endMs; t += 15 * M) expected.push(t);
		expect(source.checkpointTimes).toEqual(expected);
		source.advance();
		expect(source.now()).toBe(source.startMs);
		source.control({ action: 'seek', value: 18 * H + 5 * M });
		source.advance();
		expect(fingerprint(source.engine, source.history, source.now())).toBe(fromStart(18 * H + 5 * M));
	});

	it('logs the first event the engine refuses once, with its file and line, and keeps going', async () => {
		const lines = [
			JSON.stringify(journal.header),
			JSON.stringify({ type: 'agent.state', id: 'a', t: 1000, agentId: 'ann', state: 'available', skills: { PS: 1 } }),
			JSON.stringify({ type: 'call.answered', id: 'x1', t: 2000, callId: 'ghost', agentId: 'ann' }),
			JSON.stringify({ type: 'call.answered', id: 'x2', t: 3000, callId: 'ghost2', agentId: 'ann' }),
			JSON.stringify({ type: 'call.arrived', id: 'c', t: 4000, callId: 'c', queue: 'PS' })
		];
		const path = `${journal.path}.unknown-calls.ndjson`;
		writeFileSync(path, lines.join('\n'));
		const j = await readReplayJournal(path);
		const logs: string[] = [];
		const source = new ReplaySource({ journal: j, wallNow: () => 0, log: (l) => logs.push(l), fromMs: Number.POSITIVE_INFINITY });
		source.advance();
		expect(source.engine.counts.rejected.unknownCall).toBe(2);
		expect(source.engine.all.day.offered).toBe(1);
		const refusals = logs.filter((l) => l.includes('the engine refused'));
		expect(refusals, logs.join('\n')).toHaveLength(1);
		expect(refusals[0]).toContain(`${path}:3: the engine refused call.answered x1`);
	});
});
