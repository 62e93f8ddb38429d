/**
 * A binary min-heap ordered by (k1, k2, k3), where each item remembers its own position so that
 * removal and re-keying of an arbitrary item are O(log n) (calls abandon from the middle of queues,
 * agents leave pools from anywhere).
 */
export interface HeapItem {
	k1: number;
	k2: number;
	k3: number;
	/** position in the heap, -1 when not in it; owned by the heap */
	pos: number;
}

function less(a: HeapItem, b: HeapItem): boolean {
	if (a.k1 !== b.k1) return a.k1 < b.k1;
	if (a.k2 !== b.k2) return a.k2 < b.k2;
	return a.k3 < b.k3;
}

export class KeyedHeap<T extends HeapItem> {
	private items: T[] = [];

	get size(): number {
		return this.items.length;
	}

	peek(): T | undefined {
		return this.items[0];
	}

	has(item: T): boolean {
		return item.pos >= 0 && this.items[item.pos] === item;
	}

	push(item: T): void {
		item.pos = this.items.length;
		this.items.push(item);
		this.up(item.pos);
	}

	pop(): T | undefined {
		const top = this.items[0];
		if (top !== undefined) this.removeAt(0);
		return top;
	}

	remove(item: T): boolean {
		if (!this.has(item)) return false;
		this.removeAt(item.pos);
		return true;
	}

	/** Call after changing an item's keys. */
	update(item: T): void {
		if (!this.has(item)) return;
		this.up(item.pos);
		this.down(item.pos);
	}

	/** Items in heap (not sorted) order; for read-time views, never the hot path. */
	values(): readonly T[] {
		return this.items;
	}

	/** Items in heap order, sorted; O(n log n), for snapshots. */
	sorted(): T[] {
		return [...this.items].sort((a, b) => (less(a, b) ? -1 : less(b, a) ? 1 : 0));
	}

	private removeAt(i: number): void {
		const items = this.items;
		const gone = items[i] as T;
		const last = items.pop() as T;
		gone.pos = -1;
		if (i < items.length) {
			items[i] = last;
			last.pos = i;
			this.up(i);
			this.down(last.pos);
		}
	}

	private up(i: number): void {
		const items = this.items;
		const item = items[i] as T;
		while (i > 0) {
			const p = (i - 1) >> 1;
			const parent = items[p] as T;
			if (!less(item, parent)) break;
			items[i] = parent;
			parent.pos = i;
			i = p;
		}
		items[i] = item;
		item.pos = i;
	}

	private down(i: number): void {
		const items = this.items;
		const n = items.length;
		const item = items[i] as T;
		for (;;) {
			const l = 2 * i + 1;
			if (l >= n) break;
			const r = l + 1;
			let c = l;
			if (r < n && less(items[r] as T, items[l] as T)) c = r;
			const child = items[c] as T;
			if (!less(child, item)) break;
			items[i] = child;
			child.pos = i;
			i = c;
		}
		items[i] = item;
		item.pos = i;
	}
}
