import type { EngineTimer } from '../engine/events';

interface Entry {
	at: number;
	/** scheduling order: timers due at one instant go in the order scheduled, as the engine's Driver delivers them */
	seq: number;
	event: EngineTimer;
}

/**
 * The timers an engine scheduled, earliest first, for the sources that deliver an engine's timers
 * themselves (the live intake, the replay runner). A binary heap of plain data, not closures or
 * private `#fields`, because replay checkpoints deep-clone it.
 */
export class TimerQueue {
	private readonly heap: Entry[] = [];
	private seq = 0;

	get size(): number {
		return this.heap.length;
	}

	/** when the next timer is due, Infinity when none is */
	get nextAt(): number {
		return this.heap[0]?.at ?? Number.POSITIVE_INFINITY;
	}

	push(at: number, event: EngineTimer): void {
		const entry = { at, seq: this.seq++, event };
		this.heap.push(entry);
		this.siftUp(this.heap.length - 1, entry);
	}

	/** Takes the earliest timer, if any. */
	pop(): EngineTimer | undefined {
		return this.take(0)?.event;
	}

	/** Takes the earliest timer if it is due at or before t. */
	popDue(t: number): { at: number; event: EngineTimer } | undefined {
		return this.nextAt <= t ? this.take(0) : undefined;
	}

	/** Forgets a timer that was delivered by other means (a journal being replayed). */
	remove(id: string): void {
		const i = this.heap.findIndex((e) => e.event.id === id);
		if (i >= 0) this.take(i);
	}

	/** Takes the entry at heap index i, moving the last entry into its place. */
	private take(i: number): Entry | undefined {
		const h = this.heap;
		const out = h[i];
		if (out === undefined) return undefined;
		const last = h.pop() as Entry;
		if (i < h.length) {
			// the last entry may belong above the hole (when i is not the root) or below it
			const parent = h[(i - 1) >> 1];
			if (i > 0 && parent !== undefined && before(last, parent)) this.siftUp(i, last);
			else this.siftDown(i, last);
		}
		return out;
	}

	private siftUp(i: number, entry: Entry): void {
		const h = this.heap;
		while (i > 0) {
			const p = (i - 1) >> 1;
			const parent = h[p] as Entry;
			if (!before(entry, parent)) break;
			h[i] = parent;
			i = p;
		}
		h[i] = entry;
	}

	private siftDown(i: number, entry: Entry): void {
		const h = this.heap;
		const n = h.length;
		for (;;) {
			const l = 2 * i + 1;
			if (l >= n) break;
			const r = l + 1;
			const c = r < n && before(h[r] as Entry, h[l] as Entry) ? r : l;
			if (!before(h[c] as Entry, entry)) break;
			h[i] = h[c] as Entry;
			i = c;
		}
		h[i] = entry;
	}
}

function before(a: Entry, b: Entry): boolean {
	return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
