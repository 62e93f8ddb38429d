import type { IncomingMessage, ServerResponse } from 'node:http';
import { locateJsonError } from './http-ingest-json';
import { SIGNATURE_HEADER, SignatureVerifier, TIMESTAMP_HEADER, type AuthFailure } from './http-ingest-auth';
import { createConnectMapping, type ConnectMappingOptions } from './mappings/amazon-connect';
import { heatEventsMapping } from './mappings/heat-events';
import { createTaskRouterMapping, type TaskRouterMappingOptions } from './mappings/taskrouter';
import type { MediaType, PayloadMapping } from './mappings/types';
import type { Adapter, EventSink } from './types';

/**
 * POST /api/events[/<mapping>]: events pushed by another system over HTTP, signed with a shared
 * secret (see http-ingest-auth.ts). The path picks how the body is read: `/api/events` takes
 * engine events (one, an array, or `{"events": [...]}`), `/api/events/taskrouter` Twilio
 * TaskRouter callbacks (form or JSON), `/api/events/connect` Amazon Connect contact and agent
 * events. Each item is mapped and handed to the sink on its own, so one bad event never loses the
 * good ones around it: the answer lists what was refused, by index.
 *
 * Answers: 200 (all accepted or ignored) or 207 (some refused) with
 * `{ accepted, ignored, rejected: [{ index, reason, detail }] }`; 400 unreadable body (JSON errors
 * give the position), 401 signature or timestamp, 404 no such mapping, 405 not POST, 413 body or
 * batch too large, 415 media type, 503 not started (or stopped), or busy (too many requests being
 * read at once, or the memory of recent signatures full), with `retry-after`.
 */

export const INGEST_PATH = '/api/events';
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_MAX_EVENTS = 10_000;
export const DEFAULT_MAX_IN_FLIGHT = 32;
/** the sink's refusals that say it cannot take anything now, rather than that the event is wrong */
const PASSING_REFUSALS = new Set(['journal']);

export interface HttpIngestOptions {
	sink: EventSink;
	/** the shared secret; several while rotating (each at least 16 characters) */
	secret: string | readonly string[];
	/** default /api/events */
	basePath?: string;
	/** default 1 MiB */
	maxBodyBytes?: number;
	/** items per request at most (default 10,000) */
	maxEventsPerRequest?: number;
	/**
	 * requests being read or answered at once at most (default 32); more get 503 at once, so slow
	 * or many senders cannot hold an unbounded number of bodies in memory
	 */
	maxInFlight?: number;
	/** how far a timestamp may be from now, either way (default 300 s) */
	toleranceSeconds?: number;
	/** signatures remembered inside that window at most (default 100,000); past it requests get 503 */
	maxRemembered?: number;
	taskRouter?: TaskRouterMappingOptions;
	connect?: ConnectMappingOptions;
	/** more mappings, or replacements, by the path segment after basePath ("" is basePath itself) */
	mappings?: Record<string, PayloadMapping>;
	/** wall clock, ms (default Date.now) */
	clock?: () => number;
	log?: (line: string) => void;
}

export interface HttpIngestStats {
	/** answers by status code */
	responses: Record<string, number>;
	/** engine events the sink accepted */
	accepted: number;
	/** items a mapping had no use for, by reason */
	ignored: Record<string, number>;
	/** refusals by reason: whole requests (bad-signature, stale-timestamp, replayed, too-large...) and single events */
	rejected: Record<string, number>;
}

export interface IngestItemRejection {
	index: number;
	reason: string;
	detail: string;
}

/**
 * An Adapter like the others, so the live source starts and stops it with them: requests are taken
 * between start() and stop(); before and after, its paths answer 503 (the server is up, the endpoint
 * is not), and requests already being read finish.
 */
export interface HttpIngest extends Adapter {
	/** true when the request was for ingest (answered or being answered), false to let others have it */
	handle(req: IncomingMessage, res: ServerResponse): boolean;
	readonly stats: HttpIngestStats;
	readonly running: boolean;
	/** requests being read or answered now */
	readonly inFlight: number;
}

type Refusal = { status: number; reason: string; detail: string; headers?: Record<string, string> };

const AUTH_DETAIL: Record<AuthFailure, string> = {
	'missing-signature': `${SIGNATURE_HEADER} and ${TIMESTAMP_HEADER} are required`,
	'bad-timestamp': `${TIMESTAMP_HEADER} must be unix seconds`,
	'stale-timestamp': `${TIMESTAMP_HEADER} is too far from the server's clock`,
	'bad-signature': `${SIGNATURE_HEADER} does not match the body`,
	replayed: 'this signature was already used',
	busy: 'too many recent requests to remember; try again shortly'
};

