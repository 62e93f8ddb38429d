import { describe, expect, it } from 'vitest';
import { TokenBuckets } from './bucket';

describe('TokenBuckets', () => {
	it('lets a burst through, then one per refill interval, per key', () => {
		let t = 0;
		const b = new TokenBuckets(3, 2, () => t);
		expect([1, 2, 3, 4].map(() => b.take('a'))).toEqual([true, true, true, false]);
		expect(b.take('b')).toBe(true);
		t += 400;
		expect(b.take('a')).toBe(false);
		t += 100;
		expect(b.take('a')).toBe(true);
		expect(b.take('a')).toBe(false);
		// never more than the burst, however long the wait
		t += 60_000;
		expect([1, 2, 3, 4].map(() => b.take('a'))).toEqual([true, true, true, false]);
	});
});
