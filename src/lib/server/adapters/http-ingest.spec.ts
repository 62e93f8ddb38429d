import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { snapshot } from '../../engine';
import { EngineSink } from './ami-engine-sink';
import { createHttpIngest, type HttpIngest, type HttpIngestOptions } from './http-ingest';
import { signBody } from './http-ingest-auth';
import type { IngestResult } from './types';

const SECRET = 'a-shared-secret-of-some-length';
const NOW = 1_763_900_000_000;

interface Harness {
	url: string;
	ingest: HttpIngest;
	sink: EngineSink;
	clock: { now: number };
}

const servers: Server[] = [];
afterEach(async () => {
	await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

async function start(options: Partial<HttpIngestOptions> = {}): Promise<Harness> {
	const sink = new EngineSink({ defaultMode: 'observe', dayStartMs: NOW - (NOW % 86_400_000) });
	const clock = { now: NOW };
	const ingest = createHttpIngest({ sink, secret: SECRET, clock: () => clock.now, log: () => {}, ...options });
	await ingest.start();
	const server = createServer((req, res) => {
		if (!ingest.handle(req, res)) {
			res.writeHead(418);
			res.end();
		}
	});
	servers.push(server);
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
	const { port } = server.address() as AddressInfo;
	return { url: `http://127.0.0.1:${port}`, ingest, sink, clock };
}

interface PostOptions {
	contentType?: string;
	secret?: string;
	timestamp?: number | string;
	signature?: string | null;
	method?: string;
}

async function post(h: Harness, path: string, body: string, o: PostOptions = {}) {
	const ts = o.timestamp ?? Math.floor(h.clock.now / 1000);
	const headers: Record<string, string> = { 'content-type': o.contentType ?? 'application/json' };
	if (o.signature !== null) {
		headers['x-heatboard-timestamp'] = String(ts);
		headers['x-heatboard-signature'] = o.signature ?? signBody(o.secret ?? SECRET, ts, body);
	}
	const res = await fetch(h.url + path, { method: o.method ?? 'POST', headers, body: o.method === 'GET' ? undefined : body });
	const text = await res.text();
	return { status: res.status, body: text === '' ? null : (JSON.parse(text) as Record<string, unknown>) };
}

/** A sink whose journal fails for a while: it refuses `refuseNext` events after letting `refuseAfter` through. */
class RefusingSink extends EngineSink {
	refuseNext = 0;
	refuseAfter = 0;
	override ingest(raw: unknown, origin: string): IngestResult {
		if (this.refuseNext > 0 && this.refuseAfter-- <= 0) {
			this.refuseNext--;
			this.refuseAfter = 0;
			return { ok: false, reason: 'journal', detail: 'ENOSPC: no space left on device' };
		}
		return super.ingest(raw, origin);
	}
}

async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
	const end = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > end) throw new Error('timed out');
		await new Promise((r) => setTimeout(r, 5));
	}
}

const ev = (e: Record<string, unknown>) => ({ v: 1, t: NOW, ...e });
const arrived = (callId: string, t = NOW) => ev({ type: 'call.arrived', id: `${callId}/a`, t, callId, queue: 'sales' });

