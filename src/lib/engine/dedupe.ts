/**
 * Remembers event ids for a time window so duplicates are dropped without the memory of a whole
 * day's ids: O(1) per event, expiry in arrival order.
 */
export class DedupeWindow {
	private readonly seen = new Map<string, number>();
	private ids: string[] = [];
	private times: number[] = [];
	private head = 0;

	constructor(private readonly windowMs: number) {}

	get enabled(): boolean {
		return this.windowMs > 0;
	}

	get size(): number {
		return this.seen.size;
	}

	has(id: string): boolean {
		return this.seen.has(id);
	}

	add(id: string, t: number): void {
		if (this.windowMs <= 0 || this.seen.has(id)) return;
		this.seen.set(id, t);
		this.ids.push(id);
		this.times.push(t);
	}

	/** Forget ids older than now - window. */
	expire(now: number): void {
		const limit = now - this.windowMs;
		while (this.head < this.ids.length && (this.times[this.head] as number) < limit) {
			this.seen.delete(this.ids[this.head] as string);
			this.head++;
		}
		// compact now and then so the arrays do not grow for ever
		if (this.head > 4096 && this.head * 2 > this.ids.length) {
			this.ids = this.ids.slice(this.head);
			this.times = this.times.slice(this.head);
			this.head = 0;
		}
	}
}
