import { describe, expect, it } from 'vitest';
import type { HeatEvent } from '../engine/events';
import { parseScenario } from '../../../simulator/scenario/load';
import { SERIES_STEP_MS } from '../protocol';
import { LiveSource, warmStartFor } from './live-source';

const S = 1000;
const M = 60 * S;
const H = 60 * M;

/** Two queues from 09:00 for two hours: small enough to simulate a day in milliseconds. */
const scenario = parseScenario(
	`
name: live test
start: "09:00"
horizon: 2h
warmup: 15m
seed: 5
handleTime: { dist: exponential, mean: 3m }
patience: { dist: exponential, mean: 2m }
queues:
  - id: sales
  - id: support
arrivals:
  - queue: sales
    perHour: 120
    heat: { dist: beta, a: 5, b: 2 }
  - queue: support
    perHour: 60
agents:
  - group: closers
    count: 4
    skills: [sales]
  - group: helpers
    count: 2
    skills: { support: 1, sales: 1 }
`,
	'live-test.yaml'
);

/** A source on a wall clock the test moves, recording what it reports. */
function watched(options: { speed?: number; seed?: number; warmStartMs?: number } = {}) {
	let wall = 1_000_000;
	const seen: Array<{ kind: 'day' | 'sample' | 'event'; t: number; e?: HeatEvent }> = [];
	const lines: string[] = [];
	const source = new LiveSource({ scenario, wallNow: () => wall, log: (l) => lines.push(l), ...options });
	source.onDay((engine) => seen.push({ kind: 'day', t: engine.clock }));
	source.onSample((t) => seen.push({ kind: 'sample', t }));
	source.onEvent((e) => seen.push({ kind: 'event', t: e.t, e }));
	return {
		source,
		seen,
		lines,
		tick(ms: number) {
			wall += ms;
			source.advance();
		},
		of(kind: 'day' | 'sample' | 'event') {
			return seen.filter((x) => x.kind === kind);
		}
	};
}

describe('warmStartFor', () => {
	const at = (start: string, horizon: string) => parseScenario(scenarioText(start, horizon), 'x.yaml');
	it('is 10:00 when the scenario runs then, else two hours in, else the start', () => {
		expect(warmStartFor(scenario)).toBe(10 * H);
		expect(warmStartFor(scenario, 9.5 * H)).toBe(9.5 * H);
		expect(warmStartFor(at('12:00', '8h'))).toBe(14 * H);
		expect(warmStartFor(at('06:00', '3h'))).toBe(8 * H);
		expect(warmStartFor(at('00:00', '1h'))).toBe(0);
	});
});

