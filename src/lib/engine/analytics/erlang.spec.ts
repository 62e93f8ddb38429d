import { describe, expect, it } from 'vitest';
import {
	erlangAMeasures,
	erlangB,
	erlangC,
	erlangCMeasures,
	requiredAgents,
	type QueueMeasures,
	type QueueModelInput
} from './erlang';

// ---------------------------------------------------------------------------------------------
// Independent references. None of them reuse the module's formulas: the chain is solved by plain
// normalised products, SL comes from Poisson sums (C) or an ODE for the tagged call (A), and the
// Monte-Carlo runs the FCFS queue call by call.
// ---------------------------------------------------------------------------------------------

interface Rates {
	lambda: number; // per second
	mu: number;
	theta: number; // 0 for Erlang C
	n: number;
}

function ratesOf(input: QueueModelInput): Rates {
	return {
		lambda: input.arrivalsPerHour / 3600,
		mu: 1 / input.ahtSeconds,
		theta: input.patienceSeconds === undefined ? 0 : 1 / input.patienceSeconds,
		n: input.agents
	};
}

/** Stationary distribution of the birth-death chain truncated at n + extra, in plain float64. */
function chainSolution({ lambda, mu, theta, n }: Rates, extra: number): number[] {
	const p = [1];
	for (let k = 1; k <= n + extra; k++) {
		const down = Math.min(k, n) * mu + Math.max(k - n, 0) * theta;
		p.push(((p[k - 1] ?? 0) * lambda) / down);
	}
	const z = p.reduce((s, x) => s + x, 0);
	return p.map((x) => x / z);
}

interface ChainMeasures {
	pBelow: number;
	pWait: number;
	meanQueue: number;
	meanBusy: number;
	waiting: number[]; // π_{n+j}
}

function chainMeasures(pi: number[], n: number): ChainMeasures {
	let pBelow = 0;
	let meanQueue = 0;
	let meanBusy = 0;
	const waiting: number[] = [];
	pi.forEach((p, k) => {
		if (k < n) pBelow += p;
		else waiting.push(p);
		meanQueue += Math.max(k - n, 0) * p;
		meanBusy += Math.min(k, n) * p;
	});
	return { pBelow, pWait: 1 - pBelow, meanQueue, meanBusy, waiting };
}

/**
 * Tagged call in Erlang A, by RK4 on the backward Kolmogorov equations of the position process:
 * u_i(t) = P(answered by t | i calls ahead), u_i' = (nμ + iθ)(u_{i−1} − u_i) − θ u_i, u_{−1} = 1.
 * Returns u_i(T) and E[W; answered | i] = ∫ t du = t_max·u(t_max) − ∫ u dt.
 */
function taggedCallOde({ mu, theta, n }: Rates, stages: number, T: number): { withinT: number[]; waitAnswered: number[] } {
	const nMu = n * mu;
	const maxRate = nMu + (stages + 1) * theta;
	const tMax = (stages + 80 + 12 * Math.sqrt(stages + 1)) / (nMu + theta);
	const stepsToT = Math.max(200, Math.ceil((T * maxRate) / 0.05));
	const h = T / stepsToT;
	// state vector: u_0..u_{J-1}, then ∫u_0..∫u_{J-1}
	const J = stages;
	const deriv = (y: Float64Array, out: Float64Array): void => {
		for (let i = 0; i < J; i++) {
			const prev = i === 0 ? 1 : (y[i - 1] ?? 0);
			const u = y[i] ?? 0;
			out[i] = (nMu + i * theta) * (prev - u) - theta * u;
			out[J + i] = u;
		}
	};
	let y = new Float64Array(2 * J);
	const k1 = new Float64Array(2 * J);
	const k2 = new Float64Array(2 * J);
	const k3 = new Float64Array(2 * J);
	const k4 = new Float64Array(2 * J);
	const tmp = new Float64Array(2 * J);
	let withinT: number[] = [];
	const totalSteps = Math.ceil(tMax / h);
	for (let s = 1; s <= totalSteps; s++) {
		deriv(y, k1);
		for (let i = 0; i < 2 * J; i++) tmp[i] = (y[i] ?? 0) + (h / 2) * (k1[i] ?? 0);
		deriv(tmp, k2);
		for (let i = 0; i < 2 * J; i++) tmp[i] = (y[i] ?? 0) + (h / 2) * (k2[i] ?? 0);
		deriv(tmp, k3);
		for (let i = 0; i < 2 * J; i++) tmp[i] = (y[i] ?? 0) + h * (k3[i] ?? 0);
		deriv(tmp, k4);
		const next = new Float64Array(2 * J);
		for (let i = 0; i < 2 * J; i++) {
			next[i] = (y[i] ?? 0) + (h / 6) * ((k1[i] ?? 0) + 2 * (k2[i] ?? 0) + 2 * (k3[i] ?? 0) + (k4[i] ?? 0));
		}
		y = next;
		if (s === stepsToT) withinT = Array.from(y.subarray(0, J));
	}
	const t = totalSteps * h;
	const waitAnswered = Array.from({ length: J }, (_, i) => t * (y[i] ?? 0) - (y[J + i] ?? 0));
	return { withinT, waitAnswered };
}

