import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface Gc {
	collect(): void;
	/** how the collector was reached, for the notes of a memory figure */
	how: string;
}

/**
 * A full garbage collection, so heap figures are live data rather than whatever garbage the last
 * run left. `npm run bench` cannot pass --expose-gc through tsx's script line, so when the flag is
 * missing V8 is asked for gc() at run time (a fresh vm context picks the flag up).
 */
export function findGc(): Gc | null {
	const exposed = (globalThis as { gc?: unknown }).gc;
	if (typeof exposed === 'function') return { collect: () => (exposed as () => void)(), how: 'gc via --expose-gc' };
	try {
		setFlagsFromString('--expose-gc');
		const late: unknown = runInNewContext('typeof gc === "function" ? gc : undefined');
		if (typeof late === 'function') return { collect: () => (late as () => void)(), how: 'gc enabled at run time (v8.setFlagsFromString)' };
	} catch {
		// fall through: the caller notes that the figure includes garbage
	}
	return null;
}
