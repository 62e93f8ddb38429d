import { describe, expect, it } from 'vitest';
import { loadExpressionSupport } from './expression';
import fc from 'fast-check';
import { buildCurve, CurveError, curveSpecSchema, EXPRESSION_TABLE_END_SECONDS, type ConversionCurve, type CurveSpec } from './curves';

// some curves below are built while the suite is collected
await loadExpressionSupport();

const S = 1000;
const MIN = 60 * S;
const HOUR = 60 * MIN;

/** Central difference, clamped like lossRate. */
function numericLoss(curve: ConversionCurve, w: number, h: number): number {
	return Math.max(0, -(curve.p(w + h) - curve.p(w - h)) / (2 * h));
}

function errorOf(spec: unknown, opts?: Parameters<typeof buildCurve>[1]): CurveError {
	try {
		buildCurve(spec as CurveSpec, opts);
	} catch (err) {
		expect(err).toBeInstanceOf(CurveError);
		return err as CurveError;
	}
	throw new Error(`expected ${JSON.stringify(spec)} to be rejected`);
}

describe('exponential', () => {
	const curve = buildCurve({ shape: 'exponential', p0: 0.3, tauSeconds: 120, floor: 0.05 });

	it('starts at p0, falls by 1/e per tau toward the floor', () => {
		expect(curve.p(0)).toBeCloseTo(0.3, 12);
		expect(curve.p(120 * S)).toBeCloseTo(0.05 + 0.25 / Math.E, 12);
		expect(curve.p(240 * S)).toBeCloseTo(0.05 + 0.25 / Math.E ** 2, 12);
		expect(curve.p(100 * HOUR)).toBeCloseTo(0.05, 12);
	});

	it('floor defaults to 0', () => {
		const c = buildCurve({ shape: 'exponential', p0: 0.2, tauSeconds: 60 });
		expect(c.p(60 * S)).toBeCloseTo(0.2 / Math.E, 12);
		expect(c.p(1000 * HOUR)).toBe(0);
	});

	it('treats a negative or NaN wait as no wait', () => {
		expect(curve.p(-5 * S)).toBe(curve.p(0));
		expect(curve.p(Number.NaN)).toBe(curve.p(0));
		expect(curve.lossRate(-5 * S)).toBe(curve.lossRate(0));
	});

	it('lossRate is -dp/dw per ms: (p0 - floor)/tau at 0', () => {
		expect(curve.lossRate(0)).toBeCloseTo(0.25 / (120 * S), 15);
		for (const w of [1 * S, 30 * S, 119 * S, 10 * MIN, 2 * HOUR]) {
			expect(curve.lossRate(w)).toBeCloseTo(numericLoss(curve, w, 1), 12);
		}
	});

	it('tauMs is tauSeconds in ms; Infinity for a flat curve', () => {
		expect(curve.tauMs).toBe(120_000);
		const flat = buildCurve({ shape: 'exponential', p0: 0.1, tauSeconds: 60, floor: 0.1 });
		expect(flat.tauMs).toBe(Infinity);
		expect(flat.lossRate(0)).toBe(0);
		expect(flat.p(5 * HOUR)).toBeCloseTo(0.1, 15);
	});
});

describe('twoPhase', () => {
	const spec = {
		shape: 'twoPhase',
		p0: 0.3,
		fastWeight: 0.75,
		fastTauSeconds: 60,
		slowTauSeconds: 3600,
		floor: 0.02
	} as const;
	const curve = buildCurve(spec);
	const closed = (sec: number) => 0.02 + 0.28 * (0.75 * Math.exp(-sec / 60) + 0.25 * Math.exp(-sec / 3600));

	it('matches the closed form at known waits', () => {
		for (const sec of [0, 1, 60, 300, 1800, 3600, 86_400]) {
			expect(curve.p(sec * S)).toBeCloseTo(closed(sec), 14);
		}
		expect(curve.p(0)).toBeCloseTo(0.3, 14);
	});

	it('lossRate agrees with a numerical derivative', () => {
		for (const w of [0.5 * S, 30 * S, 60 * S, 5 * MIN, 45 * MIN, 5 * HOUR]) {
			expect(curve.lossRate(w)).toBeCloseTo(numericLoss(curve, w, 1), 12);
		}
		expect(curve.lossRate(0)).toBeCloseTo(0.28 * (0.75 / 60_000 + 0.25 / 3_600_000), 15);
	});

	it('tauMs is where p has covered 1 - 1/e of its drop', () => {
		expect(curve.p(curve.tauMs)).toBeCloseTo(0.02 + 0.28 / Math.E, 9);
		expect(curve.tauMs).toBeGreaterThan(60_000);
		expect(curve.tauMs).toBeLessThan(3_600_000);
	});

	it('a weight of 1 is a plain exponential', () => {
		const c = buildCurve({ ...spec, fastWeight: 1 });
		const e = buildCurve({ shape: 'exponential', p0: 0.3, tauSeconds: 60, floor: 0.02 });
		for (const w of [0, 10 * S, 90 * S, HOUR]) expect(c.p(w)).toBeCloseTo(e.p(w), 14);
		expect(c.tauMs).toBeCloseTo(e.tauMs, 3);
	});
});

