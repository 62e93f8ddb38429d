import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ScopeCell, ScopeMetrics } from './scope';
import type { Counters } from './counters';

/*
 * Facts and agent moves counted once in a cell must read, in every scope the cell feeds, exactly as
 * if each had been counted in each scope directly (what the engine did before cells), whatever the
 * order of facts, agent moves, quiet spells and reads.
 */

const MINUTE = 60_000;
const clocking = { intervalMs: 15 * MINUTE, dayStartMs: 30 * MINUTE };

type Step =
	| { kind: 'fact'; dt: number; cell: number; wait: number }
	| { kind: 'agent'; dt: number; group: number; from: number; to: number }
	| { kind: 'read'; dt: number }
	| { kind: 'advance'; dt: number };

const step: fc.Arbitrary<Step> = fc.oneof(
	fc.record({
		kind: fc.constant('fact' as const),
		dt: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5 * MINUTE }), fc.integer({ min: 0, max: 90 * MINUTE })),
		cell: fc.integer({ min: 0, max: 2 }),
		wait: fc.integer({ min: 0, max: 100_000 })
	}),
	fc.record({
		kind: fc.constant('agent' as const),
		dt: fc.oneof(fc.integer({ min: 0, max: 3 * MINUTE }), fc.integer({ min: 0, max: 90 * MINUTE })),
		group: fc.integer({ min: 0, max: 2 }),
		from: fc.integer({ min: -1, max: 3 }),
		to: fc.integer({ min: -1, max: 3 })
	}),
	fc.record({ kind: fc.constant('read' as const), dt: fc.integer({ min: 0, max: 2 * MINUTE }) }),
	fc.record({ kind: fc.constant('advance' as const), dt: fc.integer({ min: 0, max: 20 * MINUTE }) })
);

/** Everything a reader can see of a scope at `now` (agent time counted up to now). */
function view(s: ScopeMetrics, now: number): unknown {
	const plain = (c: Counters) => ({ ...c });
	const intervals: unknown[] = [];
	for (let i = -1; i <= s.intervalIndex(now); i++) {
		const c = plain(s.intervalAt(i, now));
		if (Object.values(c).some((v) => v !== 0)) intervals.push([i, c]);
	}
	return {
		agents: [...s.agentsByState],
		day: plain(s.dayAt(now)),
		intervals,
		last15: plain(s.rolling(now, 15)),
		last60: plain(s.rolling(now, 60))
	};
}

/**
 * What the simulator's summary reads after advancing the clock: the counters as they stand, agent
 * time accrued up to the advance (no "as of now" added).
 */
function raw(s: ScopeMetrics): unknown {
	return [...s.intervals.entries()].sort((a, b) => a[0] - b[0]).map(([i, c]) => [i, { ...c }]);
}

/** Scopes 0 and 1 take every fact cell (everything, a queue); 2 and 3 one each (lead sources). */
const feeds = [
	[0, 1, 2],
	[0, 1, 3],
	[0, 1]
];
/** Agents: in everything only, in everything and a queue, in everything and two queues. */
const agentFeeds = [[0], [0, 1], [0, 1, 2]];

function run(steps: Step[], withCells: boolean, readAlong: boolean): unknown[] {
	const scopes = [0, 1, 2, 3].map(() => new ScopeMetrics(clocking));
	// cells are made on first use, as the engine makes them: some after their scopes hold figures
	const cells: Array<ScopeCell | undefined> = [];
	const agentCells: Array<ScopeCell | undefined> = [];
	const cellOf = (list: Array<ScopeCell | undefined>, feed: number[][], i: number): ScopeCell =>
		(list[i] ??= new ScopeCell((feed[i] as number[]).map((j) => scopes[j] as ScopeMetrics)));
	// agents by state per group; a move from an empty state comes from nowhere (a new agent)
	const counts = agentFeeds.map(() => [0, 0, 0, 0, 0]);
	let t = 10 * MINUTE + 123;
	const seen: unknown[] = [];
	for (const s of steps) {
		t += s.dt;
		if (s.kind === 'fact') {
			const add = (c: Counters) => {
				c.answered++;
				c.waitAnsweredMs += s.wait;
			};
			if (withCells) add(cellOf(cells, feeds, s.cell).at(t));
			else for (const i of feeds[s.cell] as number[]) add((scopes[i] as ScopeMetrics).at(t));
		} else if (s.kind === 'agent') {
			const c = counts[s.group] as number[];
			const from = s.from >= 0 && (c[s.from] as number) > 0 ? s.from : -1;
			if (from >= 0) c[from] = (c[from] as number) - 1;
			if (s.to >= 0) c[s.to] = (c[s.to] as number) + 1;
			if (withCells) cellOf(agentCells, agentFeeds, s.group).agentMoved(t, from, s.to);
			else for (const i of agentFeeds[s.group] as number[]) (scopes[i] as ScopeMetrics).agentMoved(t, from, s.to);
		} else if (s.kind === 'advance') {
			// Engine.advance: time passes with no event (what the simulator does at its horizon)
			if (withCells) for (const c of agentCells) c?.accrue(t);
			else for (const x of scopes) x.accrue(t);
			seen.push(scopes.map((x) => raw(x)));
		} else if (readAlong) seen.push(scopes.map((x) => view(x, t)));
	}
	seen.push(scopes.map((x) => view(x, t + 7 * MINUTE)));
	return seen;
}

describe('scope cells', () => {
	it('read in every scope they feed as facts counted in each scope directly', () => {
		fc.assert(
			fc.property(fc.array(step, { maxLength: 120 }), (steps) => {
				expect(run(steps, true, true)).toEqual(run(steps, false, true));
			}),
			{ numRuns: 300 }
		);
	});

	it('give the same figures whether or not anyone reads in between', () => {
		fc.assert(
			fc.property(fc.array(step, { maxLength: 120 }), (steps) => {
				expect(run(steps, true, true).at(-1)).toEqual(run(steps, true, false).at(-1));
			}),
			{ numRuns: 200 }
		);
	});

	it('hand a quiet cell its minute late: still in the day and interval, out of windows that moved past it', () => {
		const all = new ScopeMetrics(clocking);
		const quiet = new ScopeCell([all]);
		const busy = new ScopeCell([all]);
		const t0 = 40 * MINUTE;
		quiet.at(t0).offered++;
		// the scope moves on for 70 minutes; the quiet cell still holds its minute
		for (let m = 1; m <= 70; m++) busy.at(t0 + m * MINUTE).offered++;
		expect(all.dayAt(t0 + 70 * MINUTE).offered).toBe(71);
		expect(all.rolling(t0 + 70 * MINUTE, 60).offered).toBe(60);
		// its next fact closes the old minute into the scope
		quiet.at(t0 + 71 * MINUTE).offered++;
		expect(all.dayAt(t0 + 71 * MINUTE).offered).toBe(72);
		expect(all.rolling(t0 + 71 * MINUTE, 60).offered).toBe(60);
		expect(all.intervals.get(0)?.offered).toBe(5); // minutes 40..44 of the day's first interval
	});
});
