import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Calendar } from './calendar';

describe('Calendar', () => {
	it('pops by time, then priority, then insertion order', () => {
		const c = new Calendar<string>();
		c.push(5, 1, 0, 'b');
		c.push(5, 0, 0, 'a');
		c.push(5, 1, 0, 'c');
		c.push(1, 9, 0, 'first');
		const out: string[] = [];
		while (c.pop()) out.push(c.lastPayload as string);
		expect(out).toEqual(['first', 'a', 'b', 'c']);
	});

	it('matches a stable sort of everything pushed, across growth', () => {
		fc.assert(
			fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 3 })), { maxLength: 3000 }), (items) => {
				const c = new Calendar<number>();
				items.forEach(([t, p], i) => c.push(t, p, i % 7, i));
				const expected = items.map(([t, p], i) => ({ t, p, i })).sort((a, b) => a.t - b.t || a.p - b.p || a.i - b.i);
				const got: number[] = [];
				while (c.pop()) {
					got.push(c.lastPayload as number);
					expect(c.lastKind).toBe((c.lastPayload as number) % 7);
				}
				expect(got).toEqual(expected.map((e) => e.i));
				expect(c.size).toBe(0);
			}),
			{ numRuns: 50 }
		);
	});
});
