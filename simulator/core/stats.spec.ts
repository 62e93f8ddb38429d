import { describe, expect, it } from 'vitest';
import { meanAndHalfWidth, tQuantile975 } from './stats';

describe('stats', () => {
	it('t quantiles match tables', () => {
		expect(tQuantile975(1)).toBeCloseTo(12.706, 3);
		expect(tQuantile975(19)).toBeCloseTo(2.093, 3);
		expect(tQuantile975(30)).toBeCloseTo(2.042, 3);
		expect(tQuantile975(120)).toBeCloseTo(1.98, 3);
	});

	it('mean and half-width of a sample, ignoring nulls', () => {
		const r = meanAndHalfWidth([1, 2, null, 3, 4]);
		expect(r.mean).toBe(2.5);
		// sd = 1.2910, t(3) = 3.182: 3.182 * 1.2910 / 2
		expect(r.halfWidth).toBeCloseTo((3.182 * Math.sqrt(5 / 3)) / 2, 9);
		expect(meanAndHalfWidth([7])).toEqual({ mean: 7, halfWidth: null });
		expect(meanAndHalfWidth([null])).toEqual({ mean: null, halfWidth: null });
	});
});
