import { describe, expect, it } from 'vitest';
import { loadExpressionSupport } from './expression';
import { CurveError, type ConversionCurve, type CurveSpec } from './curves';
import { defaultTiers, TierError, TierTable, type TierConfig } from './tiers';

// some curves below are built while the suite is collected
await loadExpressionSupport();

const S = 1000;
const MIN = 60 * S;
const HOUR = 60 * MIN;

const table = new TierTable(defaultTiers);
const hot = table.curve(table.indexOf('hot'));
const warm = table.curve(table.indexOf('warm'));
const cold = table.curve(table.indexOf('cold'));

/** Mean of p over [fromMs, toMs] by the midpoint rule. */
function meanP(curve: ConversionCurve, fromMs: number, toMs: number, steps = 6000): number {
	const h = (toMs - fromMs) / steps;
	let sum = 0;
	for (let i = 0; i < steps; i++) sum += curve.p(fromMs + (i + 0.5) * h);
	return sum / steps;
}

function waits(fromMs: number, toMs: number, stepMs: number): number[] {
	const out: number[] = [];
	for (let w = fromMs; w <= toMs; w += stepMs) out.push(w);
	return out;
}

describe('default tiers against the seed figures', () => {
	it('"cold leads convert ≈ 2.3%"', () => {
		for (const w of [0, MIN, 5 * MIN, HOUR, 24 * HOUR]) {
			expect(Math.abs(cold.p(w) - 0.023)).toBeLessThanOrEqual(0.0015);
		}
	});

	it('"hot inbound calls convert 10–15× better than cold"', () => {
		const ratio = hot.p(0) / cold.p(0);
		expect(ratio).toBeGreaterThanOrEqual(10);
		expect(ratio).toBeLessThanOrEqual(15);
	});

	it('"answering in the first minute shows up to +391% conversions against slower responders" (≈4.9× vs 5 min)', () => {
		const slower = hot.p(5 * MIN);
		for (const w of waits(0, MIN, S)) {
			const lift = hot.p(w) / slower;
			expect(lift).toBeLessThanOrEqual(4.91);
			expect(lift).toBeGreaterThanOrEqual(2.5);
		}
		expect(hot.p(0) / slower).toBeGreaterThanOrEqual(4.5);
	});

	it('"the first five minutes are the golden window" (most of the drop happens in them)', () => {
		const drop = hot.p(0) - hot.p(24 * HOUR);
		expect((hot.p(0) - hot.p(5 * MIN)) / drop).toBeGreaterThanOrEqual(0.75);
		expect(hot.lossRate(5 * MIN)).toBeLessThan(hot.lossRate(0) / 10);
	});

	it('"beyond 30 minutes the chance is down by more than 80%" (p(30min) < 0.2·p(0))', () => {
		for (const w of waits(30 * MIN, 24 * HOUR, 5 * MIN)) {
			expect(hot.p(w)).toBeLessThan(0.2 * hot.p(0));
		}
	});

	it('"after 24 hours a hot lead is as hard as a cold one (≈ 2.3%)"', () => {
		expect(Math.abs(hot.p(24 * HOUR) - 0.023)).toBeLessThanOrEqual(0.0015);
		expect(Math.abs(hot.p(24 * HOUR) - cold.p(24 * HOUR))).toBeLessThanOrEqual(0.0015);
	});

	it('"law firm: 22% converted when handled fast, 5% when slow"', () => {
		expect(Math.abs(meanP(hot, 0, MIN) - 0.22)).toBeLessThanOrEqual(0.01);
		expect(Math.abs(hot.p(5 * MIN) - 0.05)).toBeLessThanOrEqual(0.01);
	});

	it('"service businesses convert over 20% of qualified calls"', () => {
		expect(meanP(hot, 0, MIN)).toBeGreaterThan(0.2);
	});

	it('"technology about 7.4%" is where warm calls start', () => {
		expect(warm.p(0)).toBeCloseTo(0.074, 3);
	});

	it('a hotter tier is never worth less at the same wait', () => {
		for (const w of waits(0, 48 * HOUR, 30 * S)) {
			expect(hot.p(w)).toBeGreaterThanOrEqual(warm.p(w));
			expect(warm.p(w)).toBeGreaterThanOrEqual(cold.p(w));
		}
	});

	it('are frozen, since every config without tiers shares them', () => {
		expect(Object.isFrozen(defaultTiers)).toBe(true);
		expect(defaultTiers.every((t) => Object.isFrozen(t) && Object.isFrozen(t.curve))).toBe(true);
	});
});

