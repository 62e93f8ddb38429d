/** Distribution summaries for the wallboard benchmark's samples. */

export interface Summary {
	n: number;
	mean: number;
	p50: number;
	p95: number;
	p99: number;
	max: number;
}

/** Nearest-rank percentiles: every figure is a sample that was observed, never an interpolation. */
export function summarize(samples: ArrayLike<number>): Summary {
	const n = samples.length;
	if (n === 0) throw new Error('no samples to summarize');
	const s = Float64Array.from(samples).sort();
	const at = (p: number) => s[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))] as number;
	let sum = 0;
	for (let i = 0; i < n; i++) sum += s[i] as number;
	return { n, mean: sum / n, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: s[n - 1] as number };
}

/** A growable Float64 buffer: the latency samples run to the millions. */
export class Samples {
	#buf = new Float64Array(1024);
	#n = 0;

	push(x: number): void {
		if (this.#n === this.#buf.length) {
			const grown = new Float64Array(this.#buf.length * 2);
			grown.set(this.#buf);
			this.#buf = grown;
		}
		this.#buf[this.#n++] = x;
	}

	get length(): number {
		return this.#n;
	}

	values(): Float64Array {
		return this.#buf.subarray(0, this.#n);
	}
}
