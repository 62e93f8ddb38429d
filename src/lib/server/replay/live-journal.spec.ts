import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../engine/engine';
import { snapshot } from '../../engine/views';
import { sliderRange, timeOfDay } from '../../client/replay';
import { readReplayJournal, type ReplayJournal } from './journal';
import { ReplaySource } from './replay-source';
import { ReplayRunner } from './runner';
import { LONG_AGENT, liveJournal, type LiveDay } from './test-journals';

const M = 60_000;
const H = 60 * M;
/** instants the live board is read at, local time of day */
const MARKS = [8 * H + 40 * M + 1234, 8 * H + 47 * M + 30_500, 8 * H + 55 * M + 17];

function fakeWall() {
	let wall = 5_000_000;
	return { now: () => wall, pass: (ms: number) => void (wall += ms) };
}

/**
 * The replay's board (snapshot JSON at a local time, `t` put back on the epoch clock) against the
 * live board's. `exact`: the same JSON. Otherwise counts, states and names are the same and every
 * fraction agrees to 1e-12 relative: the engine adds its rolling windows (last 15 and 60 minutes)
 * slot by slot in the order of minute numbers mod 60, and a replay counts minutes from local
 * midnight, so in a time zone a half hour off UTC that order, and the last bit of a sum, differs.
 */
function expectLiveBoard(engine: Engine, localT: number, live: LiveDay, exact: boolean): void {
	const s = snapshot(engine, localT);
	const got = JSON.stringify({ ...s, t: s.t + live.midnight });
	const want = live.boards.get(live.midnight + localT);
	if (want === undefined) throw new Error(`the live board was not read at ${localT}`);
	if (exact) expect(got).toBe(want);
	else expectClose(JSON.parse(got), JSON.parse(want), '$');
}

function expectClose(got: unknown, want: unknown, path: string): void {
	if (typeof want === 'number' && typeof got === 'number' && !Number.isInteger(want)) {
		expect(Math.abs(got - want), path).toBeLessThanOrEqual(1e-12 * Math.abs(want));
		return;
	}
	if (typeof want !== 'object' || want === null) {
		expect(got, path).toBe(want);
		return;
	}
	expect(typeof got === 'object' && got !== null && Array.isArray(got) === Array.isArray(want), path).toBe(true);
	const g = got as Record<string, unknown>;
	const w = want as Record<string, unknown>;
	expect(Object.keys(g), path).toEqual(Object.keys(w));
	for (const k of Object.keys(w)) expectClose(g[k], w[k], `${path}.${k}`);
}

describe.each([
	{ zone: 'UTC-5', tz: -300, exact: true },
	{ zone: 'UTC+5:30', tz: 330, exact: false }
])('replaying a live journal (epoch times, $zone)', ({ tz, exact }) => {
	let live: LiveDay;
	let journal: ReplayJournal;
	/** the journal's records as written: event type, id and the clock (epoch ms) */
	let records: Array<{ type: string; id: string; clock: number }>;
	let midnight: number;

	beforeAll(async () => {
		live = liveJournal(tz, MARKS);
		midnight = live.midnight;
		journal = await readReplayJournal(live.path);
		records = readFileSync(live.path, 'utf8')
			.trimEnd()
			.split('\n')
			.slice(1)
			.map((l) => JSON.parse(l) as { type: string; id: string; clock: number });
	});

	it('reads every record, long timer ids too, on the day’s local clock', () => {
		expect(journal.badByReason).toEqual({ notJson: 0, invalid: 0 });
		expect(journal.events).toHaveLength(records.length);
		expect(journal.originMs).toBe(midnight);
		const long = journal.events.find((e) => e.type === 'timer' && e.agentId === LONG_AGENT);
		expect(long?.id.length).toBeGreaterThan(128);
		// the long agent logged in at 08:29 local time
		expect(journal.events[0]).toMatchObject({ agentId: LONG_AGENT, t: 8 * H + 29 * M });
		expect(journal.engine).toMatchObject({ dayStartMs: 0, tzOffsetMinutes: 0, defaultMode: 'observe' });
		expect([...(journal.clocks ?? [])]).toEqual(records.map((r) => r.clock - midnight));
		// no record sits on an instant the live board was read at (a replay at T has the records before T)
		for (const at of live.boards.keys()) expect(records.some((r) => r.clock === at)).toBe(false);
	});

	it('starts at --from as a time of day, and the bar reads the day’s clock', () => {
		const wall = fakeWall();
		const from = 8 * H + 45 * M;
		const source = new ReplaySource({ journal, fromMs: from, paused: true, wallNow: wall.now });
		source.advance();
		expect(source.now()).toBe(from);
		const arrivedBefore = records.filter((r) => r.type === 'call.arrived' && r.clock < midnight + from).length;
		expect(arrivedBefore).toBeGreaterThan(0);
		expect(source.engine.arrived).toBe(arrivedBefore);
		const replay = source.info().replay;
		if (replay === undefined) throw new Error('a replay reports its day');
		// what the replay bar shows: position, and the slider's ends
		expect(timeOfDay(replay.positionMs, true)).toBe('08:45:00');
		const range = sliderRange(replay);
		expect(timeOfDay(range.min)).toBe('08:29');
		expect(range.max).toBeLessThan(10 * H);
	});

	it('seeks by time of day to the live board at that instant, and ends on the live board’s final state', () => {
		const wall = fakeWall();
		const source = new ReplaySource({ journal, paused: true, checkpointEveryMs: 5 * M, wallNow: wall.now });
		source.advance();
		// backwards and forwards, through checkpoints
		for (const mark of [...MARKS].reverse().concat(MARKS)) {
			expect(source.control({ action: 'seek', value: mark })).toBeNull();
			source.advance();
			expect(source.now()).toBe(mark);
			expectLiveBoard(source.engine, mark, live, exact);
		}
		source.control({ action: 'seek', value: source.endMs });
		source.advance();
		const end = live.endAt - midnight;
		expect(end).toBeGreaterThan(source.endMs);
		expectLiveBoard(source.engine, end, live, exact);
	});

	it('played through, applies each journaled timer once and none of its own: the live board at every mark', () => {
		const runner = new ReplayRunner(journal, 15_000);
		const state = runner.initial(true);
		const timers: string[] = [];
		const refused: string[] = [];
		const hooks = {
			event: (e: { type: string; id: string }) => void (e.type === 'timer' && timers.push(e.id)),
			rejected: (_i: number, reason: string, detail: string) => void refused.push(`${reason}: ${detail}`)
		};
		for (const mark of MARKS) {
			runner.runTo(state, mark, hooks);
			expectLiveBoard(state.engine, mark, live, exact);
		}
		runner.runTo(state, runner.endMs, hooks);
		expect(refused).toEqual([]);
		expect(timers).toEqual(records.filter((r) => r.type === 'timer').map((r) => r.id));
		expect(timers.length).toBeGreaterThan(10);
		expect(state.timers.size).toBe(0);
		expect(state.engine.counts).toEqual(live.engine.counts);
		expectLiveBoard(state.engine, live.endAt - midnight, live, exact);
	});
});
