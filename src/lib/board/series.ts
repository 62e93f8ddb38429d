import type { Engine } from '../engine/engine';
import type { Counters } from '../engine/metrics/counters';
import type { ScopeMetrics } from '../engine/metrics/scope';
import { revenueAtRisk } from '../engine/views';
import { SERIES_WINDOW_MS, type SeriesColumns } from '../protocol';

/** One scope's raw columns: sums, so the columns of several queues add up to their board's totals. */
interface Raw {
	waiting: number[];
	/** answered within T over the last 15 minutes */
	inSl: number[];
	/** answered + abandoned - short abandoned over the last 15 minutes */
	settled: number[];
	revenueAtRisk: number[];
}

/** The key of the everything-scope; queue ids are kept as they are. */
const ALL = '\u0000all';

/** The series a board sees: `all` is the board's totals, the others its queues. */
export const TOTALS_KEY = 'all';

/**
 * The trend points of the last SERIES_WINDOW_MS: waiting, service level (slOffered over the last
 * 15 minutes) and revenue at risk, for everything and each queue, one point per sample. The
 * source calls `sample` every SERIES_STEP_MS of its own time (on multiples of it) with the engine
 * as of that instant,
 * so the trend does not depend on how often the board is refreshed or how fast the source runs.
 *
 * Every scope has a value at every kept sample (a queue first seen later is zero before), so one
 * time column serves all of them, and a point is addressed by a global sample number: `count`
 * after a sample is the cursor for `since` next time.
 */
export class SeriesRecorder {
	private readonly t: number[] = [];
	private readonly raw = new Map<string, Raw>();
	/** global number of the first kept sample */
	private base = 0;

	constructor(readonly windowMs: number = SERIES_WINDOW_MS) {}

	/** samples taken so far (kept or not): pass it to `columns` later to get what came after */
	get count(): number {
		return this.base + this.t.length;
	}

	/** time of the latest sample, or -Infinity before the first */
	get lastT(): number {
		return this.t.length > 0 ? (this.t[this.t.length - 1] as number) : Number.NEGATIVE_INFINITY;
	}

	/** Takes a point at source time t (ignored unless later than the last one), reading the engine as of t. */
	sample(engine: Engine, t: number): void {
		if (t <= this.lastT) return;
		const n = this.t.length;
		this.t.push(t);
		let totalRisk = 0;
		for (const q of engine.queues.values()) {
			const risk = revenueAtRisk(engine, q, t);
			totalRisk += risk;
			push(this.rawFor(q.id, n), q.scope, t, risk);
		}
		push(this.rawFor(ALL, n), engine.all, t, totalRisk);
		this.trim();
	}

	/**
	 * Columns of the board's totals (`queues` null: everything; else the sum of those queues), from
	 * global sample number `from` on (clamped to what is kept).
	 */
	totals(queues: readonly string[] | null, from = 0): SeriesColumns {
		const i0 = Math.max(0, from - this.base);
		if (queues === null) return this.columnsOf([this.raw.get(ALL)], i0);
		return this.columnsOf(
			queues.map((id) => this.raw.get(id)),
			i0
		);
	}

	/** Columns of one queue from global sample number `from` on. */
	queue(id: string, from = 0): SeriesColumns {
		return this.columnsOf([this.raw.get(id)], Math.max(0, from - this.base));
	}

	/** A board's series: `all` for its totals and one per queue. Keys with no point after `from` are left out when `skipEmpty`. */
	forBoard(queueIds: readonly string[], totalsOf: readonly string[] | null, from = 0, skipEmpty = false): Record<string, SeriesColumns> {
		const out: Record<string, SeriesColumns> = {};
		if (skipEmpty && from >= this.count) return out;
		out[TOTALS_KEY] = this.totals(totalsOf, from);
		for (const id of queueIds) out[id] = this.queue(id, from);
		return out;
	}

	private columnsOf(parts: ReadonlyArray<Raw | undefined>, i0: number): SeriesColumns {
		const n = this.t.length;
		const out: SeriesColumns = { t: this.t.slice(i0), waiting: [], slOffered: [], revenueAtRisk: [] };
		const present = parts.filter((p): p is Raw => p !== undefined);
		for (let i = i0; i < n; i++) {
			let waiting = 0;
			let inSl = 0;
			let settled = 0;
			let risk = 0;
			for (const p of present) {
				waiting += p.waiting[i] as number;
				inSl += p.inSl[i] as number;
				settled += p.settled[i] as number;
				risk += p.revenueAtRisk[i] as number;
			}
			out.waiting.push(waiting);
			out.slOffered.push(settled > 0 ? inSl / settled : null);
			out.revenueAtRisk.push(risk);
		}
		return out;
	}

	/** The raw columns of a scope, zero-filled up to sample index n when the scope is new. */
	private rawFor(key: string, n: number): Raw {
		let r = this.raw.get(key);
		if (r === undefined) {
			const zeros = () => new Array<number>(n).fill(0);
			r = { waiting: zeros(), inSl: zeros(), settled: zeros(), revenueAtRisk: zeros() };
			this.raw.set(key, r);
		}
		return r;
	}

	private trim(): void {
		const oldest = this.lastT - this.windowMs;
		let drop = 0;
		while (drop < this.t.length && (this.t[drop] as number) <= oldest) drop++;
		if (drop === 0) return;
		this.t.splice(0, drop);
		for (const r of this.raw.values()) {
			r.waiting.splice(0, drop);
			r.inSl.splice(0, drop);
			r.settled.splice(0, drop);
			r.revenueAtRisk.splice(0, drop);
		}
		this.base += drop;
	}
}

function push(r: Raw, scope: ScopeMetrics, t: number, risk: number): void {
	const c: Counters = scope.rolling(t, 15);
	r.waiting.push(scope.waiting);
	r.inSl.push(c.answeredInSl);
	r.settled.push(c.answered + c.abandoned - c.shortAbandoned);
	r.revenueAtRisk.push(risk);
}
