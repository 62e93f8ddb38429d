import { z } from 'zod';
import { anyDuration, nonNegative, positive, positiveDuration } from './fields';
import { expectation } from './issues';
import type { Dist } from './types';

/**
 * Distributions as scenario files write them. `duration` distributions take durations ("4m")
 * and come out in ms; `number` distributions (heat, value) take plain numbers.
 *
 * lognormal's mean and sd are those of the values themselves, not of their logarithm: that is
 * what a call-centre report gives you (AHT and its standard deviation).
 */
export type Quantity = 'duration' | 'number';

export const DIST_KINDS = ['constant', 'exponential', 'lognormal', 'gamma', 'weibull', 'uniform', 'beta', 'empirical'] as const;

function amount(q: Quantity, strictlyPositive: boolean) {
	if (q === 'duration') return strictlyPositive ? positiveDuration : anyDuration;
	return strictlyPositive ? positive : nonNegative;
}

function options(q: Quantity) {
	const gamma = z
		.strictObject({
			dist: z.literal('gamma'),
			shape: positive.optional(),
			scale: amount(q, true).optional(),
			mean: amount(q, true).optional(),
			cv: positive.optional()
		})
		.superRefine((v, ctx) => {
			const shapeForm = v.shape !== undefined || v.scale !== undefined;
			const meanForm = v.mean !== undefined || v.cv !== undefined;
			if (shapeForm && meanForm) {
				ctx.addIssue({ code: 'custom', path: [], message: 'give either shape and scale, or mean and cv, not both' });
				return;
			}
			const need: Array<keyof typeof v> = meanForm ? ['mean', 'cv'] : ['shape', 'scale'];
			for (const key of need) {
				if (v[key] === undefined) {
					ctx.addIssue({
						code: 'custom',
						path: [key],
						message: `missing (expected ${meanForm ? 'mean and cv' : 'shape and scale, or mean and cv'})`
					});
				}
			}
		});
	const uniform = z.strictObject({ dist: z.literal('uniform'), min: amount(q, false), max: amount(q, false) }).superRefine((v, ctx) => {
		if (v.max < v.min) ctx.addIssue({ code: 'custom', path: ['max'], message: 'expected max to be at least min' });
	});
	return [
		z.strictObject({ dist: z.literal('constant'), value: amount(q, false) }),
		z.strictObject({ dist: z.literal('exponential'), mean: amount(q, true) }),
		z.strictObject({ dist: z.literal('lognormal'), mean: amount(q, true), sd: amount(q, false) }),
		gamma,
		z.strictObject({ dist: z.literal('weibull'), shape: positive, scale: amount(q, true) }),
		uniform,
		z.strictObject({ dist: z.literal('empirical'), values: z.array(amount(q, false)).min(1) })
	] as const;
}

type DistFile = z.output<ReturnType<typeof options>[number]> | { dist: 'beta'; a: number; b: number };

function normalize(v: number | DistFile): Dist {
	if (typeof v === 'number') return { dist: 'constant', value: v };
	if (v.dist === 'gamma') {
		// superRefine guarantees one complete form
		if (v.mean !== undefined && v.cv !== undefined) {
			return { dist: 'gamma', shape: 1 / (v.cv * v.cv), scale: v.mean * v.cv * v.cv };
		}
		return { dist: 'gamma', shape: v.shape ?? NaN, scale: v.scale ?? NaN };
	}
	return v;
}

/**
 * A distribution field: a bare value (a constant) or `{ dist: ..., params }`. Beta draws 0..1,
 * so only number distributions offer it.
 */
export function distSchema(q: Quantity): z.ZodType<Dist, unknown> {
	const bare = q === 'duration' ? anyDuration : nonNegative;
	const objects =
		q === 'number'
			? z.discriminatedUnion('dist', [...options(q), z.strictObject({ dist: z.literal('beta'), a: positive, b: positive })])
			: z.discriminatedUnion('dist', options(q));
	const hint =
		q === 'duration'
			? 'a duration like "4m" or a distribution like { dist: exponential, mean: 4m }'
			: 'a number or a distribution like { dist: beta, a: 2, b: 5 }';
	return z.union([bare, objects], { error: (iss) => expectation(hint, iss.input) }).transform((v: number | DistFile) => normalize(v));
}

/** Heat is a chance-like score, so its distribution must stay inside 0..1. */
export const heatSchema: z.ZodType<Dist, unknown> = distSchema('number')
	.meta({ id: 'heatDistribution' })
	.superRefine((d, ctx) => {
		const [lo, hi] = distRange(d);
		if (lo >= 0 && hi <= 1) return;
		ctx.addIssue({
			code: 'custom',
			message:
				d.dist === 'constant'
					? `expected a heat in [0, 1], got ${d.value}`
					: `heat drawn from ${d.dist} can fall outside [0, 1]; use beta, or uniform, constant or empirical within [0, 1]`
		});
	});

/** Smallest and largest value a distribution can draw. */
export function distRange(d: Dist): [number, number] {
	switch (d.dist) {
		case 'constant':
			return [d.value, d.value];
		case 'uniform':
			return [d.min, d.max];
		case 'beta':
			return [0, 1];
		case 'empirical':
			return [Math.min(...d.values), Math.max(...d.values)];
		case 'lognormal':
			return d.sd === 0 ? [d.mean, d.mean] : [0, Infinity];
		case 'exponential':
		case 'gamma':
		case 'weibull':
			return [0, Infinity];
	}
}