/** Erlang A measures from the truncated chain plus the tagged-call ODE. */
function referenceErlangA(input: QueueModelInput): QueueMeasures & { meanQueue: number } {
	const r = ratesOf(input);
	const pi = chainSolution(r, 4000);
	const cm = chainMeasures(pi, r.n);
	// States beyond this carry < 1e-14 of the mass; the ODE does not need them.
	let stages = cm.waiting.length;
	let tail = 0;
	while (stages > 1 && tail + (cm.waiting[stages - 1] ?? 0) < 1e-14) tail += cm.waiting[--stages] ?? 0;
	const ode = taggedCallOde(r, stages, input.targetSeconds);
	let slWaited = 0;
	let waitAnswered = 0;
	for (let j = 0; j < stages; j++) {
		slWaited += (cm.waiting[j] ?? 0) * (ode.withinT[j] ?? 0);
		waitAnswered += (cm.waiting[j] ?? 0) * (ode.waitAnswered[j] ?? 0);
	}
	const pAbandon = (r.theta * cm.meanQueue) / r.lambda; // abandonment flow = θ·E[queue]
	const slOffered = cm.pBelow + slWaited;
	return {
		pWait: cm.pWait,
		pAbandon,
		asaAnswered: waitAnswered / (1 - pAbandon),
		meanWaitAll: cm.meanQueue / r.lambda,
		slAnswered: slOffered / (1 - pAbandon),
		slOffered,
		occupancy: cm.meanBusy / r.n,
		meanQueue: cm.meanQueue
	};
}

function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Min-heap of agent free times. */
class FreeTimes {
	private readonly h: number[];
	constructor(n: number) {
		this.h = new Array<number>(n).fill(0);
	}
	min(): number {
		return this.h[0] ?? Infinity;
	}
	replaceMin(v: number): void {
		const h = this.h;
		let i = 0;
		for (;;) {
			const l = 2 * i + 1;
			const r = l + 1;
			let m = i;
			let mv = v;
			if (l < h.length && (h[l] ?? 0) < mv) {
				m = l;
				mv = h[l] ?? 0;
			}
			if (r < h.length && (h[r] ?? 0) < mv) m = r;
			if (m === i) break;
			h[i] = h[m] ?? 0;
			i = m;
		}
		h[i] = v;
	}
}

interface McResult {
	mean: QueueMeasures;
	se: QueueMeasures;
}

/**
 * FCFS multi-server queue with exponential patience, call by call: each call starts at
 * max(arrival, earliest agent free time) unless its patience runs out first, in which case it never
 * occupies an agent. Batch means give the standard errors.
 */