export function createHttpIngest(options: HttpIngestOptions): HttpIngest {
	const base = (options.basePath ?? INGEST_PATH).replace(/\/+$/, '');
	const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
	const maxEvents = options.maxEventsPerRequest ?? DEFAULT_MAX_EVENTS;
	const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
	let inFlight = 0;
	const clock = options.clock ?? Date.now;
	const log = options.log ?? ((line: string) => console.error(line));
	const verifier = new SignatureVerifier({
		secrets: typeof options.secret === 'string' ? [options.secret] : options.secret,
		toleranceSeconds: options.toleranceSeconds,
		maxRemembered: options.maxRemembered
	});
	const mappings = new Map<string, PayloadMapping>([
		['', heatEventsMapping],
		['taskrouter', createTaskRouterMapping(options.taskRouter)],
		['connect', createConnectMapping(options.connect)]
	]);
	for (const [k, m] of Object.entries(options.mappings ?? {})) mappings.set(k, m);
	const stats: HttpIngestStats = { responses: {}, accepted: 0, ignored: {}, rejected: {} };
	let requestSeq = 0;

	function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
		stats.responses[status] = (stats.responses[status] ?? 0) + 1;
		const payload = JSON.stringify(body);
		res.writeHead(status, {
			'content-type': 'application/json; charset=utf-8',
			'content-length': String(Buffer.byteLength(payload)),
			'cache-control': 'no-store',
			...headers
		});
		res.end(payload);
	}

	function refuse(res: ServerResponse, r: Refusal, origin: string, toSink = true): void {
		bump(stats.rejected, r.reason);
		if (toSink) options.sink.reject({ reason: r.reason, detail: `${origin}: ${r.detail}` }, origin);
		send(res, r.status, { error: r.reason, detail: r.detail }, r.headers);
	}

	async function serve(req: IncomingMessage, res: ServerResponse, mapping: PayloadMapping, origin: string): Promise<void> {
		const now = clock();
		const signature = header(req, SIGNATURE_HEADER);
		const timestamp = header(req, TIMESTAMP_HEADER);
		const early = verifier.checkTimestamp(signature, timestamp, now);
		if (early !== null) return refuse(res, { status: 401, reason: early, detail: AUTH_DETAIL[early] }, origin);

		const media = mediaType(req.headers['content-type']);
		if (media === null || !mapping.accepts.has(media.type) || (media.charset !== null && media.charset !== 'utf-8')) {
			const accepted = [...mapping.accepts].join(', ');
			return refuse(
				res,
				{ status: 415, reason: 'unsupported-media-type', detail: `send ${accepted} (UTF-8)`, headers: { accept: accepted } },
				origin
			);
		}
		const declared = Number(req.headers['content-length']);
		if (Number.isFinite(declared) && declared > maxBody) return tooLarge(req, res, origin, declared);
		const body = await readBody(req, maxBody);
		if (body === null) return tooLarge(req, res, origin, null);

		const auth = verifier.verify(signature as string, timestamp as string, body, clock());
		if (auth === 'busy')
			return refuse(res, { status: 503, reason: auth, detail: AUTH_DETAIL[auth], headers: { 'retry-after': '5' } }, origin, false);
		if (auth !== null) return refuse(res, { status: 401, reason: auth, detail: AUTH_DETAIL[auth] }, origin);

		let text: string;
		try {
			text = new TextDecoder('utf-8', { fatal: true }).decode(body);
		} catch {
			return refuse(res, { status: 400, reason: 'bad-body', detail: 'the body is not UTF-8' }, origin);
		}
		let parsed: unknown;
		if (media.type === 'application/json') {
			try {
				parsed = JSON.parse(text);
			} catch (err) {
				return refuse(res, { status: 400, reason: 'bad-json', detail: jsonErrorDetail(err, text) }, origin);
			}
		} else parsed = Object.fromEntries(new URLSearchParams(text));
		const items = mapping.items(parsed);
		if (!Array.isArray(items)) return refuse(res, { status: 400, reason: 'bad-body', detail: items.error }, origin);
		if (items.length > maxEvents)
			return refuse(
				res,
				{ status: 413, reason: 'too-many-events', detail: `${items.length} items; at most ${maxEvents} per request` },
				origin
			);

		let accepted = 0;
		let ignored = 0;
		const rejected: IngestItemRejection[] = [];
		const receivedAt = clock();
		items.forEach((item, index) => {
			const where = `${origin}[${index}]`;
			const m = mapping.map(item, receivedAt);
			if (m.kind === 'ignored') {
				ignored++;
				bump(stats.ignored, m.reason);
				return;
			}
			if (m.kind === 'rejected') {
				bump(stats.rejected, m.reason);
				options.sink.reject({ reason: m.reason, detail: `${where}: ${m.detail}` }, where);
				rejected.push({ index, reason: m.reason, detail: m.detail });
				return;
			}
			let taken = true;
			for (const e of m.events) {
				const r = options.sink.ingest(e, where);
				if (r.ok) {
					accepted++;
					stats.accepted++;
				} else {
					// a duplicate is an event the engine already has (a retry of one accepted before)
					if (r.reason !== 'duplicate') taken = false;
					bump(stats.rejected, r.reason);
					rejected.push({ index, reason: r.reason, detail: r.detail });
				}
			}
			// a refused item leaves the mapping as it was, so the sender's retry maps to the same events
			if (taken) m.commit?.();
		});
		// refused because the server cannot take events now (its journal), not for what they are: the
		// sender may retry the very same request, which the replay check would otherwise refuse
		if (rejected.some((r) => PASSING_REFUSALS.has(r.reason))) verifier.forget(signature as string);
		send(res, rejected.length === 0 ? 200 : 207, { accepted, ignored, rejected });
	}

	function tooLarge(req: IncomingMessage, res: ServerResponse, origin: string, declared: number | null): void {
		const detail =
			declared === null ? `the body is larger than ${maxBody} bytes` : `content-length ${declared} is more than ${maxBody} bytes`;
		refuse(res, { status: 413, reason: 'too-large', detail, headers: { connection: 'close' } }, origin);
		// read the rest away (up to a bound) so the sender sees the answer rather than a reset
		let left = maxBody * 8;
		req.on('data', (c: Buffer) => {
			left -= c.length;
			if (left < 0) req.destroy();
		});
		req.resume();
	}

	let running = false;
	return {
		name: `http-ingest:${base}`,
		stats,
		get running() {
			return running;
		},
		get inFlight() {
			return inFlight;
		},
		start() {
			running = true;
			return Promise.resolve();
		},
		stop() {
			running = false;
			return Promise.resolve();
		},
		handle(req, res) {
			let path: string;
			try {
				path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '');
			} catch {
				return false;
			}
			if (path !== base && !path.startsWith(`${base}/`)) return false;
			const sub = path === base ? '' : path.slice(base.length + 1);
			if (!running) {
				send(res, 503, { error: 'not-running', detail: 'event ingest is not running' }, { 'retry-after': '5' });
				return true;
			}
			const origin = `http:${path}#${++requestSeq}@${req.socket.remoteAddress ?? '?'}`;
			const mapping = mappings.get(sub);
			if (mapping === undefined) {
				bump(stats.rejected, 'not-found');
				send(res, 404, {
					error: 'not-found',
					detail: `no ingest mapping "${sub}"; use ${[...mappings.keys()].map((k) => (k === '' ? base : `${base}/${k}`)).join(', ')}`
				});
				return true;
			}
			if (req.method !== 'POST') {
				bump(stats.rejected, 'method-not-allowed');
				send(res, 405, { error: 'method-not-allowed', detail: `${req.method ?? '?'} not allowed; use POST` }, { allow: 'POST' });
				return true;
			}
			if (inFlight >= maxInFlight) {
				// counted, not sent to the sink: a flood would otherwise flood the refusals too
				bump(stats.rejected, 'busy');
				send(
					res,
					503,
					{ error: 'busy', detail: `more than ${maxInFlight} requests at once; try again shortly` },
					{ 'retry-after': '1', connection: 'close' }
				);
				req.resume();
				return true;
			}
			inFlight++;
			serve(req, res, mapping, origin)
				.catch((err: unknown) => {
					log(`${origin}: ${err instanceof Error ? err.message : String(err)}`);
					if (!res.headersSent) send(res, 500, { error: 'internal', detail: 'the events could not be processed' });
					else res.destroy();
				})
				.finally(() => inFlight--);
			return true;
		}
	};
}

