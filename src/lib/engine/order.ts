import type { Call } from './state';

/**
 * The router's order between two calls at lane heads at time `now`: priority class first, then the
 * oldest (fifo) or the one whose next minute of wait costs most (value order), then arrival sequence.
 * The engine and the views both use it, so a board shows calls in the order agents will get them.
 */
export function goesFirst(a: Call, b: Call, valueOrder: boolean, now: number): boolean {
	if (a.k1 !== b.k1) return a.k1 < b.k1;
	if (valueOrder) {
		const sa = a.value * a.curve.lossRate(now - a.arrivedAt);
		const sb = b.value * b.curve.lossRate(now - b.arrivedAt);
		if (sa !== sb) return sa > sb;
	} else if (a.arrivedAt !== b.arrivedAt) return a.arrivedAt < b.arrivedAt;
	return a.seq < b.seq;
}