function monteCarlo(input: QueueModelInput, seed: number, batches: number, perBatch: number): McResult {
	const { lambda, mu, theta, n } = ratesOf(input);
	const rnd = mulberry32(seed);
	const exp = (rate: number): number => -Math.log(1 - rnd()) / rate;
	const agents = new FreeTimes(n);
	const T = input.targetSeconds;
	let t = 0;
	const warmup = perBatch;
	const samples: QueueMeasures[] = [];
	for (let b = -1; b < batches; b++) {
		let waited = 0;
		let abandoned = 0;
		let answered = 0;
		let answeredWait = 0;
		let allWait = 0;
		let answeredWithin = 0;
		let busy = 0;
		const start = t;
		for (let c = 0; c < (b < 0 ? warmup : perBatch); c++) {
			t += exp(lambda);
			const patience = theta > 0 ? exp(theta) : Infinity;
			const service = exp(mu);
			const free = agents.min();
			const wait = Math.max(0, free - t);
			if (wait > 0) waited++;
			if (wait > patience) {
				abandoned++;
				allWait += patience;
				continue;
			}
			answered++;
			answeredWait += wait;
			allWait += wait;
			if (wait <= T) answeredWithin++;
			busy += service;
			agents.replaceMin(t + wait + service);
		}
		if (b < 0) continue;
		const calls = perBatch;
		samples.push({
			pWait: waited / calls,
			pAbandon: abandoned / calls,
			asaAnswered: answeredWait / answered,
			meanWaitAll: allWait / calls,
			slAnswered: answeredWithin / answered,
			slOffered: answeredWithin / calls,
			occupancy: busy / (n * (t - start))
		});
	}
	const keys = Object.keys(samples[0] ?? {}) as (keyof QueueMeasures)[];
	const mean = {} as QueueMeasures;
	const se = {} as QueueMeasures;
	for (const k of keys) {
		const xs = samples.map((s) => s[k]);
		const m = xs.reduce((s, x) => s + x, 0) / xs.length;
		const v = xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
		mean[k] = m;
		se[k] = Math.sqrt(v / xs.length);
	}
	return { mean, se };
}

const MEASURE_KEYS: (keyof QueueMeasures)[] = [
	'pWait',
	'pAbandon',
	'asaAnswered',
	'meanWaitAll',
	'slAnswered',
	'slOffered',
	'occupancy'
];

function expectClose(actual: number, expected: number, rel: number, abs = 0): void {
	expect(Number.isFinite(actual)).toBe(true);
	expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.max(abs, rel * Math.abs(expected)));
}

function expectValidMeasures(m: QueueMeasures): void {
	for (const k of ['pWait', 'pAbandon', 'slAnswered', 'slOffered', 'occupancy'] as const) {
		expect(Number.isNaN(m[k])).toBe(false);
		expect(m[k]).toBeGreaterThanOrEqual(0);
		expect(m[k]).toBeLessThanOrEqual(1);
	}
	expect(Number.isNaN(m.asaAnswered)).toBe(false);
	expect(Number.isNaN(m.meanWaitAll)).toBe(false);
	expect(m.slOffered).toBeLessThanOrEqual(m.slAnswered + 1e-15);
}

/** log of Σ_{k=0..n} a^k/k! relative terms, done independently for the large-n checks. */
function logErlangBDirect(n: number, a: number): number {
	const logTerms: number[] = [];
	let lt = 0;
	for (let k = 0; k <= n; k++) {
		if (k > 0) lt += Math.log(a) - Math.log(k);
		logTerms.push(lt);
	}
	const m = Math.max(...logTerms);
	const logSum = m + Math.log(logTerms.reduce((s, x) => s + Math.exp(x - m), 0));
	return lt - logSum;
}

// ---------------------------------------------------------------------------------------------

