/**
 * What a board asked to see. Boards that ask for the same queues share one room and one stream of
 * deltas, so the key is canonical: the order and repetitions of the request do not matter.
 */
export interface Subscription {
	/** the room: `sub:*` for every queue, else `sub:` and the sorted queue ids */
	readonly key: string;
	/** null: every queue the engine knows when a message is built */
	readonly queues: readonly string[] | null;
}

export const ALL_QUEUES: Subscription = { key: 'sub:*', queues: null };

export interface ResolvedSubscription {
	/** null when the request named queues and none of them is known */
	subscription: Subscription | null;
	/** requested ids the engine does not know, in request order */
	unknown: string[];
}

/** Requested queue ids → the subscription of the known ones. An empty request means every queue. */
export function resolveSubscription(requested: readonly string[], known: { has(id: string): boolean }): ResolvedSubscription {
	if (requested.length === 0) return { subscription: ALL_QUEUES, unknown: [] };
	const keep = new Set<string>();
	const unknown: string[] = [];
	for (const id of requested) {
		if (known.has(id)) keep.add(id);
		else if (!unknown.includes(id)) unknown.push(id);
	}
	if (keep.size === 0) return { subscription: null, unknown };
	const queues = [...keep].sort();
	// ids may hold ',' or '*': encoding them keeps two different subscriptions from sharing a room
	return { subscription: { key: `sub:${queues.map(encodeId).join(',')}`, queues }, unknown };
}

function encodeId(id: string): string {
	return encodeURIComponent(id).replace(/\*/g, '%2A');
}

/** Does the subscription include this queue? */
export function includesQueue(sub: Subscription, id: string): boolean {
	return sub.queues === null || sub.queues.includes(id);
}
