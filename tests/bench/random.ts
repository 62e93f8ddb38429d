/** Seeded randomness for the benchmark worlds, so every run (and every machine) sees the same streams. */

/** mulberry32: a 32-bit state PRNG, uniform on [0, 1); plenty for workload generation and tiny to inline. */
export function mulberry32(seed: number): () => number {
	let s = seed >>> 0;
	return () => {
		s = (s + 0x6d2b79f5) >>> 0;
		let z = s;
		z = Math.imul(z ^ (z >>> 15), z | 1);
		z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
		return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
	};
}

/** An exponential draw with the given mean (1 - u keeps log away from 0). */
export function exponential(rnd: () => number, mean: number): number {
	return -mean * Math.log(1 - rnd());
}

export function pick<T>(rnd: () => number, items: readonly T[]): T {
	const x = items[Math.floor(rnd() * items.length)];
	if (x === undefined) throw new Error('pick from an empty list');
	return x;
}
