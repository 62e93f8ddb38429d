/**
 * One wall clock for the whole board, ticking on the second: the waits, times in state and the
 * "updated N s ago" line all move together instead of each running its own timer.
 */
export class Ticker {
	now = $state(Date.now());
	#timer: ReturnType<typeof setTimeout> | undefined;

	start(): void {
		const tick = () => {
			this.now = Date.now();
			// aligned to the second boundary so every figure changes in the same frame
			this.#timer = setTimeout(tick, 1000 - (this.now % 1000) + 5);
		};
		this.stop();
		tick();
	}

	stop(): void {
		clearTimeout(this.#timer);
		this.#timer = undefined;
	}
}
