/**
 * Token buckets by key (a client's address): `capacity` requests at once, then one every
 * 1 / perSecond s. A key whose bucket has refilled is forgotten, so the map holds only recent keys.
 */
export class TokenBuckets {
	private readonly buckets = new Map<string, { tokens: number; at: number }>();

	constructor(
		readonly capacity: number,
		readonly perSecond: number,
		private readonly now: () => number = Date.now
	) {}

	/** Takes one token for `key`: false when its bucket is empty (refuse the request). */
	take(key: string): boolean {
		const t = this.now();
		this.sweep(t);
		const b = this.buckets.get(key) ?? { tokens: this.capacity, at: t };
		b.tokens = Math.min(this.capacity, b.tokens + ((t - b.at) / 1000) * this.perSecond);
		b.at = t;
		if (b.tokens < 1) {
			this.buckets.set(key, b);
			return false;
		}
		b.tokens -= 1;
		this.buckets.set(key, b);
		return true;
	}

	private sweep(t: number): void {
		if (this.buckets.size < 1024) return;
		const full = (this.capacity / this.perSecond) * 1000;
		for (const [k, b] of this.buckets) if (t - b.at >= full) this.buckets.delete(k);
	}
}