describe('piecewise', () => {
	const curve = buildCurve({
		shape: 'piecewise',
		points: [
			[30, 0.3],
			[90, 0.15],
			[300, 0.15],
			[600, 0.05]
		]
	});

	it('interpolates linearly and is flat before the first and after the last point', () => {
		expect(curve.p(0)).toBe(0.3);
		expect(curve.p(30 * S)).toBe(0.3);
		expect(curve.p(60 * S)).toBeCloseTo(0.225, 14);
		expect(curve.p(90 * S)).toBeCloseTo(0.15, 14);
		expect(curve.p(200 * S)).toBeCloseTo(0.15, 14);
		expect(curve.p(450 * S)).toBeCloseTo(0.1, 14);
		expect(curve.p(600 * S)).toBe(0.05);
		expect(curve.p(48 * HOUR)).toBe(0.05);
	});

	it("lossRate is the segment's slope, right-continuous at points", () => {
		const first = 0.15 / (60 * S);
		const last = 0.1 / (300 * S);
		expect(curve.lossRate(10 * S)).toBe(0);
		expect(curve.lossRate(30 * S)).toBeCloseTo(first, 15);
		expect(curve.lossRate(89.999 * S)).toBeCloseTo(first, 15);
		expect(curve.lossRate(90 * S)).toBe(0);
		expect(curve.lossRate(300 * S)).toBeCloseTo(last, 15);
		expect(curve.lossRate(600 * S)).toBe(0);
		expect(curve.lossRate(10 * HOUR)).toBe(0);
		for (const w of [45 * S, 400 * S, 550 * S]) {
			expect(curve.lossRate(w)).toBeCloseTo(numericLoss(curve, w, 1), 12);
		}
	});

	it('never reports a loss on a rising segment', () => {
		const rising = buildCurve({
			shape: 'piecewise',
			points: [
				[0, 0.1],
				[60, 0.2]
			]
		});
		expect(rising.p(30 * S)).toBeCloseTo(0.15, 14);
		expect(rising.lossRate(30 * S)).toBe(0);
		expect(rising.tauMs).toBe(Infinity);
	});

	it('a single point is a constant', () => {
		const c = buildCurve({ shape: 'piecewise', points: [[0, 0.07]] });
		expect(c.p(0)).toBe(0.07);
		expect(c.p(HOUR)).toBe(0.07);
		expect(c.lossRate(HOUR)).toBe(0);
		expect(c.tauMs).toBe(Infinity);
	});

	it('tauMs is where p has covered 1 - 1/e of its drop to the last point', () => {
		const target = 0.05 + 0.25 / Math.E; // ≈ 0.142, on the last segment
		expect(curve.p(curve.tauMs)).toBeCloseTo(target, 9);
		expect(curve.tauMs).toBeCloseTo((300 + (0.15 - target) / (0.1 / 300)) * S, 3);
	});
});

