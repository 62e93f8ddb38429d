/**
 * The optional alarm chime (`sound=on`), synthesised with Web Audio: nothing to download, and
 * short and soft enough for an open office. Browsers start audio suspended until someone
 * interacts with the page; `needsGesture` tells the board to show a discreet hint until then.
 */
export class AlertSound {
	needsGesture = $state(false);
	#ctx: AudioContext | null = null;
	#unlock = () => void this.#resume();

	enable(): void {
		if (this.#ctx !== null || typeof AudioContext === 'undefined') return;
		this.#ctx = new AudioContext();
		if (this.#ctx.state !== 'running') {
			this.needsGesture = true;
			for (const ev of ['pointerdown', 'keydown', 'touchstart'] as const) window.addEventListener(ev, this.#unlock);
		}
	}

	async #resume(): Promise<void> {
		if (this.#ctx === null) return;
		try {
			await this.#ctx.resume();
		} catch {
			return;
		}
		if (this.#ctx.state === 'running') {
			this.needsGesture = false;
			this.#removeListeners();
		}
	}

	#removeListeners(): void {
		for (const ev of ['pointerdown', 'keydown', 'touchstart'] as const) window.removeEventListener(ev, this.#unlock);
	}

	/** Two falling tones, half a second in all. */
	chime(): void {
		const ctx = this.#ctx;
		if (ctx === null || ctx.state !== 'running') return;
		const start = ctx.currentTime + 0.02;
		[880, 660].forEach((freq, i) => {
			const t = start + i * 0.22;
			const osc = ctx.createOscillator();
			const gain = ctx.createGain();
			osc.type = 'sine';
			osc.frequency.value = freq;
			gain.gain.setValueAtTime(0.0001, t);
			gain.gain.exponentialRampToValueAtTime(0.25, t + 0.02);
			gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.3);
			osc.connect(gain).connect(ctx.destination);
			osc.start(t);
			osc.stop(t + 0.32);
		});
	}

	dispose(): void {
		this.#removeListeners();
		void this.#ctx?.close();
		this.#ctx = null;
	}
}
