/**
 * The simulator's event calendar: a 4-ary min-heap on (time, priority, insertion sequence), so
 * events at the same time run in a fixed order (SimPy's rule) and runs are reproducible.
 *
 * Times are whole milliseconds within the run's span, so all three parts fit one exact double:
 * (time - from) x 2^(priority + sequence bits) + priority x 2^(sequence bits) + sequence, and an
 * entry compares in one step. When the sequence runs out of bits, the pending entries are numbered
 * again in their order, which keeps every comparison and so the heap as it was. The sequence bits
 * left by the span also cap the entries pending at once: 4 M for a day's run, 130 k for a month,
 * 16 k for a year (the simulator keeps agents' shift events out of the calendar; calls and timers
 * in progress are what is pending); past that a push is refused with a RangeError. The heap holds only
 * numbers (key, slot) in typed arrays; an entry's kind, ref and payload sit in a slot that does not
 * move while the entry sifts. Four children per node halve the levels an entry moves through.
 */
const KEY_BITS = 53;
const PRIORITY_BITS = 4;
const MAX_PRIORITY = 2 ** PRIORITY_BITS;

export interface CalendarSpan {
	/** the earliest time an entry may have */
	from: number;
	/** entries at or after this time never come due in the run: they are dropped */
	to: number;
}

export class Calendar<P> {
	private key: Float64Array<ArrayBuffer>;
	/** the entry's slot */
	private slot: Int32Array<ArrayBuffer>;
	private n = 0;
	private counter = 0;
	private readonly from: number;
	private readonly to: number;
	/** 2^(priority + sequence bits): one millisecond in a key */
	private readonly timeUnit: number;
	/** 2^(sequence bits): one priority step in a key */
	private readonly priorityUnit: number;

	// slots: an entry's data, and a stack of free slots
	private kind: Int32Array<ArrayBuffer>;
	/** a number the caller attaches to an entry (an index, a generation) */
	private ref: Float64Array<ArrayBuffer>;
	private payload: (P | undefined)[];
	private free: Int32Array<ArrayBuffer>;
	private nFree: number;

