import { describe, expect, it } from 'vitest';
import { formatAge, formatClock, formatCount, formatDuration, formatMoney, formatPercent, formatRate, formatSpeed, maskedCaller, NONE } from './format';

describe('formatDuration', () => {
	it('writes m:ss below an hour and h:mm:ss from an hour', () => {
		expect(formatDuration(0)).toBe('0:00');
		expect(formatDuration(9.9)).toBe('0:09');
		expect(formatDuration(65)).toBe('1:05');
		expect(formatDuration(3599)).toBe('59:59');
		expect(formatDuration(3600)).toBe('1:00:00');
		expect(formatDuration(3 * 3600 + 7 * 60 + 5)).toBe('3:07:05');
	});
	it('clamps negatives and dashes missing figures', () => {
		expect(formatDuration(-3)).toBe('0:00');
		expect(formatDuration(null)).toBe(NONE);
		expect(formatDuration(Number.NaN)).toBe(NONE);
		expect(formatDuration(Infinity)).toBe(NONE);
	});
});

describe('formatMoney', () => {
	it('keeps a tile short: whole dollars, then k and M', () => {
		expect(formatMoney(0)).toBe('$0');
		expect(formatMoney(980.4)).toBe('$980');
		expect(formatMoney(1000)).toBe('$1k');
		expect(formatMoney(1234)).toBe('$1.23k');
		expect(formatMoney(12_380)).toBe('$12.4k');
		expect(formatMoney(112_380)).toBe('$112k');
		expect(formatMoney(999_499)).toBe('$999k');
		expect(formatMoney(999_500)).toBe('$1M');
		expect(formatMoney(1_250_000)).toBe('$1.25M');
		expect(formatMoney(-2500)).toBe('−$2.5k');
		expect(formatMoney(null)).toBe(NONE);
		expect(formatMoney(12, '€')).toBe('€12');
	});
	it('writes a loss rate with cents when small', () => {
		expect(formatRate(0.35)).toBe('$0.35/min');
		expect(formatRate(8.4)).toBe('$8.40/min');
		expect(formatRate(310.5)).toBe('$311/min');
		expect(formatRate(12_500)).toBe('$12.5k/min');
		expect(formatRate(undefined)).toBe(NONE);
	});
});

describe('formatPercent', () => {
	it('rounds to whole percents, with a decimal below 10% unless asked not to', () => {
		expect(formatPercent(0.794)).toBe('79%');
		expect(formatPercent(1)).toBe('100%');
		expect(formatPercent(0)).toBe('0%');
		expect(formatPercent(0.062)).toBe('6.2%');
		expect(formatPercent(0.05)).toBe('5%');
		expect(formatPercent(0.062, false)).toBe('6%');
		expect(formatPercent(null)).toBe(NONE);
	});
});

describe('formatCount', () => {
	it('groups thousands and gives expected conversions one decimal', () => {
		expect(formatCount(7)).toBe('7');
		expect(formatCount(12_345)).toBe('12,345');
		expect(formatCount(61.44)).toBe('61.4');
		expect(formatCount(1234.6)).toBe('1,235');
		expect(formatCount(null)).toBe(NONE);
	});
});

describe('maskedCaller', () => {
	it('passes the server mask through unchanged', () => {
		expect(maskedCaller('••••••67')).toBe('••••••67');
		expect(maskedCaller('••')).toBe('••');
	});
	it('never shows more than the last two digits of an unmasked number', () => {
		expect(maskedCaller('+1 (555) 123-4567')).toBe('••••••••67');
		expect(maskedCaller('5551234')).toBe('•••••34');
		expect(maskedCaller('12')).toBe('••');
		expect(maskedCaller('John Smith')).toBe('••');
	});
	it('dashes a missing caller', () => {
		expect(maskedCaller(undefined)).toBe(NONE);
		expect(maskedCaller('')).toBe(NONE);
	});
});

describe('formatAge and formatSpeed', () => {
	it('writes ages in seconds, then minutes, then hours', () => {
		expect(formatAge(0)).toBe('0 s');
		expect(formatAge(-500)).toBe('0 s');
		expect(formatAge(12_900)).toBe('12 s');
		expect(formatAge(125_000)).toBe('2 min 5 s');
		expect(formatAge(3_900_000)).toBe('1 h 5 min');
	});
	it('writes the source speed', () => {
		expect(formatSpeed(1)).toBe('1×');
		expect(formatSpeed(0.5)).toBe('0.5×');
		expect(formatSpeed(60)).toBe('60×');
		expect(formatSpeed(0)).toBe(NONE);
	});
});

describe('formatClock', () => {
	it('reads a simulator clock as time from midnight', () => {
		expect(formatClock(0)).toBe('00:00');
		expect(formatClock((11 * 60 + 30) * 60_000 + 5_000, true)).toBe('11:30:05');
		expect(formatClock(26 * 3_600_000)).toBe('02:00');
	});
	it('reads an epoch clock in the local time zone', () => {
		const t = new Date(2025, 2, 12, 9, 5, 7).getTime();
		expect(formatClock(t)).toBe('09:05');
		expect(formatClock(t, true)).toBe('09:05:07');
		expect(formatClock(Number.NaN)).toBe(NONE);
	});
});
