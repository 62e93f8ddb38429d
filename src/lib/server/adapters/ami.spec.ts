import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { snapshot } from '../../engine';
import { AmiPeer, serverBlocks, type AmiPeerOptions } from '../../../../tests/support/ami-peer';
import { AmiAdapter, type AmiAdapterOptions } from './ami';
import { EngineSink } from './ami-engine-sink';
import type { IngestResult } from './types';

const capture = readFileSync(new URL('../../../../tests/fixtures/ami/asterisk16-queue-calls.txt', import.meta.url), 'utf8');
const BLOCKS = serverBlocks(capture);
const T0 = 1_763_900_000_000;
const USER = 'heatboard';
const SECRET = 's3cret';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
	while (cleanup.length > 0) await cleanup.pop()?.();
});

async function peer(options: Partial<AmiPeerOptions>): Promise<AmiPeer> {
	const p = await AmiPeer.start({ username: USER, secret: SECRET, ...options });
	cleanup.push(() => p.close());
	return p;
}

function adapter(p: { port: number }, sink: EngineSink, options: Partial<AmiAdapterOptions> = {}) {
	const log: string[] = [];
	const a = new AmiAdapter({
		host: '127.0.0.1',
		port: p.port,
		username: USER,
		secret: SECRET,
		sink,
		name: 'pbx1',
		pingIntervalMs: 0,
		backoff: { initialMs: 10, maxMs: 200 },
		random: () => 0.5,
		log: (line) => log.push(line),
		...options
	});
	cleanup.push(() => a.stop());
	return { adapter: a, log };
}

/**
 * A real sink whose journal fails as the live source's does: from the first event `failOn` picks, it
 * refuses `failures` tries with reason "journal"; once back, the wall clock has moved on to `wallAfter`
 * and, like the live source, it refuses as stale an event more than 5 s behind it.
 */
class JournalDownSink extends EngineSink {
	failOn: (raw: unknown) => boolean = () => false;
	failures = 0;
	refusedTries = 0;
	wall = T0;
	wallAfter = T0;
	private down = false;
	override ingest(raw: unknown, origin: string): IngestResult {
		if (!this.down && this.failures > 0 && this.failOn(raw)) this.down = true;
		if (this.down && this.failures > 0) {
			this.failures--;
			this.refusedTries++;
			if (this.failures === 0) {
				this.down = false;
				this.wall = this.wallAfter;
			}
			return { ok: false, reason: 'journal', detail: 'cannot be journaled: ENOSPC' };
		}
		const t = (raw as { t?: number }).t ?? 0;
		if (t < this.wall - 5000) {
			this.rejected.push({ reason: 'stale', detail: `t=${t}`, origin });
			return { ok: false, reason: 'stale', detail: `t=${t}` };
		}
		return super.ingest(raw, origin);
	}
}

const newSink = () => new EngineSink({ defaultMode: 'observe', dayStartMs: T0 - (T0 % 86_400_000) });

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
	const end = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 5));
	}
}

/** Every queue event of the capture has been through the mapper. */
const allSeen =
	(a: AmiAdapter, n = BLOCKS.length) =>
	() =>
		Object.entries(a.stats.events).reduce((s, [k, v]) => s + (k === 'FullyBooted' ? 0 : v), 0) >= n;

function expectTheDay(sink: EngineSink): void {
	const day = snapshot(sink.engine, T0 + 400_000).totals.day;
	expect(day).toMatchObject({ offered: 5, answered: 3, abandoned: 1 });
	expect(sink.engine.statusCount).toMatchObject({ ended: 3, abandoned: 1, voicemail: 1 });
	expect(sink.engine.agents.get('PJSIP/1003')).toMatchObject({ state: 'away', reason: 'lunch' });
	expect(sink.engine.counts.contradictions).toEqual({});
}