	/** capacity: entries made room for at first (it doubles as needed) */
	constructor(span: CalendarSpan, capacity = 1024) {
		const { from, to } = span;
		const cap = Math.max(4, capacity);
		this.key = new Float64Array(cap);
		this.slot = new Int32Array(cap);
		this.kind = new Int32Array(cap);
		this.ref = new Float64Array(cap);
		this.payload = new Array<P | undefined>(cap).fill(undefined);
		this.free = new Int32Array(cap);
		for (let i = 0; i < cap; i++) this.free[i] = cap - 1 - i;
		this.nFree = cap;
		if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || to < from)
			throw new RangeError(`calendar span must be whole ms with from <= to (got ${from}..${to})`);
		const timeBits = Math.max(1, Math.ceil(Math.log2(to - from + 1)));
		const sequenceBits = KEY_BITS - timeBits - PRIORITY_BITS;
		if (sequenceBits < 12) throw new RangeError(`calendar span of ${to - from} ms is too long`);
		this.from = from;
		this.to = to;
		this.priorityUnit = 2 ** sequenceBits;
		this.timeUnit = this.priorityUnit * MAX_PRIORITY;
	}

	get size(): number {
		return this.n;
	}

	/** time of the next event, Infinity when empty */
	peekTime(): number {
		return this.n > 0 ? Math.floor((this.key[0] as number) / this.timeUnit) + this.from : Number.POSITIVE_INFINITY;
	}

	/** time: whole ms, from the span's start on; priority: an integer in [0, 16), lower first at the same time */
	push(time: number, priority: number, kind: number, payload: P, ref = 0): void {
		if (time >= this.to) return;
		if (!(time >= this.from && time === Math.floor(time)))
			throw new RangeError(`calendar time must be whole ms from ${this.from} on (got ${time})`);
		if (!(priority >= 0 && priority < MAX_PRIORITY && priority === Math.floor(priority)))
			throw new RangeError(`calendar priority must be an integer in [0, ${MAX_PRIORITY}) (got ${priority})`);
		if (this.nFree === 0) this.grow();
		if (this.counter === this.priorityUnit) this.renumber();
		const s = this.free[--this.nFree] as number;
		this.kind[s] = kind;
		this.ref[s] = ref;
		this.payload[s] = payload;
		const key = (time - this.from) * this.timeUnit + priority * this.priorityUnit + this.counter++;
		const keys = this.key,
			slots = this.slot;
		// sift up with a hole
		let i = this.n++;
		while (i > 0) {
			const p = (i - 1) >> 2;
			const kp = keys[p] as number;
			if (key > kp) break;
			keys[i] = kp;
			slots[i] = slots[p] as number;
			i = p;
		}
		keys[i] = key;
		slots[i] = s;
	}

	/** pop() if the next event comes before `limit`. */
	popBefore(limit: number): boolean {
		return this.popBelow(this.bound(limit));
	}

	/**
	 * The key below which entries come before `limit`: keys of entries at time t lie in
	 * [(t - from) x unit, (t - from + 1) x unit), so a loop compares keys and divides nothing.
	 */
	bound(limit: number): number {
		return (Math.ceil(limit) - this.from) * this.timeUnit;
	}

	/** pop() if the next event's key is below `bound` (from bound()). */
	popBelow(bound: number): boolean {
		if (this.n === 0 || !((this.key[0] as number) < bound)) return false;
		return this.pop();
	}

	/** Removes the next event; read it with lastTime/lastKind/lastRef/lastPayload. */
	pop(): boolean {
		if (this.n === 0) return false;
		const keys = this.key,
			slots = this.slot;
		const top = slots[0] as number;
		this.lastTime = Math.floor((keys[0] as number) / this.timeUnit) + this.from;
		this.lastKind = this.kind[top] as number;
		this.lastRef = this.ref[top] as number;
		this.lastPayload = this.payload[top] as P;
		this.payload[top] = undefined;
		this.free[this.nFree++] = top;
		const last = --this.n;
		if (last > 0) {
			const k = keys[last] as number,
				sl = slots[last] as number;
			let i = 0;
			for (;;) {
				// the smallest of up to four children
				const first = 4 * i + 1;
				if (first >= last) break;
				let c = first;
				let kc = keys[c] as number;
				const end = first + 4 < last ? first + 4 : last;
				for (let j = first + 1; j < end; j++) {
					const kj = keys[j] as number;
					if (kj < kc) {
						c = j;
						kc = kj;
					}
				}
				// stop when the moved entry goes before the smallest child
				if (k < kc) break;
				keys[i] = kc;
				slots[i] = slots[c] as number;
				i = c;
			}
			keys[i] = k;
			slots[i] = sl;
		}
		return true;
	}

	lastTime = 0;
	lastKind = 0;
	lastRef = 0;
	lastPayload: P | undefined;

	/**
	 * Numbers the pending entries 0, 1, ... in their order: each keeps its time and priority, and
	 * their order (so the heap) is unchanged.
	 */
	private renumber(): void {
		const n = this.n;
		if (n >= this.priorityUnit)
			throw new RangeError(`calendar: more than ${this.priorityUnit} events pending at once, the most a run of this length can hold`);
		const keys = this.key;
		const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (keys[a] as number) - (keys[b] as number));
		order.forEach((at, rank) => {
			const k = keys[at] as number;
			keys[at] = k - (k % this.priorityUnit) + rank;
		});
		this.counter = n;
	}

	/** Doubles the room for entries (all slots are in use: the heap is full too). */
	private grow(): void {
		const cap = this.key.length;
		const twice = (a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
			const b = new Float64Array(cap * 2);
			b.set(a);
			return b;
		};
		this.key = twice(this.key);
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
