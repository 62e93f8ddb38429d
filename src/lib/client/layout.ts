/** Fitting a changing number of things onto a screen that never scrolls. */
import type { QueueBoard } from '../protocol';
import type { WaitingCallView } from '../engine/views';

/**
 * Columns and rows for `n` cards of roughly `aspect` (width / height) in a `width` × `height`
 * box: the shape that gives the largest cards, so 12 agents get big cards and 200 get small ones,
 * all on screen.
 */
export function gridShape(n: number, width: number, height: number, aspect: number): { cols: number; rows: number } {
	if (n <= 0 || width <= 0 || height <= 0) return { cols: 1, rows: 1 };
	let best = { cols: 1, rows: n, size: -1 };
	for (let cols = 1; cols <= n; cols++) {
		const rows = Math.ceil(n / cols);
		// the card's height when it keeps its aspect inside its cell
		const size = Math.min(width / cols / aspect, height / rows);
		if (size > best.size) best = { cols, rows, size };
	}
	return { cols: best.cols, rows: best.rows };
}

export interface WaitingRow {
	call: WaitingCallView;
	/** place in its queue's line, from 1 */
	position: number;
}

/**
 * The waiting calls to show in `max` rows: each queue's line in the router's order, the rows
 * shared out in turns so a busy queue cannot hide another queue's first callers.
 */
export function pickWaitingRows(queues: readonly QueueBoard[], max: number): { rows: WaitingRow[]; hidden: number } {
	const taken = queues.map(() => 0);
	let total = 0;
	for (let depth = 0; total < max; depth++) {
		let any = false;
		for (let q = 0; q < queues.length && total < max; q++) {
			if (depth < (queues[q]?.waitingCalls.length ?? 0)) {
				taken[q] = depth + 1;
				total++;
				any = true;
			}
		}
		if (!any) break;
	}
	const rows: WaitingRow[] = [];
	queues.forEach((q, i) => {
		q.waitingCalls.slice(0, taken[i]).forEach((call, k) => rows.push({ call, position: k + 1 }));
	});
	const waitingNow = queues.reduce((s, q) => s + q.now.waiting + q.now.callbacksWaiting, 0);
	return { rows, hidden: Math.max(0, waitingNow - rows.length) };
}
