import { erf, gamma as gammaFn, lgamma } from 'mathjs';
import { describe, expect, it } from 'vitest';
import type { Dist } from '../scenario/types';
import { mean, sampler, validateDist, variance } from './distributions';
import { uniformStream } from './streams';

// ---------------------------------------------------------------------------------------------
// Independent references: raw moments E[X^n] from textbook formulas (mathjs for Γ, erf, lnΓ),
// never the module's own mean/variance; the tolerances are 5 standard errors of the estimator.
// ---------------------------------------------------------------------------------------------

const N = 200_000;

function g(x: number): number {
	return gammaFn(x) as number;
}

/** E[X], E[X²], E[X³], E[X⁴]. */
function rawMoments(dist: Dist): [number, number, number, number] {
	const m = (f: (n: number) => number): [number, number, number, number] => [f(1), f(2), f(3), f(4)];
	switch (dist.dist) {
		case 'constant':
			return m((n) => dist.value ** n);
		case 'exponential':
			return m((n) => g(n + 1) * dist.mean ** n);
		case 'lognormal': {
			const s2 = Math.log(1 + (dist.sd / dist.mean) ** 2);
			const mu = Math.log(dist.mean) - s2 / 2;
			return m((n) => Math.exp(n * mu + (n * n * s2) / 2));
		}
		case 'gamma':
			return m((n) => (dist.scale ** n * g(dist.shape + n)) / g(dist.shape));
		case 'weibull':
			return m((n) => dist.scale ** n * g(1 + n / dist.shape));
		case 'uniform':
			return m((n) => (dist.max ** (n + 1) - dist.min ** (n + 1)) / ((n + 1) * (dist.max - dist.min)));
		case 'beta':
			return m((n) => {
				let p = 1;
				for (let r = 0; r < n; r++) p *= (dist.a + r) / (dist.a + dist.b + r);
				return p;
			});
		case 'empirical':
			return m((n) => dist.values.reduce((s, v) => s + v ** n, 0) / dist.values.length);
	}
}

function centralMoments(dist: Dist): { mu: number; sigma2: number; mu4: number } {
	const [m1, m2, m3, m4] = rawMoments(dist);
	return {
		mu: m1,
		sigma2: m2 - m1 * m1,
		mu4: m4 - 4 * m1 * m3 + 6 * m1 * m1 * m2 - 3 * m1 ** 4
	};
}

function draw(dist: Dist, n: number, name = 'dist'): Float64Array {
	const s = sampler(dist, uniformStream('distributions.spec', `${name}:${JSON.stringify(dist)}`));
	const out = new Float64Array(n);
	for (let i = 0; i < n; i++) out[i] = s();
	return out;
}

/** The variates failing `ok` (expected: none), checked in one assertion rather than 200k. */
function failing(x: Float64Array, ok: (v: number) => boolean): number[] {
	const out: number[] = [];
	for (const v of x) if (!ok(v)) out.push(v);
	return out;
}

function sampleMoments(x: Float64Array): { mean: number; variance: number } {
	let sum = 0;
	for (const v of x) sum += v;
	const m = sum / x.length;
	let ss = 0;
	for (const v of x) ss += (v - m) * (v - m);
	return { mean: m, variance: ss / (x.length - 1) };
}

const MOMENT_CASES: Array<{ label: string; dist: Dist }> = [
	{ label: 'exponential, 3 min', dist: { dist: 'exponential', mean: 180_000 } },
	{ label: 'lognormal, cv 0.5', dist: { dist: 'lognormal', mean: 240_000, sd: 120_000 } },
	{ label: 'lognormal, cv 1', dist: { dist: 'lognormal', mean: 5, sd: 5 } },
	{ label: 'gamma, shape 2.5', dist: { dist: 'gamma', shape: 2.5, scale: 1000 } },
	{ label: 'gamma, shape 1', dist: { dist: 'gamma', shape: 1, scale: 7 } },
	{ label: 'gamma, shape 0.4 (boost)', dist: { dist: 'gamma', shape: 0.4, scale: 10 } },
	{ label: 'gamma, shape 30', dist: { dist: 'gamma', shape: 30, scale: 2 } },
	{ label: 'weibull, shape 1.5', dist: { dist: 'weibull', shape: 1.5, scale: 100 } },
	{ label: 'weibull, shape 0.7', dist: { dist: 'weibull', shape: 0.7, scale: 50 } },
	{ label: 'uniform', dist: { dist: 'uniform', min: 10, max: 70 } },
	{ label: 'beta(2, 5)', dist: { dist: 'beta', a: 2, b: 5 } },
	{ label: 'beta(0.5, 0.5)', dist: { dist: 'beta', a: 0.5, b: 0.5 } },
	{ label: 'beta(0.3, 2)', dist: { dist: 'beta', a: 0.3, b: 2 } },
	{ label: 'empirical', dist: { dist: 'empirical', values: [1, 2, 2, 5, 10] } }
];

