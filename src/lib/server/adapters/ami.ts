import { connect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { AmiMapper, type AmiMappingOptions } from './ami-mapping';
import { AmiParser, formatAmiMessage, type AmiMessage, type AmiProblemReason } from './ami-protocol';
import type { HeatEvent } from '../../engine';
import type { Adapter, EventSink, IngestResult } from './types';

/** refusals that say the sink cannot take anything now, not that the event is wrong */
const PASSING_REFUSALS = new Set(['journal']);

/** Timers the adapter schedules (reconnects, pings, timeouts); injectable so tests need not wait. */
export interface AdapterTimers {
	setTimeout(fn: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
}

const realTimers: AdapterTimers = {
	setTimeout: (fn, ms) => {
		const h = setTimeout(fn, ms);
		// a pending reconnect must not keep the process alive on its own
		h.unref?.();
		return h;
	},
	clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>)
};

export interface BackoffOptions {
	/** first delay after a failure (default 1 s) */
	initialMs?: number;
	/** the delay never grows past this (default 30 s) */
	maxMs?: number;
	/** growth per failed attempt (default 2) */
	factor?: number;
	/** share of the delay drawn at random, 0..1, so many boards do not reconnect in step (default 0.5) */
	jitter?: number;
}

export interface AmiAdapterOptions {
	host: string;
	port: number;
	username: string;
	secret: string;
	sink: EventSink;
	/**
	 * AMI over TLS (manager.conf `tlsenable = yes`, usually port 5039), so the secret and the callers'
	 * numbers do not cross the network in clear. `ca`: the PBX's certificate or its CA when it is not
	 * publicly trusted; `servername`: the name in its certificate when `host` is an address.
	 */
	tls?: boolean | { ca?: string | Buffer; servername?: string; rejectUnauthorized?: boolean };
	/** for logs and event origins (default "ami:host:port") */
	name?: string;
	/** sent as `Action: Events` / `EventMask:` after login, e.g. "agent,call"; omitted: Asterisk's default */
	eventMask?: string;
	/**
	 * Asterisk 13+ session filters, each sent as `Action: Filter` / `Operation: Add` / `Filter: <regex>`
	 * after login, e.g. ["Event: Queue", "Event: Agent"]: only matching events are sent, which spares
	 * the link the dialplan chatter on a busy PBX (needs the manager user's "system" write permission)
	 */
	eventFilters?: string[];
	/**
	 * ask for `QueueStatus` after each login so members are known without waiting for a change, and
	 * calls whose end was lost while the link was down are ended (default true)
	 */
	queueStatusOnLogin?: boolean;
	mapping?: AmiMappingOptions;
	backoff?: BackoffOptions;
	/** keepalive `Ping` period (default 20 s); no answer by the next ping means the link is dead */
	pingIntervalMs?: number;
	/** banner and login must complete within this (default 10 s) */
	loginTimeoutMs?: number;
	/** connect attempt timeout (default 10 s) */
	connectTimeoutMs?: number;
	/** larger messages are dropped and counted (default 64 KiB) */
	maxMessageBytes?: number;
	/**
	 * events kept, in order, while the sink refuses them for a passing reason (its journal cannot be
	 * written) and offered again with each message from the PBX (default 10,000; past it the newest
	 * are dropped and counted)
	 */
	maxHeld?: number;
	/** wall clock for events without a `Timestamp:` (default Date.now) */
	clock?: () => number;
	/** uniform [0,1) for the backoff jitter (default Math.random) */
	random?: () => number;
	timers?: AdapterTimers;
	log?: (line: string) => void;
}

export type AmiState = 'idle' | 'connecting' | 'logging-in' | 'up' | 'waiting' | 'stopped';

export interface AmiStats {
	connects: number;
	logins: number;
	loginFailures: number;
	disconnects: number;
	messages: number;
	/** AMI events seen, by name */
	events: Record<string, number>;
	/** engine events handed to the sink and what became of them */
	accepted: number;
	rejected: Record<string, number>;
	/** queue events that needed no engine event (repeats, unknown callers' leaves) and others not mapped */
	ignored: Record<string, number>;
	/** wire-level trouble: oversized, malformed lines, bad bytes, truncated messages */
	protocol: Record<AmiProblemReason, number>;
	/** events held back because the sink could not take them yet (journal failing), now */
	held: number;
	/** events dropped because more than `maxHeld` were waiting */
	heldDropped: number;
}

const DEFAULTS = {
	initialMs: 1000,
	maxMs: 30_000,
	factor: 2,
	jitter: 0.5,
	pingIntervalMs: 20_000,
	loginTimeoutMs: 10_000,
	connectTimeoutMs: 10_000
};

/**
 * Follows an Asterisk Manager Interface over TCP: logs in, optionally narrows the events, asks for
 * the queue status, then maps queue events to engine events for the sink. Any loss of the link
 * (close, error, a ping left unanswered, a login that stalls) ends the connection and a new one is
 * tried after an exponential, jittered backoff that resets after a successful login. Refused
 * credentials are logged plainly and retried on the same backoff: an operator fixing the secret
 * need not restart the server.
 *
 * `start()` resolves after the first login, or after the first attempt failed (retries go on in the
 * background), so a phone system that is down never blocks the server's start.
 */
export class AmiAdapter implements Adapter {
	readonly name: string;
	readonly stats: AmiStats = {
		connects: 0,
		logins: 0,
		loginFailures: 0,
		disconnects: 0,
		messages: 0,
		events: {},
		accepted: 0,
		rejected: {},
		ignored: {},
		protocol: { oversized: 0, 'malformed-line': 0, 'invalid-utf8': 0, truncated: 0 },
		held: 0,
		heldDropped: 0
	};
	private readonly o: AmiAdapterOptions;
	private readonly timers: AdapterTimers;
	private readonly clock: () => number;
	private readonly random: () => number;
	private readonly log: (line: string) => void;
	private readonly mapper: AmiMapper;
	private readonly origin: string;
	private _state: AmiState = 'idle';
	private socket: Socket | null = null;
	private attempt = 0;
	private actionSeq = 0;
	private loginId: string | null = null;
	private pingId: string | null = null;
	private reconnectTimer: unknown = null;
	private pingTimer: unknown = null;
	private loginTimer: unknown = null;
	private firstOutcome: (() => void) | null = null;
	private stopping: Promise<void> | null = null;
	/**
	 * Mapped events the sink could not take yet. The mapper has already moved on (AMI never sends
	 * an event twice), so dropping them would leave the engine behind it for good, e.g. a call whose
	 * end was refused talking forever.
	 */
	private readonly held: HeatEvent[] = [];

	constructor(options: AmiAdapterOptions) {
		this.o = options;
		this.name = options.name ?? `ami:${options.host}:${options.port}`;
		this.origin = this.name.startsWith('ami:') ? this.name : `ami:${this.name}`;
		this.timers = options.timers ?? realTimers;
		this.clock = options.clock ?? Date.now;
		this.random = options.random ?? Math.random;
		this.log = options.log ?? ((line: string) => console.error(line));
		this.mapper = new AmiMapper(options.mapping);
	}

	get state(): AmiState {
		return this._state;
	}

	start(): Promise<void> {
		if (this._state !== 'idle') return Promise.resolve();
		return new Promise((resolve) => {
			this.firstOutcome = resolve;
			this.connect();
		});
	}

	stop(): Promise<void> {
		if (this.stopping !== null) return this.stopping;
		const wasUp = this._state === 'up';
		this._state = 'stopped';
		this.clearTimers();
		this.settleStart();
		const socket = this.socket;
		this.stopping = new Promise<void>((resolve) => {
			if (socket === null || socket.destroyed) return resolve();
			socket.once('close', () => resolve());
			if (!wasUp) return void socket.destroy();
			// a polite Logoff; Asterisk answers "Goodbye" and closes, else we close after a moment
			const cut = this.timers.setTimeout(() => socket.destroy(), 1000);
			socket.once('close', () => this.timers.clearTimeout(cut));
			socket.end(formatAmiMessage({ Action: 'Logoff', ActionID: this.nextActionId() }));
		});
		return this.stopping;
	}

	private connect(): void {
		if (this._state === 'stopped') return;
		this._state = 'connecting';
		this.stats.connects++;
		const socket = this.open();
		this.socket = socket;
		socket.setNoDelay(true);
		socket.setTimeout(this.o.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs);
		const parser = new AmiParser(
			{
				banner: () => this.login(socket),
				message: (m) => {
					// a fault in a sink or the mapping must not take the process down from a socket callback
					try {
						this.onMessage(socket, m);
					} catch (err) {
						this.count(this.stats.rejected, 'internal');
						this.log(
							`${this.name}: ${m.event ?? m.response ?? 'message'} not handled: ${err instanceof Error ? err.message : String(err)}`
						);
					}
				},
				problem: (p) => {
					this.stats.protocol[p.reason]++;
					// lost messages are refusals; a stray line or a bad byte inside a kept message is only counted
					if (p.reason === 'oversized' || p.reason === 'truncated')
						this.o.sink.reject({ reason: `ami-${p.reason}`, detail: `${this.name}: ${p.detail}` }, this.origin);
				}
			},
			{ maxMessageBytes: this.o.maxMessageBytes }
		);
		socket.on('connect', () => {
			socket.setTimeout(0);
			this._state = 'logging-in';
			this.loginTimer = this.timers.setTimeout(
				() => this.drop(socket, `no banner and login within ${this.o.loginTimeoutMs ?? DEFAULTS.loginTimeoutMs} ms`),
				this.o.loginTimeoutMs ?? DEFAULTS.loginTimeoutMs
			);
		});
		socket.on('timeout', () => this.drop(socket, 'connect timed out'));
		socket.on('data', (chunk: Buffer) => {
			if (this.socket === socket) parser.push(chunk);
		});
		socket.on('error', (err) => {
			if (this.socket === socket && this._state !== 'stopped') this.log(`${this.name}: ${err.message}`);
		});
		socket.on('close', () => {
			parser.end();
			this.onClose(socket);
		});
	}

	private open(): Socket {
		const { host, port, tls } = this.o;
		if (tls === undefined || tls === false) return connect({ host, port });
		const t = tls === true ? {} : tls;
		return tlsConnect({
			host,
			port,
			ca: t.ca,
			// SNI takes names only; an address is checked against the certificate's IP entries
			servername: t.servername ?? (isIP(host) === 0 ? host : undefined),
			rejectUnauthorized: t.rejectUnauthorized ?? true
		});
	}

	private login(socket: Socket): void {
		this.loginId = this.nextActionId();
		socket.write(formatAmiMessage({ Action: 'Login', ActionID: this.loginId, Username: this.o.username, Secret: this.o.secret }));
	}

	private onMessage(socket: Socket, m: AmiMessage): void {
		if (this.socket !== socket || this._state === 'stopped') return;
		this.stats.messages++;
		if (this.held.length > 0) this.flushHeld();
		const response = m.response;
		if (response !== undefined) return this.onResponse(socket, m, response);
		const event = m.event;
		if (event === undefined) return;
		this.stats.events[event] = (this.stats.events[event] ?? 0) + 1;
		const r = this.mapper.map(m, this.clock());
		if (r.kind === 'ignored') {
			this.stats.ignored[r.reason] = (this.stats.ignored[r.reason] ?? 0) + 1;
			return;
		}
		if (r.kind === 'malformed') {
			this.count(this.stats.rejected, 'malformed');
			this.o.sink.reject({ reason: 'malformed', detail: `${this.name}: ${r.detail}` }, this.origin);
			return;
		}
		for (const e of r.events) {
			if (this.held.length > 0) {
				this.hold(e);
				continue;
			}
			const res = this.o.sink.ingest(e, this.origin);
			if (!res.ok && PASSING_REFUSALS.has(res.reason)) this.hold(e);
			else this.outcome(res);
		}
	}

	private outcome(res: IngestResult): void {
		if (res.ok) this.stats.accepted++;
		else this.count(this.stats.rejected, res.reason);
	}

	private hold(e: HeatEvent): void {
		if (this.held.length >= (this.o.maxHeld ?? 10_000)) {
			if (this.stats.heldDropped++ === 0) this.log(`${this.name}: the sink has refused events for too long; dropping the newest`);
			return;
		}
		this.held.push(e);
		this.stats.held = this.held.length;
	}

	/**
	 * Offers the held events again, in order, until the sink refuses one for a passing reason again.
	 * They happened while the sink could not listen; told now, at their own time they would be
	 * refused as stale, so they take the time they are told at (their ids stay).
	 */
	private flushHeld(): void {
		const now = this.clock();
		let taken = 0;
		for (const e of this.held) {
			const res = this.o.sink.ingest(e.t < now ? { ...e, t: now } : e, this.origin);
			if (!res.ok && PASSING_REFUSALS.has(res.reason)) break;
			taken++;
			this.outcome(res);
		}
		this.held.splice(0, taken);
		this.stats.held = this.held.length;
	}

	private onResponse(socket: Socket, m: AmiMessage, response: string): void {
		const id = m.actionId;
		if (id !== undefined && id === this.loginId) {
			this.loginId = null;
			this.timers.clearTimeout(this.loginTimer);
			if (response.toLowerCase() !== 'success') {
				this.stats.loginFailures++;
				this.log(
					`${this.name}: login as "${this.o.username}" refused (${m.get('Message') ?? response}); check the manager.conf user and secret`
				);
				this.drop(socket, null);
				return;
			}
			this._state = 'up';
			this.stats.logins++;
			this.attempt = 0;
			this.log(`${this.name}: logged in as "${this.o.username}"`);
			if (this.o.eventMask !== undefined)
				socket.write(formatAmiMessage({ Action: 'Events', ActionID: this.nextActionId(), EventMask: this.o.eventMask }));
			for (const filter of this.o.eventFilters ?? [])
				socket.write(formatAmiMessage({ Action: 'Filter', ActionID: this.nextActionId(), Operation: 'Add', Filter: filter }));
			if (this.o.queueStatusOnLogin ?? true) {
				// what happened while the link was down is not replayed: the reply says what is true now
				this.mapper.beginQueueStatus();
				socket.write(formatAmiMessage({ Action: 'QueueStatus', ActionID: this.nextActionId() }));
			}
			this.schedulePing(socket);
			this.settleStart();
			return;
		}
		if (id !== undefined && id === this.pingId) this.pingId = null;
	}

	private schedulePing(socket: Socket): void {
		const every = this.o.pingIntervalMs ?? DEFAULTS.pingIntervalMs;
		if (every <= 0) return;
		this.pingTimer = this.timers.setTimeout(() => {
			if (this.socket !== socket || this._state !== 'up') return;
			if (this.pingId !== null) return this.drop(socket, `no answer to Ping within ${every} ms`);
			this.pingId = this.nextActionId();
			socket.write(formatAmiMessage({ Action: 'Ping', ActionID: this.pingId }));
			this.schedulePing(socket);
		}, every);
	}

	/** Ends this connection; the close handler schedules the next one. */
	private drop(socket: Socket, why: string | null): void {
		if (why !== null) this.log(`${this.name}: ${why}; reconnecting`);
		socket.destroy();
	}

	private onClose(socket: Socket): void {
		if (this.socket !== socket) return;
		this.socket = null;
		this.loginId = null;
		this.pingId = null;
		this.clearTimers();
		if (this._state === 'stopped') return;
		this.stats.disconnects++;
		this.settleStart();
		this._state = 'waiting';
		const delay = Math.round(this.backoff());
		this.attempt++;
		this.log(`${this.name}: connection closed; next attempt in ${delay} ms`);
		this.reconnectTimer = this.timers.setTimeout(() => this.connect(), delay);
	}

	/** Exponential from `initialMs`, capped at `maxMs`, with the top `jitter` share drawn at random. */
	private backoff(): number {
		const b = this.o.backoff ?? {};
		const initial = b.initialMs ?? DEFAULTS.initialMs;
		const max = b.maxMs ?? DEFAULTS.maxMs;
		const factor = b.factor ?? DEFAULTS.factor;
		const jitter = Math.min(1, Math.max(0, b.jitter ?? DEFAULTS.jitter));
		const full = Math.min(max, initial * factor ** this.attempt);
		return full * (1 - jitter) + full * jitter * this.random();
	}

	private settleStart(): void {
		const f = this.firstOutcome;
		this.firstOutcome = null;
		f?.();
	}

	private clearTimers(): void {
		for (const h of [this.reconnectTimer, this.pingTimer, this.loginTimer]) if (h !== null) this.timers.clearTimeout(h);
		this.reconnectTimer = this.pingTimer = this.loginTimer = null;
	}

	private nextActionId(): string {
		return `heatboard-${++this.actionSeq}`;
	}

	private count(into: Record<string, number>, key: string): void {
		into[key] = (into[key] ?? 0) + 1;
	}
}
