/**
 * The board's reactive state, fed by snapshots and deltas. Figures replaced wholesale on every
 * message (totals, queues, agents) are `$state.raw`: one assignment, one update, no deep proxies.
 * Trend columns and heat-map rows are mutated in place and announced by a version counter, so the
 * charts can append to what they already draw.
 */
import {
	PROTOCOL_VERSION,
	SERIES_WINDOW_MS,
	type AgentTile,
	type BoardDelta,
	type BoardSnapshot,
	type Heatmap,
	type QueueBoard,
	type ScopeBoard,
	type SeriesColumns,
	type SourceInfo
} from '../protocol';
import { appendColumns, copyColumns, emptyColumns } from './series';

export type ApplyResult =
	/** the message is now on the board */
	| 'applied'
	/** an old or repeated seq: ignored */
	| 'duplicate'
	/** a seq was skipped: the board needs a fresh snapshot */
	| 'gap'
	/** a delta before any snapshot: nothing to apply it to */
	| 'no-snapshot'
	/** not a message of this protocol version, or malformed */
	| 'rejected';

export type ConnectionPhase = 'connecting' | 'connected' | 'reconnecting';

export class BoardState {
	/** a snapshot has been applied */
	ready = $state(false);
	seq = $state(-1);
	/** source clock of the last message */
	t = $state(0);
	/** local wall clock when the last message arrived (never the server's, which may be skewed) */
	receivedAtMs = $state(0);
	source = $state.raw<SourceInfo | null>(null);
	queueIds = $state.raw<string[]>([]);
	totals = $state.raw<ScopeBoard | null>(null);
	queues = $state.raw<QueueBoard[]>([]);
	/** sorted by name so a person keeps their place on the wall */
	agents = $state.raw<AgentTile[]>([]);
	heatmap = $state.raw<Heatmap | null>(null);
	heatmapVersion = $state(0);
	/** bumped on every change to `series` (appends, trims, a new snapshot) */
	seriesVersion = $state(0);
	/** a seq gap was seen; the board shows the last good figures until the snapshot comes */
	awaitingResync = $state(false);

	phase = $state<ConnectionPhase>('connecting');
	reconnectAttempt = $state(0);
	/** the last connection error, cleared by a successful connect */
	connectionError = $state<string | null>(null);
	/** a message the board could not use (other protocol version, malformed) */
	protocolError = $state<string | null>(null);
	/** queues asked for in the URL that the server does not know */
	unknownQueues = $state.raw<string[]>([]);
	/** the server ignored something this board sent (other than unknown queues) */
	serverWarning = $state<string | null>(null);

	/** trend columns per key ('all' and queue ids); mutated in place, see seriesVersion */
	readonly series = new Map<string, SeriesColumns>();
	readonly #agents = new Map<string, AgentTile>();
	readonly #windowMs: number;

	constructor(windowMs = SERIES_WINDOW_MS) {
		this.#windowMs = windowMs;
	}

