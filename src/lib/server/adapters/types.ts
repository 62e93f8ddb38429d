/**
 * The contract between telephony adapters (queue_log tail, AMI, HTTP ingest) and the live source
 * that owns the engine. Adapters translate a phone system's own vocabulary into engine events
 * (`HeatEvent`-shaped objects, vocabulary v1) and hand them over one at a time; they never touch
 * the engine, so journaling before applying, ordering and rejection counting live in one place.
 */

/** Why something an adapter saw did not become an accepted event. */
export interface IngestRejection {
	/** a short machine-readable reason: an engine RejectReason, or an adapter's own ('malformed', 'unknown-verb', 'bad-signature', ...) */
	reason: string;
	/** one line for a person: what was wrong and where (file:line, peer, request id) */
	detail: string;
}

export type IngestResult = { ok: true } | ({ ok: false } & IngestRejection);

/** Where adapters deliver events. Synchronous so an adapter can count outcomes line by line. */
export interface EventSink {
	/**
	 * One candidate event (unvalidated: the sink validates it). `origin` names where it came from
	 * for messages, e.g. "queue_log:/var/log/asterisk/queue_log:1042" or "ami:pbx1".
	 */
	ingest(raw: unknown, origin: string): IngestResult;
	/** Something the adapter itself refused before producing an event (a malformed line, a bad signature). */
	reject(rejection: IngestRejection, origin: string): void;
}

/** A running connection to a phone system. */
export interface Adapter {
	readonly name: string;
	/** Starts reading; resolves once the adapter is listening/following (not when the source ends). */
	start(): Promise<void>;
	/** Stops reading and releases sockets, files and timers. Idempotent. */
	stop(): Promise<void>;
}