describe('expression', () => {
	const expr = buildCurve({ shape: 'expression', expr: '0.3*exp(-w/120)' });
	const closed = buildCurve({ shape: 'exponential', p0: 0.3, tauSeconds: 120 });

	it('equals the same curve in closed form within 1e-6, between samples too', () => {
		let worst = 0;
		for (let w = 0; w <= 2.5 * HOUR; w += 97.3) worst = Math.max(worst, Math.abs(expr.p(w) - closed.p(w)));
		for (let w = 2 * HOUR; w <= 48 * HOUR; w += 7_919) {
			worst = Math.max(worst, Math.abs(expr.p(w) - closed.p(w)));
		}
		expect(worst).toBeLessThan(1e-6);
	});

	it('lossRate matches the closed form and a numerical derivative', () => {
		for (const w of [0, 0.3 * S, 1.5 * S, 59.7 * S, 5 * MIN, 30 * MIN]) {
			expect(Math.abs(expr.lossRate(w) - closed.lossRate(w))).toBeLessThan(1e-8);
		}
		fc.assert(
			fc.property(fc.double({ min: 0.01, max: 2 * HOUR - 1, noNaN: true }), (w) => {
				expect(Math.abs(expr.lossRate(w) - numericLoss(expr, w, 0.005))).toBeLessThan(1e-9);
			})
		);
	});

	it('tauMs agrees with the closed form', () => {
		expect(Math.abs(expr.tauMs - 120_000)).toBeLessThan(10);
	});

	it('uses m for minutes and is flat after the table ends', () => {
		const c = buildCurve({ shape: 'expression', expr: 'max(0.02, 0.3 - 0.01*m)' });
		expect(c.p(0)).toBeCloseTo(0.3, 12);
		expect(c.p(10 * MIN)).toBeCloseTo(0.2, 9);
		const end = EXPRESSION_TABLE_END_SECONDS * S;
		expect(c.p(end)).toBeCloseTo(0.02, 12);
		expect(c.p(end * 3)).toBe(c.p(end));
		expect(c.lossRate(end * 3)).toBe(0);
	});

	it('clamps to [0, 1]', () => {
		const c = buildCurve({ shape: 'expression', expr: '1.5 - w/100' });
		expect(c.p(0)).toBe(1);
		expect(c.p(40 * S)).toBe(1);
		expect(c.lossRate(40 * S)).toBe(0);
		expect(c.p(100 * S)).toBeCloseTo(0.5, 9);
		expect(c.p(200 * S)).toBe(0);
		expect(c.lossRate(300 * S)).toBe(0);
		const neg = buildCurve({ shape: 'expression', expr: '-1' });
		expect(neg.p(10 * S)).toBe(0);
	});

	it('interpolation never leaves the range of the samples around a step', () => {
		const c = buildCurve({ shape: 'expression', expr: 'm < 5 ? 0.3 : 0.1' });
		for (let w = 295 * S; w <= 305 * S; w += 37) {
			const p = c.p(w);
			expect(p).toBeGreaterThanOrEqual(0.1);
			expect(p).toBeLessThanOrEqual(0.3);
			expect(c.lossRate(w)).toBeGreaterThanOrEqual(0);
		}
		expect(c.p(299 * S)).toBe(0.3);
		expect(c.p(300 * S)).toBe(0.1);
	});

	it('reports sampling failures at the expr field with the wait', () => {
		const err = errorOf({ shape: 'expression', expr: '0.1 + 1/(w - 30)' });
		expect(err.issues).toEqual([
			{
				path: 'curve.expr',
				message: 'expression gave Infinity at w = 30 s, expected a finite number'
			}
		]);
	});

	it('aborts tabulation past the time limit of the injected clock', () => {
		let now = 0;
		const clock = () => (now += 2);
		const err = errorOf({ shape: 'expression', expr: '0.3*exp(-w/120)' }, { clock, timeLimitMs: 50 });
		expect(err.issues[0]?.path).toBe('curve.expr');
		expect(err.message).toMatch(/took longer than 50 ms to tabulate/);
	});
});

