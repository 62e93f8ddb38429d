import { describe, expect, it } from 'vitest';
import { createArrivalClock, type ArrivalClockOptions } from './arrivals';
import { createStreams, replicationSeed, type Uniform } from './streams';

const MIN = 60_000;
const HOUR = 3_600_000;

function clock(overrides: Partial<ArrivalClockOptions> & { u: Uniform }) {
	return createArrivalClock({
		ratesPerHour: [60],
		intervalMs: HOUR,
		startMs: 0,
		endMs: 24 * HOUR,
		scale: 1,
		factor: 1,
		...overrides
	});
}

function all(c: { next(): number }): number[] {
	const out: number[] = [];
	for (let t = c.next(); t !== Infinity; t = c.next()) out.push(t);
	return out;
}

/** A stream that returns exp(−E) for each scripted Exp(1) value E, counting its calls. */
function scripted(exps: number[]): Uniform & { calls: () => number } {
	let i = 0;
	const u = () => Math.exp(-(exps[i++] ?? 1000));
	return Object.assign(u, { calls: () => i });
}

const replication = (r: number, name = 'arrivals'): Uniform => createStreams(replicationSeed('arrivals.spec', r)).stream(name);

describe('createArrivalClock: exact inversion', () => {
	it('places arrivals at Λ⁻¹ of the running Exp(1) sum, crossing zero-rate intervals', () => {
		// 1/s in [0, 1 s), nothing in [1 s, 2 s), 2/s from 2 s on.
		const u = scripted([0.4, 1.1, 0.5, 100]);
		const c = clock({ ratesPerHour: [3600, 0, 7200], intervalMs: 1000, endMs: 10_000, u });
		expect(c.next()).toBeCloseTo(400, 9); // 0.4 / (1/s)
		expect(c.next()).toBeCloseTo(2250, 9); // 0.6 left in [0.4 s, 1 s), skip the gap, 0.5 / (2/s)
		expect(c.next()).toBeCloseTo(2500, 9);
		expect(c.next()).toBe(Infinity); // 2.5 s + 50 s is past the end
		expect(c.next()).toBe(Infinity);
		expect(u.calls()).toBe(4); // one uniform per arrival, and none once finished
	});

	it('is deterministic for a seeded stream', () => {
		const opts = { ratesPerHour: [30, 120, 0, 80], intervalMs: 30 * MIN, endMs: 3 * HOUR };
		expect(all(clock({ ...opts, u: replication(0) }))).toEqual(all(clock({ ...opts, u: replication(0) })));
		expect(all(clock({ ...opts, u: replication(0) }))).not.toEqual(all(clock({ ...opts, u: replication(1) })));
	});

	it('returns strictly increasing times in [startMs, endMs), then Infinity for good', () => {
		const startMs = 8 * HOUR;
		const endMs = 20 * HOUR;
		const c = clock({ ratesPerHour: [500, 0, 1500, 20], intervalMs: 2 * HOUR, startMs, endMs, u: replication(2) });
		const times = all(c);
		expect(times.length).toBeGreaterThan(1000);
		expect(times[0]!).toBeGreaterThanOrEqual(startMs);
		expect(times[times.length - 1]!).toBeLessThan(endMs);
		expect(times.filter((t, i) => i > 0 && t <= times[i - 1]!)).toEqual([]);
		for (let i = 0; i < 5; i++) expect(c.next()).toBe(Infinity);
	});

	it('stays strictly increasing even when gaps are below the resolution of the clock', () => {
		// 10^15 per hour is ~0.3 per ns: far more arrivals than doubles between 24 h and 24 h + 0.1 µs.
		const startMs = 24 * HOUR;
		const c = clock({ ratesPerHour: [1e15], startMs, endMs: startMs + 1e-4, u: replication(3) });
		const times = all(c);
		expect(times.length).toBeGreaterThan(1000);
		expect(times.filter((t, i) => i > 0 && t <= times[i - 1]!)).toEqual([]);
		expect(times[times.length - 1]!).toBeLessThan(startMs + 1e-4);
	});

	it('has no arrivals at all when the rate is zero, scaled to zero or the window is empty', () => {
		expect(clock({ ratesPerHour: [0], u: replication(4) }).next()).toBe(Infinity);
		expect(clock({ scale: 0, u: replication(4) }).next()).toBe(Infinity);
		expect(clock({ factor: 0, u: replication(4) }).next()).toBe(Infinity);
		expect(clock({ startMs: 5, endMs: 5, u: replication(4) }).next()).toBe(Infinity);
	});

	it('accepts an endless window', () => {
		const c = clock({ ratesPerHour: [3600], endMs: Infinity, u: replication(5) });
		let t = 0;
		for (let i = 0; i < 10_000; i++) t = c.next();
		expect(Number.isFinite(t)).toBe(true);
		// 10 000 arrivals at 1/s: Gamma(10 000, 1 s), sd 100 s.
		expect(Math.abs(t - 10_000_000)).toBeLessThan(5 * 100_000);
		const dry = clock({ ratesPerHour: [3600, 0], intervalMs: 1000, endMs: Infinity, u: replication(5) });
		const times = all(dry);
		expect(times.every((x) => x < 1000)).toBe(true);
	});
});

