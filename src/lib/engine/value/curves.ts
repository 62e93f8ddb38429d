import { z } from 'zod';
import { compileExpression, ExpressionError, sampleExpression, type ExpressionOptions } from './expression';

export type CurveSpec =
	/** floor + (p0 - floor)·e^{-w/tau} */
	| { shape: 'exponential'; p0: number; tauSeconds: number; floor?: number }
	/** floor + (p0 - floor)·(fastWeight·e^{-w/fastTau} + (1 - fastWeight)·e^{-w/slowTau}) */
	| {
			shape: 'twoPhase';
			p0: number;
			fastWeight: number;
			fastTauSeconds: number;
			slowTauSeconds: number;
			floor?: number;
	  }
	/** linear interpolation between points, flat before the first and after the last */
	| { shape: 'piecewise'; points: Array<[waitSeconds: number, p: number]> }
	/** see expression.ts: w is the wait in seconds, m in minutes */
	| { shape: 'expression'; expr: string };

export interface ConversionCurve {
	readonly spec: CurveSpec;
	/** conversion probability when answered after waiting waitMs (clamped to [0,1]) */
	p(waitMs: number): number;
	/** expected revenue lost per ms of extra wait per unit value: max(0, -dp/dw) at waitMs, per ms */
	lossRate(waitMs: number): number;
	/**
	 * time constant (ms) of the early decay, used to order same-tier calls in value-aware routing.
	 * Defined for every shape as the wait by which p has covered 1 - 1/e of its drop from p(0)
	 * to its long-run value (tauSeconds exactly, for an exponential); Infinity if it never drops.
	 */
	readonly tauMs: number;
}

export interface BuildCurveOptions extends ExpressionOptions {
	/** Prefix for error paths, e.g. `tiers[0].curve`. Default `curve`. */
	path?: string;
}

export interface ConfigIssue {
	/** e.g. `curve.points[2][0]` */
	readonly path: string;
	readonly message: string;
}

