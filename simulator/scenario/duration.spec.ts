import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	DurationError,
	formatDuration,
	formatTimeOfDay,
	parseDuration,
	parseTimeOfDay,
	tryParseDuration,
	tryParseTimeOfDay
} from './duration';

describe('parseDuration', () => {
	it.each([
		['250ms', 250],
		['20s', 20_000],
		['4m', 240_000],
		['4min', 240_000],
		['1.5h', 5_400_000],
		['8h', 28_800_000],
		['1h30m', 5_400_000],
		['1h 30m', 5_400_000],
		[' 2d ', 172_800_000],
		['1d2h3m4s5ms', 93_784_005],
		['0s', 0],
		['20', 20_000],
		['0.5', 500],
		['4M', 240_000]
	])('%j is %d ms', (text, ms) => {
		expect(parseDuration(text)).toBe(ms);
	});

	it('reads plain numbers as seconds', () => {
		expect(parseDuration(20)).toBe(20_000);
		expect(parseDuration(0.25)).toBe(250);
		expect(parseDuration(0)).toBe(0);
	});

	it.each([
		['abc', 'expected a duration like "20s", "4m" or "1h30m", got "abc"'],
		['', 'got ""'],
		['5x', 'unknown unit "x"'],
		['1h30', 'got "1h30"'],
		['-5s', 'durations cannot be negative'],
		['30m1h', 'write the units from largest to smallest, each once'],
		['1h1h', 'write the units from largest to smallest, each once'],
		['1.2.3s', 'got "1.2.3s"'],
		['h', 'got "h"']
	])('rejects %j: %s', (text, message) => {
		const r = tryParseDuration(text);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.message).toContain(message);
		expect(() => parseDuration(text)).toThrow(DurationError);
	});

	it('rejects negative and non-finite numbers', () => {
		expect(() => parseDuration(-1)).toThrow('durations cannot be negative');
		expect(() => parseDuration(Number.NaN)).toThrow('got NaN');
		expect(() => parseDuration(Number.POSITIVE_INFINITY)).toThrow('got Infinity');
	});

	it('adds up any combination of units written largest first', () => {
		fc.assert(
			fc.property(fc.nat(400), fc.nat(23), fc.nat(59), fc.nat(59), fc.nat(999), (d, h, m, s, ms) => {
				const text = `${d}d${h}h${m}m${s}s${ms}ms`;
				expect(parseDuration(text)).toBe((((d * 24 + h) * 60 + m) * 60 + s) * 1000 + ms);
			})
		);
	});

	it('reads back what formatDuration writes', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 400 * 86_400_000 }), (ms) => {
				expect(parseDuration(formatDuration(ms))).toBe(ms);
			})
		);
		expect(formatDuration(5_400_000)).toBe('1h30m');
		expect(formatDuration(0)).toBe('0s');
		expect(formatDuration(250)).toBe('250ms');
	});
});

describe('parseTimeOfDay', () => {
	it.each([
		['08:00', 8 * 3_600_000],
		['8:00', 8 * 3_600_000],
		['08:30:15', (8 * 3600 + 30 * 60 + 15) * 1000],
		['00:00', 0],
		['23:59:59', 86_399_000]
	])('%j is %d ms after midnight', (text, ms) => {
		expect(parseTimeOfDay(text)).toBe(ms);
	});

	it('admits 24:00 only as an end of day', () => {
		expect(parseTimeOfDay('24:00', { endOfDay: true })).toBe(86_400_000);
		expect(() => parseTimeOfDay('24:00')).toThrow('hours go up to 23');
		expect(() => parseTimeOfDay('24:01', { endOfDay: true })).toThrow('the latest time is 24:00');
	});

	it.each([
		['25:00', 'hours go up to 23'],
		['08:60', 'minutes and seconds go up to 59'],
		['08:00:60', 'minutes and seconds go up to 59'],
		['8', 'expected a time of day like "08:00" or "17:30:00", got "8"'],
		['8am', 'got "8am"'],
		['', 'got ""']
	])('rejects %j: %s', (text, message) => {
		const r = tryParseTimeOfDay(text);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.message).toContain(message);
	});

	it('formats times of day back', () => {
		expect(formatTimeOfDay(8 * 3_600_000)).toBe('08:00');
		expect(formatTimeOfDay((8 * 3600 + 30 * 60 + 15) * 1000)).toBe('08:30:15');
	});
});

describe('whole milliseconds', () => {
	it('rounds every duration to whole ms, so "2.3h" is 8,280,000 ms and not a hair under', () => {
		expect(2.3 * 3_600_000).not.toBe(8_280_000);
		expect(parseDuration('2.3h')).toBe(8_280_000);
		expect(parseDuration('1.1h')).toBe(3_960_000);
		expect(parseDuration('4.35m')).toBe(261_000);
		expect(parseDuration(0.0004)).toBe(0);
		expect(parseDuration('1.5ms')).toBe(2);
	});
});