describe('createArrivalClock: Poisson counts', () => {
	// A day in half-hours: closed at night, a morning peak, a lunch dip, a long afternoon.
	const PROFILE = Array.from({ length: 48 }, (_, i) => {
		if (i < 14 || i >= 44) return 0;
		if (i >= 24 && i < 27) return 40;
		return 60 + 240 * Math.exp(-(((i - 20) / 5) ** 2)) + 60 * Math.exp(-(((i - 33) / 6) ** 2));
	});
	const DAYS = 200;
	const INTERVAL = 30 * MIN;

	function countDays(profile: number[], scale: number, factor: number, stream = 'arrivals'): number[][] {
		const days: number[][] = [];
		for (let r = 0; r < DAYS; r++) {
			const counts = new Array<number>(profile.length).fill(0);
			const c = clock({ ratesPerHour: profile, intervalMs: INTERVAL, endMs: 24 * HOUR, scale, factor, u: replication(r, stream) });
			for (const t of all(c)) counts[Math.floor(t / INTERVAL)]!++;
			days.push(counts);
		}
		return days;
	}

	const base = countDays(PROFILE, 1, 1);

	it('counts per interval match rate × length within 5 standard errors; zero-rate intervals get none', () => {
		PROFILE.forEach((rate, i) => {
			const total = base.reduce((s, day) => s + day[i]!, 0);
			const expected = DAYS * rate * 0.5;
			if (rate === 0) expect(total).toBe(0);
			else expect(Math.abs(total - expected)).toBeLessThan(5 * Math.sqrt(expected));
		});
	});

	it('has Poisson dispersion: day-to-day variance of a count equals its mean', () => {
		// Σ (x − x̄)² / x̄ over the days is ~ χ²(DAYS − 1): mean DAYS − 1, sd √(2(DAYS − 1)).
		const dispersion = (xs: number[]): number => {
			const m = xs.reduce((s, x) => s + x, 0) / xs.length;
			return xs.reduce((s, x) => s + (x - m) ** 2, 0) / m;
		};
		const tolerance = 5 * Math.sqrt(2 * (DAYS - 1));
		expect(Math.abs(dispersion(base.map((day) => day.reduce((s, x) => s + x, 0))) - (DAYS - 1))).toBeLessThan(tolerance);
		for (const i of [15, 20, 25, 33, 43]) {
			expect(Math.abs(dispersion(base.map((day) => day[i]!)) - (DAYS - 1))).toBeLessThan(tolerance);
		}
	});

	it('scale and factor multiply the expected count', () => {
		const scaled = countDays(PROFILE, 2, 1.5, 'scaled');
		const expected = DAYS * 3 * PROFILE.reduce((s, r) => s + r * 0.5, 0);
		const total = scaled.reduce((s, day) => s + day.reduce((a, x) => a + x, 0), 0);
		expect(Math.abs(total - expected)).toBeLessThan(5 * Math.sqrt(expected));
		for (const i of [16, 20, 30, 40]) {
			const e = DAYS * 3 * PROFILE[i]! * 0.5;
			const got = scaled.reduce((s, day) => s + day[i]!, 0);
			expect(Math.abs(got - e)).toBeLessThan(5 * Math.sqrt(e));
		}
	});

	it('scale and factor act exactly like a multiplied profile on the same stream', () => {
		const opts = { ratesPerHour: [10, 0, 35, 5], intervalMs: 2 * HOUR, endMs: 8 * HOUR };
		const a = all(clock({ ...opts, scale: 2, factor: 1.5, u: replication(6) }));
		const b = all(clock({ ...opts, ratesPerHour: opts.ratesPerHour.map((r) => r * 3), u: replication(6) }));
		expect(a.length).toBe(b.length);
		a.forEach((t, i) => expect(Math.abs(t - b[i]!)).toBeLessThan(1e-6));
		// With common random numbers a constant rate doubled halves every arrival time, exactly
		// (halving commutes with binary rounding).
		const once = all(clock({ ratesPerHour: [100], endMs: 1000 * HOUR, u: replication(7) }));
		const twice = all(clock({ ratesPerHour: [100], endMs: 500 * HOUR, scale: 2, u: replication(7) }));
		expect(once.length).toBeGreaterThan(90_000);
		expect(twice).toEqual(once.map((t) => t / 2));
	});

	it('gaps at a constant rate are exponential: mean 1/λ, sd 1/λ', () => {
		const times = all(clock({ ratesPerHour: [720], endMs: 1000 * HOUR, u: replication(8) }));
		const gaps = times.map((t, i) => t - (i === 0 ? 0 : times[i - 1]!));
		const n = gaps.length;
		const m = gaps.reduce((s, x) => s + x, 0) / n;
		const v = gaps.reduce((s, x) => s + (x - m) ** 2, 0) / (n - 1);
		const meanGap = HOUR / 720;
		// Exp: sd of the mean is μ/√n; of the sample variance √((μ4 − σ⁴)/n) = √(8/n)·μ².
		expect(Math.abs(m - meanGap)).toBeLessThan((5 * meanGap) / Math.sqrt(n));
		expect(Math.abs(v - meanGap ** 2)).toBeLessThan(5 * Math.sqrt(8 / n) * meanGap ** 2);
	});
});