export class CurveError extends Error {
	override readonly name = 'CurveError';
	constructor(readonly issues: readonly ConfigIssue[]) {
		super(issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
	}
}

// Expression curves are sampled every second for the first two hours, where routing decisions
// live, then every minute up to two days; beyond that they stay flat.
const FINE_STEP_MS = 1_000;
const FINE_SEGMENTS = 7_200;
const COARSE_STEP_MS = 60_000;
const COARSE_SEGMENTS = 2_760;
const FINE_END_MS = FINE_STEP_MS * FINE_SEGMENTS;
const TABLE_END_MS = FINE_END_MS + COARSE_STEP_MS * COARSE_SEGMENTS;

export const EXPRESSION_TABLE_END_SECONDS = TABLE_END_MS / 1000;

/* ------------------------------------------------------------------------------------------ */
/* schema                                                                                      */

/** Renders a rejected value for an error message; JSON.stringify would turn Infinity into null. */
export function describeValue(value: unknown): string {
	if (value === undefined) return 'nothing (the field is missing)';
	if (typeof value === 'string') return JSON.stringify(value);
	if (Array.isArray(value)) return `an array of ${value.length}`;
	if (value !== null && typeof value === 'object') return 'an object';
	return String(value);
}

function numberWhere(expected: string, ok: (n: number) => boolean) {
	const error = (issue: { input?: unknown }) => `expected ${expected}, got ${describeValue(issue.input)}`;
	return z.number({ error }).refine(ok, { error });
}

const probability = numberWhere('a probability in [0, 1]', (n) => n >= 0 && n <= 1);
const weight = numberWhere('a weight in [0, 1]', (n) => n >= 0 && n <= 1);
const seconds = numberWhere('a positive number of seconds', (n) => n > 0);
const waitSeconds = numberWhere('a wait of 0 seconds or more', (n) => n >= 0);

const SHAPES = ['exponential', 'twoPhase', 'piecewise', 'expression'] as const;

function strictShape<T extends z.core.$ZodLooseShape>(name: string, shape: T) {
	return z.strictObject(shape, {
		error: (issue) =>
			issue.code === 'unrecognized_keys'
				? `unknown field ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} for shape ${name} (fields: ${Object.keys(shape).join(', ')})`
				: undefined
	});
}

function checkFloor(v: { p0: number; floor?: number | undefined }, ctx: z.RefinementCtx): void {
	if (v.floor !== undefined && v.floor > v.p0) {
		ctx.addIssue({
			code: 'custom',
			path: ['floor'],
			message: `expected a floor no higher than p0 (${v.p0}), got ${v.floor}`
		});
	}
}

const exponentialSchema = strictShape('exponential', {
	shape: z.literal('exponential'),
	p0: probability,
	tauSeconds: seconds,
	floor: probability.optional()
}).superRefine(checkFloor);

const twoPhaseSchema = strictShape('twoPhase', {
	shape: z.literal('twoPhase'),
	p0: probability,
	fastWeight: weight,
	fastTauSeconds: seconds,
	slowTauSeconds: seconds,
	floor: probability.optional()
}).superRefine((v, ctx) => {
	checkFloor(v, ctx);
	if (v.slowTauSeconds < v.fastTauSeconds) {
		ctx.addIssue({
			code: 'custom',
			path: ['slowTauSeconds'],
			message: `expected at least fastTauSeconds (${v.fastTauSeconds}), got ${v.slowTauSeconds}`
		});
	}
});

const pointSchema = z.tuple([waitSeconds, probability], {
	error: (issue) => `expected a [waitSeconds, p] pair, got ${describeValue(issue.input)}`
});

const piecewiseSchema = strictShape('piecewise', {
	shape: z.literal('piecewise'),
	points: z
		.array(pointSchema, {
			error: (issue) => `expected a list of [waitSeconds, p] points, got ${describeValue(issue.input)}`
		})
		.min(1, { error: 'expected at least one [waitSeconds, p] point, got none' })
}).superRefine((v, ctx) => {
	for (let i = 1; i < v.points.length; i++) {
		const prev = v.points[i - 1]![0];
		const wait = v.points[i]![0];
		if (!(wait > prev)) {
			ctx.addIssue({
				code: 'custom',
				path: ['points', i, 0],
				message: `expected points sorted by wait: a wait after the previous point's ${prev} s, got ${wait}`
			});
		}
	}
});

const expressionSchema = strictShape('expression', {
	shape: z.literal('expression'),
	expr: z.string({
		error: (issue) => `expected an expression string, got ${describeValue(issue.input)}`
	})
}).superRefine((v, ctx) => {
	try {
		compileExpression(v.expr);
	} catch (err) {
		if (!(err instanceof ExpressionError)) throw err;
		ctx.addIssue({ code: 'custom', path: ['expr'], message: err.message });
	}
});

/** Validates a curve setting from a scenario or config file (structure, ranges, expression sandbox). */
export const curveSpecSchema: z.ZodType<CurveSpec, CurveSpec> = z.discriminatedUnion(
	'shape',
	[exponentialSchema, twoPhaseSchema, piecewiseSchema, expressionSchema],
	{
		error: (issue) => {
			const input: unknown = issue.input;
			if (input === null || typeof input !== 'object' || Array.isArray(input)) {
				return `expected a curve object with a shape, got ${describeValue(input)}`;
			}
			const shape = (input as { shape?: unknown }).shape;
			return `expected shape to be one of ${SHAPES.join(', ')}, got ${describeValue(shape)}`;
		}
	}
);

/** Turns zod issues into `prefix.field[1]: message` lines. */
function issuesFromZod(prefix: string, error: z.ZodError): ConfigIssue[] {
	return error.issues.map((issue) => {
		let path = prefix;
		for (const key of issue.path) {
			path += typeof key === 'number' ? `[${key}]` : `.${String(key)}`;
		}
		return { path, message: issue.message };
	});
}

/* ------------------------------------------------------------------------------------------ */
/* curves                                                                                      */

/** Builds a curve; throws CurveError naming the offending field. */
export function buildCurve(spec: CurveSpec, opts: BuildCurveOptions = {}): ConversionCurve {
	const path = opts.path ?? 'curve';
	const parsed = curveSpecSchema.safeParse(spec);
	if (!parsed.success) throw new CurveError(issuesFromZod(path, parsed.error));
	const valid = freezeSpec(parsed.data);
	switch (valid.shape) {
		case 'exponential':
			return new ExponentialCurve(valid);
		case 'twoPhase':
			return new TwoPhaseCurve(valid);
		case 'piecewise':
			return new PiecewiseCurve(valid);
		case 'expression':
			try {
				return new TabulatedCurve(valid, sampleExpression(compileExpression(valid.expr), gridSeconds(), opts));
			} catch (err) {
				if (err instanceof ExpressionError) {
					throw new CurveError([{ path: `${path}.expr`, message: err.message }]);
				}
				throw err;
			}
	}
}

function freezeSpec(spec: CurveSpec): CurveSpec {
	if (spec.shape === 'piecewise') {
		for (const point of spec.points) Object.freeze(point);
		Object.freeze(spec.points);
	}
	return Object.freeze(spec);
}

type SpecOf<S extends CurveSpec['shape']> = Extract<CurveSpec, { shape: S }>;

class ExponentialCurve implements ConversionCurve {
	readonly tauMs: number;
	private readonly floor: number;
	private readonly drop: number;
	private readonly invTauMs: number;