	applySnapshot(msg: unknown, receivedAtMs: number, requestedQueues: readonly string[] = []): ApplyResult {
		const problem = snapshotProblem(msg);
		if (problem !== null) {
			this.protocolError = `snapshot ignored: ${problem}`;
			return 'rejected';
		}
		const s = msg as BoardSnapshot;
		this.protocolError = null;
		this.#stamp(s, receivedAtMs);
		this.queueIds = s.queueIds;
		this.unknownQueues = requestedQueues.filter((q) => !s.queueIds.includes(q));
		this.totals = s.totals;
		this.queues = s.queues;
		this.#agents.clear();
		for (const a of s.agents) this.#agents.set(a.id, a);
		this.agents = sortAgents(this.#agents);
		this.series.clear();
		for (const [key, cols] of Object.entries(s.series)) this.series.set(key, copyColumns(cols, this.#windowMs));
		this.seriesVersion++;
		this.heatmap = { ...s.heatmap, counts: s.heatmap.counts.map((row) => [...row]) };
		this.heatmapVersion++;
		this.awaitingResync = false;
		this.ready = true;
		return 'applied';
	}

	applyDelta(msg: unknown, receivedAtMs: number): ApplyResult {
		const problem = deltaProblem(msg);
		if (problem !== null) {
			this.protocolError = `update ignored: ${problem}`;
			return 'rejected';
		}
		const d = msg as BoardDelta;
		if (!this.ready) return 'no-snapshot';
		if (d.seq <= this.seq) return 'duplicate';
		if (this.awaitingResync || d.seq !== this.seq + 1) {
			this.awaitingResync = true;
			return 'gap';
		}
		this.#stamp(d, receivedAtMs);
		this.totals = d.totals;
		this.queues = d.queues;
		if (d.agents.upsert.length > 0 || d.agents.remove.length > 0) {
			for (const id of d.agents.remove) this.#agents.delete(id);
			for (const a of d.agents.upsert) this.#agents.set(a.id, a);
			this.agents = sortAgents(this.#agents);
		}
		let seriesChanged = false;
		for (const [key, cols] of Object.entries(d.series)) {
			let target = this.series.get(key);
			if (target === undefined) {
				target = emptyColumns();
				this.series.set(key, target);
			}
			const r = appendColumns(target, cols, this.#windowMs);
			if (r.appended > 0 || r.dropped > 0) seriesChanged = true;
		}
		if (seriesChanged) this.seriesVersion++;
		if (d.heatmap.length > 0 && this.heatmap !== null) {
			applyHeatmapRows(this.heatmap, d.heatmap);
			this.heatmapVersion++;
		}
		return 'applied';
	}

	/**
	 * The source clock now, extrapolated from the last message at the source's speed, for at most
	 * `maxExtrapolateMs` of wall time: once the board is stale its clocks stop rather than
	 * pretend to know what happened since.
	 */
	sourceNowMs(wallNowMs: number, maxExtrapolateMs = Infinity): number {
		if (!this.ready || this.source === null || this.source.paused) return this.t;
		const wall = Math.min(Math.max(0, wallNowMs - this.receivedAtMs), maxExtrapolateMs);
		return this.t + wall * this.source.speed;
	}

	/** Source seconds since the last message: what local clocks (waits, time in state) add. */
	elapsedSeconds(wallNowMs: number, maxExtrapolateMs = Infinity): number {
		return (this.sourceNowMs(wallNowMs, maxExtrapolateMs) - this.t) / 1000;
	}

	#stamp(m: BoardSnapshot | BoardDelta, receivedAtMs: number): void {
		this.seq = m.seq;
		this.t = m.t;
		this.receivedAtMs = receivedAtMs;
		this.source = m.source;
	}
}

function sortAgents(agents: Map<string, AgentTile>): AgentTile[] {
	return [...agents.values()].sort((a, b) => collator.compare(a.name ?? a.id, b.name ?? b.id) || collator.compare(a.id, b.id));
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Replaces changed interval rows; a row past the end grows the day with empty intervals. */
export function applyHeatmapRows(heatmap: Heatmap, rows: ReadonlyArray<readonly [number, readonly number[]]>): void {
	for (const [index, counts] of rows) {
		if (!Number.isInteger(index) || index < 0 || index > 10_000) continue;
		while (heatmap.counts.length <= index) heatmap.counts.push(heatmap.tiers.map(() => 0));
		heatmap.counts[index] = [...counts];
	}
}

// Light structural checks: the server is ours, but a board must never crash on a half message
// (a proxy cutting frames, a server of another version), and zod would double the board's JS.
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

function commonProblem(m: unknown): string | null {
	if (!isObj(m)) return 'not an object';
	if (m.v !== PROTOCOL_VERSION) return `protocol version ${String(m.v)}, this board speaks ${PROTOCOL_VERSION}`;
	if (typeof m.seq !== 'number' || !Number.isFinite(m.seq)) return 'seq is not a number';
	if (typeof m.t !== 'number' || !Number.isFinite(m.t)) return 't is not a number';
	if (!isObj(m.source) || typeof m.source.speed !== 'number') return 'source is missing';
	if (!isObj(m.totals) || !isObj(m.totals.now) || !isObj(m.totals.day)) return 'totals are missing';
	if (!Array.isArray(m.queues)) return 'queues is not a list';
	if (!isObj(m.series)) return 'series is missing';
	return null;
}

function snapshotProblem(m: unknown): string | null {
	const p = commonProblem(m);
	if (p !== null || !isObj(m)) return p;
	if (!Array.isArray(m.queueIds)) return 'queueIds is not a list';
	if (!Array.isArray(m.agents)) return 'agents is not a list';
	if (!isObj(m.heatmap) || !Array.isArray(m.heatmap.counts) || !Array.isArray(m.heatmap.tiers)) return 'heatmap is missing';
	return null;
}

function deltaProblem(m: unknown): string | null {
	const p = commonProblem(m);
	if (p !== null || !isObj(m)) return p;
	if (!isObj(m.agents) || !Array.isArray(m.agents.upsert) || !Array.isArray(m.agents.remove)) return 'agents is not {upsert, remove}';
	if (!Array.isArray(m.heatmap)) return 'heatmap rows are not a list';
	return null;
}
