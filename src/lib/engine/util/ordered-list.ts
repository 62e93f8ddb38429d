import type { HeapItem } from './heap';

/** An item of an OrderedList: its neighbours in the one list it can be in (pos: that list's number, -1 none). */
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

/** each list's number, kept in the `pos` of its items */
let lists = 0;

/**
 * Items sorted by (k1, k2, k3) in a doubly linked list, for keys that mostly grow as items come in
 * (the time an agent became idle): an item goes in at its place found from the nearer end, almost
 * always the tail at no step, and comes out from anywhere at once, where a heap sifts both ways.
 * KeyedHeap's size, peek, push, remove, values and sorted, for use in its place where keys never
 * change while an item is in (there is no update).
 */
export class OrderedList<T extends ListItem<T>> {
	/** what `pos` of an item in this list holds (a heap keeps positions there, from 0 up) */
	private readonly id = ++lists;
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
		return item.pos === this.id;
	}

	/**
	 * Looks for the item's place from both ends at once, so the cost is the distance to the nearer
	 * end: none for a newest entry, a few steps for one that goes near the front.
	 */
	push(item: T): void {
		if (item.pos >= 0) throw new Error(item.pos === this.id ? 'OrderedList: the item is in the list already' : 'OrderedList: the item is in another list');
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
		item.pos = this.id;
		this.n++;
	}

	remove(item: T): boolean {
		if (item.pos !== this.id) return false;
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