describe('erlangB / erlangC', () => {
	it('matches hand-computed and textbook values', () => {
		expect(erlangB(1, 1)).toBeCloseTo(0.5, 15);
		expect(erlangB(2, 1)).toBeCloseTo(0.2, 15); // (1/2) / (1 + 1 + 1/2)
		expect(erlangB(0, 3)).toBe(1);
		expect(erlangB(5, 3)).toBeCloseTo(0.110054, 6);
		expect(erlangB(10, 5)).toBeCloseTo(0.018385, 6);
		expect(erlangC(1, 0.5)).toBeCloseTo(0.5, 15); // M/M/1: P(wait) = ρ
		expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 15);
		expect(erlangC(10, 8)).toBeCloseTo(0.409180, 6);
		expect(erlangC(20, 15)).toBeCloseTo(0.160429, 6);
	});

	it('agrees with the direct sum formula for moderate n', () => {
		for (const [n, a] of [
			[3, 2.2],
			[17, 12.5],
			[60, 58]
		] as const) {
			let sum = 0;
			let term = 1;
			for (let k = 0; k <= n; k++) {
				if (k > 0) term *= a / k;
				sum += term;
			}
			const b = term / sum;
			expectClose(erlangB(n, a), b, 1e-12);
			// C = (a^n/n! · n/(n−a)) / (Σ_{k<n} a^k/k! + a^n/n! · n/(n−a))
			const top = (term * n) / (n - a);
			expectClose(erlangC(n, a), top / (sum - term + top), 1e-12);
		}
	});

	it('saturates at and beyond capacity and is 0 without load', () => {
		expect(erlangC(10, 10)).toBe(1);
		expect(erlangC(10, 25)).toBe(1);
		expect(erlangC(10, 0)).toBe(0);
		expect(erlangB(10, 0)).toBe(0);
	});

	it('stays finite at n = 2000 near and beyond capacity', () => {
		const b = erlangB(2000, 1990);
		const c = erlangC(2000, 1990);
		expectClose(b, Math.exp(logErlangBDirect(2000, 1990)), 1e-10);
		expect(c).toBeGreaterThan(b);
		expect(c).toBeLessThan(1);
		const overloaded = erlangB(2000, 4000);
		expectClose(overloaded, Math.exp(logErlangBDirect(2000, 4000)), 1e-10);
		// Fluid limit: blocking ≈ 1 − n/a when heavily overloaded.
		expectClose(overloaded, 0.5, 0.02);
		expect(erlangC(2000, 4000)).toBe(1);
		expectClose(erlangB(2000, 10), Math.exp(logErlangBDirect(2000, 10)), 1e-9, 1e-300);
	});

	it('rejects non-integer or negative agents and bad loads', () => {
		expect(() => erlangB(2.5, 1)).toThrow(RangeError);
		expect(() => erlangC(-1, 1)).toThrow(RangeError);
		expect(() => erlangC(3, Number.NaN)).toThrow(RangeError);
		expect(() => erlangB(3, -1)).toThrow(RangeError);
	});
});