describe('HTTP ingest: signature, timestamp, replay', () => {
	it('accepts one signed event and applies it', async () => {
		const h = await start();
		const r = await post(h, '/api/events', JSON.stringify(arrived('c1')));
		expect(r).toEqual({ status: 200, body: { accepted: 1, ignored: 0, rejected: [] } });
		expect(h.sink.engine.calls.get('c1')?.status).toBe('waiting');
		expect(h.sink.acceptedEvents[0]?.origin).toMatch(/^http:\/api\/events#1@127\.0\.0\.1\[0\]$/);
	});

	it('refuses a missing, wrong or malformed signature, or one made with another secret (401), and counts them', async () => {
		const h = await start();
		const body = JSON.stringify(arrived('c1'));
		expect((await post(h, '/api/events', body, { signature: null })).body).toMatchObject({ error: 'missing-signature' });
		expect((await post(h, '/api/events', body, { signature: `sha256=${'0'.repeat(64)}` })).status).toBe(401);
		expect((await post(h, '/api/events', body, { signature: 'sha256=zz' })).body).toMatchObject({ error: 'bad-signature' });
		expect((await post(h, '/api/events', body, { secret: 'another-secret-of-some-length' })).status).toBe(401);
		// a signature of another body
		expect((await post(h, '/api/events', body, { signature: signBody(SECRET, Math.floor(NOW / 1000), `${body} `) })).status).toBe(401);
		expect(h.ingest.stats.rejected).toEqual({ 'missing-signature': 1, 'bad-signature': 4 });
		expect(h.sink.byReason()).toEqual({ 'missing-signature': 1, 'bad-signature': 4 });
		expect(h.sink.engine.calls.size).toBe(0);
	});

	it('refuses timestamps more than 5 minutes off either way, and ones that are not unix seconds', async () => {
		const h = await start();
		const body = JSON.stringify(arrived('c1'));
		const s = Math.floor(NOW / 1000);
		expect((await post(h, '/api/events', body, { timestamp: s - 301 })).body).toMatchObject({ error: 'stale-timestamp' });
		expect((await post(h, '/api/events', body, { timestamp: s + 301 })).body).toMatchObject({ error: 'stale-timestamp' });
		expect((await post(h, '/api/events', body, { timestamp: '2025-11-23T12:00:00Z' })).body).toMatchObject({ error: 'bad-timestamp' });
		expect((await post(h, '/api/events', body, { timestamp: s - 299 })).status).toBe(200);
	});

	it('refuses a replayed signature inside the window; the same body signed again later is new', async () => {
		const h = await start();
		const body = JSON.stringify(arrived('c1'));
		const s = Math.floor(NOW / 1000);
		expect((await post(h, '/api/events', body, { timestamp: s })).status).toBe(200);
		h.clock.now += 200_000;
		expect((await post(h, '/api/events', body, { timestamp: s })).body).toMatchObject({ error: 'replayed' });
		// a resend with a new timestamp passes the door; the engine then drops the repeated event id
		const again = await post(h, '/api/events', body);
		expect(again.status).toBe(207);
		expect(again.body).toMatchObject({ accepted: 0, rejected: [{ index: 0, reason: 'duplicate' }] });
		// once out of the window the old signature is refused as stale, not remembered forever
		h.clock.now += 200_000;
		expect((await post(h, '/api/events', body, { timestamp: s })).body).toMatchObject({ error: 'stale-timestamp' });
	});

	it('a signature used on one path is refused on another (the path is not signed, the memory of signatures is shared)', async () => {
		const h = await start();
		const body = JSON.stringify({ EventType: 'task.created', TaskSid: 'WT1', TaskQueueName: 'Sales' });
		const ts = Math.floor(h.clock.now / 1000);
		expect((await post(h, '/api/events/taskrouter', body, { timestamp: ts })).status).toBe(200);
		expect(await post(h, '/api/events/connect', body, { timestamp: ts })).toMatchObject({ status: 401, body: { error: 'replayed' } });
		expect(await post(h, '/api/events', body, { timestamp: ts })).toMatchObject({ status: 401, body: { error: 'replayed' } });
	});

	it('with its memory of signatures full of fresh ones it answers 503, never forgetting one that could be replayed', async () => {
		const h = await start({ maxRemembered: 2 });
		const first = JSON.stringify(arrived('c1'));
		const ts = Math.floor(h.clock.now / 1000);
		expect((await post(h, '/api/events', first, { timestamp: ts })).status).toBe(200);
		expect((await post(h, '/api/events', JSON.stringify(arrived('c2')))).status).toBe(200);
		const busy = await post(h, '/api/events', JSON.stringify(arrived('c3')));
		expect(busy).toMatchObject({ status: 503, body: { error: 'busy' } });
		expect(await post(h, '/api/events', first, { timestamp: ts })).toMatchObject({ status: 401, body: { error: 'replayed' } });
		// once the first two are out of the window, there is room
		h.clock.now += 301_000;
		expect((await post(h, '/api/events', JSON.stringify(arrived('c3', h.clock.now)))).status).toBe(200);
		expect(h.ingest.stats.rejected).toMatchObject({ busy: 1, replayed: 1 });
	});

	it('answers 503 beyond its cap of requests in flight; a place frees when a request ends or its sender goes away', async () => {
		const h = await start({ maxInFlight: 2 });
		const { port } = new URL(h.url);
		const body = JSON.stringify(arrived('slow1'));
		// a sender that sends its headers and half its body, then waits
		const slow = (b: string, ts: number) => {
			const req = request({
				host: '127.0.0.1',
				port: Number(port),
				path: '/api/events',
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'content-length': String(Buffer.byteLength(b)),
					'x-heatboard-timestamp': String(ts),
					'x-heatboard-signature': signBody(SECRET, ts, b)
				}
			});
			const answer = new Promise<number>((resolve) => {
				req.on('response', (res) => {
					res.resume();
					resolve(res.statusCode ?? 0);
				});
				req.on('error', () => resolve(-1));
			});
			req.write(b.slice(0, 10));
			return { req, answer, finish: () => req.end(b.slice(10)) };
		};
		const ts = Math.floor(h.clock.now / 1000);
		const a = slow(body, ts);
		const b = slow(JSON.stringify(arrived('slow2')), ts);
		await until(() => h.ingest.inFlight === 2);
		const refused = await fetch(`${h.url}/api/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
		expect(refused.status).toBe(503);
		expect(refused.headers.get('retry-after')).toBe('1');
		expect(await refused.json()).toMatchObject({ error: 'busy' });
		a.finish();
		expect(await a.answer).toBe(200);
		b.req.destroy();
		await until(() => h.ingest.inFlight === 0);
		expect((await post(h, '/api/events', JSON.stringify(arrived('c9')))).status).toBe(200);
		expect(h.sink.engine.calls.has('slow1')).toBe(true);
		expect(h.sink.engine.calls.has('slow2')).toBe(false);
		expect(h.ingest.stats.rejected['busy']).toBe(1);
	});

	it('accepts either secret while one is being rotated', async () => {
		const h = await start({ secret: [SECRET, 'the-next-secret-to-be-used'] });
		expect((await post(h, '/api/events', JSON.stringify(arrived('c1')), { secret: 'the-next-secret-to-be-used' })).status).toBe(200);
		expect((await post(h, '/api/events', JSON.stringify(arrived('c2')))).status).toBe(200);
	});

	it('is an adapter: its paths answer 503 before start() and after stop()', async () => {
		const h = await start();
		await h.ingest.stop();
		await h.ingest.stop();
		const r = await post(h, '/api/events', JSON.stringify(arrived('c1')));
		expect(r).toMatchObject({ status: 503, body: { error: 'not-running' } });
		expect(h.ingest.running).toBe(false);
		await h.ingest.start();
		expect((await post(h, '/api/events', JSON.stringify(arrived('c1')))).status).toBe(200);
		expect(h.ingest.name).toBe('http-ingest:/api/events');
	});

	it('refuses a secret too short to be one', () => {
		expect(() => createHttpIngest({ sink: new EngineSink(), secret: 'short' })).toThrow(/at least 16 characters/);
	});
});

describe('HTTP ingest: the request', () => {
	it('answers only its own paths; 404 for an unknown mapping, 405 for other methods, 415 for other media types', async () => {
		const h = await start();
		expect((await fetch(`${h.url}/api/snapshot`)).status).toBe(418);
		expect((await fetch(`${h.url}/api/eventsx`, { method: 'POST' })).status).toBe(418);
		expect((await post(h, '/api/events/zendesk', '{}')).status).toBe(404);
		const get = await fetch(`${h.url}/api/events`);
		expect(get.status).toBe(405);
		expect(get.headers.get('allow')).toBe('POST');
		expect((await post(h, '/api/events', 'x=1', { contentType: 'text/plain' })).status).toBe(415);
		expect((await post(h, '/api/events', 'x=1', { contentType: 'application/x-www-form-urlencoded' })).status).toBe(415);
		expect((await post(h, '/api/events', '{}', { contentType: 'application/json; charset=latin1' })).status).toBe(415);
		expect((await post(h, '/api/events', JSON.stringify(arrived('c1')), { contentType: 'application/json; charset=UTF-8' })).status).toBe(
			200
		);
	});

	it('refuses a body over the limit with 413, whether declared or streamed', async () => {
		const h = await start({ maxBodyBytes: 1024 });
		const big = JSON.stringify({ events: Array.from({ length: 40 }, (_, i) => arrived(`c${i}`)) });
		const declared = await post(h, '/api/events', big);
		expect(declared).toMatchObject({ status: 413, body: { error: 'too-large' } });
		// chunked, no content-length: the limit is found while reading
		const ts = Math.floor(NOW / 1000);
		const streamed = await new Promise<number>((resolve, reject) => {
			const req = request(`${h.url}/api/events`, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'x-heatboard-timestamp': String(ts),
					'x-heatboard-signature': signBody(SECRET, ts, big)
				}
			});
			req.on('response', (res) => {
				res.resume();
				resolve(res.statusCode ?? 0);
			});
			req.on('error', reject);
			for (let i = 0; i < big.length; i += 100) req.write(big.slice(i, i + 100));
			req.end();
		});
		expect(streamed).toBe(413);
		expect(h.ingest.stats.rejected['too-large']).toBe(2);
		expect(h.sink.engine.calls.size).toBe(0);
	});

	it('points at the error in bad JSON (400)', async () => {
		const h = await start();
		const r = await post(h, '/api/events', '[{"type": "call.arrived",\n  "id": }]');
		expect(r.status).toBe(400);
		expect(r.body?.['error']).toBe('bad-json');
		expect(r.body?.['detail']).toBe('invalid JSON at position 34 (line 2, column 9): expected a value');
		const cut = await post(h, '/api/events', '{"type": "call.ar');
		expect(cut.body?.['detail']).toBe('invalid JSON at position 17 (line 1, column 18): expected the end of the string (")');
	});

	it('keeps the good events of a batch with bad ones in the middle (207), naming each bad one by index', async () => {
		const h = await start();
		const batch = [
			arrived('c1'),
			ev({ type: 'call.arrived', id: 'x', callId: 'c2' }), // no queue
			arrived('c3'),
			'not an event',
			ev({ type: 'call.answered', id: 'c9/ans', callId: 'c9', agentId: 'a1' }), // unknown call
			ev({ type: 'call.answered', id: 'c1/ans', t: NOW + 4000, callId: 'c1', agentId: 'a1' })
		];
		const r = await post(h, '/api/events', JSON.stringify(batch));
		expect(r.status).toBe(207);
		expect(r.body).toMatchObject({ accepted: 3, ignored: 0 });
		expect((r.body?.['rejected'] as Array<{ index: number; reason: string }>).map((x) => [x.index, x.reason])).toEqual([
			[1, 'invalid'],
			[3, 'invalid'],
			[4, 'unknownCall']
		]);
		expect(h.sink.engine.calls.get('c1')?.status).toBe('talking');
		expect(h.sink.engine.calls.get('c3')?.status).toBe('waiting');
		expect(h.ingest.stats).toMatchObject({ accepted: 3, rejected: { invalid: 2, unknownCall: 1 } });
		// {"events": [...]} is the same batch
		const wrapped = await post(h, '/api/events', JSON.stringify({ events: [arrived('c4')] }));
		expect(wrapped.body).toMatchObject({ accepted: 1 });
	});

	it('never fails on what a sender may post: any signed bytes get a 2xx or 4xx answer, and the good event after them counts', async () => {
		const h = await start();
		const paths = ['/api/events', '/api/events/taskrouter', '/api/events/connect'];
		const types = ['application/json', 'application/x-www-form-urlencoded'];
		const jsonish = fc.oneof(
			fc.json(),
			fc
				.jsonValue()
				.map((v) =>
					JSON.stringify([
						v,
						{ type: 'call.arrived' },
						{ EventType: 'task.created' },
						{ 'detail-type': 'Amazon Connect Contact Event', detail: v }
					])
				)
		);
		const bodies = fc.oneof(
			jsonish.map((j) => Buffer.from(j)),
			fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b))
		);
		await fc.assert(
			fc.asyncProperty(fc.constantFrom(...paths), fc.constantFrom(...types), bodies, async (path, type, body) => {
				// a new second each time: the same bytes twice would rightly be a replay
				h.clock.now += 1000;
				const ts = Math.floor(h.clock.now / 1000);
				const res = await fetch(h.url + path, {
					method: 'POST',
					headers: { 'content-type': type, 'x-heatboard-timestamp': String(ts), 'x-heatboard-signature': signBody(SECRET, ts, body) },
					body
				});
				await res.arrayBuffer();
				expect([200, 207, 400, 413, 415]).toContain(res.status);
			}),
			{ numRuns: 60 }
		);
		expect(h.ingest.stats.responses['500']).toBeUndefined();
		expect((await post(h, '/api/events', JSON.stringify(arrived('after-the-fuzz')))).status).toBe(200);
	});

	it('refuses a batch with more items than allowed', async () => {
		const h = await start({ maxEventsPerRequest: 2 });
		const r = await post(h, '/api/events', JSON.stringify([arrived('a'), arrived('b'), arrived('c')]));
		expect(r).toMatchObject({ status: 413, body: { error: 'too-many-events' } });
	});
});

describe('HTTP ingest: TaskRouter callbacks (form-encoded)', () => {
	const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
	const ts = (s: number) => String(Math.floor(NOW / 1000) + s);
	const common = { AccountSid: 'AC0123', WorkspaceSid: 'WS0123' };
	const task = (s: number, type: string, sid: string, extra: Record<string, string> = {}) =>
		form({ ...common, EventType: type, Sid: `EV${type}${sid}${s}`, Timestamp: ts(s), ResourceType: 'task', TaskSid: sid, ...extra });
	const worker = (s: number, activity: string, extra: Record<string, string> = {}) =>
		form({
			...common,
			EventType: 'worker.activity.update',
			Sid: `EVw${s}`,
			Timestamp: ts(s),
			WorkerSid: 'WKalice',
			WorkerName: 'Alice',
			WorkerActivityName: activity,
			...extra
		});
	const attrs = JSON.stringify({ from: '+14155550101', heat: 0.9, value: 800, lead_source: 'pricing-page' });

	it('a task answered and completed, another canceled, workers going available and on break', async () => {
		const h = await start();
		const send = async (body: string) => {
			const r = await post(h, '/api/events/taskrouter', body, { contentType: 'application/x-www-form-urlencoded' });
			expect(r.status, JSON.stringify(r.body)).toBe(200);
			return r.body;
		};
		await send(worker(0, 'Available'));
		await send(
			task(1, 'task.created', 'WT1', { TaskQueueSid: 'WQsales', TaskQueueName: 'Sales', TaskAttributes: attrs, TaskPriority: '5' })
		);
		await send(task(2, 'reservation.created', 'WT1', { WorkerSid: 'WKalice', ReservationSid: 'WR1' }));
		await send(task(6, 'reservation.accepted', 'WT1', { WorkerSid: 'WKalice', ReservationSid: 'WR1' }));
		await send(task(8, 'task.created', 'WT2', { TaskQueueName: 'Sales' }));
		await send(task(20, 'task.canceled', 'WT2', { TaskCanceledReason: 'hangup' }));
		await send(task(126, 'task.wrapup', 'WT1', { WorkerSid: 'WKalice' }));
		expect(await send(task(150, 'task.completed', 'WT1', { WorkerSid: 'WKalice' }))).toMatchObject({ accepted: 0, ignored: 1 });
		await send(worker(151, 'Break'));
		expect(await send(task(152, 'workflow.target-matched', 'WT3'))).toMatchObject({ ignored: 1 });

		const engine = h.sink.engine;
		expect(h.sink.rejected).toEqual([]);
		const day = snapshot(engine, NOW + 200_000).totals.day;
		expect(day).toMatchObject({ offered: 2, answered: 1, abandoned: 1 });
		expect(day.asa).toBe(5);
		expect(engine.agents.get('WKalice')).toMatchObject({ state: 'away', reason: 'Break', name: 'Alice' });
		const first = h.sink.acceptedEvents.map((a) => a.event as Record<string, unknown>).find((e) => e['type'] === 'call.arrived');
		expect(first).toMatchObject({
			callId: 'WT1',
			queue: 'Sales',
			caller: '+14155550101',
			heat: 0.9,
			value: 800,
			source: 'pricing-page',
			priority: 5,
			t: NOW + 1000
		});
		expect(h.ingest.stats.ignored).toEqual({ 'already-ended': 1, 'not-mapped': 1 });
	});

	it('a retried callback is the same event to the engine', async () => {
		const h = await start();
		const body = task(1, 'task.created', 'WT1', { TaskQueueName: 'Sales' });
		await post(h, '/api/events/taskrouter', body, { contentType: 'application/x-www-form-urlencoded' });
		h.clock.now += 1000;
		const retry = await post(h, '/api/events/taskrouter', body, { contentType: 'application/x-www-form-urlencoded' });
		// the mapper knows the task is in that queue already
		expect(retry).toMatchObject({ status: 200, body: { accepted: 0, ignored: 1 } });
		expect(snapshot(h.sink.engine, NOW + 5000).totals.day.offered).toBe(1);
	});

	it('a callback the sink refused (journal down) maps the same way when the sender retries, and reaches the board', async () => {
		const sink = new RefusingSink({ defaultMode: 'observe', dayStartMs: NOW - (NOW % 86_400_000) });
		const h = await start({ sink });
		const formPost = (body: string) => post(h, '/api/events/taskrouter', body, { contentType: 'application/x-www-form-urlencoded' });
		sink.refuseNext = 1;
		const created = task(1, 'task.created', 'WT1', { TaskQueueName: 'Sales' });
		const ts = Math.floor(h.clock.now / 1000);
		const exactly = () => post(h, '/api/events/taskrouter', created, { contentType: 'application/x-www-form-urlencoded', timestamp: ts });
		expect(await exactly()).toMatchObject({ status: 207, body: { accepted: 0, rejected: [{ index: 0, reason: 'journal' }] } });
		// the very same request again (same timestamp and signature): not a replay, since it was not taken
		h.clock.now += 1000;
		expect(await exactly()).toMatchObject({ status: 200, body: { accepted: 1, ignored: 0 } });
		// taken, it is good once
		expect(await exactly()).toMatchObject({ status: 401, body: { error: 'replayed' } });
		expect(sink.engine.calls.get('WT1')?.status).toBe('waiting');
		// two events from one item, the second refused: the retry's first is a duplicate the engine already has
		sink.refuseNext = 1;
		sink.refuseAfter = 1;
		const reserved = task(2, 'reservation.created', 'WT2', { WorkerSid: 'WKalice', TaskQueueName: 'Sales' });
		expect((await formPost(reserved)).body).toMatchObject({ accepted: 1, rejected: [{ index: 0, reason: 'journal' }] });
		h.clock.now += 1000;
		expect((await formPost(reserved)).body).toMatchObject({ accepted: 1, rejected: [{ index: 0, reason: 'duplicate' }] });
		expect(await formPost(task(3, 'reservation.accepted', 'WT2', { WorkerSid: 'WKalice' }))).toMatchObject({
			status: 200,
			body: { accepted: 1 }
		});
		expect(sink.engine.calls.get('WT2')).toMatchObject({ status: 'talking' });
		expect(sink.engine.counts.contradictions).toEqual({});
	});

	it('takes the same fields as JSON too', async () => {
		const h = await start();
		const r = await post(
			h,
			'/api/events/taskrouter',
			JSON.stringify([{ EventType: 'task.created', TaskSid: 'WT9', TaskQueueName: 'Sales', Timestamp: ts(0) }, { TaskSid: 'WT8' }])
		);
		expect(r).toMatchObject({
			status: 207,
			body: { accepted: 1, rejected: [{ index: 1, reason: 'invalid', detail: 'EventType is missing' }] }
		});
	});
});

describe('HTTP ingest: Amazon Connect events', () => {
	const INSTANCE = 'arn:aws:connect:us-east-1:123456789012:instance/1a2b3c4d-0000-4000-8000-000000000001';
	const QUEUE = `${INSTANCE}/queue/9f8e7d6c-0000-4000-8000-00000000000a`;
	const AGENT = `${INSTANCE}/agent/5e6f7a8b-0000-4000-8000-0000000000bb`;
	const iso = (s: number) => new Date(NOW + s * 1000).toISOString();
	const contact = (id: string, s: number, detail: Record<string, unknown>) => ({
		version: '0',
		id,
		'detail-type': 'Amazon Connect Contact Event',
		source: 'aws.connect',
		account: '123456789012',
		time: iso(s),
		region: 'us-east-1',
		resources: [`${INSTANCE}/contact/${String(detail['contactId'])}`, INSTANCE],
		detail: { instanceArn: INSTANCE, channel: 'VOICE', initiationMethod: 'INBOUND', ...detail }
	});
	const agentEvent = (id: string, s: number, type: string, status: { Name: string; Type: string }) => ({
		AWSAccountId: '123456789012',
		AgentARN: AGENT,
		EventId: id,
		EventTimestamp: iso(s),
		EventType: type,
		InstanceARN: INSTANCE,
		Version: '2019-05-25',
		CurrentAgentSnapshot: {
			AgentStatus: { ARN: `${INSTANCE}/agent-state/x`, Name: status.Name, StartTimestamp: iso(s), Type: status.Type },
			Configuration: { Username: 'jdoe', FirstName: 'Jane', LastName: 'Doe' },
			Contacts: []
		}
	});

	it('a contact event the sink refused is taken when retried (the mapping keeps nothing; the id is the EventBridge id)', async () => {
		const sink = new RefusingSink({ defaultMode: 'observe', dayStartMs: NOW - (NOW % 86_400_000) });
		const h = await start({ sink });
		const queued = JSON.stringify(
			contact('ev-1', 1, { eventType: 'QUEUED', contactId: 'c-1', queueInfo: { queueArn: QUEUE, enqueueTimestamp: iso(1) } })
		);
		sink.refuseNext = 1;
		expect(await post(h, '/api/events/connect', queued)).toMatchObject({ status: 207, body: { rejected: [{ reason: 'journal' }] } });
		h.clock.now += 1000;
		expect(await post(h, '/api/events/connect', queued)).toMatchObject({ status: 200, body: { accepted: 1 } });
		h.clock.now += 1000;
		// a third delivery (EventBridge delivers at least once) is the engine's duplicate
		expect((await post(h, '/api/events/connect', queued)).body).toMatchObject({ accepted: 0, rejected: [{ reason: 'duplicate' }] });
		expect(sink.engine.calls.get('c-1')?.status).toBe('waiting');
	});

	it('queued, connected and disconnected contacts, one abandoned, and the agent going to lunch', async () => {
		const h = await start({ connect: { queueNames: { [QUEUE]: 'Sales' } } });
		const events = [
			agentEvent('e0', 0, 'LOGIN', { Name: 'Available', Type: 'ROUTABLE' }),
			contact('e1', 1, { eventType: 'INITIATED', contactId: 'k1' }),
			contact('e2', 2, {
				eventType: 'QUEUED',
				contactId: 'k1',
				queueInfo: { queueArn: QUEUE, queueType: 'STANDARD', enqueueTimestamp: iso(2) }
			}),
			contact('e3', 9, {
				eventType: 'CONNECTED_TO_AGENT',
				contactId: 'k1',
				queueInfo: { queueArn: QUEUE, enqueueTimestamp: iso(2) },
				agentInfo: { agentArn: AGENT, connectedToAgentTimestamp: iso(9) }
			}),
			contact('e4', 10, { eventType: 'QUEUED', contactId: 'k2', queueInfo: { queueArn: QUEUE, enqueueTimestamp: iso(10) } }),
			contact('e5', 40, {
				eventType: 'DISCONNECTED',
				contactId: 'k2',
				queueInfo: { queueArn: QUEUE, enqueueTimestamp: iso(10) },
				disconnectTimestamp: iso(40)
			}),
			contact('e6', 99, {
				eventType: 'DISCONNECTED',
				contactId: 'k1',
				queueInfo: { queueArn: QUEUE },
				agentInfo: { agentArn: AGENT },
				disconnectTimestamp: iso(99)
			}),
			contact('e7', 100, { eventType: 'DISCONNECTED', contactId: 'k3' }),
			contact('e8', 101, { eventType: 'QUEUED', contactId: 'chat1', channel: 'CHAT', queueInfo: { queueArn: QUEUE } }),
			agentEvent('e9', 120, 'HEART_BEAT', { Name: 'Available', Type: 'ROUTABLE' }),
			agentEvent('e10', 130, 'STATE_CHANGE', { Name: 'Lunch', Type: 'CUSTOM' })
		];
		const r = await post(h, '/api/events/connect', JSON.stringify(events));
		expect(r).toMatchObject({ status: 200, body: { accepted: 7, ignored: 4, rejected: [] } });
		const engine = h.sink.engine;
		const sales = snapshot(engine, NOW + 200_000).queues.find((q) => q.id === 'Sales');
		expect(sales?.day).toMatchObject({ offered: 2, answered: 1, abandoned: 1, asa: 7 });
		expect(engine.agents.get('5e6f7a8b-0000-4000-8000-0000000000bb')).toMatchObject({ state: 'away', reason: 'Lunch', name: 'jdoe' });
		expect(h.ingest.stats.ignored).toEqual({ 'not-mapped': 1, 'never-queued': 1, channel: 1, heartbeat: 1 });
		// EventBridge retries deliver the same id: the engine drops it
		const retry = await post(h, '/api/events/connect', JSON.stringify(events[2]));
		expect(retry.body).toMatchObject({ rejected: [{ index: 0, reason: 'duplicate' }] });
	});

	it('names what is missing', async () => {
		const h = await start();
		const r = await post(
			h,
			'/api/events/connect',
			JSON.stringify([contact('x1', 0, { eventType: 'QUEUED', contactId: 'k1' }), { hello: 'world' }])
		);
		expect(r.body).toMatchObject({
			accepted: 0,
			rejected: [
				{ index: 0, reason: 'invalid', detail: 'QUEUED without detail.queueInfo.queueArn' },
				{ index: 1, reason: 'invalid', detail: 'neither an Amazon Connect contact event nor an agent event' }
			]
		});
	});
});
