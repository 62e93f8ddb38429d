import { describe, expect, it } from 'vitest';
import { firstSample, SampleClock } from './sample-clock';

describe('SampleClock', () => {
	it('stops at each multiple of the step from the day start up to t, once each across calls', () => {
		const clock = new SampleClock(10, 25);
		const seen: number[] = [];
		clock.through(29, (s) => seen.push(s));
		expect(seen).toEqual([]);
		clock.through(50, (s) => seen.push(s));
		clock.through(50, (s) => seen.push(s));
		clock.through(61, (s) => seen.push(s));
		expect(seen).toEqual([30, 40, 50, 60]);
	});

	it('a new day starts again from its own first instant, even one earlier than where the last day stopped', () => {
		const clock = new SampleClock(10, 0);
		clock.through(100, () => {});
		clock.restart(5);
		const seen: number[] = [];
		clock.through(30, (s) => seen.push(s));
		expect(seen).toEqual([10, 20, 30]);
	});

	it('an instant whose callback throws is taken again on the next call', () => {
		const clock = new SampleClock(10, 0);
		expect(() =>
			clock.through(20, (s) => {
				if (s === 10) throw new Error('boom');
			})
		).toThrow('boom');
		const seen: number[] = [];
		clock.through(20, (s) => seen.push(s));
		expect(seen).toEqual([10, 20]);
	});

	it('firstSample is the first multiple of the step at or after the start', () => {
		expect(firstSample(0, 60)).toBe(0);
		expect(firstSample(60, 60)).toBe(60);
		expect(firstSample(61, 60)).toBe(120);
	});
});