describe('sampler: moments over 200k seeded draws', () => {
	for (const { label, dist } of MOMENT_CASES) {
		it(label, () => {
			const { mu, sigma2, mu4 } = centralMoments(dist);
			const x = draw(dist, N);
			const s = sampleMoments(x);
			// sd of the sample mean: σ/√n; of the sample variance: √((μ4 − σ⁴)/n) to first order.
			expect(Math.abs(s.mean - mu)).toBeLessThan(5 * Math.sqrt(sigma2 / N));
			expect(Math.abs(s.variance - sigma2)).toBeLessThan(5 * Math.sqrt((mu4 - sigma2 * sigma2) / N));
			expect(failing(x, (v) => v >= 0 && Number.isFinite(v))).toEqual([]);
		});
	}

	it('mean() and variance() agree with the textbook moments', () => {
		for (const { dist } of MOMENT_CASES) {
			const { mu, sigma2 } = centralMoments(dist);
			expect(Math.abs(mean(dist) - mu) / mu).toBeLessThan(1e-12);
			expect(Math.abs(variance(dist) - sigma2) / sigma2).toBeLessThan(1e-9);
		}
		expect(mean({ dist: 'constant', value: 30_000 })).toBe(30_000);
		expect(variance({ dist: 'constant', value: 30_000 })).toBe(0);
		expect(mean({ dist: 'weibull', shape: 1, scale: 9 })).toBeCloseTo(9, 12);
		expect(mean({ dist: 'weibull', shape: 2, scale: 2 })).toBeCloseTo(Math.sqrt(Math.PI), 12);
		expect(Math.abs(mean({ dist: 'weibull', shape: 0.01, scale: 1 }) / g(101) - 1)).toBeLessThan(1e-12);
	});
});

// ---------------------------------------------------------------------------------------------
// Kolmogorov–Smirnov against exact CDFs.
// ---------------------------------------------------------------------------------------------

/** Regularised lower incomplete gamma P(a, x) (series below a + 1, Lentz continued fraction above). */
function gammaP(a: number, x: number): number {
	if (x <= 0) return 0;
	const front = Math.exp(-x + a * Math.log(x) - (lgamma(a) as number));
	if (x < a + 1) {
		let ap = a;
		let del = 1 / a;
		let sum = del;
		for (let i = 0; i < 10_000 && Math.abs(del) > Math.abs(sum) * 1e-16; i++) {
			ap += 1;
			del *= x / ap;
			sum += del;
		}
		return sum * front;
	}
	const tiny = 1e-300;
	let b = x + 1 - a;
	let c = 1 / tiny;
	let d = 1 / b;
	let h = d;
	for (let i = 1; i < 10_000; i++) {
		const an = -i * (i - a);
		b += 2;
		d = an * d + b;
		if (Math.abs(d) < tiny) d = tiny;
		c = b + an / c;
		if (Math.abs(c) < tiny) c = tiny;
		d = 1 / d;
		const del = d * c;
		h *= del;
		if (Math.abs(del - 1) < 1e-16) break;
	}
	return 1 - front * h;
}

function ksStatistic(x: Float64Array, cdf: (v: number) => number): number {
	const sorted = Float64Array.from(x).sort();
	const n = sorted.length;
	let d = 0;
	for (let i = 0; i < n; i++) {
		const f = cdf(sorted[i]!);
		d = Math.max(d, (i + 1) / n - f, f - i / n);
	}
	return d;
}

// Kolmogorov distribution: P(√n·D > 1.9495) = 0.001 for large n.
const KS_CRITICAL_0_001 = 1.9495;
const KS_N = 100_000;

