import { mkdtempSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import type { Adapter, EventSink } from '../adapters/types';
import { createAdapters, startAdapters, stopAdapters, type AdapterFactories } from './adapters';
import type { LiveConfig } from './config';
import { TelephonySource } from './telephony-source';

/**
 * A real (if tiny) adapter for the tests: listens on loopback and hands each JSON line it receives
 * to the sink, a malformed one to sink.reject.
 */
class JsonLinesAdapter implements Adapter {
	private server: Server | null = null;
	constructor(
		readonly name: string,
		private readonly sink: EventSink,
		private port: number
	) {}
	get address(): number {
		return this.port;
	}
	async start(): Promise<void> {
		const server = createServer((socket) => {
			createInterface({ input: socket }).on('line', (line) => {
				let raw: unknown;
				try {
					raw = JSON.parse(line);
				} catch {
					this.sink.reject({ reason: 'malformed', detail: `not JSON: ${line.slice(0, 40)}` }, `${this.name}:${socket.remotePort}`);
					return;
				}
				const r = this.sink.ingest(raw, `${this.name}:${socket.remotePort}`);
				socket.write(`${r.ok ? 'ok' : r.reason}\n`);
			});
		});
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(this.port, '127.0.0.1', () => resolve());
		});
		this.server = server;
		const addr = server.address();
		if (addr !== null && typeof addr === 'object') this.port = addr.port;
	}
	async stop(): Promise<void> {
		const s = this.server;
		this.server = null;
		if (s !== null) await new Promise<void>((resolve) => s.close(() => resolve()));
	}
	get listening(): boolean {
		return this.server?.listening ?? false;
	}
}

const config = (over: Partial<LiveConfig> = {}): LiveConfig => ({
	name: 'PBX 1',
	journalDir: mkdtempSync(join(tmpdir(), 'hb-live-adapters-')),
	tzOffsetMinutes: 0,
	queueLog: null,
	ami: null,
	ingestSecret: null,
	...over
});

describe('createAdapters', () => {
	it('makes the configured adapters from the factories given, with their settings and the sink', () => {
		const made: string[] = [];
		const sink: EventSink = { ingest: () => ({ ok: true }), reject: () => {} };
		const fake = (name: string): Adapter => ({ name, start: async () => {}, stop: async () => {} });
		const factories: AdapterFactories = {
			queueLog: (o) => (made.push(`queue_log ${o.path}`), fake('queue_log')),
			ami: (o) => (made.push(`ami ${o.host}:${o.port} ${o.user}`), fake('ami')),
			httpIngest: (o) => (made.push(`http ${o.secret.length}`), fake('http'))
		};
		const cfg = config({
			queueLog: '/var/log/asterisk/queue_log',
			ami: { host: 'pbx', port: 5038, user: 'hb', secret: 'x' },
			ingestSecret: 's'.repeat(20)
		});
		const adapters = createAdapters(cfg, { sink, log: () => {} }, factories);
		expect(adapters.map((a) => a.name)).toEqual(['queue_log', 'ami', 'http']);
		expect(made).toEqual(['queue_log /var/log/asterisk/queue_log', 'ami pbx:5038 hb', 'http 20']);
		expect(createAdapters(config({ ingestSecret: 's'.repeat(20) }), { sink, log: () => {} }, factories).map((a) => a.name)).toEqual([
			'http'
		]);
	});

	it('refuses a configured adapter it has no factory for, naming every one', () => {
		const sink: EventSink = { ingest: () => ({ ok: true }), reject: () => {} };
		const cfg = config({ queueLog: '/q', ami: { host: 'pbx', port: 5038, user: 'hb', secret: 'x' } });
		expect(() => createAdapters(cfg, { sink, log: () => {} }, {})).toThrow(
			/no queue_log adapter\n {2}HEATBOARD_AMI is set, but this server has no AMI adapter/
		);
	});
});

describe('adapters on a live source', () => {
	it('deliver over a real socket into the source; one that cannot start stops the others', async () => {
		let now = Date.UTC(2026, 10, 23, 9);
		const cfg = config({ queueLog: '/unused', ingestSecret: 's'.repeat(20) });
		const src = new TelephonySource({ name: cfg.name, journalDir: cfg.journalDir, now: () => now });
		src.start();
		const first = new JsonLinesAdapter('json', src, 0);
		const adapters = createAdapters(
			cfg,
			{ sink: src, log: () => {} },
			{ queueLog: (o) => new JsonLinesAdapter('json', o.sink, 0), httpIngest: () => first }
		);
		expect(adapters[1]).toBe(first);
		// a port already taken: a real listen error on the second start
		const blocker = createServer();
		await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
		const taken = (blocker.address() as { port: number }).port;
		const clash = new JsonLinesAdapter('clash', src, taken);
		const made = adapters[0] as JsonLinesAdapter;
		await expect(startAdapters([made, clash])).rejects.toThrow(/live adapter clash did not start: .*EADDRINUSE/);
		expect(made.listening).toBe(false); // started, then stopped again
		await new Promise<void>((r) => blocker.close(() => r()));

		await startAdapters([first]);
		const socket = createConnection(first.address, '127.0.0.1');
		const replies = createInterface({ input: socket });
		const answers: string[] = [];
		const got = new Promise<void>((resolve) =>
			replies.on('line', (l) => {
				answers.push(l);
				if (answers.length === 3) resolve();
			})
		);
		socket.write(`${JSON.stringify({ type: 'call.arrived', id: 'c1', t: now, callId: 'c1', queue: 'sales' })}\n`);
		socket.write('garbage\n');
		socket.write(`${JSON.stringify({ type: 'call.arrived', id: 'c1', t: now, callId: 'c1', queue: 'sales' })}\n`);
		socket.write(`${JSON.stringify({ type: 'call.abandoned', id: 'c1x', t: now, callId: 'zz' })}\n`);
		await got;
		expect(answers).toEqual(['ok', 'duplicate', 'unknownCall']);
		socket.destroy();
		expect(await stopAdapters([first])).toEqual([]);
		now += 1000;
		src.advance();
		expect(src.engine.calls.get('c1')?.status).toBe('waiting');
		expect(src.stats().origins.json).toMatchObject({ accepted: 1, rejected: { malformed: 1, duplicate: 1, unknownCall: 1 } });
	});
});
