/** The first sample instant at or after a day's start: sample instants are multiples of the step. */
export function firstSample(startMs: number, step: number): number {
	return Math.ceil(startMs / step) * step;
}

/**
 * The sample instants a source stops at on its way through a day, so that each sample sees the
 * engine exactly as of its instant.
 */
export class SampleClock {
	private next: number;

	constructor(
		private readonly step: number,
		startMs: number
	) {
		this.next = firstSample(startMs, step);
	}

	/** A new day: its instants start again from its start. */
	restart(startMs: number): void {
		this.next = firstSample(startMs, this.step);
	}

	/** Calls `at(s)` for each sample instant s up to t, in order; `at` moves the source to s and takes the sample. */
	through(t: number, at: (s: number) => void): void {
		while (this.next <= t) {
			at(this.next);
			this.next += this.step;
		}
	}
}
