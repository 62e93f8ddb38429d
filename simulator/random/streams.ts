/**
 * A uniform generator on the open interval (0, 1): never exactly 0, so `-Math.log(u())` is always
 * finite. The simulator's own streams also carry their generator object.
 */
export type Uniform = (() => number) & { readonly generator?: UniformGenerator };

/** A uniform stream as an object: draw with next(). */
export interface UniformGenerator {
	next(): number;
}

/**
 * The generator behind a stream: a stream's own (one class for all of them, so a sampler's draw is
 * a method call the compiler inlines, where calling the stream's function returned a boxed number
 * each time), or a wrapper around any other function.
 */
export function generatorOf(u: Uniform): UniformGenerator {
	return u.generator ?? { next: u };
}

/**
 * One independent stream per purpose, so that common random numbers hold across what-ifs: a change
 * that makes one purpose draw more or fewer numbers (more agents, hence more handle times) leaves
 * every other purpose's sequence exactly as it was.
 */
export interface Streams {
	readonly arrivals: Uniform;
	/** heat, value, lead source and skills mix of each call */
	readonly attributes: Uniform;
	readonly patience: Uniform;
	readonly handle: Uniform;
	readonly outcomes: Uniform;
	readonly routing: Uniform;
	readonly ai: Uniform;
	/**
	 * The stream with this name, created on first use and the same generator on every later call,
	 * so two users of one name share (not replay) its sequence. The fixed streams above are
	 * `stream('arrivals')` and so on. Prefer one name per sub-purpose (e.g. `arrivals:sales`) when a
	 * what-if could add or remove its siblings.
	 */
	stream(name: string): Uniform;
}

// Alea: measured fastest of seedrandom's generators once several streams share a call site (the
// simulator's case), and reported to pass BigCrush. Its outputs are k / 2^32 with k in [0, 2^32),
// so adding half a step gives (k + 1/2) / 2^32: exactly representable, symmetric, and never 0 or 1.
const HALF_STEP = 2 ** -33;

function canonicalSeed(seed: number | string): string {
	if (typeof seed === 'number') {
		if (!Number.isFinite(seed)) throw new Error(`random seed must be a finite number or a string (got ${seed})`);
		return String(seed);
	}
	if (typeof seed !== 'string') throw new Error(`random seed must be a finite number or a string (got ${typeof seed})`);
	return seed;
}

/**
 * The independent uniform stream for (seed, name). A number seed and its decimal string are the
 * same seed (42 and '42'), so a seed copied from a report reproduces the run.
 */
export function uniformStream(seed: number | string, name: string): Uniform {
	// JSON keeps (seed, name) pairs apart even when either contains the separator.
	const g = new Alea(JSON.stringify(['heatboard', canonicalSeed(seed), name]));
	return Object.assign(() => g.next(), { generator: g });
}

/**
 * seedrandom's alea (Johannes Baagøe's algorithm, MIT), the same arithmetic step for step so the
 * sequences are bit for bit seedrandom.alea's (a spec checks it), with the half step added: its
 * state in an object's fields, so a draw is one inlinable method, not closures around closures.
 */
class Alea implements UniformGenerator {
	// initialised as numbers, so the fields hold doubles in place rather than a new box per draw
	private s0 = 0;
	private s1 = 0;
	private s2 = 0;
	private c = 1;

	constructor(seed: string) {
		const mash = createMash();
		this.s0 = mash(' ');
		this.s1 = mash(' ');
		this.s2 = mash(' ');
		this.s0 -= mash(seed);
		if (this.s0 < 0) this.s0 += 1;
		this.s1 -= mash(seed);
		if (this.s1 < 0) this.s1 += 1;
		this.s2 -= mash(seed);
		if (this.s2 < 0) this.s2 += 1;
	}

	next(): number {
		const t = 2091639 * this.s0 + this.c * 2.3283064365386963e-10; // 2^-32
		this.s0 = this.s1;
		this.s1 = this.s2;
		this.c = t | 0;
		this.s2 = t - this.c;
		return this.s2 + HALF_STEP;
	}
}

function createMash(): (data: string) => number {
	let n = 0xefc8249d;
	return (data: string): number => {
		for (let i = 0; i < data.length; i++) {
			n += data.charCodeAt(i);
			let h = 0.02519603282416938 * n;
			n = h >>> 0;
			h -= n;
			h *= n;
			n = h >>> 0;
			h -= n;
			n += h * 0x100000000; // 2^32
		}
		return (n >>> 0) * 2.3283064365386963e-10; // 2^-32
	};
}

export function createStreams(seed: number | string): Streams {
	const key = canonicalSeed(seed);
	const made = new Map<string, Uniform>();
	const stream = (name: string): Uniform => {
		let u = made.get(name);
		if (u === undefined) {
			u = uniformStream(key, name);
			made.set(name, u);
		}
		return u;
	};
	return {
		arrivals: stream('arrivals'),
		attributes: stream('attributes'),
		patience: stream('patience'),
		handle: stream('handle'),
		outcomes: stream('outcomes'),
		routing: stream('routing'),
		ai: stream('ai'),
		stream
	};
}

function fmix32(h: number): number {
	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	h ^= h >>> 16;
	return h >>> 0;
}

function hash32(text: string, salt: number): number {
	let h = salt >>> 0;
	for (let i = 0; i < text.length; i++) h = fmix32(h ^ text.charCodeAt(i)) + i;
	return fmix32(h ^ text.length);
}

/**
 * The seed of replication `replication` (0, 1, 2...) of a run seeded `seed`: a safe integer, to be
 * passed to `createStreams`. Distinct replications of one seed always get distinct seeds (the low 32
 * bits are a bijection of the replication number), and since every stream re-hashes its seed, the
 * replications' streams start at unrelated points of alea's 2^116 period rather than at offsets of
 * one sequence. Replication 0 is not the base seed itself: every replication is derived alike.
 */
export function replicationSeed(seed: number | string, replication: number): number {
	if (!Number.isInteger(replication) || replication < 0 || replication >= 2 ** 32) {
		throw new Error(`replication must be an integer in [0, 2^32) (got ${replication})`);
	}
	const key = canonicalSeed(seed);
	const low = fmix32((hash32(key, 0x9e3779b9) + Math.imul(replication, 0x9e3779b9)) >>> 0);
	const high = fmix32(hash32(key, 0x7f4a7c15) ^ fmix32(replication ^ 0x5bd1e995)) >>> 11;
	return high * 2 ** 32 + low;
}
