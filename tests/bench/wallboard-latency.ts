/**
 * From what the clients received and the server's ticks to latencies, three ways, all on this
 * machine's one wall clock:
 *
 *   built→client    receipt − the delta's wallMs (the server's clock as it began building that room's delta)
 *   applied→client  receipt − the start of the tick that sent it: the source applies every event since
 *                   the last tick at that start, so this bounds the newest event's apply→receipt from above
 *   occurred→client for each engine event, receipt of the first delta after it − when it happened on
 *                   the source clock mapped to the wall; includes the wait for the next tick (up to
 *                   250 ms at 4 updates a second), what a live phone system's event would see
 *
 * The simulated day is replayed here on the server's seed to know each event's source time, and
 * checked against what the server sent, so the events counted are the server's.
 */
import { readFrame } from '../../src/lib/board/build';
import type { BoardDelta } from '../../src/lib/protocol';
import { createSimulation, type Simulation } from '../../simulator/core/simulate';
import type { Scenario } from '../../simulator/scenario/types';
import { sanity } from './harness';
import type { TickRecord } from './wallboard-probe-protocol';
import type { LoadClient } from './wallboard-load';
import { Samples, summarize, type Summary } from './wallboard-stats';

/** The first day as the live source simulates it (same scenario, same seed), run forward on demand. */
export class ReplayedDay {
	readonly #times = new Samples();
	readonly #sim: Simulation;

	constructor(scenario: Scenario, seed: number) {
		this.#sim = createSimulation(scenario, { seed, onEvent: (e) => this.#times.push(e.t) });
	}

	/** runs every event before `t` (the live source's advance to t) */
	runUntil(t: number): void {
		this.#sim.runUntil(t);
	}

	/** source time of each event the engine stepped so far, in order */
	get times(): Float64Array {
		return this.#times.values();
	}

	/** Throws unless the server's engine and this one agree on the day's figures at the delta's instant (run this to delta.t first). */
	check(delta: BoardDelta): void {
		sanity(this.#sim.now === delta.t, `replay is at ${this.#sim.now}, the delta at ${delta.t}`);
		const theirs = JSON.stringify(delta.totals.day);
		const ours = JSON.stringify(readFrame(this.#sim.engine, delta.t).totals.day);
		sanity(ours === theirs, `the replayed day differs from the server's at t=${delta.t}:\n  server ${theirs}\n  replay ${ours}`);
	}
}

export interface LatencyInput {
	clients: readonly LoadClient[];
	ticks: readonly TickRecord[];
	/** source ms per wall ms */
	speed: number;
	/** the source time the first day is shown from (the anchor of its clock) */
	warmStartMs: number;
	/** sorted source times of the engine's events */
	eventTimes: Float64Array;
	/** only deltas received in [fromMs, toMs) count */
	fromMs: number;
	toMs: number;
}

export interface LatencyResult {
	built: Summary;
	applied: Summary;
	occurred: Summary;
	/** deltas counted (over all clients) */
	deltas: number;
	/** engine events applied in the window, and the wall seconds the window's deltas span */
	events: number;
	spanSeconds: number;
	/** spread of the source clock's wall anchor over the ticks: how well ticks and deltas line up */
	anchorSpreadMs: number;
	/** the window's ticks: wall time (advance the source, build and hand over every room's message) and the server's CPU in it */
	tickMs: Summary;
	tickCpuMs: Summary;
}

/** Index of the last element ≤ x in a sorted array, or -1. */
function lastAtOrBefore(sorted: ArrayLike<number>, x: number): number {
	let lo = 0;
	let hi = sorted.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if ((sorted[mid] as number) <= x) lo = mid + 1;
		else hi = mid;
	}
	return lo - 1;
}

/** Index of the first element ≥ x in a sorted array (length if none). */
function firstAtOrAfter(sorted: ArrayLike<number>, x: number): number {
	let lo = 0;
	let hi = sorted.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if ((sorted[mid] as number) < x) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

export function measureLatency(input: LatencyInput): LatencyResult {
	const ticks = [...input.ticks].sort((a, b) => a.startMs - b.startMs);
	// wallMs is Date.now() (whole ms) read inside the tick, so it falls in [floor(start), end]
	const tickStarts = ticks.map((k) => Math.floor(k.startMs));
	const tickOf = new Map<number, TickRecord>();
	const find = (t: number, wallMs: number): TickRecord => {
		const known = tickOf.get(t);
		if (known !== undefined) return known;
		const i = lastAtOrBefore(tickStarts, wallMs);
		const tick = ticks[i];
		sanity(tick !== undefined && wallMs <= tick.endMs + 1, `no server tick holds the delta built at ${wallMs} (source t=${t})`);
		tickOf.set(t, tick);
		return tick;
	};

	const inWindow = (recvMs: number) => recvMs >= input.fromMs && recvMs < input.toMs;
	for (const c of input.clients) for (const d of c.deltas) if (inWindow(d.recvMs)) find(d.t, d.wallMs);
	// the source clock runs t = warmStart + (wall at the tick - anchor) × speed: every tick gives the anchor
	const anchors = [...tickOf].map(([t, tick]) => tick.startMs - (t - input.warmStartMs) / input.speed);
	sanity(anchors.length > 0, 'no deltas in the measuring window');
	anchors.sort((a, b) => a - b);
	const anchor = anchors[anchors.length >> 1] as number;
	const anchorSpreadMs = (anchors[anchors.length - 1] as number) - (anchors[0] as number);
	// Date.now() whole ms on both readings of the source clock, and the tick's own start: a few ms at most
	sanity(
		anchorSpreadMs < 5,
		`source clock and ticks disagree by ${anchorSpreadMs.toFixed(1)} ms: wrong tick matched, or the day restarted`
	);

	const built = new Samples();
	const applied = new Samples();
	const occurred = new Samples();
	const times = input.eventTimes;
	let minT = Infinity;
	let maxT = -Infinity;
	let firstRecv = Infinity;
	let lastRecv = -Infinity;
	let deltas = 0;
	for (const c of input.clients) {
		let prevT = c.snapshot?.t ?? Number.NaN;
		for (const d of c.deltas) {
			const from = prevT;
			prevT = d.t;
			if (!inWindow(d.recvMs)) continue;
			deltas++;
			const tick = find(d.t, d.wallMs);
			built.push(d.recvMs - d.wallMs);
			applied.push(d.recvMs - tick.startMs);
			// the simulation runs events strictly before its target, so a delta at t brings [previous t, t)
			const lo = firstAtOrAfter(times, from);
			const hi = firstAtOrAfter(times, d.t);
			for (let i = lo; i < hi; i++) occurred.push(d.recvMs - (anchor + ((times[i] as number) - input.warmStartMs) / input.speed));
			minT = Math.min(minT, from);
			maxT = Math.max(maxT, d.t);
			firstRecv = Math.min(firstRecv, d.recvMs);
			lastRecv = Math.max(lastRecv, d.recvMs);
		}
	}
	const events = firstAtOrAfter(times, maxT) - firstAtOrAfter(times, minT);
	const used = [...new Set(tickOf.values())];
	return {
		built: summarize(built.values()),
		applied: summarize(applied.values()),
		occurred: summarize(occurred.values()),
		deltas,
		events,
		spanSeconds: (maxT - minT) / input.speed / 1000,
		anchorSpreadMs,
		tickMs: summarize(used.map((k) => k.endMs - k.startMs)),
		tickCpuMs: summarize(used.map((k) => k.cpuMs))
	};
}
