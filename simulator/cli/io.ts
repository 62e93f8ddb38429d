/** Where a command writes; tests pass buffers, the bin passes the process streams. */
export interface CliIo {
	out: (text: string) => void;
	err: (text: string) => void;
	/** stderr is a terminal: draw progress bars */
	tty: boolean;
	cwd: string;
}

/** An error in what the user asked for: exit code 2 with this message. */
export class UsageError extends Error {}

export function progressBar(io: CliIo, label: string): { update(fraction: number): void; done(): void } {
	if (!io.tty) return { update() {}, done() {} };
	let last = -1;
	const width = 30;
	return {
		update(fraction: number) {
			const pct = Math.floor(Math.min(1, Math.max(0, fraction)) * 100);
			if (pct === last) return;
			last = pct;
			const filled = Math.round((pct / 100) * width);
			io.err(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(pct).padStart(3)}%`);
		},
		done() {
			io.err('\n');
		}
	};
}

/** A plain text table with right-aligned numbers. */
export function table(rows: string[][]): string {
	const widths: number[] = [];
	for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
	return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ')).join('\n');
}

export function parseIntArg(name: string, v: string | undefined, min: number): number | undefined {
	if (v === undefined) return undefined;
	const n = Number(v);
	if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name}: expected a whole number >= ${min}, got "${v}"`);
	return n;
}

export function parseNumArg(name: string, v: string | undefined, min = Number.NEGATIVE_INFINITY): number | undefined {
	if (v === undefined) return undefined;
	const n = Number(v);
	if (v.trim() === '' || !Number.isFinite(n) || n < min)
		throw new UsageError(`--${name}: expected a number${min > Number.NEGATIVE_INFINITY ? ` >= ${min}` : ''}, got "${v}"`);
	return n;
}
