import { describe, expect, it } from 'vitest';
import { clock } from './time-of-day';

describe('clock', () => {
	it('gives HH:MM of a time of day, minutes rounded down, hours past midnight running on', () => {
		expect(clock(0)).toBe('00:00');
		expect(clock(9 * 3_600_000 + 5 * 60_000 + 59_999)).toBe('09:05');
		expect(clock(25 * 3_600_000 + 30 * 60_000)).toBe('25:30');
	});
});
