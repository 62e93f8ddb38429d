import type { Heatmap } from '../protocol';

/** One scope's arrivals: rows[interval][tier], and the version at which each row last changed. */
interface Grid {
	rows: number[][];
	versions: number[];
}

const ALL = '\u0000all';
/** a board's day is at most this long (a scenario horizon, or a live day with a late evening) */
const MAX_DAY_MS = 48 * 3_600_000;

/**
 * Today's arrivals per interval and heat tier, for everything and each queue. An arrival costs two
 * counter increments; reading a board's rows costs O(intervals × its queues), whatever the call rate.
 * Arrivals before the day start (a warm-up) are not today's and are left out.
 */
export class HeatmapTracker {
	private readonly grids = new Map<string, Grid>();
	private v = 0;
	private readonly intervalMs: number;
	/** a time far past the day (a bad clock) must not allocate rows up to it */
	private readonly maxRows: number;

	constructor(
		readonly tiers: readonly string[],
		readonly intervalMinutes: number,
		readonly dayStartMs: number
	) {
		this.intervalMs = intervalMinutes * 60_000;
		this.maxRows = Math.ceil(MAX_DAY_MS / this.intervalMs);
	}

	/** bumps with every counted arrival: a cursor for `changedSince` */
	get version(): number {
		return this.v;
	}

	intervalIndex(t: number): number {
		return Math.floor((t - this.dayStartMs) / this.intervalMs);
	}

	arrived(queue: string, tier: number, t: number): void {
		const i = this.intervalIndex(t);
		if (i < 0 || i >= this.maxRows || tier < 0 || tier >= this.tiers.length) return;
		this.v++;
		this.bump(ALL, i, tier);
		this.bump(queue, i, tier);
	}

	/**
	 * The heatmap of everything (`queues` null) or of the sum of some queues, with rows up to
	 * `throughIndex` (the current interval) even where nothing arrived yet.
	 */
	heatmap(queues: readonly string[] | null, throughIndex: number): Heatmap {
		const grids = this.gridsOf(queues);
		const n = Math.max(Math.min(throughIndex + 1, this.maxRows), ...grids.map((g) => g.rows.length));
		const counts: number[][] = [];
		for (let i = 0; i < n; i++) counts.push(this.row(grids, i));
		return { intervalMinutes: this.intervalMinutes, dayStartMs: this.dayStartMs, tiers: [...this.tiers], counts };
	}

	/** Rows of everything or of some queues that changed after `version`, whole. */
	changedSince(queues: readonly string[] | null, version: number): Array<[number, number[]]> {
		if (version >= this.v) return [];
		const grids = this.gridsOf(queues);
		const n = Math.max(0, ...grids.map((g) => g.rows.length));
		const out: Array<[number, number[]]> = [];
		for (let i = 0; i < n; i++) {
			if (grids.some((g) => (g.versions[i] ?? 0) > version)) out.push([i, this.row(grids, i)]);
		}
		return out;
	}

	private gridsOf(queues: readonly string[] | null): Grid[] {
		const keys = queues ?? [ALL];
		const out: Grid[] = [];
		for (const k of keys) {
			const g = this.grids.get(k);
			if (g !== undefined) out.push(g);
		}
		return out;
	}

	private row(grids: readonly Grid[], i: number): number[] {
		const sum = new Array<number>(this.tiers.length).fill(0);
		for (const g of grids) {
			const r = g.rows[i];
			if (r === undefined) continue;
			for (let k = 0; k < sum.length; k++) sum[k] = (sum[k] as number) + (r[k] as number);
		}
		return sum;
	}

	private bump(key: string, i: number, tier: number): void {
		let g = this.grids.get(key);
		if (g === undefined) {
			g = { rows: [], versions: [] };
			this.grids.set(key, g);
		}
		while (g.rows.length <= i) {
			g.rows.push(new Array<number>(this.tiers.length).fill(0));
			g.versions.push(0);
		}
		const r = g.rows[i] as number[];
		r[tier] = (r[tier] as number) + 1;
		g.versions[i] = this.v;
	}
}
