/**
 * The simulator's event calendar: a binary min-heap on (time, priority, insertion sequence), so
 * events at the same time run in a fixed order (SimPy's rule) and runs are reproducible.
 * Entries are parallel typed arrays plus a payload array: no object per entry on the hot path.
 */
export class Calendar<P> {
	private time = new Float64Array(1024);
	private prio = new Int32Array(1024);
	private seq = new Float64Array(1024);
	private kind = new Int32Array(1024);
	private payload: (P | undefined)[] = new Array(1024);
	private n = 0;
	private counter = 0;

	get size(): number {
		return this.n;
	}

	/** time of the next event, Infinity when empty */
	peekTime(): number {
		return this.n > 0 ? (this.time[0] as number) : Number.POSITIVE_INFINITY;
	}

	push(time: number, priority: number, kind: number, payload: P): void {
		if (this.n === this.time.length) this.grow();
		let i = this.n++;
		const s = ++this.counter;
		// sift up with a hole
		const times = this.time,
			prios = this.prio,
			seqs = this.seq;
		while (i > 0) {
			const p = (i - 1) >> 1;
			const tp = times[p] as number;
			if (!(time < tp || (time === tp && (priority < (prios[p] as number) || (priority === prios[p] && s < (seqs[p] as number)))))) break;
			this.move(p, i);
			i = p;
		}
		this.set(i, time, priority, s, kind, payload);
	}

	/** Removes the next event; read it with lastTime/lastKind/lastPayload. */
	pop(): boolean {
		if (this.n === 0) return false;
		const time = this.time,
			prio = this.prio,
			seq = this.seq;
		this.lastTime = time[0] as number;
		this.lastKind = this.kind[0] as number;
		this.lastPayload = this.payload[0] as P;
		const last = --this.n;
		if (last > 0) {
			const t = time[last] as number,
				pr = prio[last] as number,
				s = seq[last] as number,
				k = this.kind[last] as number,
				pl = this.payload[last] as P;
			let i = 0;
			for (;;) {
				let c = 2 * i + 1;
				if (c >= last) break;
				const r = c + 1;
				if (r < last) {
					const tr = time[r] as number,
						tc = time[c] as number;
					if (
						tr < tc ||
						(tr === tc && ((prio[r] as number) < (prio[c] as number) || (prio[r] === prio[c] && (seq[r] as number) < (seq[c] as number))))
					)
						c = r;
				}
				const tc = time[c] as number;
				// stop when the moved entry goes before the smaller child
				if (t < tc || (t === tc && (pr < (prio[c] as number) || (pr === prio[c] && s < (seq[c] as number))))) break;
				this.move(c, i);
				i = c;
			}
			this.set(i, t, pr, s, k, pl);
		}
		this.payload[last] = undefined;
		return true;
	}

	lastTime = 0;
	lastKind = 0;
	lastPayload: P | undefined;

	private move(from: number, to: number): void {
		this.time[to] = this.time[from] as number;
		this.prio[to] = this.prio[from] as number;
		this.seq[to] = this.seq[from] as number;
		this.kind[to] = this.kind[from] as number;
		this.payload[to] = this.payload[from];
	}

	private set(i: number, t: number, p: number, s: number, k: number, pl: P): void {
		this.time[i] = t;
		this.prio[i] = p;
		this.seq[i] = s;
		this.kind[i] = k;
		this.payload[i] = pl;
	}

	private grow(): void {
		const cap = this.time.length * 2;
		const t = new Float64Array(cap);
		t.set(this.time);
		this.time = t;
		const p = new Int32Array(cap);
		p.set(this.prio);
		this.prio = p;
		const s = new Float64Array(cap);
		s.set(this.seq);
		this.seq = s;
		const k = new Int32Array(cap);
		k.set(this.kind);
		this.kind = k;
		this.payload.length = cap;
	}
}
