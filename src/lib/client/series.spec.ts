import { describe, expect, it } from 'vitest';
import type { SeriesColumns } from '../protocol';
import { appendColumns, copyColumns, emptyColumns, trimColumns } from './series';

const cols = (t: number[], base = 0): SeriesColumns => ({
	t,
	waiting: t.map((_, i) => base + i),
	slOffered: t.map((_, i) => (i === 0 ? null : 0.5)),
	revenueAtRisk: t.map((_, i) => (base + i) * 10)
});

describe('appendColumns', () => {
	it('appends in place, keeping the same arrays (a chart keeps drawing them)', () => {
		const target = cols([0, 10]);
		const t = target.t;
		const r = appendColumns(target, cols([20, 30], 5), 1_000);
		expect(r).toEqual({ appended: 2, dropped: 0 });
		expect(target.t).toBe(t);
		expect(target).toEqual({ t: [0, 10, 20, 30], waiting: [0, 1, 5, 6], slOffered: [null, 0.5, null, 0.5], revenueAtRisk: [0, 10, 50, 60] });
	});

	it('skips points not newer than the last held', () => {
		const target = cols([0, 10, 20]);
		const r = appendColumns(target, cols([10, 20, 25], 7), 1_000);
		expect(r.appended).toBe(1);
		expect(target.t).toEqual([0, 10, 20, 25]);
		expect(target.waiting).toEqual([0, 1, 2, 9]);
	});

	it('drops points older than the window before the newest, from every column', () => {
		const target = cols([0, 10, 20, 30]);
		const r = appendColumns(target, cols([40, 50]), 25);
		expect(r).toEqual({ appended: 2, dropped: 3 });
		expect(target.t).toEqual([30, 40, 50]);
		expect(target.waiting).toEqual([3, 0, 1]);
		expect(target.slOffered).toEqual([0.5, null, 0.5]);
		expect(target.revenueAtRisk).toEqual([30, 0, 10]);
	});

	it('keeps a point exactly at the window edge', () => {
		const target = cols([0, 10]);
		appendColumns(target, cols([20]), 20);
		expect(target.t).toEqual([0, 10, 20]);
	});

	it('cuts ragged input to its shortest column', () => {
		const target = emptyColumns();
		appendColumns(target, { t: [1, 2, 3], waiting: [1, 2], slOffered: [null, null, null], revenueAtRisk: [1, 2, 3] }, 100);
		expect(target.t).toEqual([1, 2]);
		expect(target.waiting).toHaveLength(2);
	});
});

describe('copyColumns and trimColumns', () => {
	it('copies without sharing arrays, already trimmed to the window', () => {
		const src = cols([0, 10, 20, 30]);
		const copy = copyColumns(src, 15);
		expect(copy.t).toEqual([20, 30]);
		copy.t.push(99);
		expect(src.t).toHaveLength(4);
	});
	it('trims nothing from empty columns', () => {
		expect(trimColumns(emptyColumns(), 10)).toBe(0);
	});
});
