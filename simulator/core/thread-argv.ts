/**
 * Node options for a worker thread that only loads an esbuild bundle (simulator/bundle.mjs).
 *
 * By default a worker takes its parent's execArgv, so under `tsx` or `node --import tsx` every
 * worker loaded tsx again (its require hook and source-map support), which a bundle does not need:
 * measured, a pool worker took ~160 ms to finish a first tiny job instead of ~105 ms.
 *
 * Only what changes how the bundle runs is kept, not "the parent's flags minus tsx's": options
 * given to a Worker explicitly are checked, and V8 or process-wide ones (--max-old-space-size,
 * --expose-gc, --title, ...) are refused with ERR_WORKER_INVALID_EXEC_ARGV, so passing the rest
 * on would break `node --max-old-space-size=4096 --import tsx server.ts`. Those flags are set for
 * the whole process anyway: a worker started with none has the parent's heap limit.
 */

/** kept with their value: packages stay outside the bundle and resolve in the worker, as in the parent */
const WITH_VALUE = new Set(['--conditions', '-C']);
/** stack traces through the bundle's inline source map, when the parent was asked for them */
const ALONE = new Set(['--enable-source-maps']);

export function bundleThreadExecArgv(parent: readonly string[] = process.execArgv): string[] {
	const out: string[] = [];
	for (let i = 0; i < parent.length; i++) {
		const arg = parent[i] as string;
		const eq = arg.indexOf('=');
		const flag = eq < 0 ? arg : arg.slice(0, eq);
		if (ALONE.has(arg)) out.push(arg);
		else if (WITH_VALUE.has(flag)) {
			out.push(arg);
			const value = parent[i + 1];
			if (eq < 0 && value !== undefined) {
				out.push(value);
				i++;
			}
		}
	}
	return out;
}