describe('erlangCMeasures', () => {
	const cases: QueueModelInput[] = [
		{ arrivalsPerHour: 240, ahtSeconds: 60, agents: 5, targetSeconds: 20 }, // a = 4
		{ arrivalsPerHour: 360, ahtSeconds: 180, agents: 20, targetSeconds: 30 }, // a = 18
		{ arrivalsPerHour: 540, ahtSeconds: 300, agents: 50, targetSeconds: 20 } // a = 45
	];

	it.each(cases)('matches the truncated birth-death chain (n = $agents)', (input) => {
		const r = ratesOf(input);
		const cm = chainMeasures(chainSolution(r, 20000), r.n);
		const m = erlangCMeasures(input);
		// P(W > T) = Σ_j π_{n+j} P(Erlang(j+1, nμ) > T) = Σ_j π_{n+j} Σ_{i<=j} Pois(i; nμT)
		const x = r.n * r.mu * input.targetSeconds;
		let pois = Math.exp(-x);
		let poisCdf = 0;
		let late = 0;
		cm.waiting.forEach((p, j) => {
			if (j > 0) pois *= x / j;
			poisCdf += pois;
			late += p * poisCdf;
		});
		expectClose(m.pWait, cm.pWait, 1e-10);
		expectClose(m.asaAnswered, cm.meanQueue / r.lambda, 1e-10);
		expectClose(m.meanWaitAll, cm.meanQueue / r.lambda, 1e-10);
		expectClose(m.slAnswered, 1 - late, 1e-10);
		expect(m.slOffered).toBe(m.slAnswered);
		expectClose(m.occupancy, cm.meanBusy / r.n, 1e-10);
		expect(m.pAbandon).toBe(0);
		expectValidMeasures(m);
	});

	it('reports the unstable queue as saturated', () => {
		for (const agents of [0, 10, 12]) {
			const m = erlangCMeasures({ arrivalsPerHour: 720, ahtSeconds: 60, agents, targetSeconds: 20 }); // a = 12
			expect(m).toEqual({
				pWait: 1,
				pAbandon: 0,
				asaAnswered: Infinity,
				meanWaitAll: Infinity,
				slAnswered: 0,
				slOffered: 0,
				occupancy: 1
			});
		}
	});

	it('treats no arrivals as an idle, fully served queue', () => {
		const m = erlangCMeasures({ arrivalsPerHour: 0, ahtSeconds: 60, agents: 3, targetSeconds: 20 });
		expect(m).toMatchObject({ pWait: 0, asaAnswered: 0, slOffered: 1, occupancy: 0 });
	});

	it('is finite at n = 2000 with load 1990', () => {
		const m = erlangCMeasures({ arrivalsPerHour: 1990 * 15, ahtSeconds: 240, agents: 2000, targetSeconds: 20 });
		expectValidMeasures(m);
		expect(Number.isFinite(m.asaAnswered)).toBe(true);
		expectClose(m.pWait, erlangC(2000, 1990), 1e-12);
	});

	it('rejects invalid input', () => {
		const ok = { arrivalsPerHour: 100, ahtSeconds: 60, agents: 3, targetSeconds: 20 };
		expect(() => erlangCMeasures({ ...ok, ahtSeconds: 0 })).toThrow(RangeError);
		expect(() => erlangCMeasures({ ...ok, arrivalsPerHour: -1 })).toThrow(RangeError);
		expect(() => erlangCMeasures({ ...ok, agents: 1.5 })).toThrow(RangeError);
		expect(() => erlangCMeasures({ ...ok, targetSeconds: -1 })).toThrow(RangeError);
	});
});

