import type { Dist } from '../scenario/types';
import { generatorOf, type Uniform } from './streams';

/*
 * Samplers draw only from the uniform stream they are given, in an order fixed by the draws
 * themselves, so a seeded stream gives the same variates on every machine (V8 computes Math.log,
 * exp, pow, sin and cos in software, not with the platform's libm).
 * The uniforms have 32-bit resolution, which caps an exponential draw at about 22.9 means and a
 * normal at about 6.8 sd: events of probability ~1e-10, far below what a simulated day can see.
 */

function fail(dist: Dist, message: string): never {
	throw new Error(`invalid ${dist.dist} distribution: ${message}`);
}

function finite(dist: Dist, name: string, value: unknown): number {
	if (typeof value !== 'number' || !Number.isFinite(value)) {
		fail(dist, `${name} must be a finite number (got ${String(value)})`);
	}
	return value;
}

function positive(dist: Dist, name: string, value: unknown): number {
	const v = finite(dist, name, value);
	if (v <= 0) fail(dist, `${name} must be > 0 (got ${v})`);
	return v;
}

function nonNegative(dist: Dist, name: string, value: unknown): number {
	const v = finite(dist, name, value);
	if (v < 0) fail(dist, `${name} must be >= 0 (got ${v})`);
	return v;
}

/** Throws a message naming the distribution and the parameter when `dist` cannot be sampled. */
export function validateDist(dist: Dist): void {
	if (typeof dist !== 'object' || dist === null) throw new Error(`a distribution must be an object (got ${String(dist)})`);
	switch (dist.dist) {
		case 'constant':
			nonNegative(dist, 'value', dist.value);
			return;
		case 'exponential':
			positive(dist, 'mean', dist.mean);
			return;
		case 'lognormal':
			positive(dist, 'mean', dist.mean);
			nonNegative(dist, 'sd', dist.sd);
			return;
		case 'gamma':
		case 'weibull':
			positive(dist, 'shape', dist.shape);
			positive(dist, 'scale', dist.scale);
			return;
		case 'uniform': {
			const min = nonNegative(dist, 'min', dist.min);
			const max = finite(dist, 'max', dist.max);
			if (max < min) fail(dist, `max must be >= min (got min ${min}, max ${max})`);
			return;
		}
		case 'beta':
			positive(dist, 'a', dist.a);
			positive(dist, 'b', dist.b);
			return;
		case 'empirical': {
			if (!Array.isArray(dist.values) || dist.values.length === 0) fail(dist, 'values must be a non-empty array');
			dist.values.forEach((v, i) => nonNegative(dist, `values[${i}]`, v));
			return;
		}
		default: {
			const unknown: { dist?: unknown } = dist;
			throw new Error(`unknown distribution ${JSON.stringify(unknown.dist)}`);
		}
	}
}

/**
 * Standard normal variates by Box–Muller: exactly two uniforms per pair, the second of the pair
 * kept in the closure, so the stream position depends only on how many normals were drawn.
 */
function normalSource(u: Uniform): () => number {
	// the spare in a typed array: a double kept in a closure variable is a new heap number per write
	const spare = new Float64Array(1);
	let hasSpare = false;
	return () => {
		if (hasSpare) {
			hasSpare = false;
			return spare[0] as number;
		}
		const r = Math.sqrt(-2 * Math.log(u()));
		const theta = 2 * Math.PI * u();
		spare[0] = r * Math.sin(theta);
		hasSpare = true;
		return r * Math.cos(theta);
	};
}