const KS_CASES: Array<{ label: string; dist: Dist; cdf: (x: number) => number }> = [
	{ label: 'exponential', dist: { dist: 'exponential', mean: 3 }, cdf: (x) => 1 - Math.exp(-x / 3) },
	{ label: 'gamma shape 0.4', dist: { dist: 'gamma', shape: 0.4, scale: 2 }, cdf: (x) => gammaP(0.4, x / 2) },
	{ label: 'gamma shape 2.5', dist: { dist: 'gamma', shape: 2.5, scale: 60 }, cdf: (x) => gammaP(2.5, x / 60) },
	{ label: 'gamma shape 9', dist: { dist: 'gamma', shape: 9, scale: 0.5 }, cdf: (x) => gammaP(9, x / 0.5) },
	{
		label: 'weibull',
		dist: { dist: 'weibull', shape: 1.7, scale: 4 },
		cdf: (x) => 1 - Math.exp(-Math.pow(x / 4, 1.7))
	},
	{
		// The lognormal is exp of a Box–Muller normal, so this also checks the normal generator.
		label: 'lognormal',
		dist: { dist: 'lognormal', mean: 2, sd: 1.5 },
		cdf: (x) => {
			const s2 = Math.log(1 + (1.5 / 2) ** 2);
			const mu = Math.log(2) - s2 / 2;
			return 0.5 * (1 + (erf((Math.log(x) - mu) / Math.sqrt(2 * s2)) as number));
		}
	},
	{ label: 'uniform', dist: { dist: 'uniform', min: 5, max: 9 }, cdf: (x) => Math.min(1, Math.max(0, (x - 5) / 4)) }
];

describe('sampler: Kolmogorov–Smirnov at the 0.1% level', () => {
	it('the reference incomplete gamma is right where it has closed forms', () => {
		expect(gammaP(1, 2)).toBeCloseTo(1 - Math.exp(-2), 13);
		expect(gammaP(2, 3)).toBeCloseTo(1 - 4 * Math.exp(-3), 13);
		expect(gammaP(0.5, 1.3)).toBeCloseTo(erf(Math.sqrt(1.3)) as number, 10);
		expect(gammaP(0.5, 0.2)).toBeCloseTo(erf(Math.sqrt(0.2)) as number, 10);
	});

	for (const { label, dist, cdf } of KS_CASES) {
		it(label, () => {
			const d = ksStatistic(draw(dist, KS_N, 'ks'), cdf);
			expect(d * Math.sqrt(KS_N)).toBeLessThan(KS_CRITICAL_0_001);
		});
	}

	it('would notice a wrong shape (the test has power)', () => {
		const d = ksStatistic(draw({ dist: 'gamma', shape: 2.4, scale: 60 }, KS_N, 'ks'), (x) => gammaP(2.5, x / 60));
		expect(d * Math.sqrt(KS_N)).toBeGreaterThan(KS_CRITICAL_0_001);
	});
});