describe('erlangAMeasures', () => {
	const cases: (QueueModelInput & { patienceSeconds: number })[] = [
		{ arrivalsPerHour: 300, ahtSeconds: 60, agents: 5, targetSeconds: 20, patienceSeconds: 45 }, // a = n
		{ arrivalsPerHour: 480, ahtSeconds: 180, agents: 20, targetSeconds: 30, patienceSeconds: 120 }, // overloaded
		{ arrivalsPerHour: 540, ahtSeconds: 300, agents: 50, targetSeconds: 20, patienceSeconds: 600 }
	];

	it.each(cases)('matches the truncated chain and the tagged-call ODE (n = $agents)', (input) => {
		const m = erlangAMeasures(input);
		const ref = referenceErlangA(input);
		expectClose(m.pWait, ref.pWait, 1e-10);
		expectClose(m.pAbandon, ref.pAbandon, 1e-10);
		expectClose(m.meanWaitAll, ref.meanWaitAll, 1e-10);
		expectClose(m.occupancy, ref.occupancy, 1e-10);
		expectClose(m.slOffered, ref.slOffered, 1e-7);
		expectClose(m.slAnswered, ref.slAnswered, 1e-7);
		expectClose(m.asaAnswered, ref.asaAnswered, 1e-6);
		expectValidMeasures(m);
	});

	it.each(cases)("obeys Little's law and the abandonment balance (n = $agents)", (input) => {
		const m = erlangAMeasures(input);
		const r = ratesOf(input);
		const meanQueue = chainMeasures(chainSolution(r, 4000), r.n).meanQueue;
		expectClose(m.meanWaitAll * r.lambda, meanQueue, 1e-10);
		expectClose(m.pAbandon, (r.theta * meanQueue) / r.lambda, 1e-10);
		// Time in queue over all calls splits into answered and abandoned parts.
		expect(m.meanWaitAll).toBeGreaterThan(m.asaAnswered * (1 - m.pAbandon));
	});

	it('agrees with a seeded Monte-Carlo of the FCFS queue with reneging', () => {
		const input = { arrivalsPerHour: 600, ahtSeconds: 60, agents: 10, targetSeconds: 20, patienceSeconds: 45 };
		const m = erlangAMeasures(input);
		const mc = monteCarlo(input, 20240611, 25, 40_000);
		for (const k of MEASURE_KEYS) {
			// 4.5 batch-means standard errors: a real mismatch shows up as dozens.
			expect(Math.abs(m[k] - mc.mean[k])).toBeLessThanOrEqual(4.5 * mc.se[k] + 1e-12);
		}
		expect(mc.mean.pAbandon).toBeGreaterThan(0.05); // the case genuinely exercises abandonment
	});

	it('tends to Erlang C as patience grows', () => {
		const base = { arrivalsPerHour: 360, ahtSeconds: 180, agents: 20, targetSeconds: 30 };
		const c = erlangCMeasures(base);
		// The gap closes linearly in θ = 1/patience, so each 100× more patience should shrink it ~100×.
		const gap = (patienceSeconds: number): number => {
			const a = erlangAMeasures({ ...base, patienceSeconds });
			return Math.max(
				...(['pWait', 'asaAnswered', 'meanWaitAll', 'slAnswered', 'slOffered', 'occupancy'] as const).map(
					(k) => Math.abs(a[k] - c[k]) / c[k]
				)
			);
		};
		const [g6, g8, g10] = [gap(1e6), gap(1e8), gap(1e10)];
		expect(g8).toBeLessThan(g6 / 50);
		expect(g10).toBeLessThan(g8 / 50);
		expect(g10).toBeLessThan(1e-6);
		expect(erlangAMeasures({ ...base, patienceSeconds: 1e10 }).pAbandon).toBeLessThan(1e-8);
		expect(erlangAMeasures({ ...base, patienceSeconds: Infinity })).toEqual(c);
	});

	it('is finite at n = 2000 near capacity and at twice capacity', () => {
		const near = erlangAMeasures({
			arrivalsPerHour: 1990 * 15,
			ahtSeconds: 240,
			agents: 2000,
			targetSeconds: 20,
			patienceSeconds: 180
		});
		expectValidMeasures(near);
		expect(near.pAbandon).toBeLessThan(0.05);
		const over = erlangAMeasures({
			arrivalsPerHour: 4000 * 15,
			ahtSeconds: 240,
			agents: 2000,
			targetSeconds: 20,
			patienceSeconds: 180
		});
		expectValidMeasures(over);
		// Fluid limit: the agents carry n of the a Erlangs, the rest abandons.
		expectClose(over.pAbandon, 0.5, 0.01);
		expect(over.occupancy).toBeGreaterThan(0.999);
		expectClose(over.meanWaitAll, over.pAbandon * 180, 1e-9);
	});

	it('handles zero agents and zero arrivals', () => {
		const none = erlangAMeasures({ arrivalsPerHour: 100, ahtSeconds: 60, agents: 0, targetSeconds: 20, patienceSeconds: 30 });
		expect(none.pWait).toBe(1);
		expectClose(none.pAbandon, 1, 1e-12);
		expectClose(none.meanWaitAll, 30, 1e-10);
		expect(none.slOffered).toBe(0);
		const idle = erlangAMeasures({ arrivalsPerHour: 0, ahtSeconds: 60, agents: 2, targetSeconds: 20, patienceSeconds: 30 });
		expect(idle).toMatchObject({ pWait: 0, pAbandon: 0, slOffered: 1, occupancy: 0 });
	});

	it('counts SL at T = 0 as answered without waiting and at T = ∞ as answered', () => {
		const input = { arrivalsPerHour: 300, ahtSeconds: 60, agents: 5, targetSeconds: 0, patienceSeconds: 45 };
		const zero = erlangAMeasures(input);
		expectClose(zero.slOffered, 1 - zero.pWait, 1e-12);
		const inf = erlangAMeasures({ ...input, targetSeconds: Infinity });
		expectClose(inf.slOffered, 1 - inf.pAbandon, 1e-12);
		expectClose(inf.slAnswered, 1, 1e-12);
	});

	it('rejects a non-positive patience', () => {
		const ok = { arrivalsPerHour: 100, ahtSeconds: 60, agents: 3, targetSeconds: 20 };
		expect(() => erlangAMeasures({ ...ok, patienceSeconds: 0 })).toThrow(RangeError);
		expect(() => erlangAMeasures({ ...ok, patienceSeconds: Number.NaN })).toThrow(RangeError);
	});
});