/** Gamma(shape >= 1, 1) by Marsaglia & Tsang (2000), with their cheap squeeze before the log test. */
function marsagliaTsang(shape: number, u: Uniform, normal: () => number): () => number {
	const d = shape - 1 / 3;
	const c = 1 / Math.sqrt(9 * d);
	return () => {
		for (;;) {
			let x: number;
			let v: number;
			do {
				x = normal();
				v = 1 + c * x;
			} while (v <= 0);
			v = v * v * v;
			const w = u();
			const x2 = x * x;
			if (w < 1 - 0.0331 * x2 * x2) return d * v;
			if (Math.log(w) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
		}
	};
}

/**
 * Gamma(shape, 1). Below shape 1 it uses the boost Gamma(a) = Gamma(a + 1) · U^(1/a); for very
 * small shapes that product can underflow to 0, the honest double for a variate that small.
 */
function standardGamma(shape: number, u: Uniform, normal: () => number): () => number {
	if (shape >= 1) return marsagliaTsang(shape, u, normal);
	const core = marsagliaTsang(shape + 1, u, normal);
	const invShape = 1 / shape;
	return () => core() * Math.pow(u(), invShape);
}

/** log of a Gamma(shape, 1) variate, for ratios that must not underflow. */
function logStandardGamma(shape: number, u: Uniform, normal: () => number): () => number {
	if (shape >= 1) {
		const core = marsagliaTsang(shape, u, normal);
		return () => Math.log(core());
	}
	const core = marsagliaTsang(shape + 1, u, normal);
	const invShape = 1 / shape;
	return () => Math.log(core()) + Math.log(u()) * invShape;
}

/**
 * A generator of variates of `dist` drawing on `u`. Parameters are validated here, once.
 * - lognormal: `mean` and `sd` are those of the variable itself, not of its log;
 * - gamma: `scale` θ (mean shape·θ); weibull: F(x) = 1 − exp(−(x/scale)^shape);
 * - beta: on [0, 1], as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b);
 * - empirical: each listed value with probability 1/n (a value listed twice counts twice);
 *   no interpolation between values, so only listed values come out;
 * - constant: draws nothing from `u`.
 */
export function sampler(dist: Dist, u: Uniform): () => number {
	validateDist(dist);
	switch (dist.dist) {
		case 'constant': {
			const value = dist.value;
			return () => value;
		}
		case 'exponential': {
			const mean = dist.mean;
			const g = generatorOf(u);
			return () => -mean * Math.log(g.next());
		}
		case 'lognormal': {
			const { mean, sd } = dist;
			if (sd === 0) return () => mean;
			const sigma2 = Math.log1p((sd / mean) * (sd / mean));
			const sigma = Math.sqrt(sigma2);
			const mu = Math.log(mean) - sigma2 / 2;
			const normal = normalSource(u);
			return () => Math.exp(mu + sigma * normal());
		}
		case 'gamma': {
			const scale = dist.scale;
			const g = standardGamma(dist.shape, u, normalSource(u));
			return () => scale * g();
		}
		case 'weibull': {
			const { scale } = dist;
			const invShape = 1 / dist.shape;
			return () => scale * Math.pow(-Math.log(u()), invShape);
		}
		case 'uniform': {
			const { min } = dist;
			const width = dist.max - dist.min;
			return () => min + width * u();
		}
		case 'beta': {
			const normal = normalSource(u);
			if (dist.a >= 1 && dist.b >= 1) {
				const x = standardGamma(dist.a, u, normal);
				const y = standardGamma(dist.b, u, normal);
				return () => {
					const gx = x();
					return gx / (gx + y());
				};
			}
			// A shape below 1 can underflow a gamma variate to 0 (0/0 when both do): work in logs.
			const lx = logStandardGamma(dist.a, u, normal);
			const ly = logStandardGamma(dist.b, u, normal);
			return () => {
				const l = lx();
				return 1 / (1 + Math.exp(ly() - l));
			};
		}
		case 'empirical': {
			// A private copy: later edits of the scenario object cannot change a running sampler.
			const values = Float64Array.from(dist.values);
			const n = values.length;
			const last = n - 1;
			return () => values[Math.min(last, Math.floor(u() * n))]!;
		}
	}
}

// Lanczos approximation (g = 7, n = 9), relative error ~1e-15 for the arguments used here (>= 1).
const LANCZOS = [
	0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
	-0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7
];

function gammaFunction(x: number): number {
	if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gammaFunction(1 - x));
	const z = x - 1;
	let a = LANCZOS[0]!;
	const t = z + 7.5;
	for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
	// t^(z+1/2) in two halves so that it cannot overflow before e^-t brings it back (x up to ~171).
	const half = Math.pow(t, (z + 0.5) / 2);
	return Math.sqrt(2 * Math.PI) * half * Math.exp(-t) * half * a;
}

/** The analytic mean of `dist` (for Erlang staffing and sanity checks); validates like `sampler`. */
export function mean(dist: Dist): number {
	validateDist(dist);
	switch (dist.dist) {
		case 'constant':
			return dist.value;
		case 'exponential':
		case 'lognormal':
			return dist.mean;
		case 'gamma':
			return dist.shape * dist.scale;
		case 'weibull':
			return dist.scale * gammaFunction(1 + 1 / dist.shape);
		case 'uniform':
			return (dist.min + dist.max) / 2;
		case 'beta':
			return dist.a / (dist.a + dist.b);
		case 'empirical': {
			let sum = 0;
			for (const v of dist.values) sum += v;
			return sum / dist.values.length;
		}
	}
}

/** The analytic variance of `dist` (e.g. for a service-time coefficient of variation); validates like `sampler`. */
export function variance(dist: Dist): number {
	validateDist(dist);
	switch (dist.dist) {
		case 'constant':
			return 0;
		case 'exponential':
			return dist.mean * dist.mean;
		case 'lognormal':
			return dist.sd * dist.sd;
		case 'gamma':
			return dist.shape * dist.scale * dist.scale;
		case 'weibull': {
			const g1 = gammaFunction(1 + 1 / dist.shape);
			const g2 = gammaFunction(1 + 2 / dist.shape);
			return dist.scale * dist.scale * (g2 - g1 * g1);
		}
		case 'uniform': {
			const w = dist.max - dist.min;
			return (w * w) / 12;
		}
		case 'beta': {
			const s = dist.a + dist.b;
			return (dist.a * dist.b) / (s * s * (s + 1));
		}
		case 'empirical': {
			// Population variance: resampling draws the listed values with equal probability.
			const m = mean(dist);
			let sum = 0;
			for (const v of dist.values) sum += (v - m) * (v - m);
			return sum / dist.values.length;
		}
	}
}
