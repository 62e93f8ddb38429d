import type { Engine } from '../engine/engine';
import { AGENT_STATES, type AgentStateName } from '../engine/events';
import { Counters, derive } from '../engine/metrics/counters';
import type { QueueRt } from '../engine/state';
import { snapshot, waitingCalls, type QueueView, type Snapshot } from '../engine/views';
import {
	PROTOCOL_VERSION,
	WAITING_CALLS_SHOWN,
	type BoardDelta,
	type BoardSnapshot,
	type QueueBoard,
	type ScopeBoard,
	type SourceInfo
} from '../protocol';
import { agentTiles, diffTiles, sentTiles, tileOnBoard, type TileEntry } from './agents';
import type { BoardHistory } from './history';
import type { Subscription } from './subscription';

/**
 * Builds the wallboard messages. The engine is read once per tick into a frame that every board
 * shares; a board's snapshot or delta is then cut from the frame for its subscription. Nothing
 * here costs more with a higher event rate: a frame is O(queues × calls waiting + agents), a
 * message O(its queues × intervals + agents).
 */

/** The engine read once at time t: everything any board could show. */
export interface BoardFrame {
	readonly t: number;
	readonly engine: Engine;
	/** everything */
	readonly totals: ScopeBoard;
	/** each queue, in the engine's order */
	readonly queues: ReadonlyMap<string, QueueBoard>;
	readonly agents: readonly TileEntry[];
}

export function readFrame(engine: Engine, now: number): BoardFrame {
	const snap: Snapshot = snapshot(engine, now);
	const queues = new Map<string, QueueBoard>();
	for (const view of snap.queues) {
		const q = engine.queues.get(view.id) as QueueRt;
		queues.set(view.id, queueBoard(view, waitingCalls(engine, q, snap.t).slice(0, WAITING_CALLS_SHOWN)));
	}
	const { day, interval, last15, last60, now: gauges } = snap.totals;
	return {
		t: snap.t,
		engine,
		totals: { day, interval: interval.metrics, last15, last60, now: gauges },
		queues,
		agents: agentTiles(engine)
	};
}

function queueBoard(view: QueueView, waiting: QueueBoard['waitingCalls']): QueueBoard {
	const { projectedNextHour, ...gauges } = view.now;
	return {
		id: view.id,
		serviceLevel: view.serviceLevel,
		day: view.day,
		interval: view.interval.metrics,
		last15: view.last15,
		last60: view.last60,
		now: { ...gauges, projectedRevenueAtRiskNextHour: projectedNextHour.revenueAtRisk },
		waitingCalls: waiting
	};
}

/** The queue ids a board gets, in the engine's order. */
export function boardQueueIds(frame: BoardFrame, sub: Subscription): string[] {
	const ids = [...frame.queues.keys()];
	if (sub.queues === null) return ids;
	const wanted = new Set(sub.queues);
	return ids.filter((id) => wanted.has(id));
}

/**
 * The totals of a board: everything for an all-queue board, else its queues together. Counters
 * add up exactly (a call's facts are counted in the one queue it is in); waits are the longest of
 * the queues; agents are counted once each, by state, if they have the skill of one of the queues.
 * An agent with skills for two of the queues adds their time to both, so occupancy is the
 * queues' occupancies weighted by agent time.
 */
export function boardTotals(frame: BoardFrame, queueIds: readonly string[], sub: Subscription): ScopeBoard {
	if (sub.queues === null) return frame.totals;
	const { engine, t } = frame;
	const scopes = queueIds.map((id) => (engine.queues.get(id) as QueueRt).scope);
	const sum = (read: (s: (typeof scopes)[number]) => Counters) => {
		const c = new Counters();
		for (const s of scopes) read(s).addInto(c);
		return derive(c);
	};
	const index = engine.all.intervalIndex(t);
	const now = {
		waiting: 0,
		callbacksWaiting: 0,
		longestWaitSeconds: 0,
		agents: agentsOf(engine, queueIds),
		revenueAtRisk: 0,
		projectedRevenueAtRiskNextHour: 0
	};
	for (const id of queueIds) {
		const g = (frame.queues.get(id) as QueueBoard).now;
		now.waiting += g.waiting;
		now.callbacksWaiting += g.callbacksWaiting;
		now.longestWaitSeconds = Math.max(now.longestWaitSeconds, g.longestWaitSeconds);
		now.revenueAtRisk += g.revenueAtRisk;
		now.projectedRevenueAtRiskNextHour += g.projectedRevenueAtRiskNextHour;
	}
	return {
		day: sum((s) => s.dayAt(t)),
		interval: sum((s) => s.intervalAt(index, t)),
		last15: sum((s) => s.rolling(t, 15)),
		last60: sum((s) => s.rolling(t, 60)),
		now
	};
}