	constructor(readonly spec: SpecOf<'exponential'>) {
		this.floor = spec.floor ?? 0;
		this.drop = spec.p0 - this.floor;
		this.invTauMs = 1 / (spec.tauSeconds * 1000);
		this.tauMs = this.drop > 0 ? spec.tauSeconds * 1000 : Infinity;
	}

	p(waitMs: number): number {
		const w = waitMs > 0 ? waitMs : 0;
		return this.floor + this.drop * Math.exp(-w * this.invTauMs);
	}

	lossRate(waitMs: number): number {
		const w = waitMs > 0 ? waitMs : 0;
		return this.drop * this.invTauMs * Math.exp(-w * this.invTauMs);
	}
}

class TwoPhaseCurve implements ConversionCurve {
	readonly tauMs: number;
	private readonly floor: number;
	private readonly fastDrop: number;
	private readonly slowDrop: number;
	private readonly invFastMs: number;
	private readonly invSlowMs: number;

	constructor(readonly spec: SpecOf<'twoPhase'>) {
		this.floor = spec.floor ?? 0;
		const drop = spec.p0 - this.floor;
		this.fastDrop = drop * spec.fastWeight;
		this.slowDrop = drop - this.fastDrop;
		this.invFastMs = 1 / (spec.fastTauSeconds * 1000);
		this.invSlowMs = 1 / (spec.slowTauSeconds * 1000);
		// p is strictly decreasing toward the floor, so the crossing is bracketed well before 50 slow taus.
		this.tauMs = eFoldingMs(this, this.floor, [0, 50_000 * spec.slowTauSeconds]);
	}

	p(waitMs: number): number {
		const w = waitMs > 0 ? waitMs : 0;
		return this.floor + this.fastDrop * Math.exp(-w * this.invFastMs) + this.slowDrop * Math.exp(-w * this.invSlowMs);
	}

	lossRate(waitMs: number): number {
		const w = waitMs > 0 ? waitMs : 0;
		return this.fastDrop * this.invFastMs * Math.exp(-w * this.invFastMs) + this.slowDrop * this.invSlowMs * Math.exp(-w * this.invSlowMs);
	}
}

class PiecewiseCurve implements ConversionCurve {
	readonly tauMs: number;
	private readonly waits: Float64Array;
	private readonly values: Float64Array;
	/** slopes[i] is dp/dw (per ms) on [waits[i], waits[i+1]) */
	private readonly slopes: Float64Array;
	private readonly last: number;