function header(req: IncomingMessage, name: string): string | undefined {
	const v = req.headers[name];
	return Array.isArray(v) ? v[0] : v;
}

function mediaType(value: string | undefined): { type: MediaType; charset: string | null } | null {
	if (value === undefined) return null;
	const [typePart = '', ...params] = value.split(';');
	let type = typePart.trim().toLowerCase();
	if (/^application\/[a-z0-9.+-]+\+json$/.test(type)) type = 'application/json';
	if (type !== 'application/json' && type !== 'application/x-www-form-urlencoded') return null;
	let charset: string | null = null;
	for (const p of params) {
		const [k = '', v = ''] = p.split('=');
		if (k.trim().toLowerCase() === 'charset')
			charset = v
				.trim()
				.replace(/^"|"$/g, '')
				.toLowerCase()
				.replace(/^utf8$/, 'utf-8');
	}
	return { type, charset };
}

/** The body, or null past the limit (then the caller answers 413 and drains the rest). */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | null> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		const onData = (c: Buffer) => {
			size += c.length;
			if (size > max) {
				req.off('data', onData);
				req.off('end', onEnd);
				resolve(null);
				return;
			}
			chunks.push(c);
		};
		const onEnd = () => resolve(Buffer.concat(chunks));
		req.on('data', onData);
		req.on('end', onEnd);
		// also a sender going away mid-body (Node reports it as an error), which frees its in-flight place
		req.on('error', reject);
	});
}

/** Where the JSON breaks and what was expected there, e.g. "at position 17 (line 2, column 5): expected a value". */
function jsonErrorDetail(err: unknown, text: string): string {
	const at = locateJsonError(text);
	if (at === null) return `invalid JSON: ${err instanceof Error ? err.message : String(err)}`;
	return `invalid JSON at position ${at.position} (line ${at.line}, column ${at.column}): expected ${at.expected}`;
}

function bump(into: Record<string, number>, key: string): void {
	into[key] = (into[key] ?? 0) + 1;
}
