import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Calendar } from './calendar';

describe('Calendar', () => {
	it('pops by time, then priority, then insertion order', () => {
		const c = new Calendar<string>({ from: 0, to: 100 });
		c.push(5, 1, 0, 'b');
		c.push(5, 0, 0, 'a');
		c.push(5, 1, 0, 'c');
		c.push(1, 15, 0, 'first');
		const out: string[] = [];
		while (c.pop()) out.push(c.lastPayload as string);
		expect(out).toEqual(['first', 'a', 'b', 'c']);
	});

	it('matches a stable sort of everything pushed, across growth from a small start', () => {
		fc.assert(
			fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 3 })), { maxLength: 3000 }), (items) => {
				const c = new Calendar<number>({ from: 0, to: 1000 }, 4);
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

	it('keeps the order when the sequence runs out of bits and pending entries are numbered again', () => {
		// a year-long span leaves 14 bits of sequence: 16,384 pushes before each renumbering
		const c = new Calendar<number>({ from: 0, to: 366 * 86_400_000 });
		const pending: Array<{ t: number; p: number; i: number }> = [];
		const least = () => {
			let at = 0;
			pending.forEach((x, j) => {
				const y = pending[at] as { t: number; p: number; i: number };
				if ((x.t - y.t || x.p - y.p || x.i - y.i) < 0) at = j;
			});
			return (pending.splice(at, 1)[0] as { i: number }).i;
		};
		let i = 0;
		let pops = 0;
		// a few hundred pending while 70,000 are pushed in all, many at equal times and priorities
		for (let round = 0; round < 700; round++) {
			for (let k = 0; k < 100; k++, i++) {
				const e = { t: 1000 * round + (i % 10) * 5, p: (i >> 4) % 2, i };
				c.push(e.t, e.p, 0, i);
				pending.push(e);
			}
			while (c.size > 300) {
				expect(c.pop()).toBe(true);
				expect(c.lastPayload).toBe(least());
				pops++;
			}
		}
		while (c.pop()) {
			expect(c.lastPayload).toBe(least());
			pops++;
		}
		expect(pops).toBe(70_000);
	});

	it('takes whole ms within its span, drops entries at or after its end, and reads times back exactly', () => {
		const c = new Calendar<string>({ from: 36_000_000, to: 36_000_000 + 8 * 3_600_000 });
		expect(() => c.push(35_999_999, 0, 0, 'early')).toThrow(RangeError);
		expect(() => c.push(36_000_000.5, 0, 0, 'fraction')).toThrow(RangeError);
		expect(() => c.push(36_000_000, 16, 0, 'priority')).toThrow(RangeError);
		c.push(36_000_000 + 8 * 3_600_000, 0, 0, 'at the end');
		c.push(Number.POSITIVE_INFINITY, 0, 0, 'never');
		expect(c.size).toBe(0);
		c.push(36_000_000 + 8 * 3_600_000 - 1, 3, 7, 'last ms', 42);
		expect(c.peekTime()).toBe(36_000_000 + 8 * 3_600_000 - 1);
		expect(c.pop()).toBe(true);
		expect([c.lastTime, c.lastKind, c.lastRef, c.lastPayload]).toEqual([36_000_000 + 8 * 3_600_000 - 1, 7, 42, 'last ms']);
		expect(() => new Calendar({ from: 0, to: 2 ** 45 })).toThrow(RangeError);
	});
});
