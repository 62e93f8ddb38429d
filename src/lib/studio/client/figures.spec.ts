import { describe, expect, it } from 'vitest';
import { formatDiff, formatSpread, formatValue } from './figures';

describe('studio figures', () => {
	it('keeps a decimal on percentages, where staffing differences live', () => {
		expect(formatValue(0.8234, 'percent')).toBe('82.3%');
		expect(formatSpread(0.004, 'percent')).toBe('0.4 pt');
		expect(formatDiff(-0.021, 'percent')).toBe('−2.1 pt');
	});

	it('writes seconds under a minute with a decimal and longer waits as m:ss', () => {
		expect(formatValue(12.34, 'seconds')).toBe('12.3 s');
		expect(formatValue(95, 'seconds')).toBe('1:35');
	});

	it('uses the board’s money shape and signs differences', () => {
		expect(formatValue(55_200, 'money')).toBe('$55.2k');
		expect(formatDiff(900, 'money')).toBe('+$900');
		expect(formatDiff(-1_250_000, 'money')).toBe('−$1.25M');
		expect(formatDiff(0, 'money')).toBe('0');
	});

	it('shows a dash, never NaN, for figures that do not exist', () => {
		expect(formatValue(null, 'percent')).toBe('—');
		expect(formatValue(Number.NaN, 'money')).toBe('—');
		expect(formatDiff(undefined, 'count')).toBe('—');
	});
});