describe('validation', () => {
	const cases: Array<[string, unknown, string[]]> = [
		['not an object', 5, ['curve: expected a curve object with a shape, got 5']],
		['null', null, ['curve: expected a curve object with a shape, got null']],
		[
			'unknown shape',
			{ shape: 'linear' },
			['curve.shape: expected shape to be one of exponential, twoPhase, piecewise, expression, got "linear"']
		],
		[
			'missing shape',
			{ p0: 0.2 },
			['curve.shape: expected shape to be one of exponential, twoPhase, piecewise, expression, got nothing (the field is missing)']
		],
		[
			'negative tau',
			{ shape: 'exponential', p0: 0.2, tauSeconds: -3 },
			['curve.tauSeconds: expected a positive number of seconds, got -3']
		],
		['zero tau', { shape: 'exponential', p0: 0.2, tauSeconds: 0 }, ['curve.tauSeconds: expected a positive number of seconds, got 0']],
		[
			'infinite tau',
			{ shape: 'exponential', p0: 0.2, tauSeconds: Infinity },
			['curve.tauSeconds: expected a positive number of seconds, got Infinity']
		],
		[
			'missing tau',
			{ shape: 'exponential', p0: 0.2 },
			['curve.tauSeconds: expected a positive number of seconds, got nothing (the field is missing)']
		],
		['p0 above 1', { shape: 'exponential', p0: 1.2, tauSeconds: 60 }, ['curve.p0: expected a probability in [0, 1], got 1.2']],
		['p0 not a number', { shape: 'exponential', p0: '0.2', tauSeconds: 60 }, ['curve.p0: expected a probability in [0, 1], got "0.2"']],
		['NaN p0', { shape: 'exponential', p0: Number.NaN, tauSeconds: 60 }, ['curve.p0: expected a probability in [0, 1], got NaN']],
		[
			'negative floor',
			{ shape: 'exponential', p0: 0.2, tauSeconds: 60, floor: -0.1 },
			['curve.floor: expected a probability in [0, 1], got -0.1']
		],
		[
			'floor above p0',
			{ shape: 'exponential', p0: 0.2, tauSeconds: 60, floor: 0.3 },
			['curve.floor: expected a floor no higher than p0 (0.2), got 0.3']
		],
		[
			'unknown field',
			{ shape: 'exponential', p0: 0.2, tauSeconds: 60, tau: 5 },
			['curve: unknown field "tau" for shape exponential (fields: shape, p0, tauSeconds, floor)']
		],
		[
			'weight above 1',
			{ shape: 'twoPhase', p0: 0.3, fastWeight: 1.5, fastTauSeconds: 60, slowTauSeconds: 600 },
			['curve.fastWeight: expected a weight in [0, 1], got 1.5']
		],
		[
			'negative weight',
			{ shape: 'twoPhase', p0: 0.3, fastWeight: -0.5, fastTauSeconds: 60, slowTauSeconds: 600 },
			['curve.fastWeight: expected a weight in [0, 1], got -0.5']
		],
		[
			'two-phase taus',
			{ shape: 'twoPhase', p0: 0.3, fastWeight: 0.5, fastTauSeconds: -1, slowTauSeconds: 0 },
			[
				'curve.fastTauSeconds: expected a positive number of seconds, got -1',
				'curve.slowTauSeconds: expected a positive number of seconds, got 0'
			]
		],
		[
			'slow phase faster than fast phase',
			{ shape: 'twoPhase', p0: 0.3, fastWeight: 0.5, fastTauSeconds: 600, slowTauSeconds: 60 },
			['curve.slowTauSeconds: expected at least fastTauSeconds (600), got 60']
		],
		[
			'two-phase floor above p0',
			{ shape: 'twoPhase', p0: 0.1, fastWeight: 0.5, fastTauSeconds: 60, slowTauSeconds: 600, floor: 0.2 },
			['curve.floor: expected a floor no higher than p0 (0.1), got 0.2']
		],
		['no points', { shape: 'piecewise', points: [] }, ['curve.points: expected at least one [waitSeconds, p] point, got none']],
		['points not a list', { shape: 'piecewise', points: 'soon' }, ['curve.points: expected a list of [waitSeconds, p] points, got "soon"']],
		[
			'point not a pair',
			{ shape: 'piecewise', points: [[0, 0.3], [60]] },
			['curve.points[1]: expected a [waitSeconds, p] pair, got an array of 1']
		],
		[
			'point p out of range',
			{
				shape: 'piecewise',
				points: [
					[0, 0.3],
					[60, 1.3]
				]
			},
			['curve.points[1][1]: expected a probability in [0, 1], got 1.3']
		],
		['negative wait', { shape: 'piecewise', points: [[-5, 0.3]] }, ['curve.points[0][0]: expected a wait of 0 seconds or more, got -5']],
		[
			'points out of order',
			{
				shape: 'piecewise',
				points: [
					[0, 0.3],
					[120, 0.2],
					[60, 0.1]
				]
			},
			["curve.points[2][0]: expected points sorted by wait: a wait after the previous point's 120 s, got 60"]
		],
		[
			'repeated wait',
			{
				shape: 'piecewise',
				points: [
					[0, 0.3],
					[0, 0.2]
				]
			},
			["curve.points[1][0]: expected points sorted by wait: a wait after the previous point's 0 s, got 0"]
		],
		['expr not a string', { shape: 'expression', expr: 42 }, ['curve.expr: expected an expression string, got 42']],
		[
			'expr outside the sandbox',
			{ shape: 'expression', expr: 'evaluate("1")' },
			["curve.expr: function 'evaluate' is not allowed; allowed functions: exp, log, log10, sqrt, pow, min, max, abs, floor, ceil, round"]
		]
	];

	it.each(cases)('%s', (_name, spec, lines) => {
		expect(errorOf(spec).message).toBe(lines.join('\n'));
	});

	it.each(cases)('the schema rejects the same: %s', (_name, spec, lines) => {
		const result = curveSpecSchema.safeParse(spec);
		expect(result.success).toBe(false);
		expect(result.error?.issues.length).toBe(lines.length);
	});

	it('names the field under a caller-given path', () => {
		const err = errorOf({ shape: 'exponential', p0: 0.2, tauSeconds: -3 }, { path: 'tiers[2].curve' });
		expect(err.issues).toEqual([{ path: 'tiers[2].curve.tauSeconds', message: 'expected a positive number of seconds, got -3' }]);
	});

	it('the schema accepts every shape', () => {
		const specs: CurveSpec[] = [
			{ shape: 'exponential', p0: 0.2, tauSeconds: 60 },
			{ shape: 'twoPhase', p0: 0.3, fastWeight: 0.8, fastTauSeconds: 60, slowTauSeconds: 600, floor: 0.02 },
			{
				shape: 'piecewise',
				points: [
					[0, 0.3],
					[60, 0.1]
				]
			},
			{ shape: 'expression', expr: '0.3*exp(-m)' }
		];
		for (const spec of specs) expect(curveSpecSchema.parse(spec)).toEqual(spec);
	});
});

