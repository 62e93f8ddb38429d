import type { HeapItem } from './heap';

/** An item of an OrderedList: its neighbours in the one list it can be in (pos 0 in it, -1 not). */
export interface ListItem<T> extends HeapItem {
	prev: T | null;
	next: T | null;
}

/** a goes before b in (k1, k2, k3) order */
function before(a: HeapItem, b: HeapItem): boolean {
	if (a.k1 !== b.k1) return a.k1 < b.k1;
	if (a.k2 !== b.k2) return a.k2 < b.k2;
	return a.k3 < b.k3;
}

/**
 * Items sorted by (k1, k2, k3) in a doubly linked list, for keys that mostly grow as items come in
 * (the time an agent became idle, a caller's arrival): an item goes in at its place found from the
 * nearer end, almost always the tail at no step, and comes out from anywhere at once, where a heap
 * sifts both ways. The operations of KeyedHeap, for use in its place.
 */
export class OrderedList<T extends ListItem<T>> {
	private head: T | null = null;
	private tail: T | null = null;
	private n = 0;

	get size(): number {
		return this.n;
	}

	peek(): T | undefined {
		return this.head ?? undefined;
	}

	has(item: T): boolean {
		return item.pos >= 0;
	}

	/**
	 * Looks for the item's place from both ends at once, so the cost is the distance to the nearer
	 * end: none for a newest entry, a few steps for one that goes near the front (a priority call).
	 */
	push(item: T): void {
		// after: the entry the item goes right after (null: it goes first)
		let after: T | null;
		let back = this.tail;
		let front = this.head;
		for (;;) {
			if (back === null || !before(item, back)) {
				after = back;
				break;
			}
			if (front !== null && before(item, front)) {
				after = front.prev;
				break;
			}
			back = back.prev;
			front = front === null ? null : front.next;
		}
		const next = after === null ? this.head : after.next;
		item.prev = after;
		item.next = next;
		if (after === null) this.head = item;
		else after.next = item;
		if (next === null) this.tail = item;
		else next.prev = item;
		item.pos = 0;
		this.n++;
	}

	remove(item: T): boolean {
		if (item.pos < 0) return false;
		const { prev, next } = item;
		if (prev === null) this.head = next;
		else prev.next = next;
		if (next === null) this.tail = prev;
		else next.prev = prev;
		item.prev = null;
		item.next = null;
		item.pos = -1;
		this.n--;
		return true;
	}

	/** Items in order; a new array, for read-time views. */
	values(): readonly T[] {
		const out: T[] = [];
		for (let x = this.head; x !== null; x = x.next) out.push(x);
		return out;
	}

	sorted(): T[] {
		return this.values() as T[];
	}
}