	constructor(readonly spec: SpecOf<'piecewise'>) {
		const n = spec.points.length;
		this.waits = new Float64Array(n);
		this.values = new Float64Array(n);
		this.slopes = new Float64Array(n);
		spec.points.forEach(([wait, p], i) => {
			this.waits[i] = wait * 1000;
			this.values[i] = p;
		});
		for (let i = 0; i + 1 < n; i++) {
			this.slopes[i] = (this.values[i + 1]! - this.values[i]!) / (this.waits[i + 1]! - this.waits[i]!);
		}
		this.last = n - 1;
		this.tauMs = eFoldingMs(this, this.values[this.last]!, [0, ...this.waits]);
	}

	/** Index of the segment holding waitMs, or -1 before the first point / after the last. */
	private segment(waitMs: number): number {
		const waits = this.waits;
		let hi = this.last;
		if (!(waitMs >= waits[0]!) || waitMs >= waits[hi]!) return -1;
		let lo = 0;
		while (hi - lo > 1) {
			const mid = (lo + hi) >>> 1;
			if (waits[mid]! <= waitMs) lo = mid;
			else hi = mid;
		}
		return lo;
	}

	p(waitMs: number): number {
		const i = this.segment(waitMs);
		if (i < 0) return waitMs >= this.waits[this.last]! ? this.values[this.last]! : this.values[0]!;
		return this.values[i]! + this.slopes[i]! * (waitMs - this.waits[i]!);
	}

	lossRate(waitMs: number): number {
		const i = this.segment(waitMs);
		if (i < 0) return 0;
		const slope = this.slopes[i]!;
		return slope < 0 ? -slope : 0;
	}
}

/** Sample times of an expression table, in seconds. */
function gridSeconds(): Float64Array {
	const grid = new Float64Array(FINE_SEGMENTS + COARSE_SEGMENTS + 1);
	for (let i = 0; i <= FINE_SEGMENTS; i++) grid[i] = (i * FINE_STEP_MS) / 1000;
	for (let j = 1; j <= COARSE_SEGMENTS; j++) {
		grid[FINE_SEGMENTS + j] = (FINE_END_MS + j * COARSE_STEP_MS) / 1000;
	}
	return grid;
}

/**
 * Monotone cubic (PCHIP) interpolation of a sampled expression: it is accurate to well under
 * 1e-6 at one-second steps where linear interpolation is not, never overshoots the samples (so
 * p stays in [0,1]), and gives a continuous lossRate.
 */
class TabulatedCurve implements ConversionCurve {
	readonly tauMs: number;
	private readonly values: Float64Array;
	/** dp/dw at each sample, per ms */
	private readonly slopes: Float64Array;
	private readonly last: number;

	constructor(
		readonly spec: SpecOf<'expression'>,
		samples: Float64Array
	) {
		const n = samples.length;
		for (let i = 0; i < n; i++) samples[i] = Math.min(1, Math.max(0, samples[i]!));
		this.values = samples;
		this.slopes = pchipSlopes(samples, (i) => this.stepMs(i));
		this.last = n - 1;
		const breakpoints: number[] = [];
		for (let i = 0; i < n; i++) breakpoints.push(this.startMs(i));
		this.tauMs = eFoldingMs(this, samples[this.last]!, breakpoints);
	}

	private startMs(i: number): number {
		return i <= FINE_SEGMENTS ? i * FINE_STEP_MS : FINE_END_MS + (i - FINE_SEGMENTS) * COARSE_STEP_MS;
	}

	private stepMs(i: number): number {
		return i < FINE_SEGMENTS ? FINE_STEP_MS : COARSE_STEP_MS;
	}

	/** Segment index for 0 <= waitMs < TABLE_END_MS. */
	private segment(waitMs: number): number {
		if (waitMs < FINE_END_MS) return Math.min(FINE_SEGMENTS - 1, Math.floor(waitMs / FINE_STEP_MS));
		const j = Math.floor((waitMs - FINE_END_MS) / COARSE_STEP_MS);
		return FINE_SEGMENTS + Math.min(COARSE_SEGMENTS - 1, j);
	}

