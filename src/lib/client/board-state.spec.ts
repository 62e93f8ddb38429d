import { describe, expect, it } from 'vitest';
import { SERIES_STEP_MS, SERIES_WINDOW_MS } from '../protocol';
import { BoardState } from './board-state.svelte';
import { FIXTURE_T, fixtureDelta, fixtureSnapshot } from './fixtures';

function ready(windowMs?: number): BoardState {
	const b = new BoardState(windowMs);
	expect(b.applySnapshot(fixtureSnapshot(), 1_000)).toBe('applied');
	return b;
}

describe('BoardState snapshots', () => {
	it('starts empty and not ready', () => {
		const b = new BoardState();
		expect(b.ready).toBe(false);
		expect(b.totals).toBeNull();
		expect(b.applyDelta(fixtureDelta({ seq: 41, t: FIXTURE_T }), 0)).toBe('no-snapshot');
		expect(b.ready).toBe(false);
	});

	it('takes everything from a snapshot, agents sorted by name', () => {
		const b = ready();
		expect(b.ready).toBe(true);
		expect(b.seq).toBe(41);
		expect(b.t).toBe(FIXTURE_T);
		expect(b.receivedAtMs).toBe(1_000);
		expect(b.queueIds).toEqual(['sales', 'support']);
		expect(b.queues.map((q) => q.id)).toEqual(['sales', 'support']);
		const names = b.agents.map((a) => a.name ?? a.id);
		expect(names).toEqual([...names].sort((x, y) => x.localeCompare(y)));
		expect(b.series.get('all')?.t).toHaveLength(SERIES_WINDOW_MS / SERIES_STEP_MS);
		expect(b.heatmap?.counts).toHaveLength(19);
	});

	it('copies what it keeps, so later in-place appends never touch the message', () => {
		const snap = fixtureSnapshot();
		const b = new BoardState();
		b.applySnapshot(snap, 0);
		b.applyDelta(fixtureDelta(snap), 0);
		expect(snap.series.all?.t).toHaveLength(SERIES_WINDOW_MS / SERIES_STEP_MS);
		expect(snap.heatmap.counts[18]).not.toEqual([4, 9, 8]);
	});

	it('names the requested queues the server does not know', () => {
		const b = new BoardState();
		b.applySnapshot(fixtureSnapshot({ queueIds: ['sales'] }), 0, ['sales', 'retention', 'vip']);
		expect(b.unknownQueues).toEqual(['retention', 'vip']);
		b.applySnapshot(fixtureSnapshot(), 0, ['sales']);
		expect(b.unknownQueues).toEqual([]);
	});

	it('a new snapshot replaces agents and series instead of merging', () => {
		const b = ready();
		b.applySnapshot(fixtureSnapshot({ seq: 3, agents: [], series: { all: { t: [1], waiting: [2], slOffered: [null], revenueAtRisk: [0] } } }), 5);
		expect(b.seq).toBe(3);
		expect(b.agents).toEqual([]);
		expect([...b.series.keys()]).toEqual(['all']);
	});
});

