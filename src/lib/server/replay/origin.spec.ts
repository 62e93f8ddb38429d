import { describe, expect, it } from 'vitest';
import type { EngineConfigInput } from '../../engine/config';
import { JOURNAL_FORMAT, type JournalHeader } from '../../../../simulator/import/journal';
import { dayOrigin, rebaseEngineConfig } from './origin';

const H = 3_600_000;
const head = (extra: Record<string, unknown>): JournalHeader => ({ format: JOURNAL_FORMAT, v: 1, source: 's', ...extra });
/** local midnight of 2026-11-23 at UTC-5 */
const MIDNIGHT = Date.UTC(2026, 10, 23) + 5 * H;

describe('dayOrigin', () => {
	it('is 0 for journals on ms since midnight: importers (even with dayStartEpochMs), the simulator, a time-of-day dayStartMs', () => {
		expect(dayOrigin(head({}))).toBe(0);
		expect(dayOrigin(head({ source: 'queue_log', tzOffsetMinutes: -300, dayStartEpochMs: MIDNIGHT, engine: { queues: [] } }))).toBe(0);
		expect(dayOrigin(head({ engine: { dayStartMs: 8 * H, tzOffsetMinutes: -300 } }))).toBe(0);
	});

	it('is the local midnight of a live header’s epoch day start, by its dayStartMinutes or else its time zone', () => {
		expect(dayOrigin(head({ tzOffsetMinutes: -300, dayStartMinutes: 0, engine: { dayStartMs: MIDNIGHT, tzOffsetMinutes: -300 } }))).toBe(
			MIDNIGHT
		);
		// a business day from 06:00: the clock still reads from midnight
		expect(dayOrigin(head({ dayStartMinutes: 360, engine: { dayStartMs: MIDNIGHT + 6 * H, tzOffsetMinutes: -300 } }))).toBe(MIDNIGHT);
		expect(dayOrigin(head({ engine: { dayStartMs: MIDNIGHT + 6 * H, tzOffsetMinutes: -300 } }))).toBe(MIDNIGHT);
		expect(dayOrigin(head({ tzOffsetMinutes: 330, engine: { dayStartMs: Date.UTC(2026, 10, 23) - 5.5 * H } }))).toBe(
			Date.UTC(2026, 10, 23) - 5.5 * H
		);
	});
});

describe('rebaseEngineConfig', () => {
	it('counts the day start from the origin and drops the offset (local time already); leaves origin 0 alone', () => {
		const config: EngineConfigInput = {
			dayStartMs: MIDNIGHT + 6 * H,
			tzOffsetMinutes: -300,
			queues: [{ id: 'q', hours: ['08:00-17:00'] }]
		};
		expect(rebaseEngineConfig(config, MIDNIGHT)).toEqual({ ...config, dayStartMs: 6 * H, tzOffsetMinutes: 0 });
		expect(rebaseEngineConfig(config, 0)).toBe(config);
	});
});
