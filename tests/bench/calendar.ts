/**
 * The benchmark worlds' event calendar: a binary min-heap on time, first-scheduled first among
 * equal times so a world replays identically. Times, sequence numbers and items sit in parallel
 * arrays so scheduling allocates nothing, keeping the world's share of a timed loop small.
 */
export class Calendar<T> {
	private readonly times: number[] = [];
	private readonly seqs: number[] = [];
	private readonly items: T[] = [];
	private seq = 0;

	get size(): number {
		return this.items.length;
	}

	/** Time of the next entry; Infinity when empty. */
	peekTime(): number {
		return this.times[0] ?? Number.POSITIVE_INFINITY;
	}

	push(t: number, item: T): void {
		const { times, seqs, items } = this;
		const s = this.seq++;
		let i = items.length;
		times.push(t);
		seqs.push(s);
		items.push(item);
		while (i > 0) {
			const p = (i - 1) >> 1;
			const pt = times[p] as number;
			if (pt < t || (pt === t && (seqs[p] as number) < s)) break;
			this.move(p, i);
			i = p;
		}
		times[i] = t;
		seqs[i] = s;
		items[i] = item;
	}

	pop(): T | undefined {
		const { times, seqs, items } = this;
		const top = items[0];
		if (top === undefined) return undefined;
		const t = times.pop() as number;
		const s = seqs.pop() as number;
		const item = items.pop() as T;
		const n = items.length;
		if (n === 0) return top;
		let i = 0;
		for (;;) {
			const l = 2 * i + 1;
			if (l >= n) break;
			const r = l + 1;
			const c = r < n && this.before(r, l) ? r : l;
			const ct = times[c] as number;
			if (ct > t || (ct === t && (seqs[c] as number) > s)) break;
			this.move(c, i);
			i = c;
		}
		times[i] = t;
		seqs[i] = s;
		items[i] = item;
		return top;
	}

	private before(a: number, b: number): boolean {
		const ta = this.times[a] as number;
		const tb = this.times[b] as number;
		return ta < tb || (ta === tb && (this.seqs[a] as number) < (this.seqs[b] as number));
	}

	private move(from: number, to: number): void {
		this.times[to] = this.times[from] as number;
		this.seqs[to] = this.seqs[from] as number;
		this.items[to] = this.items[from] as T;
	}
}
