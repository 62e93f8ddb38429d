import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { OrderedList, type ListItem } from './ordered-list';
import { KeyedHeap } from './heap';

interface Item extends ListItem<Item> {
	name: number;
}
const item = (name: number, k1: number, k2 = 0): Item => ({ name, k1, k2, k3: name, pos: -1, prev: null, next: null });

describe('OrderedList', () => {
	it('gives what a KeyedHeap gives under random push, peek and remove, keys rising or not', () => {
		fc.assert(
			fc.property(
				fc.array(fc.tuple(fc.constantFrom('push', 'push', 'take', 'remove'), fc.integer({ min: 0, max: 30 }), fc.boolean())),
				(ops) => {
					const list = new OrderedList<Item>();
					const heap = new KeyedHeap<{ name: number; k1: number; k2: number; k3: number; pos: number }>();
					const inList: Item[] = [];
					const twin = new Map<Item, { name: number; k1: number; k2: number; k3: number; pos: number }>();
					let n = 0;
					let clock = 0;
					for (const [op, x, rising] of ops) {
						if (op === 'push') {
							// mostly rising keys (idle since now), sometimes an older one (a kept place)
							clock += x % 3;
							const it = item(n++, rising ? clock : x, x % 2);
							list.push(it);
							const h = { name: it.name, k1: it.k1, k2: it.k2, k3: it.k3, pos: -1 };
							heap.push(h);
							twin.set(it, h);
							inList.push(it);
						} else if (op === 'take') {
							const top = list.peek();
							expect(top?.name).toBe(heap.peek()?.name);
							if (top !== undefined) {
								expect(list.remove(top)).toBe(true);
								heap.remove(twin.get(top) as { name: number; k1: number; k2: number; k3: number; pos: number });
								inList.splice(inList.indexOf(top), 1);
							}
						} else if (inList.length > 0) {
							const target = inList[x % inList.length] as Item;
							expect(list.remove(target)).toBe(true);
							expect(list.remove(target)).toBe(false);
							expect(list.has(target)).toBe(false);
							heap.remove(twin.get(target) as { name: number; k1: number; k2: number; k3: number; pos: number });
							inList.splice(inList.indexOf(target), 1);
						}
						expect(list.size).toBe(heap.size);
					}
					expect(list.sorted().map((i) => i.name)).toEqual(heap.sorted().map((i) => i.name));
				}
			)
		);
	});

	it('knows its own items: another list cannot remove them, and an item goes into one list once', () => {
		const a = new OrderedList<Item>();
		const b = new OrderedList<Item>();
		const x = item(1, 5);
		a.push(x);
		expect(b.has(x)).toBe(false);
		expect(b.remove(x)).toBe(false);
		expect(a.size).toBe(1);
		expect(b.size).toBe(0);
		expect(() => a.push(x)).toThrow(/already/);
		expect(() => b.push(x)).toThrow(/another list/);
		expect(a.remove(x)).toBe(true);
		b.push(x);
		expect(b.peek()).toBe(x);
	});
});