describe('createArrivalClock: rates past the end of the list', () => {
	it('hold the last value: [0, 60] behaves like [0, 60, 60, 60, ...] on the same stream', () => {
		const opts = { intervalMs: 10 * MIN, endMs: 10 * HOUR };
		const short = all(clock({ ...opts, ratesPerHour: [0, 60], u: replication(9) }));
		const long = all(clock({ ...opts, ratesPerHour: [0, ...new Array<number>(60).fill(60)], u: replication(9) }));
		expect(short.length).toBe(long.length);
		short.forEach((t, i) => expect(Math.abs(t - long[i]!)).toBeLessThan(1e-6));
		expect(short[0]!).toBeGreaterThanOrEqual(10 * MIN);
	});

	it('hold the last value: the count after the list matches the last rate', () => {
		let total = 0;
		const days = 100;
		for (let r = 0; r < days; r++) {
			const times = all(clock({ ratesPerHour: [0, 60], intervalMs: 10 * MIN, endMs: 10 * HOUR, u: replication(r, 'held') }));
			expect(times.some((t) => t < 10 * MIN)).toBe(false);
			total += times.length;
		}
		const expected = days * 60 * (10 - 1 / 6);
		expect(Math.abs(total - expected)).toBeLessThan(5 * Math.sqrt(expected));
	});

	it('a trailing zero closes the stream for good', () => {
		const u = replication(10);
		const c = clock({ ratesPerHour: [600, 0], intervalMs: HOUR, endMs: Infinity, u });
		const times = all(c);
		expect(times.length).toBeGreaterThan(400);
		expect(times.every((t) => t < HOUR)).toBe(true);
		expect(c.next()).toBe(Infinity);
	});
});

describe('createArrivalClock: validation', () => {
	const u: Uniform = () => 0.5;
	const bad: Array<[Partial<ArrivalClockOptions>, RegExp]> = [
		[{ ratesPerHour: [] }, /ratesPerHour must be a non-empty array/],
		[{ ratesPerHour: [10, -1] }, /ratesPerHour\[1\] must be a finite number >= 0/],
		[{ ratesPerHour: [Number.NaN] }, /ratesPerHour\[0\]/],
		[{ ratesPerHour: [Infinity] }, /ratesPerHour\[0\]/],
		[{ intervalMs: 0 }, /intervalMs must be a finite number > 0/],
		[{ startMs: Number.NaN }, /startMs must be a finite number/],
		[{ startMs: 10, endMs: 5 }, /endMs must be a number >= startMs/],
		[{ scale: -1 }, /scale must be a finite number >= 0/],
		[{ factor: Number.NaN }, /factor must be a finite number >= 0/]
	];
	for (const [overrides, message] of bad) {
		it(`rejects ${JSON.stringify(overrides)}`, () => {
			expect(() => clock({ ...overrides, u })).toThrow(message);
		});
	}
});
