import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Request signing for HTTP ingest. The sender computes
 *
 *     x-heatboard-timestamp: <unix seconds>
 *     x-heatboard-signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 *
 * Signing the timestamp with the body makes an old request useless once it falls out of the
 * window; remembering the signatures seen inside the window stops an exact replay within it. One
 * memory serves every ingest path, so a captured request is no good on another path either (the
 * path is not signed: the recipe stays "<timestamp>.<body>").
 */

export const SIGNATURE_HEADER = 'x-heatboard-signature';
export const TIMESTAMP_HEADER = 'x-heatboard-timestamp';
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** `busy`: the memory of signatures is full of ones still inside the window; the sender tries again shortly */
export type AuthFailure = 'missing-signature' | 'bad-timestamp' | 'stale-timestamp' | 'bad-signature' | 'replayed' | 'busy';

/** The signature header's value for a body; what a sender (or a test) computes. */
export function signBody(secret: string, timestamp: number | string, body: string | Uint8Array): string {
	const mac = createHmac('sha256', secret);
	mac.update(`${timestamp}.`);
	mac.update(body);
	return `sha256=${mac.digest('hex')}`;
}

/** Parses "sha256=<64 hex>"; anything else is not a signature. */
function digestOf(header: string): Buffer | null {
	const m = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
	return m === null ? null : Buffer.from(m[1] as string, 'hex');
}

export interface SignatureCheckOptions {
	/** one or more shared secrets (several while a secret is being rotated) */
	secrets: readonly string[];
	toleranceSeconds?: number;
	/**
	 * signatures remembered for replay detection at most (default 100,000); past it, new requests are
	 * refused as `busy` until the oldest leave the window: forgetting one still inside it would let
	 * it be replayed
	 */
	maxRemembered?: number;
}

/**
 * Checks timestamps and signatures and remembers accepted signatures until their timestamp leaves
 * the window (after that the timestamp check refuses them anyway).
 */
export class SignatureVerifier {
	private readonly secrets: readonly string[];
	private readonly tolerance: number;
	private readonly max: number;
	/** signature → the unix second after which its timestamp is stale anyway, in order of acceptance */
	private readonly seen = new Map<string, number>();

	constructor(options: SignatureCheckOptions) {
		if (options.secrets.length === 0 || options.secrets.some((s) => s.length < 16))
			throw new Error('http ingest: the shared secret must be at least 16 characters');
		this.secrets = options.secrets;
		this.tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
		this.max = options.maxRemembered ?? 100_000;
	}

	/** Cheap checks that need no body: both headers present, the timestamp well-formed and fresh. */
	checkTimestamp(signature: string | undefined, timestamp: string | undefined, nowMs: number): AuthFailure | null {
		if (signature === undefined || signature === '' || timestamp === undefined) return 'missing-signature';
		if (!/^\d{1,12}$/.test(timestamp.trim())) return 'bad-timestamp';
		const ts = Number(timestamp.trim());
		if (Math.abs(nowMs / 1000 - ts) > this.tolerance) return 'stale-timestamp';
		return null;
	}

	/** The signature over timestamp and body, compared in constant time, then the replay check. */
	verify(signature: string, timestamp: string, body: Uint8Array, nowMs: number): AuthFailure | null {
		const given = digestOf(signature);
		if (given === null) return 'bad-signature';
		const ts = timestamp.trim();
		let match = false;
		for (const secret of this.secrets) {
			const want = digestOf(signBody(secret, ts, body)) as Buffer;
			// no early exit: every secret is compared, whichever matches
			if (timingSafeEqual(given, want)) match = true;
		}
		if (!match) return 'bad-signature';
		this.expire(nowMs);
		const key = given.toString('hex');
		if (this.seen.has(key)) return 'replayed';
		if (this.seen.size >= this.max) return 'busy';
		this.seen.set(key, Number(ts) + this.tolerance);
		return null;
	}

	/** Lets this signature be used again: for a request the server could not take yet, so its sender may send it as it was. */
	forget(signature: string): void {
		const d = digestOf(signature);
		if (d !== null) this.seen.delete(d.toString('hex'));
	}

	/** Signatures remembered now (for tests and diagnostics). */
	get remembered(): number {
		return this.seen.size;
	}

	/**
	 * Drops stale signatures, oldest first, stopping at the first fresh one: amortised O(1). A stale
	 * one left behind a fresh one only takes room; its timestamp check refuses a replay of it anyway.
	 */
	private expire(nowMs: number): void {
		const now = nowMs / 1000;
		for (const [k, until] of this.seen) {
			if (until >= now) break;
			this.seen.delete(k);
		}
	}
}