	p(waitMs: number): number {
		if (!(waitMs > 0)) return this.values[0]!;
		if (waitMs >= TABLE_END_MS) return this.values[this.last]!;
		const i = this.segment(waitMs);
		const h = this.stepMs(i);
		const t = (waitMs - this.startMs(i)) / h;
		const t2 = t * t;
		const t3 = t2 * t;
		const y0 = this.values[i]!;
		// Written around y0 so a flat segment returns its sample exactly, not y0·(h00 + h01).
		const v =
			y0 + (this.values[i + 1]! - y0) * (3 * t2 - 2 * t3) + h * (this.slopes[i]! * (t3 - 2 * t2 + t) + this.slopes[i + 1]! * (t3 - t2));
		return v < 0 ? 0 : v > 1 ? 1 : v;
	}

	lossRate(waitMs: number): number {
		if (waitMs >= TABLE_END_MS) return 0;
		const w = waitMs > 0 ? waitMs : 0;
		const i = this.segment(w);
		const h = this.stepMs(i);
		const t = (w - this.startMs(i)) / h;
		const t2 = t * t;
		const dp =
			((6 * t2 - 6 * t) * (this.values[i]! - this.values[i + 1]!)) / h +
			(3 * t2 - 4 * t + 1) * this.slopes[i]! +
			(3 * t2 - 2 * t) * this.slopes[i + 1]!;
		return dp < 0 ? -dp : 0;
	}
}

/**
 * Fritsch–Butland slopes as in SciPy's PchipInterpolator: weighted harmonic means of the
 * neighbouring secants inside, zero at local extrema, a shape-preserving three-point formula
 * at the ends. step(i) is the width of segment i.
 */
function pchipSlopes(y: Float64Array, step: (i: number) => number): Float64Array {
	const n = y.length;
	const d = new Float64Array(n);
	if (n < 2) return d;
	const secant = (i: number) => (y[i + 1]! - y[i]!) / step(i);
	if (n === 2) {
		d[0] = d[1] = secant(0);
		return d;
	}
	for (let k = 1; k < n - 1; k++) {
		const s0 = secant(k - 1);
		const s1 = secant(k);
		if (s0 === 0 || s1 === 0 || s0 > 0 !== s1 > 0) continue;
		const h0 = step(k - 1);
		const h1 = step(k);
		const w1 = 2 * h1 + h0;
		const w2 = h1 + 2 * h0;
		d[k] = (w1 + w2) / (w1 / s0 + w2 / s1);
	}
	d[0] = pchipEnd(step(0), step(1), secant(0), secant(1));
	d[n - 1] = pchipEnd(step(n - 2), step(n - 3), secant(n - 2), secant(n - 3));
	return d;
}

function pchipEnd(h0: number, h1: number, s0: number, s1: number): number {
	const d = ((2 * h0 + h1) * s0 - h0 * s1) / (h0 + h1);
	if (Math.sign(d) !== Math.sign(s0)) return 0;
	if (Math.sign(s0) !== Math.sign(s1) && Math.abs(d) > Math.abs(3 * s0)) return 3 * s0;
	return d;
}

/**
 * First wait at which p has fallen to longRun + (p(0) - longRun)/e: the first breakpoint at or
 * below that level brackets the crossing, then bisection finds it. Build-time only.
 */
function eFoldingMs(curve: Pick<ConversionCurve, 'p'>, longRun: number, breakpointsMs: readonly number[]): number {
	const start = curve.p(0);
	if (!(start > longRun)) return Infinity;
	const target = longRun + (start - longRun) / Math.E;
	let prev = 0;
	for (const b of breakpointsMs) {
		if (curve.p(b) <= target) {
			let lo = prev;
			let hi = b;
			for (let k = 0; k < 100 && hi - lo > 1e-6; k++) {
				const mid = (lo + hi) / 2;
				if (curve.p(mid) <= target) hi = mid;
				else lo = mid;
			}
			return hi;
		}
		prev = b;
	}
	return Infinity;
}