/** Agents by state among those with the skill of one of these queues, each counted once. */
function agentsOf(engine: Engine, queueIds: readonly string[]): Record<AgentStateName, number> {
	const skills = queueIds.map((id) => (engine.queues.get(id) as QueueRt).skill);
	const out = Object.fromEntries(AGENT_STATES.map((s) => [s, 0])) as Record<AgentStateName, number>;
	for (const a of engine.agents.values()) {
		if (skills.some((s) => (a.skills[s] ?? 0) >= 1)) out[a.state]++;
	}
	return out;
}

/** Sequence number, wall clock and source of a message: what the hub adds. */
export interface MessageMeta {
	seq: number;
	wallMs: number;
	source: SourceInfo;
}

/** Where a board stands: what it was sent last, so the next delta carries only what changed since. */
export interface BoardCursor {
	/** agent id → the key of the tile it was sent */
	agents: Map<string, string>;
	/** series sample number from which points are new */
	seriesFrom: number;
	/** heatmap version the board has */
	heatmapVersion: number;
}

/** A board's full state as of the frame, and the cursor of a board that has been sent it. */
export function buildSnapshot(
	frame: BoardFrame,
	history: BoardHistory,
	sub: Subscription,
	meta: MessageMeta
): { snapshot: BoardSnapshot; cursor: BoardCursor } {
	const queueIds = boardQueueIds(frame, sub);
	const totalsOf = sub.queues === null ? null : queueIds;
	const snap: BoardSnapshot = {
		v: PROTOCOL_VERSION,
		seq: meta.seq,
		t: frame.t,
		wallMs: meta.wallMs,
		source: meta.source,
		queueIds,
		totals: boardTotals(frame, queueIds, sub),
		queues: queueIds.map((id) => frame.queues.get(id) as QueueBoard),
		agents: frame.agents.filter((e) => tileOnBoard(e.tile, sub)).map((e) => e.tile),
		series: history.series.forBoard(queueIds, totalsOf),
		heatmap: history.heatmap.heatmap(totalsOf, history.heatmap.intervalIndex(frame.t))
	};
	const cursor: BoardCursor = {
		agents: sentTiles(frame.agents, sub),
		seriesFrom: history.series.count,
		heatmapVersion: history.heatmap.version
	};
	return { snapshot: snap, cursor };
}

/** What changed for a board since its cursor, as of the frame; moves the cursor to the frame. */
export function buildDelta(
	frame: BoardFrame,
	history: BoardHistory,
	sub: Subscription,
	cursor: BoardCursor,
	meta: MessageMeta
): BoardDelta {
	const queueIds = boardQueueIds(frame, sub);
	const totalsOf = sub.queues === null ? null : queueIds;
	const delta: BoardDelta = {
		v: PROTOCOL_VERSION,
		seq: meta.seq,
		t: frame.t,
		wallMs: meta.wallMs,
		source: meta.source,
		totals: boardTotals(frame, queueIds, sub),
		queues: queueIds.map((id) => frame.queues.get(id) as QueueBoard),
		agents: diffTiles(frame.agents, sub, cursor.agents),
		series: history.series.forBoard(queueIds, totalsOf, cursor.seriesFrom, true),
		heatmap: history.heatmap.changedSince(totalsOf, cursor.heatmapVersion)
	};
	cursor.seriesFrom = history.series.count;
	cursor.heatmapVersion = history.heatmap.version;
	return delta;
}
