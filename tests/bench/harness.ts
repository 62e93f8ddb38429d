/** What a benchmark module exports, and the small measuring helpers the benchmarks share. */

export interface BenchResult {
	/** the case measured, e.g. "engine.observe.step" */
	name: string;
	metric: string;
	value: number;
	unit: string;
	notes: string;
}

export interface Benchmark {
	/** used for the table, the CLI filter and bench-results/<name>.json, so it must be file-name safe */
	name: string;
	run(): Promise<BenchResult[]>;
}

const NAME = /^[a-z0-9][a-z0-9._-]*$/i;

export function isBenchmark(x: unknown): x is Benchmark {
	if (typeof x !== 'object' || x === null) return false;
	const b = x as { name?: unknown; run?: unknown };
	return typeof b.name === 'string' && NAME.test(b.name) && typeof b.run === 'function';
}

export function median(xs: readonly number[]): number {
	if (xs.length === 0) throw new Error('median of no values');
	const s = [...xs].sort((a, b) => a - b);
	const mid = s.length >> 1;
	return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export interface Rates {
	/** events per second of the fastest run */
	best: number;
	median: number;
	/** wall seconds of each timed run */
	seconds: number[];
}

/** Rates of `count` events over each run's seconds; best is the fastest run, the least disturbed by the machine. */
export function rates(count: number, seconds: readonly number[]): Rates {
	const perRun = seconds.map((s) => count / s);
	return { best: Math.max(...perRun), median: median(perRun), seconds: [...seconds] };
}

/** Runs `fn` `warmups` times untimed (so the JIT has settled), then `runs` times, and returns each run's result. */
export function repeat<T>(warmups: number, runs: number, fn: () => T): T[] {
	for (let i = 0; i < warmups; i++) fn();
	const out: T[] = [];
	for (let i = 0; i < runs; i++) out.push(fn());
	return out;
}

export function sanity(ok: boolean, message: string): asserts ok {
	if (!ok) throw new Error(`bench sanity check failed: ${message}`);
}