describe('BoardState deltas and seq', () => {
	it('applies the next seq: figures, agent upserts and removals, series, heat-map rows', () => {
		const b = ready();
		const version = b.seriesVersion;
		const d = fixtureDelta({ seq: 41, t: FIXTURE_T }, { agents: { upsert: [{ id: 'a99', name: 'Zoe New', state: 'available', sinceMs: FIXTURE_T, queues: ['sales'] }], remove: ['a1'] } });
		expect(b.applyDelta(d, 2_000)).toBe('applied');
		expect(b.seq).toBe(42);
		expect(b.receivedAtMs).toBe(2_000);
		expect(b.totals?.now.waiting).toBe(8);
		expect(b.agents.find((a) => a.id === 'a1')).toBeUndefined();
		expect(b.agents.at(-1)?.id).toBe('a99');
		expect(b.series.get('all')?.t.at(-1)).toBe(FIXTURE_T + SERIES_STEP_MS);
		expect(b.seriesVersion).toBe(version + 1);
		expect(b.heatmap?.counts[18]).toEqual([4, 9, 8]);
	});

	it('upserts replace an agent in place', () => {
		const b = ready();
		const count = b.agents.length;
		b.applyDelta(fixtureDelta({ seq: 41, t: FIXTURE_T }), 0);
		expect(b.agents).toHaveLength(count);
		expect(b.agents.find((a) => a.id === 'a3')?.call?.id).toBe('c99');
	});

	it('ignores repeated and old seqs', () => {
		const b = ready();
		const d = fixtureDelta({ seq: 41, t: FIXTURE_T });
		expect(b.applyDelta(d, 0)).toBe('applied');
		expect(b.applyDelta(d, 0)).toBe('duplicate');
		expect(b.applyDelta(fixtureDelta({ seq: 10, t: FIXTURE_T }), 0)).toBe('duplicate');
		expect(b.seq).toBe(42);
	});

	it('reports a gap, keeps the last good figures and applies nothing until a snapshot', () => {
		const b = ready();
		const skipped = fixtureDelta({ seq: 42, t: FIXTURE_T }, { totals: { ...fixtureSnapshot().totals, now: { ...fixtureSnapshot().totals.now, waiting: 99 } } });
		expect(b.applyDelta(skipped, 0)).toBe('gap');
		expect(b.awaitingResync).toBe(true);
		expect(b.seq).toBe(41);
		expect(b.totals?.now.waiting).toBe(7);
		// even the seq that would have been next is held back: the board no longer knows what it missed
		expect(b.applyDelta(fixtureDelta({ seq: 41, t: FIXTURE_T }), 0)).toBe('gap');
		expect(b.applySnapshot(fixtureSnapshot({ seq: 50 }), 0)).toBe('applied');
		expect(b.awaitingResync).toBe(false);
		expect(b.applyDelta(fixtureDelta({ seq: 50, t: FIXTURE_T }), 0)).toBe('applied');
	});

	it('trims trend points older than the window as it appends', () => {
		const windowMs = 10 * SERIES_STEP_MS;
		const b = ready(windowMs);
		const all = b.series.get('all');
		expect(all?.t).toHaveLength(11);
		b.applyDelta(fixtureDelta({ seq: 41, t: FIXTURE_T }, {}, 3), 0);
		expect(all?.t).toHaveLength(11);
		expect(all?.t[0]).toBe(FIXTURE_T + 3 * SERIES_STEP_MS - windowMs);
		expect(all?.t.at(-1)).toBe(FIXTURE_T + 3 * SERIES_STEP_MS);
	});

	it('creates a series for a key first seen in a delta', () => {
		const b = ready();
		const d = fixtureDelta({ seq: 41, t: FIXTURE_T });
		d.series.retention = { t: [FIXTURE_T + 1], waiting: [1], slOffered: [null], revenueAtRisk: [5] };
		b.applyDelta(d, 0);
		expect(b.series.get('retention')?.waiting).toEqual([1]);
	});

	it('grows the heat map for a later interval', () => {
		const b = ready();
		b.applyDelta(fixtureDelta({ seq: 41, t: FIXTURE_T }, { heatmap: [[21, [1, 2, 3]]] }), 0);
		expect(b.heatmap?.counts).toHaveLength(22);
		expect(b.heatmap?.counts[20]).toEqual([0, 0, 0]);
		expect(b.heatmap?.counts[21]).toEqual([1, 2, 3]);
	});

	it('rejects messages of another protocol version or malformed, and says why', () => {
		const b = new BoardState();
		expect(b.applySnapshot({ ...fixtureSnapshot(), v: 2 }, 0)).toBe('rejected');
		expect(b.protocolError).toContain('protocol version 2');
		expect(b.ready).toBe(false);
		expect(b.applySnapshot(null, 0)).toBe('rejected');
		expect(b.applySnapshot(fixtureSnapshot(), 0)).toBe('applied');
		expect(b.protocolError).toBeNull();
		expect(b.applyDelta({ ...fixtureDelta(b), agents: [] }, 0)).toBe('rejected');
		expect(b.seq).toBe(41);
	});
});

describe('BoardState local clock', () => {
	it('extrapolates the source clock at the source speed between messages', () => {
		const b = ready();
		expect(b.elapsedSeconds(1_000)).toBe(0);
		expect(b.elapsedSeconds(4_000)).toBe(3);
		b.applySnapshot(fixtureSnapshot({ source: { kind: 'replay', name: 'monday.ndjson', speed: 10, paused: false } }), 1_000);
		expect(b.sourceNowMs(2_000)).toBe(FIXTURE_T + 10_000);
	});
	it('stops extrapolating after the given wall time (a stale board)', () => {
		const b = ready();
		expect(b.elapsedSeconds(4_000, 5_000)).toBe(3);
		expect(b.elapsedSeconds(60_000, 5_000)).toBe(5);
		expect(b.sourceNowMs(60_000, 5_000)).toBe(FIXTURE_T + 5_000);
	});
	it('stands still while the source is paused, and never runs backwards', () => {
		const b = new BoardState();
		b.applySnapshot(fixtureSnapshot({ source: { kind: 'replay', name: 'x', speed: 1, paused: true } }), 1_000);
		expect(b.elapsedSeconds(60_000)).toBe(0);
		b.applySnapshot(fixtureSnapshot(), 1_000);
		expect(b.elapsedSeconds(500)).toBe(0);
	});
});