describe('spec', () => {
	it('is a frozen copy, so later edits to the input do not change the curve', () => {
		const input: CurveSpec = {
			shape: 'piecewise',
			points: [
				[0, 0.3],
				[60, 0.1]
			]
		};
		const curve = buildCurve(input);
		input.points[1]![1] = 0.2;
		expect(curve.p(60 * S)).toBe(0.1);
		expect(curve.spec).toEqual({
			shape: 'piecewise',
			points: [
				[0, 0.3],
				[60, 0.1]
			]
		});
		expect(Object.isFrozen(curve.spec)).toBe(true);
		expect(curve.spec.shape === 'piecewise' && Object.isFrozen(curve.spec.points[0])).toBe(true);
	});
});

describe('every shape', () => {
	const curves = [
		buildCurve({ shape: 'exponential', p0: 0.9, tauSeconds: 30, floor: 0.1 }),
		buildCurve({ shape: 'twoPhase', p0: 1, fastWeight: 0.5, fastTauSeconds: 10, slowTauSeconds: 1000 }),
		buildCurve({
			shape: 'piecewise',
			points: [
				[0, 1],
				[10, 0],
				[20, 0.5]
			]
		}),
		buildCurve({ shape: 'expression', expr: '1.2*exp(-w/9) - 0.1' })
	];

	it('keeps p in [0, 1] and lossRate >= 0 at any wait', () => {
		fc.assert(
			fc.property(fc.double({ min: -HOUR, max: 100 * HOUR }), (w) => {
				for (const c of curves) {
					const p = c.p(w);
					expect(p).toBeGreaterThanOrEqual(0);
					expect(p).toBeLessThanOrEqual(1);
					expect(c.lossRate(w)).toBeGreaterThanOrEqual(0);
				}
			})
		);
	});
});
