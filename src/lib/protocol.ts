/**
 * The wallboard protocol (v1) between the server hub and boards over socket.io. Shared by both
 * sides (it lives outside `server/` so the client can import it); types only, plus the defaults of
 * the colour thresholds.
 *
 * Flow: a board connects and emits `subscribe` with the queues it shows; the server answers with a
 * `snapshot` (everything the board needs, seq n), then sends `delta`s (seq n+1, n+2, ...) at most 4
 * times a second whatever the event rate. A board that sees a gap in seq, or reconnects, emits
 * `resync` and gets a fresh snapshot. Times named `t`/`...Ms` are on the source's clock (simulated
 * or wall); `wallMs` is the server's wall clock when the message was built.
 */
import type { AgentStateName } from './engine/events';
import type { DerivedMetrics } from './engine/metrics/counters';
import type { NowGauges, WaitingCallView } from './engine/views';

export const PROTOCOL_VERSION = 1;

/** Client → server */
export interface ClientToServer {
	/** queues to show; an empty list means every queue */
	subscribe: (msg: { queues: string[] }) => void;
	resync: (msg: { lastSeq: number }) => void;
	/** replay controls (trainers); ignored by live sources */
	control: (msg: { action: 'play' | 'pause' | 'seek' | 'speed'; value?: number }) => void;
}

/** Server → client */
export interface ServerToClient {
	snapshot: (msg: BoardSnapshot) => void;
	delta: (msg: BoardDelta) => void;
	/** a client message the server ignored in whole or in part (added compatibly: boards may ignore it) */
	warning: (msg: BoardWarning) => void;
}

export interface BoardWarning {
	code: 'unknown-queues' | 'invalid-message' | 'not-subscribed' | 'unsupported-control';
	message: string;
	/** the queue ids that were ignored, for `unknown-queues` */
	queues?: string[];
}

export interface SourceInfo {
	kind: 'simulator' | 'replay' | 'live';
	/** scenario name, journal file, or phone system */
	name: string;
	/** source-clock ms per wall-clock ms (1 = real time) */
	speed: number;
	paused: boolean;
	/** a replay's day and where it stands, for the replay bar (added compatibly: only replays send it) */
	replay?: ReplayInfo;
}

export interface ReplayInfo {
	/** the journal's first event and the end of its last minute (source clock) */
	startMs: number;
	endMs: number;
	/** source time reached */
	positionMs: number;
	/** seeks applied so far: a board that asked for one knows it landed when this goes up */
	seeks: number;
}

export interface AgentTile {
	id: string;
	name?: string;
	state: AgentStateName;
	reason?: string;
	/** when the agent entered this state (source clock) */
	sinceMs: number;
	/** queues whose skill the agent has */
	queues: string[];
	/** the call the agent is on, if any */
	call?: { id: string; queue: string; tier: string; waitSeconds: number; value: number };
}

export interface ScopeBoard {
	day: DerivedMetrics;
	interval: DerivedMetrics;
	last15: DerivedMetrics;
	last60: DerivedMetrics;
	/** gauges of now; projectedNextHour is the Erlang A projection of revenue at risk */
	now: Omit<NowGauges, 'projectedNextHour'> & { projectedRevenueAtRiskNextHour: number };
}

export interface QueueBoard extends ScopeBoard {
	id: string;
	serviceLevel: { seconds: number; target: number };
	/** the first calls in line, in the order the router will take them (callers masked) */
	waitingCalls: WaitingCallView[];
}

/** Columnar trend points (uPlot's shape): one array per field, same length. */
export interface SeriesColumns {
	t: number[];
	waiting: number[];
	/** service level over the last 15 minutes; null when no call settled */
	slOffered: (number | null)[];
	revenueAtRisk: number[];
}

export interface Heatmap {
	intervalMinutes: number;
	dayStartMs: number;
	tiers: string[];
	/** arrivals per interval index (from 0 = day start) per tier: counts[i][k] */
	counts: number[][];
}

export interface BoardSnapshot {
	v: typeof PROTOCOL_VERSION;
	seq: number;
	t: number;
	wallMs: number;
	source: SourceInfo;
	/** the queues this board gets (its subscription; all when it asked for none) */
	queueIds: string[];
	/** the board's queues together: everything when subscribed to all, else the sum of its queues */
	totals: ScopeBoard;
	queues: QueueBoard[];
	/** agents logged in (not offline) with the skill of one of the board's queues, in the order they first appeared */
	agents: AgentTile[];
	/** 'all' (the board's totals, like `totals`) and each subscribed queue id; the last 2 hours of source time */
	series: Record<string, SeriesColumns>;
	/** arrivals at the board's queues; rows run to the current interval */
	heatmap: Heatmap;
}

export interface BoardDelta {
	v: typeof PROTOCOL_VERSION;
	seq: number;
	t: number;
	wallMs: number;
	source: SourceInfo;
	totals: ScopeBoard;
	queues: QueueBoard[];
	/** agents whose tile changed, and agents gone (logged off, or no longer with a skill of the board's queues) */
	agents: { upsert: AgentTile[]; remove: string[] };
	/** points to append per series key (keys with no new point are left out); the board drops points older than 2 hours */
	series: Record<string, SeriesColumns>;
	/** interval rows that changed: [index, counts per tier] (whole rows; an index past the end extends the heatmap, with zero rows between) */
	heatmap: Array<[number, number[]]>;
}

/** Trend window the board keeps, and how often a point is taken (source clock). */
export const SERIES_WINDOW_MS = 2 * 3_600_000;
export const SERIES_STEP_MS = 15_000;
export const MAX_UPDATES_PER_SECOND = 4;
export const WAITING_CALLS_SHOWN = 12;

export type Level = 'ok' | 'warn' | 'alarm';

/** A metric's colour bands: `above` means higher is worse (waits), `below` lower is worse (service level). */
export interface Threshold {
	warn: number;
	alarm: number;
	direction: 'above' | 'below';
}

export type ThresholdMetric = 'waiting' | 'longestWait' | 'asa' | 'serviceLevel' | 'abandonRate' | 'revenueAtRisk';

export const DEFAULT_THRESHOLDS: Readonly<Record<ThresholdMetric, Threshold>> = {
	waiting: { warn: 5, alarm: 15, direction: 'above' },
	longestWait: { warn: 60, alarm: 180, direction: 'above' },
	asa: { warn: 20, alarm: 60, direction: 'above' },
	serviceLevel: { warn: 0.8, alarm: 0.6, direction: 'below' },
	abandonRate: { warn: 0.05, alarm: 0.1, direction: 'above' },
	revenueAtRisk: { warn: 1000, alarm: 5000, direction: 'above' }
};

export function levelOf(value: number | null, th: Threshold): Level {
	if (value === null || Number.isNaN(value)) return 'ok';
	if (th.direction === 'above') return value >= th.alarm ? 'alarm' : value >= th.warn ? 'warn' : 'ok';
	return value <= th.alarm ? 'alarm' : value <= th.warn ? 'warn' : 'ok';
}
