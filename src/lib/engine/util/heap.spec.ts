import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KeyedHeap, type HeapItem } from './heap';

interface Item extends HeapItem {
	name: number;
}
const item = (name: number, k1: number, k2 = 0, k3 = name): Item => ({ name, k1, k2, k3, pos: -1 });

describe('KeyedHeap', () => {
	it('pops in (k1, k2, k3) order', () => {
		const h = new KeyedHeap<Item>();
		[item(1, 2, 0), item(2, 1, 5), item(3, 1, 4), item(4, 1, 4, 0)].forEach((i) => h.push(i));
		expect([h.pop(), h.pop(), h.pop(), h.pop(), h.pop()].map((i) => i?.name)).toEqual([4, 3, 2, 1, undefined]);
	});

	it('matches a sorted array under random push/pop/remove/update', () => {
		fc.assert(
			fc.property(
				fc.array(fc.tuple(fc.constantFrom('push', 'pop', 'remove', 'update'), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 5 }))),
				(ops) => {
					const h = new KeyedHeap<Item>();
					let live: Item[] = [];
					let n = 0;
					const order = (a: Item, b: Item) => a.k1 - b.k1 || a.k2 - b.k2 || a.k3 - b.k3;
					for (const [op, a, b] of ops) {
						if (op === 'push') {
							const it = item(n++, a, b);
							h.push(it);
							live.push(it);
						} else if (op === 'pop') {
							live.sort(order);
							expect(h.pop()).toBe(live.shift());
						} else if (live.length > 0) {
							const target = live[a % live.length] as Item;
							if (op === 'remove') {
								expect(h.remove(target)).toBe(true);
								expect(h.remove(target)).toBe(false);
								live = live.filter((x) => x !== target);
							} else {
								target.k1 = b;
								h.update(target);
							}
						}
						expect(h.size).toBe(live.length);
					}
					live.sort(order);
					expect(h.sorted()).toEqual(live);
				}
			)
		);
	});
});
