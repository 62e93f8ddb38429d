/**
 * How HTTP ingest reads one kind of payload: which media types it takes, how a body splits into
 * items (one per event the sender means), and how an item becomes engine events. Mappings only
 * translate; the sink validates and applies.
 */

export type MappedItem =
	/**
	 * candidate engine events (validated by the sink); empty when the item needs none. `commit`
	 * records what the mapping learnt from the item: called only once the sink has every event (a
	 * refused item, retried by its sender, must map the same way again)
	 */
	| { kind: 'events'; events: unknown[]; commit?: () => void }
	/** an item the board has no use for (an event type not mapped): neither accepted nor an error */
	| { kind: 'ignored'; reason: string }
	| { kind: 'rejected'; reason: string; detail: string };

export type MediaType = 'application/json' | 'application/x-www-form-urlencoded';

export interface PayloadMapping {
	readonly name: string;
	readonly accepts: ReadonlySet<MediaType>;
	/** the body's items: parsed JSON, or the fields of a form */
	items(body: unknown): unknown[] | { error: string };
	/** `receivedAtMs`: the server's clock, for payloads that carry no time */
	map(item: unknown, receivedAtMs: number): MappedItem;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Epoch seconds or milliseconds (number or digits), or an ISO 8601 string, to epoch ms. */
export function parseTime(v: unknown): number | null {
	if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v < 1e11 ? Math.round(v * 1000) : Math.round(v);
	if (typeof v !== 'string' || v.trim() === '') return null;
	const s = v.trim();
	if (/^\d+(\.\d+)?$/.test(s)) return parseTime(Number(s));
	const ms = Date.parse(s);
	return Number.isFinite(ms) ? ms : null;
}

export function str(v: unknown): string | undefined {
	return typeof v === 'string' && v !== '' ? v : undefined;
}
