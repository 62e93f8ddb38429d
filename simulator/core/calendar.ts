/**
 * The simulator's event calendar: a 4-ary min-heap on (time, priority, insertion sequence), so
 * events at the same time run in a fixed order (SimPy's rule) and runs are reproducible.
 * Entries are parallel typed arrays plus a payload array: no object per entry on the hot path.
 * Priority and sequence share one exact float key (priority x 2^40 + sequence), so an entry
 * compares in at most two steps. Four children per node halve the levels an entry moves through.
 */
const SEQ_SPAN = 2 ** 40;
const MAX_PRIORITY = 2 ** 12;

export class Calendar<P> {
	private time = new Float64Array(1024);
	/** priority x 2^40 + insertion sequence */
	private order = new Float64Array(1024);
	private kind = new Int32Array(1024);
	/** a number the caller attaches to an entry (an index, a generation) */
	private ref = new Float64Array(1024);
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

	/** priority: an integer in [0, 4096); lower goes first among events at the same time */
	push(time: number, priority: number, kind: number, payload: P, ref = 0): void {
		if (!(priority >= 0 && priority < MAX_PRIORITY && priority === Math.floor(priority)))
			throw new RangeError(`calendar priority must be an integer in [0, ${MAX_PRIORITY}) (got ${priority})`);
		if (this.n === this.time.length) this.grow();
		const key = priority * SEQ_SPAN + ++this.counter;
		const times = this.time,
			order = this.order;
		// sift up with a hole
		let i = this.n++;
		while (i > 0) {
			const p = (i - 1) >> 2;
			const tp = times[p] as number;
			if (time > tp || (time === tp && key > (order[p] as number))) break;
			times[i] = tp;
			order[i] = order[p] as number;
			this.kind[i] = this.kind[p] as number;
			this.ref[i] = this.ref[p] as number;
			this.payload[i] = this.payload[p];
			i = p;
		}
		times[i] = time;
		order[i] = key;
		this.kind[i] = kind;
		this.ref[i] = ref;
		this.payload[i] = payload;
	}

	/** Removes the next event; read it with lastTime/lastKind/lastRef/lastPayload. */
	pop(): boolean {
		if (this.n === 0) return false;
		const time = this.time,
			order = this.order,
			kind = this.kind,
			ref = this.ref,
			payload = this.payload;
		this.lastTime = time[0] as number;
		this.lastKind = kind[0] as number;
		this.lastRef = ref[0] as number;
		this.lastPayload = payload[0] as P;
		const last = --this.n;
		if (last > 0) {
			const t = time[last] as number,
				o = order[last] as number;
			let i = 0;
			for (;;) {
				// the smallest of up to four children
				const first = 4 * i + 1;
				if (first >= last) break;
				let c = first;
				let tc = time[c] as number;
				let oc = order[c] as number;
				const end = first + 4 < last ? first + 4 : last;
				for (let j = first + 1; j < end; j++) {
					const tj = time[j] as number;
					if (tj < tc || (tj === tc && (order[j] as number) < oc)) {
						c = j;
						tc = tj;
						oc = order[j] as number;
					}
				}
				// stop when the moved entry goes before the smallest child
				if (t < tc || (t === tc && o < oc)) break;
				time[i] = tc;
				order[i] = oc;
				kind[i] = kind[c] as number;
				ref[i] = ref[c] as number;
				payload[i] = payload[c];
				i = c;
			}
			time[i] = t;
			order[i] = o;
			kind[i] = kind[last] as number;
			ref[i] = ref[last] as number;
			payload[i] = payload[last];
		}
		payload[last] = undefined;
		return true;
	}

	lastTime = 0;
	lastKind = 0;
	lastRef = 0;
	lastPayload: P | undefined;

	private grow(): void {
		const cap = this.time.length * 2;
		const t = new Float64Array(cap);
		t.set(this.time);
		this.time = t;
		const o = new Float64Array(cap);
		o.set(this.order);
		this.order = o;
		const k = new Int32Array(cap);
		k.set(this.kind);
		this.kind = k;
		const r = new Float64Array(cap);
		r.set(this.ref);
		this.ref = r;
		this.payload.length = cap;
	}
}