describe('AmiAdapter over a real TCP socket', () => {
	it('logs in, asks for the queue status and narrows events, then maps the capture into the engine', async () => {
		const p = await peer({ scripts: [{ blocks: BLOCKS }] });
		const sink = newSink();
		const { adapter: a, log } = adapter(p, sink, { eventMask: 'agent,call', eventFilters: ['Event: Queue', 'Event: Agent'] });
		await a.start();
		expect(a.state).toBe('up');
		await until(allSeen(a), 'the capture');
		expectTheDay(sink);
		expect(sink.rejected).toEqual([]);
		expect(a.stats).toMatchObject({ connects: 1, logins: 1, loginFailures: 0, disconnects: 0 });
		expect(a.stats.accepted).toBe(sink.accepted);
		expect(sink.acceptedEvents[0]?.origin).toBe('ami:pbx1');
		const login = p.actionsNamed('Login')[0]?.fields;
		expect(login).toMatchObject({ username: USER, secret: SECRET });
		expect(login?.['actionid']).toBeTruthy();
		await until(() => p.actionsNamed('QueueStatus').length > 0, 'the actions after login');
		expect(p.actionsNamed('Events')[0]?.fields).toMatchObject({ eventmask: 'agent,call' });
		expect(p.actionsNamed('Filter').map((f) => [f.fields['operation'], f.fields['filter']])).toEqual([
			['Add', 'Event: Queue'],
			['Add', 'Event: Agent']
		]);
		expect(p.actionsNamed('QueueStatus')).toHaveLength(1);
		expect(log).toContain('pbx1: logged in as "heatboard"');
	});

	it('plays an Asterisk 11 capture (panoramisk): AMI 1.3 banner, answers to pings it never sent ignored, members created', async () => {
		const old = readFileSync(new URL('../../../../tests/fixtures/ami/panoramisk_agent_loggued_in.yaml', import.meta.url), 'utf8');
		const blocks = serverBlocks(old);
		const p = await peer({ banner: 'Asterisk Call Manager/1.3', scripts: [{ blocks }] });
		const sink = newSink();
		const { adapter: a } = adapter(p, sink);
		await a.start();
		await until(() => a.stats.messages >= blocks.length + 2, 'the capture');
		expect(a.state).toBe('up');
		expect(sink.rejected).toEqual([]);
		expect(sink.engine.agents.get('Local/id-1@agentcallback')).toMatchObject({ state: 'available', name: 'Agent/401' });
		expect(sink.engine.agents.get('Local/id-3@agentcallback')).toMatchObject({ state: 'available', name: 'Agent/402' });
		expect(a.stats.events['QueueMemberStatus']).toBe(3);
	});

	it('speaks TLS: logs in to a PBX whose certificate it trusts, and refuses one it does not', async () => {
		const tlsFile = (name: string) => readFileSync(new URL(`../../../../tests/fixtures/ami/tls/${name}`, import.meta.url), 'utf8');
		const tls = { key: tlsFile('pbx-key.pem'), cert: tlsFile('pbx-cert.pem') };
		const p = await peer({ tls, scripts: [{ blocks: BLOCKS }] });
		const sink = newSink();
		const { adapter: a } = adapter(p, sink, { tls: { ca: tls.cert } });
		await a.start();
		expect(a.state).toBe('up');
		await until(allSeen(a), 'the capture');
		expectTheDay(sink);

		const q = await peer({ tls });
		const { adapter: b, log } = adapter(q, newSink(), { tls: true });
		await b.start();
		await until(() => b.stats.connects >= 2, 'a second attempt');
		expect(b.stats.logins).toBe(0);
		expect(q.actionsNamed('Login')).toHaveLength(0);
		expect(log[0]).toMatch(/^pbx1: self[- ]signed certificate/);
	});

	it('reads a peer that ends lines with LF only', async () => {
		const p = await peer({ scripts: [{ blocks: BLOCKS }], lineEnding: '\n' });
		const sink = newSink();
		const { adapter: a } = adapter(p, sink);
		await a.start();
		await until(allSeen(a), 'the capture');
		expectTheDay(sink);
	});

	it('reconnects after a drop mid-call: what was lost is not replayed, the QueueStatus reply ends the calls it no longer reports', async () => {
		// the link dies inside block 11: 1001 is talking on .101, .105 rings at 1002
		const at = 11;
		const ts = 'Timestamp: 1763900199.000000';
		const member = (iface: string, name: string, queue: string, paused: string, reason = '') =>
			[
				'Event: QueueMember',
				`Queue: ${queue}`,
				`Name: ${name}`,
				`Location: ${iface}`,
				`StateInterface: ${iface}`,
				'Membership: dynamic',
				'Penalty: 0',
				'CallsTaken: 1',
				'LastCall: 1763900194',
				'LastPause: 0',
				'InCall: 0',
				'Status: 1',
				`Paused: ${paused}`,
				`PausedReason: ${reason}`,
				'Wrapuptime: 0',
				ts
			].join('\n');
		// while it was down (blocks 11 to 20, never sent): .105 rang out and was abandoned, .110 left, .101 completed.
		// Asterisk tells the present only: nobody waiting, every member idle, 1002 auto-paused, 1003 at lunch
		const status = [
			[
				'Event: QueueParams',
				'Queue: sales',
				'Max: 0',
				'Strategy: ringall',
				'Calls: 0',
				'Holdtime: 4',
				'TalkTime: 180',
				'Completed: 1',
				'Abandoned: 2',
				ts
			].join('\n'),
			member('PJSIP/1001', 'Alice Martin', 'sales', '0'),
			member('PJSIP/1002', 'Bob Okafor', 'sales', '1', 'Auto-Pause'),
			member('PJSIP/1003', 'Carol Diaz', 'support', '1', 'lunch')
		];
		const p = await peer({
			scripts: [
				{ blocks: BLOCKS.slice(0, at + 1), dropAt: { block: at, byte: 40 } },
				{ queueStatus: status, blocks: BLOCKS.slice(21) }
			]
		});
		const sink = newSink();
		const { adapter: a, log } = adapter(p, sink);
		await a.start();
		await until(() => a.stats.logins === 2, 'the second login');
		await until(
			() => (a.stats.events['AgentComplete'] ?? 0) >= 2 && (a.stats.events['QueueMemberStatus'] ?? 0) >= 7,
			'the events after the reconnect'
		);
		const e = sink.engine;
		// no phantom: the call lost mid-talk ended, the one lost ringing left, and the next calls went through
		expect(e.statusCount).toMatchObject({ waiting: 0, ringing: 0, talking: 0, ended: 3, abandoned: 1 });
		expect(e.counts.contradictions).toEqual({});
		expect(sink.byReason()).toEqual({ 'ami-truncated': 1 });
		const answers = sink.acceptedEvents.map((x) => x.event as Record<string, unknown>).filter((x) => x['type'] === 'call.answered');
		expect(answers.map((x) => [x['callId'], x['agentId']])).toEqual([
			['1763900010.101', 'PJSIP/1001'],
			['1763900200.120', 'PJSIP/1001'],
			['1763900210.125', 'PJSIP/1002']
		]);
		expect(e.agents.get('PJSIP/1001')).toMatchObject({ state: 'available', call: null });
		expect(e.agents.get('PJSIP/1002')).toMatchObject({ state: 'available', call: null });
		expect(e.agents.get('PJSIP/1003')).toMatchObject({ state: 'away', reason: 'lunch' });
		expect(a.stats).toMatchObject({ connects: 2, disconnects: 1 });
		expect(a.stats.protocol.truncated).toBe(1);
		expect(p.actionsNamed('QueueStatus').at(-1)?.connection).toBe(2);
		expect(log.some((l) => /connection closed; next attempt in \d+ ms/.test(l))).toBe(true);
	});

	it('follows Asterisk through a restart on the same port', async () => {
		const p = await peer({ scripts: [{ blocks: BLOCKS.slice(0, 10) }, { blocks: BLOCKS.slice(10) }] });
		const sink = newSink();
		const { adapter: a } = adapter(p, sink);
		await a.start();
		await until(allSeen(a, 10), 'the first part');
		await p.restart();
		await until(() => a.stats.logins === 2, 'the login after the restart');
		await until(allSeen(a), 'the capture');
		expectTheDay(sink);
		expect(p.connections).toBe(2);
	});

	it('refused logins are logged plainly and retried with a growing, jittered backoff', async () => {
		const p = await peer({ scripts: [{ blocks: BLOCKS }], refuseLogins: 3 });
		const sink = newSink();
		const draws = [0, 1, 0.5];
		const { adapter: a, log } = adapter(p, sink, {
			backoff: { initialMs: 20, factor: 2, jitter: 0.5, maxMs: 1000 },
			random: () => draws.shift() ?? 0.5
		});
		await a.start();
		// the first attempt failed: start() does not wait for the phone system
		expect(a.stats.loginFailures).toBe(1);
		await until(() => a.state === 'up', 'a login that works');
		expect(a.stats.loginFailures).toBe(3);
		expect(log.filter((l) => l.includes('login as "heatboard" refused (Authentication failed)'))).toHaveLength(3);
		// 20 ms × 2^n, the top half drawn at random: 0 → half the delay, 1 → all of it
		expect(log.filter((l) => l.includes('next attempt')).map((l) => Number(/in (\d+) ms/.exec(l)?.[1]))).toEqual([10, 40, 60]);
		await until(allSeen(a), 'the capture');
		expectTheDay(sink);
	});

	it('a wrong secret never gets in, and each try is counted', async () => {
		const p = await peer({});
		const sink = newSink();
		const { adapter: a, log } = adapter(p, sink, { secret: 'wrong' });
		await a.start();
		await until(() => a.stats.loginFailures >= 3, 'three refusals');
		expect(p.logins).toBe(0);
		expect(a.state).not.toBe('up');
		expect(log[0]).toMatch(/pbx1: login as "heatboard" refused \(Authentication failed\); check the manager.conf user and secret/);
	});

	it('start() resolves when nothing listens yet; the adapter logs in once Asterisk is up', async () => {
		const probe = await AmiPeer.start({ username: USER, secret: SECRET });
		const port = probe.port;
		await probe.close();
		const sink = newSink();
		const { adapter: a } = adapter({ port }, sink, { backoff: { initialMs: 20, maxMs: 40 } });
		await a.start();
		expect(a.state).toBe('waiting');
		const p = await peer({ port, scripts: [{ blocks: BLOCKS }] });
		await until(() => a.state === 'up', 'the login');
		await until(allSeen(a), 'the capture');
		expectTheDay(sink);
		expect(p.logins).toBe(1);
	});

	it('pings to keep the link alive, and drops a link whose pings go unanswered', async () => {
		const alive = await peer({});
		const { adapter: a } = adapter(alive, newSink(), { pingIntervalMs: 30 });
		await a.start();
		await until(() => alive.actionsNamed('Ping').length >= 3, 'three pings');
		expect(a.stats.connects).toBe(1);

		const hung = await peer({ answerPings: false });
		const { adapter: b, log } = adapter(hung, newSink(), { pingIntervalMs: 30 });
		await b.start();
		await until(() => b.stats.connects >= 2, 'a reconnect');
		expect(log.some((l) => l.includes('no answer to Ping within 30 ms; reconnecting'))).toBe(true);
	});

	it('events the sink cannot take yet (its journal failing) are held and offered again, in order, so no call is left talking', async () => {
		const p = await peer({ scripts: [{ blocks: BLOCKS }] });
		const sink = new JournalDownSink({ defaultMode: 'observe', dayStartMs: T0 - (T0 % 86_400_000) });
		// the journal fails as the first call ends (t = T0 + 194 s) and is back 6.5 s later, at the next caller's join
		sink.failOn = (raw) => (raw as { type?: string }).type === 'call.ended';
		sink.failures = 2;
		sink.wallAfter = T0 + 200_500;
		const { adapter: a } = adapter(p, sink, { clock: () => sink.wall });
		await a.start();
		await until(allSeen(a), 'the capture');
		await until(() => a.stats.held === 0, 'the held events taken');
		expect(sink.refusedTries).toBe(2);
		expectTheDay(sink);
		// told late, the end takes the time it was told at
		expect(sink.acceptedEvents.find((x) => (x.event as { type: string }).type === 'call.ended')?.event).toMatchObject({
			callId: '1763900010.101',
			t: T0 + 200_500
		});
		expect(sink.rejected).toEqual([]);
		expect(a.stats.rejected).toEqual({});
		expect(a.stats.accepted).toBe(sink.accepted);
	});

	it('a sink that throws costs that one message, not the link', async () => {
		const p = await peer({ scripts: [{ blocks: BLOCKS }] });
		const sink = newSink();
		const faulty = new EngineSink();
		faulty.ingest = (raw, origin) => {
			if ((raw as { type?: string }).type === 'call.answered') throw new Error('disk full');
			return sink.ingest(raw, origin);
		};
		const { adapter: a, log } = adapter(p, faulty);
		await a.start();
		await until(allSeen(a), 'the capture');
		expect(a.state).toBe('up');
		expect(a.stats.rejected['internal']).toBe(3);
		expect(log.filter((l) => l === 'pbx1: AgentConnect not handled: disk full')).toHaveLength(3);
		expect(snapshot(sink.engine, T0 + 400_000).totals.day.offered).toBe(5);
	});

	it('drops a peer that accepts the connection but never sends the banner, and tries again', async () => {
		let accepted = 0;
		const mute = createServer((socket) => {
			accepted++;
			socket.on('error', () => {});
		});
		await new Promise<void>((r) => mute.listen(0, '127.0.0.1', () => r()));
		cleanup.push(() => new Promise<void>((r) => mute.close(() => r())));
		const { port } = mute.address() as AddressInfo;
		const { adapter: a, log } = adapter({ port }, newSink(), { loginTimeoutMs: 30 });
		await a.start();
		await until(() => accepted >= 2, 'a second attempt');
		expect(a.stats.logins).toBe(0);
		expect(log[0]).toBe('pbx1: no banner and login within 30 ms; reconnecting');
	});

	it('stops cleanly: Logoff, socket closed, no more attempts; stop() is idempotent', async () => {
		const p = await peer({});
		const { adapter: a } = adapter(p, newSink());
		await a.start();
		await Promise.all([a.stop(), a.stop()]);
		await a.stop();
		expect(a.state).toBe('stopped');
		expect(p.actionsNamed('Logoff')).toHaveLength(1);
		await new Promise((r) => setTimeout(r, 50));
		expect(p.connections).toBe(1);
	});

	it('messages cut into chunks of any size make the same day', async () => {
		await fc.assert(
			fc.asyncProperty(fc.integer({ min: 1, max: 97 }), async (chunkBytes) => {
				const p = await AmiPeer.start({ username: USER, secret: SECRET, scripts: [{ blocks: BLOCKS, chunkBytes }] });
				const sink = newSink();
				const a = new AmiAdapter({
					host: '127.0.0.1',
					port: p.port,
					username: USER,
					secret: SECRET,
					sink,
					pingIntervalMs: 0,
					log: () => {}
				});
				try {
					await a.start();
					await until(allSeen(a), 'the capture');
					expectTheDay(sink);
					expect(sink.rejected).toEqual([]);
				} finally {
					await a.stop();
					await p.close();
				}
			}),
			{ numRuns: 6 }
		);
	});

	it('garbage from the peer never breaks the adapter: the link stays up and the next good event counts', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(fc.uint8Array({ minLength: 1, maxLength: 200 }), { minLength: 1, maxLength: 8 }), async (garbage) => {
				const good = ['Event: QueueCallerJoin', 'Privilege: agent,all', 'Uniqueid: 77.1', 'Queue: sales'].join('\n');
				const p = await AmiPeer.start({
					username: USER,
					secret: SECRET,
					scripts: [{ blocks: [...garbage, Buffer.from('\r\n\r\n'), good] }]
				});
				const sink = newSink();
				const a = new AmiAdapter({
					host: '127.0.0.1',
					port: p.port,
					username: USER,
					secret: SECRET,
					sink,
					pingIntervalMs: 0,
					maxMessageBytes: 4096,
					log: () => {}
				});
				try {
					await a.start();
					await until(() => sink.engine.calls.has('77.1'), 'the good event after the garbage');
					expect(a.state).toBe('up');
					expect(a.stats.connects).toBe(1);
				} finally {
					await a.stop();
					await p.close();
				}
			}),
			{ numRuns: 15 }
		);
	});
});
