import { generatorOf, type Uniform } from './streams';

export interface ArrivalClockOptions {
	/** arrivals per hour in each interval from `startMs` on; past the list the last value holds */
	ratesPerHour: readonly number[];
	intervalMs: number;
	/** where interval 0 begins; no arrival comes before it */
	startMs: number;
	/** arrivals fall in [startMs, endMs); may be Infinity */
	endMs: number;
	/** multiplies every rate ("peak" what-ifs) */
	scale: number;
	/** multiplies every rate (the weekday factor) */
	factor: number;
	/** the stream this clock owns; it draws exactly one uniform per arrival, plus one for the end */
	u: Uniform;
}

export interface ArrivalClock {
	/** the next arrival time in ms, strictly after the previous one; Infinity from the first one past `endMs` on */
	next(): number;
}

const MS_PER_HOUR = 3_600_000;

function check(ok: boolean, message: string): void {
	if (!ok) throw new Error(`arrival clock: ${message}`);
}

function finiteNumber(value: unknown): value is number {
	return typeof value === 'number' && Number.isFinite(value);
}

/**
 * A non-homogeneous Poisson process with a piecewise-constant rate, by exact inversion of the
 * cumulative intensity Λ: arrival k is at Λ⁻¹(E₁ + … + E_k) with E ~ Exp(1). Each Exp(1) is spent
 * interval by interval (zero-rate intervals cost nothing and are crossed). Unlike thinning, this
 * draws one uniform per arrival whatever the rate profile, so with common random numbers a scaled
 * profile moves the same arrivals instead of drawing different ones.
 */
export function createArrivalClock(opts: ArrivalClockOptions): ArrivalClock {
	const { ratesPerHour, intervalMs, startMs, endMs, scale, factor, u } = opts;
	check(Array.isArray(ratesPerHour) && ratesPerHour.length > 0, 'ratesPerHour must be a non-empty array');
	ratesPerHour.forEach((r, i) => check(finiteNumber(r) && r >= 0, `ratesPerHour[${i}] must be a finite number >= 0 (got ${r})`));
	check(finiteNumber(intervalMs) && intervalMs > 0, `intervalMs must be a finite number > 0 (got ${intervalMs})`);
	check(finiteNumber(startMs), `startMs must be a finite number (got ${startMs})`);
	// endMs may be Infinity (a clock without end); NaN fails the comparison.
	check(typeof endMs === 'number' && endMs >= startMs, `endMs must be a number >= startMs (got ${endMs}, startMs ${startMs})`);
	check(finiteNumber(scale) && scale >= 0, `scale must be a finite number >= 0 (got ${scale})`);
	check(finiteNumber(factor) && factor >= 0, `factor must be a finite number >= 0 (got ${factor})`);
	check(typeof u === 'function', 'u must be a uniform stream');

	const g = generatorOf(u);
	const perMs = (scale * factor) / MS_PER_HOUR;
	const rates = Float64Array.from(ratesPerHour, (r) => r * perMs);
	const last = rates.length - 1;
	const lastRate = rates[last]!;
	/** end of interval i, computed afresh each time so boundaries do not drift with a running sum */
	const boundary = (i: number): number => startMs + (i + 1) * intervalMs;

	// Invariant: the last time (at[0]) lies in interval `idx` (at[0] < boundary(idx)), or idx === last.
	// the clock's times in a typed array: doubles kept in closure variables are a new heap number per write
	const at = Float64Array.of(startMs, -Infinity); // [time, previous]
	let idx = 0;
	let done = endMs <= startMs;

	return {
		next(): number {
			if (done) return Infinity;
			let e = -Math.log(g.next());
			let t = at[0] as number;
			const previous = at[1] as number;
			for (;;) {
				if (idx >= last) {
					// From here on the rate never changes: no need to walk the intervals.
					if (lastRate === 0) {
						done = true;
						return Infinity;
					}
					t += e / lastRate;
					break;
				}
				const end = boundary(idx);
				const rate = rates[idx]!;
				const capacity = rate * (end - t);
				if (e < capacity) {
					t += e / rate;
					break;
				}
				e -= capacity;
				t = end;
				idx++;
				if (t >= endMs) {
					done = true;
					return Infinity;
				}
			}
			// A gap shorter than the clock's resolution at t would repeat the previous time (only at
			// absurd rates); nudge one step up so arrival times stay strictly increasing.
			if (t <= previous) t = previous + Math.max(Number.MIN_VALUE, Math.abs(previous) * Number.EPSILON);
			if (t >= endMs) {
				done = true;
				return Infinity;
			}
			while (idx < last && t >= boundary(idx)) idx++;
			at[0] = t;
			at[1] = t;
			return t;
		}
	};
}
