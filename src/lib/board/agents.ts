import type { Engine } from '../engine/engine';
import type { Agent } from '../engine/state';
import type { AgentTile } from '../protocol';
import { includesQueue, type Subscription } from './subscription';

/** A tile with a fingerprint, so a board's changed tiles are found by comparing strings. */
export interface TileEntry {
	tile: AgentTile;
	key: string;
}

/**
 * Tiles of the agents logged in (not offline), in the order they first appeared. O(agents × queues);
 * the queue list of an agent is cached on its skills object, which the engine replaces on change.
 */
export function agentTiles(engine: Engine): TileEntry[] {
	const queuesOf = queueLister(engine);
	const out: TileEntry[] = [];
	for (const a of engine.agents.values()) {
		if (a.state === 'offline') continue;
		const tile = agentTile(engine, a, queuesOf(a));
		out.push({ tile, key: JSON.stringify(tile) });
	}
	return out;
}

export function agentTile(engine: Engine, a: Agent, queues: string[]): AgentTile {
	const tile: AgentTile = { id: a.id, state: a.state, sinceMs: a.stateSince, queues };
	if (a.name !== undefined) tile.name = a.name;
	if (a.reason !== undefined) tile.reason = a.reason;
	const c = a.call;
	if (c !== null) {
		// the wait the caller had when this agent took the call: fixed, so a tile changes only when something happens
		const waitMs = c.answerWaitMs >= 0 ? c.answerWaitMs : Math.max(0, a.stateSince - c.arrivedAt);
		tile.call = { id: c.id, queue: c.queue.id, tier: engine.tiers.id(c.tier), waitSeconds: waitMs / 1000, value: c.value };
	}
	return tile;
}

/** An agent's queue list, kept while the agent's skills object (replaced on every change) and the queue count stay. */
const queueCache = new WeakMap<Record<string, number>, { queueCount: number; queues: string[] }>();

/** Queues whose skill an agent has (level 1 or more), in the engine's queue order. */
function queueLister(engine: Engine): (a: Agent) => string[] {
	const queueCount = engine.queues.size;
	return (a) => {
		const hit = queueCache.get(a.skills);
		if (hit !== undefined && hit.queueCount === queueCount) return hit.queues;
		const queues: string[] = [];
		for (const q of engine.queues.values()) if ((a.skills[q.skill] ?? 0) >= 1) queues.push(q.id);
		queueCache.set(a.skills, { queueCount, queues });
		return queues;
	};
}

export function tileOnBoard(tile: AgentTile, sub: Subscription): boolean {
	return sub.queues === null || tile.queues.some((q) => includesQueue(sub, q));
}

/**
 * What a board was last sent, by agent id (the tile's key), and the diff to bring it up to date:
 * tiles that are new or changed, and agents no longer on the board. Updates `sent`. O(agents).
 */
export function diffTiles(
	tiles: readonly TileEntry[],
	sub: Subscription,
	sent: Map<string, string>
): { upsert: AgentTile[]; remove: string[] } {
	const upsert: AgentTile[] = [];
	const seen = new Set<string>();
	for (const { tile, key } of tiles) {
		if (!tileOnBoard(tile, sub)) continue;
		seen.add(tile.id);
		if (sent.get(tile.id) !== key) {
			sent.set(tile.id, key);
			upsert.push(tile);
		}
	}
	const remove: string[] = [];
	for (const id of sent.keys()) if (!seen.has(id)) remove.push(id);
	for (const id of remove) sent.delete(id);
	return { upsert, remove };
}

/** The `sent` map of a board that has just been sent these tiles. */
export function sentTiles(tiles: readonly TileEntry[], sub: Subscription): Map<string, string> {
	const sent = new Map<string, string>();
	for (const { tile, key } of tiles) if (tileOnBoard(tile, sub)) sent.set(tile.id, key);
	return sent;
}
