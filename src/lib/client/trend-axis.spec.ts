import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../protocol';
import { agoLabel, agoSplits, columnMax, yRange } from './trend-axis';

describe('trend axes', () => {
	it('splits back from the newest point', () => {
		expect(agoSplits(1_000_000, 60 * 60_000, 30 * 60_000)).toEqual([1_000_000 - 3_600_000, 1_000_000 - 1_800_000, 1_000_000]);
	});
	it('labels ticks by how long ago they are', () => {
		const latest = 10 * 3_600_000;
		expect(agoLabel(latest, latest)).toBe('now');
		expect(agoLabel(latest - 30 * 60_000, latest)).toBe('−30 min');
		expect(agoLabel(latest - 60 * 60_000, latest)).toBe('−1 h');
		expect(agoLabel(latest - 90 * 60_000, latest)).toBe('−90 min');
		expect(agoLabel(latest - 120 * 60_000, latest)).toBe('−2 h');
	});
	it('keeps the warn line in view and leaves headroom over the data', () => {
		expect(yRange(2, DEFAULT_THRESHOLDS.waiting, 1)).toEqual([0, 5 * 1.15]);
		expect(yRange(40, DEFAULT_THRESHOLDS.waiting, 1)).toEqual([0, 46]);
		expect(yRange(null, null, 1)).toEqual([0, 1]);
	});
	it('finds the maximum, skipping gaps', () => {
		expect(columnMax([null, 3, 7, null, 2])).toBe(7);
		expect(columnMax([null])).toBeNull();
		expect(columnMax([])).toBeNull();
	});
});
