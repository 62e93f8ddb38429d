import { describe, expect, it } from 'vitest';
import { fixtureSnapshot } from './fixtures';
import { gridShape, pickWaitingRows } from './layout';

describe('gridShape', () => {
	it('fits every card and picks the shape with the largest cards', () => {
		for (const n of [1, 5, 12, 13, 60, 200]) {
			const { cols, rows } = gridShape(n, 1600, 800, 2.5);
			expect(cols * rows).toBeGreaterThanOrEqual(n);
			expect(cols * (rows - 1)).toBeLessThan(n);
		}
		// 3 x 4 cards are 200 px high; 4 x 3 would be held to 160 px by their width
		expect(gridShape(12, 1600, 800, 2.5)).toEqual({ cols: 3, rows: 4 });
		expect(gridShape(1, 1600, 800, 2.5)).toEqual({ cols: 1, rows: 1 });
	});
	it('goes taller in a tall box', () => {
		const wide = gridShape(12, 1600, 400, 2);
		const tall = gridShape(12, 400, 1600, 2);
		expect(wide.cols).toBeGreaterThan(tall.cols);
	});
	it('survives an empty or unmeasured box', () => {
		expect(gridShape(0, 100, 100, 2)).toEqual({ cols: 1, rows: 1 });
		expect(gridShape(10, 0, 0, 2)).toEqual({ cols: 1, rows: 1 });
	});
});

describe('pickWaitingRows', () => {
	const [sales, support] = fixtureSnapshot().queues;
	if (!sales || !support) throw new Error('fixture has two queues');

	it('keeps each queue in router order and shares rows out in turns', () => {
		const { rows, hidden } = pickWaitingRows([sales, support], 5);
		expect(rows.map((r) => `${r.call.queue}#${r.position}`)).toEqual(['sales#1', 'sales#2', 'sales#3', 'support#1', 'support#2']);
		expect(rows[0]?.call).toBe(sales.waitingCalls[0]);
		// sales: 5 on hold + 1 callback, support: 2 on hold; 5 shown
		expect(hidden).toBe(3);
	});
	it('gives spare rows to the queue that has more calls', () => {
		const { rows } = pickWaitingRows([sales, support], 20);
		expect(rows).toHaveLength(8);
		expect(rows.filter((r) => r.call.queue === 'sales')).toHaveLength(6);
	});
	it('shows nothing for no rows or no queues', () => {
		expect(pickWaitingRows([sales], 0).rows).toEqual([]);
		expect(pickWaitingRows([], 10)).toEqual({ rows: [], hidden: 0 });
	});
});
