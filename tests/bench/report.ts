import type { BenchResult } from './harness';

const COLUMNS = ['name', 'metric', 'value', 'unit', 'notes'] as const;

/** A number as a person reads it in a table: thousands separated, about four significant digits below 1000. */
export function formatValue(v: number): string {
	if (!Number.isFinite(v)) return String(v);
	const abs = Math.abs(v);
	const digits = abs >= 1000 || Number.isInteger(v) ? 0 : abs >= 100 ? 1 : abs >= 10 ? 2 : abs >= 1 ? 3 : 4;
	return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A plain-text table; values right-aligned so magnitudes line up, notes last because they run long. */
export function formatTable(results: readonly BenchResult[]): string {
	const rows = results.map((r) => [r.name, r.metric, formatValue(r.value), r.unit, r.notes]);
	const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((row) => (row[i] as string).length)));
	const line = (cells: readonly string[]) =>
		cells
			.map((cell, i) => {
				if (i === COLUMNS.length - 1) return cell;
				const w = widths[i] as number;
				return i === 2 ? cell.padStart(w) : cell.padEnd(w);
			})
			.join('  ')
			.trimEnd();
	const rule = widths.map((w, i) => '-'.repeat(i === COLUMNS.length - 1 ? Math.max(w, 5) : w)).join('  ');
	return [line([...COLUMNS]), rule, ...rows.map(line)].join('\n');
}