describe('sampler: behaviour', () => {
	it('is deterministic: the same stream seed gives the same variates', () => {
		for (const { dist } of MOMENT_CASES) {
			expect(Array.from(draw(dist, 500, 'det'))).toEqual(Array.from(draw(dist, 500, 'det')));
		}
	});

	it('successive variates are uncorrelated (Box–Muller spares and gamma rejections included)', () => {
		const n = N;
		for (const dist of [
			{ dist: 'lognormal', mean: 1, sd: 0.3 },
			{ dist: 'gamma', shape: 3, scale: 1 },
			{ dist: 'beta', a: 2, b: 2 }
		] satisfies Dist[]) {
			const x = draw(dist, n, 'lag');
			const { mean: m, variance: v } = sampleMoments(x);
			for (const lag of [1, 2, 3]) {
				let c = 0;
				for (let i = lag; i < n; i++) c += (x[i]! - m) * (x[i - lag]! - m);
				// A lag correlation of an independent sequence has sd ~ 1/√n.
				expect(Math.abs(c / (n - lag) / v)).toBeLessThan(5 / Math.sqrt(n));
			}
		}
	});

	it('constant returns its value and draws nothing from the stream', () => {
		let calls = 0;
		const s = sampler({ dist: 'constant', value: 45_000 }, () => {
			calls++;
			return 0.5;
		});
		expect([s(), s(), s()]).toEqual([45_000, 45_000, 45_000]);
		expect(calls).toBe(0);
	});

	it('lognormal with sd 0 is its mean', () => {
		const s = sampler({ dist: 'lognormal', mean: 12, sd: 0 }, uniformStream(1, 'x'));
		expect([s(), s()]).toEqual([12, 12]);
	});

	it('uses the stream it is given: exponential and weibull invert the uniform', () => {
		const u = () => Math.exp(-2);
		expect(sampler({ dist: 'exponential', mean: 10 }, u)()).toBeCloseTo(20, 12);
		expect(sampler({ dist: 'weibull', shape: 2, scale: 3 }, u)()).toBeCloseTo(3 * Math.SQRT2, 12);
		expect(sampler({ dist: 'uniform', min: 2, max: 4 }, () => 0.25)()).toBe(2.5);
	});

	it('empirical resamples the listed values uniformly, duplicates counting twice, nothing else', () => {
		const values = [3, 7, 7, 11];
		const x = draw({ dist: 'empirical', values }, N);
		const counts = new Map<number, number>();
		for (const v of x) counts.set(v, (counts.get(v) ?? 0) + 1);
		expect([...counts.keys()].sort((a, b) => a - b)).toEqual([3, 7, 11]);
		const expectCount = (v: number, p: number) =>
			expect(Math.abs((counts.get(v) ?? 0) - N * p)).toBeLessThan(5 * Math.sqrt(N * p * (1 - p)));
		expectCount(3, 0.25);
		expectCount(7, 0.5);
		expectCount(11, 0.25);
	});

	it('empirical keeps its own copy of the values', () => {
		const values = [1, 1, 1];
		const s = sampler({ dist: 'empirical', values }, uniformStream(2, 'e'));
		values[0] = values[1] = values[2] = 99;
		for (let i = 0; i < 20; i++) expect(s()).toBe(1);
	});

	it('beta with tiny shapes stays in [0, 1] without NaN and keeps its symmetry', () => {
		const x = draw({ dist: 'beta', a: 0.01, b: 0.01 }, N);
		expect(failing(x, (v) => v >= 0 && v <= 1)).toEqual([]);
		const above = x.filter((v) => v > 0.5).length;
		expect(Math.abs(above - N / 2)).toBeLessThan(5 * Math.sqrt(N / 4));
		const { mean: m } = sampleMoments(x);
		const s2 = variance({ dist: 'beta', a: 0.01, b: 0.01 });
		expect(Math.abs(m - 0.5)).toBeLessThan(5 * Math.sqrt(s2 / N));
	});

	it('gamma with a tiny shape is non-negative, finite and has the right mean', () => {
		const dist: Dist = { dist: 'gamma', shape: 0.05, scale: 100 };
		const x = draw(dist, N);
		expect(failing(x, (v) => v >= 0 && Number.isFinite(v))).toEqual([]);
		expect(Math.abs(sampleMoments(x).mean - mean(dist))).toBeLessThan(5 * Math.sqrt(variance(dist) / N));
	});

	it('uniform stays inside [min, max]', () => {
		const x = draw({ dist: 'uniform', min: 100, max: 200 }, 10_000);
		expect(failing(x, (v) => v > 100 && v < 200)).toEqual([]);
		expect(Array.from(draw({ dist: 'uniform', min: 4, max: 4 }, 3))).toEqual([4, 4, 4]);
	});
});

describe('validation', () => {
	const bad: Array<[unknown, RegExp]> = [
		[{ dist: 'constant', value: -1 }, /constant.*value must be >= 0/],
		[{ dist: 'constant', value: Number.NaN }, /constant.*value must be a finite number/],
		[{ dist: 'exponential', mean: 0 }, /exponential.*mean must be > 0/],
		[{ dist: 'exponential' }, /exponential.*mean must be a finite number \(got undefined\)/],
		[{ dist: 'lognormal', mean: 10, sd: -1 }, /lognormal.*sd must be >= 0/],
		[{ dist: 'lognormal', mean: 0, sd: 1 }, /lognormal.*mean must be > 0/],
		[{ dist: 'gamma', shape: 0, scale: 1 }, /gamma.*shape must be > 0/],
		[{ dist: 'gamma', shape: 1, scale: Infinity }, /gamma.*scale must be a finite number/],
		[{ dist: 'weibull', shape: -2, scale: 1 }, /weibull.*shape must be > 0/],
		[{ dist: 'uniform', min: 5, max: 4 }, /uniform.*max must be >= min/],
		[{ dist: 'uniform', min: -1, max: 4 }, /uniform.*min must be >= 0/],
		[{ dist: 'beta', a: 1, b: 0 }, /beta.*b must be > 0/],
		[{ dist: 'empirical', values: [] }, /empirical.*non-empty/],
		[{ dist: 'empirical', values: [1, -2] }, /empirical.*values\[1\] must be >= 0/],
		[{ dist: 'pareto', alpha: 2 }, /unknown distribution "pareto"/],
		[null, /must be an object/]
	];
	for (const [dist, message] of bad) {
		it(`rejects ${JSON.stringify(dist)}`, () => {
			expect(() => validateDist(dist as Dist)).toThrow(message);
			expect(() => sampler(dist as Dist, () => 0.5)).toThrow(message);
			expect(() => mean(dist as Dist)).toThrow(message);
		});
	}
});
