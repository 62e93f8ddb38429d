/**
 * Figures for the studio's tables: the board's formatters with the precision a comparison needs
 * (a board rounds to whole percent; a 0.4-point difference between two staffings is the point here).
 */
import { formatDuration, formatMoney, NONE } from '../../client/format';
import type { Unit } from './compare';

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

export function formatValue(v: number | null | undefined, unit: Unit): string {
	if (!finite(v)) return NONE;
	switch (unit) {
		case 'percent':
			return `${(v * 100).toFixed(1)}%`;
		case 'seconds':
			return v < 60 ? `${v.toFixed(1)} s` : formatDuration(v);
		case 'count':
			return Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1);
		case 'money':
			return formatMoney(v);
	}
}

/** A half-width or a difference: same unit, percent as points (a difference of two percentages). */
export function formatSpread(v: number | null | undefined, unit: Unit): string {
	if (!finite(v)) return NONE;
	const a = Math.abs(v);
	switch (unit) {
		case 'percent':
			return `${(a * 100).toFixed(1)} pt`;
		case 'seconds':
			return `${a.toFixed(1)} s`;
		case 'count':
			return a >= 100 ? Math.round(a).toLocaleString('en-US') : a.toFixed(1);
		case 'money':
			return formatMoney(a);
	}
}

/** A signed difference: "+2.1 pt", "−$3.4k", "±0" never (a zero difference reads "0"). */
export function formatDiff(v: number | null | undefined, unit: Unit): string {
	if (!finite(v)) return NONE;
	if (v === 0) return '0';
	return `${v > 0 ? '+' : '−'}${formatSpread(v, unit)}`;
}