describe('requiredAgents', () => {
	// Reference model: 48 calls/min, AHT 240 s (a = 192 Erlangs), patience 180 s, 80/20.
	const base = { arrivalsPerHour: 2880, ahtSeconds: 240, targetSeconds: 20, patienceSeconds: 180 };
	const load = 192;

	it('finds the fewest agents for 80/20 under Erlang A', () => {
		const { agents, measures } = requiredAgents('a', base, { sl: 0.8 });
		expect(measures).toEqual(erlangAMeasures({ ...base, agents }));
		expect(measures.slOffered).toBeGreaterThanOrEqual(0.8);
		expect(erlangAMeasures({ ...base, agents: agents - 1 }).slOffered).toBeLessThan(0.8);
		expect(agents).toBeGreaterThan(0.9 * load);
		expect(agents).toBeLessThan(1.1 * load);
	});

	it('finds the fewest agents for 80/20 under Erlang C, never fewer than Erlang A needs', () => {
		const { agents, measures } = requiredAgents('c', base, { sl: 0.8 });
		expect(measures.slOffered).toBeGreaterThanOrEqual(0.8);
		expect(erlangCMeasures({ ...base, agents: agents - 1 }).slOffered).toBeLessThan(0.8);
		expect(agents).toBeGreaterThan(load);
		expect(agents).toBeGreaterThanOrEqual(requiredAgents('a', base, { sl: 0.8 }).agents);
	});

	it('uses slSeconds over the base threshold', () => {
		const { agents, measures } = requiredAgents('a', base, { sl: 0.9, slSeconds: 60 });
		expect(measures).toEqual(erlangAMeasures({ ...base, targetSeconds: 60, agents }));
		expect(erlangAMeasures({ ...base, targetSeconds: 60, agents: agents - 1 }).slOffered).toBeLessThan(0.9);
	});

	it('meets every target together and n − 1 misses at least one', () => {
		const target = { sl: 0.7, asaSeconds: 15, maxAbandon: 0.03, maxOccupancy: 0.95 };
		const meets = (m: QueueMeasures): boolean =>
			m.slOffered >= target.sl &&
			m.asaAnswered <= target.asaSeconds &&
			m.pAbandon <= target.maxAbandon &&
			m.occupancy <= target.maxOccupancy;
		for (const model of ['a', 'c'] as const) {
			const { agents, measures } = requiredAgents(model, base, target);
			const measure = model === 'a' ? erlangAMeasures : erlangCMeasures;
			expect(meets(measures)).toBe(true);
			expect(meets(measure({ ...base, agents: agents - 1, patienceSeconds: 180 }))).toBe(false);
		}
	});

	it('sizes an occupancy cap exactly at a/n', () => {
		// a = 8 Erlangs at 80% occupancy needs exactly 10 agents; float rounding must not push it to 11.
		const r = requiredAgents('c', { arrivalsPerHour: 480, ahtSeconds: 60, targetSeconds: 20 }, { maxOccupancy: 0.8 });
		expect(r.agents).toBe(10);
	});

	it('rejects unreachable, empty or incomplete requests', () => {
		expect(() => requiredAgents('a', base, { sl: 0.99 }, { maxAgents: 195 })).toThrow(RangeError);
		expect(() => requiredAgents('c', base, {})).toThrow(RangeError);
		const { patienceSeconds: _, ...noPatience } = base;
		expect(() => requiredAgents('a', noPatience, { sl: 0.8 })).toThrow(RangeError);
	});
});
