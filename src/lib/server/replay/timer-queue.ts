import type { EngineTimer } from '../../engine/events';

interface Entry {
	at: number;
	/** insertion order: timers due at one instant go in the order scheduled */
	seq: number;
	event: EngineTimer;
}

/** The timers an engine scheduled, earliest first: a plain binary heap (it is cloned with checkpoints). */
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
		const h = this.heap;
		const entry = { at, seq: this.seq++, event };
		let i = h.length;
		h.push(entry);
		while (i > 0) {
			const p = (i - 1) >> 1;
			const parent = h[p] as Entry;
			if (!before(entry, parent)) break;
			h[i] = parent;
			i = p;
		}
		h[i] = entry;
	}

	pop(): EngineTimer | undefined {
		const h = this.heap;
		const top = h[0];
		if (top === undefined) return undefined;
		const last = h.pop() as Entry;
		if (h.length > 0) {
			let i = 0;
			const n = h.length;
			for (;;) {
				const l = 2 * i + 1;
				if (l >= n) break;
				const r = l + 1;
				const c = r < n && before(h[r] as Entry, h[l] as Entry) ? r : l;
				if (!before(h[c] as Entry, last)) break;
				h[i] = h[c] as Entry;
				i = c;
			}
			h[i] = last;
		}
		return top.event;
	}
}

function before(a: Entry, b: Entry): boolean {
	return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
