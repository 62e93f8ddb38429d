/**
 * The simulator's event calendar: a 4-ary min-heap on (time, priority, insertion sequence), so
 * events at the same time run in a fixed order (SimPy's rule) and runs are reproducible.
 * Priority and sequence share one exact float key (priority x 2^40 + sequence), so an entry
 * compares in at most two steps. The heap holds only numbers (time, key, slot) in typed arrays;
 * an entry's kind, ref and payload sit in a slot that does not move while the entry sifts, so
 * sifting stores no object pointers. Four children per node halve the levels an entry moves through.
 */
const SEQ_SPAN = 2 ** 40;
const MAX_PRIORITY = 2 ** 12;

export class Calendar<P> {
	private time = new Float64Array(1024);
	/** priority x 2^40 + insertion sequence */
	private order = new Float64Array(1024);
	/** the entry's slot */
	private slot = new Int32Array(1024);
	private n = 0;
	private counter = 0;

	// slots: an entry's data, and a stack of free slots
	private kind = new Int32Array(1024);
	/** a number the caller attaches to an entry (an index, a generation) */
	private ref = new Float64Array(1024);
	private payload: (P | undefined)[] = new Array<P | undefined>(1024).fill(undefined);
	private free = Int32Array.from({ length: 1024 }, (_, i) => 1023 - i);
	private nFree = 1024;

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
		if (this.nFree === 0) this.grow();
		const s = this.free[--this.nFree] as number;
		this.kind[s] = kind;
		this.ref[s] = ref;
		this.payload[s] = payload;
		const key = priority * SEQ_SPAN + ++this.counter;
		const times = this.time,
			order = this.order,
			slots = this.slot;
		// sift up with a hole
		let i = this.n++;
		while (i > 0) {
			const p = (i - 1) >> 2;
			const tp = times[p] as number;
			if (time > tp || (time === tp && key > (order[p] as number))) break;
			times[i] = tp;
			order[i] = order[p] as number;
			slots[i] = slots[p] as number;
			i = p;
		}
		times[i] = time;
		order[i] = key;
		slots[i] = s;
	}

	/** Removes the next event; read it with lastTime/lastKind/lastRef/lastPayload. */
	pop(): boolean {
		if (this.n === 0) return false;
		const time = this.time,
			order = this.order,
			slots = this.slot;
		const top = slots[0] as number;
		this.lastTime = time[0] as number;
		this.lastKind = this.kind[top] as number;
		this.lastRef = this.ref[top] as number;
		this.lastPayload = this.payload[top] as P;
		this.payload[top] = undefined;
		this.free[this.nFree++] = top;
		const last = --this.n;
		if (last > 0) {
			const t = time[last] as number,
				o = order[last] as number,
				sl = slots[last] as number;
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
				slots[i] = slots[c] as number;
				i = c;
			}
			time[i] = t;
			order[i] = o;
			slots[i] = sl;
		}
		return true;
	}

	lastTime = 0;
	lastKind = 0;
	lastRef = 0;
	lastPayload: P | undefined;

	/** Doubles the room for entries (all slots are in use: the heap is full too). */
	private grow(): void {
		const cap = this.time.length;
		const twice = (a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
			const b = new Float64Array(cap * 2);
			b.set(a);
			return b;
		};
		this.time = twice(this.time);
		this.order = twice(this.order);
		this.ref = twice(this.ref);
		const sl = new Int32Array(cap * 2);
		sl.set(this.slot);
		this.slot = sl;
		const k = new Int32Array(cap * 2);
		k.set(this.kind);
		this.kind = k;
		for (let i = cap; i < cap * 2; i++) this.payload.push(undefined);
		const free = new Int32Array(cap * 2);
		// every old slot is taken; the new ones are free
		for (let i = 0; i < cap; i++) free[i] = cap * 2 - 1 - i;
		this.free = free;
		this.nFree = cap;
	}
}
