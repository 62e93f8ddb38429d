import { buildCurve, describeValue, type ConfigIssue, type ConversionCurve, type CurveSpec } from './curves';
import type { ExpressionOptions } from './expression';

export type TierId = string;

export interface TierConfig {
	id: TierId;
	/** the tier takes calls with heat >= minHeat (and below the next tier up) */
	minHeat: number;
	curve: CurveSpec;
}

/** Cold leads convert ≈ 2.3%, decaying only slightly. */
const COLD: CurveSpec = { shape: 'exponential', p0: 0.024, tauSeconds: 3600, floor: 0.022 };

/**
 * Starts at the "technology about 7.4%" figure and settles at the cold rate within the hour;
 * it stays between cold and hot at every wait.
 */
const WARM: CurveSpec = { shape: 'exponential', p0: 0.074, tauSeconds: 480, floor: 0.023 };

/**
 * Fitted to the seed figures: 28% at once (≈12× cold; service businesses convert over 20% of
 * qualified calls); ≈22% averaged over the first minute and ≈5.8% at five minutes (the law firm's
 * 22% fast vs 5% slow, and a first-minute lift of at most +391%, i.e. 4.9×); the fast phase
 * (100 s) spends most of the drop inside the five-minute golden window; under 20% of p(0) by
 * 30 minutes; the cold rate long before 24 hours (the seeds say nothing in between, so the
 * slow phase is short rather than guessed long).
 */
const HOT: CurveSpec = {
	shape: 'twoPhase',
	p0: 0.28,
	fastWeight: 0.88,
	fastTauSeconds: 100,
	slowTauSeconds: 1200,
	floor: 0.023
};

/** Shared by every config that does not name its own tiers, hence frozen. */
export const defaultTiers: TierConfig[] = [
	{ id: 'hot', minHeat: 0.7, curve: HOT },
	{ id: 'warm', minHeat: 0.3, curve: WARM },
	{ id: 'cold', minHeat: 0, curve: COLD }
];
for (const tier of defaultTiers) Object.freeze(Object.freeze(tier).curve);
Object.freeze(defaultTiers);

export class TierError extends Error {
	override readonly name = 'TierError';
	constructor(readonly issues: readonly ConfigIssue[]) {
		super(issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
	}
}

/**
 * Heat tiers with built curves, addressed by index so the hot path carries small integers.
 * Indexes follow the order of the config.
 */
export class TierTable {
	readonly size: number;
	private readonly ids: readonly TierId[];
	private readonly curves: readonly ConversionCurve[];
	private readonly byId: ReadonlyMap<TierId, number>;
	/** tier indexes by minHeat, highest first, with their thresholds */
	private readonly order: Int32Array;
	private readonly thresholds: Float64Array;

	/** Throws TierError for a bad table, CurveError (path `tiers[i].curve...`) for a bad curve. */
	constructor(tiers: readonly TierConfig[], opts: ExpressionOptions = {}) {
		const issues = checkTiers(tiers);
		if (issues.length > 0) throw new TierError(issues);
		this.size = tiers.length;
		this.ids = tiers.map((t) => t.id);
		this.curves = tiers.map((t, i) => buildCurve(t.curve, { ...opts, path: `tiers[${i}].curve` }));
		this.byId = new Map(tiers.map((t, i) => [t.id, i]));
		const order = tiers.map((_, i) => i).sort((a, b) => tiers[b]!.minHeat - tiers[a]!.minHeat);
		this.order = Int32Array.from(order);
		this.thresholds = Float64Array.from(order, (i) => tiers[i]!.minHeat);
	}

	/** Index of the tier for `heat`; heat below 0 or NaN falls to the tier at minHeat 0. */
	tierOf(heat: number): number {
		const last = this.size - 1;
		for (let k = 0; k < last; k++) {
			if (heat >= this.thresholds[k]!) return this.order[k]!;
		}
		return this.order[last]!;
	}

	/** Index of the tier with this id, or -1 (events may name a tier instead of giving a heat). */
	indexOf(id: TierId): number {
		return this.byId.get(id) ?? -1;
	}

	curve(index: number): ConversionCurve {
		const curve = this.curves[index];
		if (!curve) throw new RangeError(`tier index ${index} out of range 0..${this.size - 1}`);
		return curve;
	}

	id(index: number): TierId {
		const id = this.ids[index];
		if (id === undefined) throw new RangeError(`tier index ${index} out of range 0..${this.size - 1}`);
		return id;
	}
}

function checkTiers(tiers: readonly TierConfig[]): ConfigIssue[] {
	if (!Array.isArray(tiers) || tiers.length === 0) {
		return [{ path: 'tiers', message: `expected at least one tier, got ${describeValue(tiers)}` }];
	}
	const issues: ConfigIssue[] = [];
	const firstWithId = new Map<unknown, number>();
	const firstWithHeat = new Map<number, number>();
	tiers.forEach((tier: unknown, i) => {
		const at = `tiers[${i}]`;
		if (tier === null || typeof tier !== 'object') {
			issues.push({ path: at, message: `expected a tier { id, minHeat, curve }, got ${describeValue(tier)}` });
			return;
		}
		const { id, minHeat } = tier as Partial<Record<keyof TierConfig, unknown>>;
		if (typeof id !== 'string' || id === '') {
			issues.push({ path: `${at}.id`, message: `expected a non-empty string, got ${describeValue(id)}` });
		} else if (firstWithId.has(id)) {
			issues.push({ path: `${at}.id`, message: `duplicate id "${id}" (also tiers[${firstWithId.get(id)}])` });
		} else {
			firstWithId.set(id, i);
		}
		if (typeof minHeat !== 'number' || !(minHeat >= 0 && minHeat <= 1)) {
			issues.push({ path: `${at}.minHeat`, message: `expected a heat in [0, 1], got ${describeValue(minHeat)}` });
		} else if (firstWithHeat.has(minHeat)) {
			issues.push({
				path: `${at}.minHeat`,
				message: `duplicate minHeat ${minHeat} (also tiers[${firstWithHeat.get(minHeat)}]): a heat would match both`
			});
		} else {
			firstWithHeat.set(minHeat, i);
		}
	});
	if (issues.length === 0 && !firstWithHeat.has(0)) {
		issues.push({
			path: 'tiers',
			message: `expected a tier with minHeat 0 so that every heat has a tier, got lowest minHeat ${Math.min(...firstWithHeat.keys())}`
		});
	}
	return issues;
}