describe('LiveSource', () => {
	it('opens warmed up: the day from its start to 10:00 simulated at once, a new day announced first', () => {
		const w = watched();
		w.source.advance();
		expect(w.source.now()).toBe(10 * H);
		expect(w.seen[0]?.kind).toBe('day');
		expect(w.of('day')).toHaveLength(1);
		const samples = w.of('sample').map((x) => x.t);
		expect(samples[0]).toBe(9 * H);
		expect(samples.at(-1)).toBe(10 * H);
		expect(samples).toHaveLength(H / SERIES_STEP_MS + 1);
		expect(samples.every((t, i) => i === 0 || t - (samples[i - 1] as number) === SERIES_STEP_MS)).toBe(true);
		const events = w.of('event');
		expect(events.filter((x) => x.e?.type === 'call.arrived').length).toBeGreaterThan(100);
		expect(events.every((x) => x.t < 10 * H)).toBe(true);
		expect(w.source.engine.all.dayAt(10 * H).offered).toBeGreaterThan(100);
		expect(w.source.info()).toEqual({ kind: 'simulator', name: 'live test', speed: 1, paused: false });
		expect(w.lines[0]).toContain('from 09:00 to 10:00');
	});

	it('then follows the wall clock times the speed, sampling every step on the way', () => {
		const w = watched({ speed: 30 });
		w.source.advance();
		const before = w.of('sample').length;
		w.tick(2 * S);
		expect(w.source.now()).toBe(10 * H + 60 * S);
		expect(
			w
				.of('sample')
				.slice(before)
				.map((x) => x.t)
		).toEqual([15, 30, 45, 60].map((s) => 10 * H + s * S));
		w.tick(0);
		expect(w.source.now()).toBe(10 * H + 60 * S);
		const events = w.of('event');
		expect(events.every((x, i) => i === 0 || x.t >= (events[i - 1] as { t: number }).t)).toBe(true);
	});

	it('is the same day for the same seed and another day for another', () => {
		const ids = (seed?: number) => {
			const w = watched(seed === undefined ? {} : { seed });
			w.source.advance();
			return w.of('event').map((x) => `${x.e?.id}@${x.t}`);
		};
		expect(ids()).toEqual(ids(5));
		expect(ids(6)).not.toEqual(ids(5));
	});

	it('starts a new day on a new engine and the next seed at the horizon', () => {
		const w = watched({ speed: 3600 });
		w.source.advance();
		const day0 = w.source.engine;
		w.tick(1.5 * S); // 10:00 + 90 min: the day ends at 11:00, the next is 30 min in
		expect(w.source.dayNumber).toBe(1);
		expect(w.source.engine).not.toBe(day0);
		expect(w.source.now()).toBe(9.5 * H);
		expect(w.of('day')).toHaveLength(2);
		const samples = w.of('sample').map((x) => x.t);
		// the last day's samples run to its end, the new day's from its start
		expect(samples).toContain(11 * H);
		expect(samples.at(-1)).toBe(9.5 * H);
		expect(w.lines.at(-1)).toContain('new day 1');
		expect(w.lines.at(-1)).toContain('seed 6');
		const dayStart = w.seen.findLastIndex((x) => x.kind === 'day');
		expect(w.seen.slice(dayStart + 1).every((x) => x.t >= 9 * H && x.t <= 9.5 * H)).toBe(true);
	});

	it('skips the days nobody watched instead of simulating them', () => {
		const w = watched();
		w.source.advance();
		w.tick(H + 5 * 2 * H + 30 * M); // the rest of day 0, five whole days, half an hour
		expect(w.source.dayNumber).toBe(6);
		expect(w.source.now()).toBe(9.5 * H);
		expect(w.of('day')).toHaveLength(2);
	});

	it('pauses, plays on from where it paused, changes speed, and cannot seek', () => {
		const w = watched();
		w.source.advance();
		w.tick(10 * S);
		expect(w.source.control({ action: 'pause' })).toBeNull();
		expect(w.source.info().paused).toBe(true);
		w.tick(60 * S);
		expect(w.source.now()).toBe(10 * H + 10 * S);
		expect(w.source.control({ action: 'play' })).toBeNull();
		w.tick(5 * S);
		expect(w.source.now()).toBe(10 * H + 15 * S);
		expect(w.source.control({ action: 'speed', value: 10 })).toBeNull();
		w.tick(2 * S);
		expect(w.source.now()).toBe(10 * H + 35 * S);
		expect(w.source.info()).toMatchObject({ speed: 10, paused: false });
		expect(w.source.control({ action: 'speed', value: -1 })).toMatch(/positive/);
		expect(w.source.control({ action: 'seek', value: 11 * H })).toMatch(/cannot seek/);
		expect(w.source.now()).toBe(10 * H + 35 * S);
	});

	it('falls back, and says so, when the warm start is outside the scenario', () => {
		// 05:00 is before the day, and two hours in is its end: the day is shown from its start
		const w = watched({ warmStartMs: 5 * H });
		w.source.advance();
		expect(w.source.now()).toBe(9 * H);
		expect(w.lines[0]).toBe('warm start 05:00 is outside "live test" (09:00-11:00): starting at 09:00');
	});

	it('refuses a speed that is not a positive number', () => {
		expect(() => new LiveSource({ scenario, speed: 0 })).toThrow(/positive/);
		expect(() => new LiveSource({ scenario, speed: Number.NaN })).toThrow(/positive/);
	});
});

function scenarioText(start: string, horizon: string): string {
	return `
name: x
start: "${start}"
horizon: ${horizon}
handleTime: { dist: exponential, mean: 3m }
patience: { dist: exponential, mean: 2m }
queues: [{ id: q }]
arrivals: [{ queue: q, perHour: 10 }]
agents: [{ group: g, count: 1, skills: [q] }]
`;
}