describe('TierTable', () => {
	it('maps heat to tiers at the thresholds', () => {
		const idOf = (heat: number) => table.id(table.tierOf(heat));
		expect(idOf(1)).toBe('hot');
		expect(idOf(0.7)).toBe('hot');
		expect(idOf(0.6999)).toBe('warm');
		expect(idOf(0.3)).toBe('warm');
		expect(idOf(0.2999)).toBe('cold');
		expect(idOf(0)).toBe('cold');
	});

	it('sends heat outside [0, 1] and NaN to the nearest end', () => {
		expect(table.id(table.tierOf(1.5))).toBe('hot');
		expect(table.id(table.tierOf(-0.5))).toBe('cold');
		expect(table.id(table.tierOf(Number.NaN))).toBe('cold');
	});

	it('keeps the config order for indexes whatever the order of minHeat', () => {
		const t = new TierTable([
			{ id: 'low', minHeat: 0, curve: { shape: 'exponential', p0: 0.02, tauSeconds: 60 } },
			{ id: 'top', minHeat: 0.9, curve: { shape: 'exponential', p0: 0.4, tauSeconds: 60 } },
			{ id: 'mid', minHeat: 0.5, curve: { shape: 'piecewise', points: [[0, 0.1]] } }
		]);
		expect(t.size).toBe(3);
		expect([t.id(0), t.id(1), t.id(2)]).toEqual(['low', 'top', 'mid']);
		expect(t.tierOf(0.95)).toBe(1);
		expect(t.tierOf(0.6)).toBe(2);
		expect(t.tierOf(0.1)).toBe(0);
		expect(t.curve(1).p(0)).toBe(0.4);
		expect(t.indexOf('mid')).toBe(2);
		expect(t.indexOf('nope')).toBe(-1);
	});

	it('works with a single tier', () => {
		const t = new TierTable([{ id: 'all', minHeat: 0, curve: defaultTiers[0]!.curve }]);
		expect(t.tierOf(0.99)).toBe(0);
		expect(t.tierOf(-1)).toBe(0);
	});

	it('rejects indexes out of range', () => {
		expect(() => table.curve(3)).toThrow(RangeError);
		expect(() => table.id(-1)).toThrow('tier index -1 out of range 0..2');
	});

	const curve: CurveSpec = { shape: 'exponential', p0: 0.1, tauSeconds: 60 };
	const cases: Array<[string, unknown, string]> = [
		['no tiers', [], 'tiers: expected at least one tier, got an array of 0'],
		['not a list', { hot: 1 }, 'tiers: expected at least one tier, got an object'],
		['a tier that is not an object', [null], 'tiers[0]: expected a tier { id, minHeat, curve }, got null'],
		['an empty id', [{ id: '', minHeat: 0, curve }], 'tiers[0].id: expected a non-empty string, got ""'],
		[
			'duplicate ids',
			[
				{ id: 'a', minHeat: 0, curve },
				{ id: 'a', minHeat: 0.5, curve }
			],
			'tiers[1].id: duplicate id "a" (also tiers[0])'
		],
		['minHeat out of range', [{ id: 'a', minHeat: 1.5, curve }], 'tiers[0].minHeat: expected a heat in [0, 1], got 1.5'],
		['minHeat missing', [{ id: 'a', curve }], 'tiers[0].minHeat: expected a heat in [0, 1], got nothing (the field is missing)'],
		[
			'duplicate minHeat',
			[
				{ id: 'a', minHeat: 0, curve },
				{ id: 'b', minHeat: 0, curve }
			],
			'tiers[1].minHeat: duplicate minHeat 0 (also tiers[0]): a heat would match both'
		],
		[
			'no tier covering heat 0',
			[
				{ id: 'a', minHeat: 0.3, curve },
				{ id: 'b', minHeat: 0.7, curve }
			],
			'tiers: expected a tier with minHeat 0 so that every heat has a tier, got lowest minHeat 0.3'
		]
	];

	it.each(cases)('rejects %s', (_name, tiers, message) => {
		expect(() => new TierTable(tiers as TierConfig[])).toThrow(TierError);
		expect(() => new TierTable(tiers as TierConfig[])).toThrow(message);
	});

	it('reports every tier problem at once', () => {
		const tiers = [
			{ id: '', minHeat: 0, curve },
			{ id: 'b', minHeat: 2, curve }
		];
		try {
			new TierTable(tiers);
			expect.unreachable();
		} catch (err) {
			expect((err as TierError).issues.map((i) => i.path)).toEqual(['tiers[0].id', 'tiers[1].minHeat']);
		}
	});

	it('names the tier of a bad curve', () => {
		const tiers: TierConfig[] = [
			{ id: 'a', minHeat: 0, curve },
			{ id: 'b', minHeat: 0.5, curve: { shape: 'exponential', p0: 0.2, tauSeconds: -3 } }
		];
		expect(() => new TierTable(tiers)).toThrow(CurveError);
		expect(() => new TierTable(tiers)).toThrow('tiers[1].curve.tauSeconds: expected a positive number of seconds, got -3');
	});

	it('passes the clock to expression curves', () => {
		let now = 0;
		const tiers: TierConfig[] = [{ id: 'a', minHeat: 0, curve: { shape: 'expression', expr: '0.1' } }];
		expect(() => new TierTable(tiers, { clock: () => (now += 10), timeLimitMs: 100 })).toThrow(
			/^tiers\[0\]\.curve\.expr: expression took longer than 100 ms/
		);
	});
});
