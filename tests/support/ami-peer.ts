/**
 * A scripted Asterisk Manager Interface peer on a real TCP server on 127.0.0.1, for the AMI
 * adapter's tests. Per connection it does what Asterisk does: sends the banner, answers Login
 * (Success, or Error and hang up), then plays that connection's script of captured server blocks;
 * meanwhile it answers Ping, Logoff and any other action the way Asterisk would. A script can cut
 * the link in the middle of a block, and the whole peer can be restarted on the same port.
 *
 * Captures are text blocks separated by blank lines (panoramisk's fixture format): a block whose
 * first line is an `Action:` is what the client sent, the others are what Asterisk sent. The peer
 * only plays the server blocks; the client's own actions get live answers instead.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';

export interface CaptureBlock {
	from: 'client' | 'server';
	/** the block's lines joined with "\n", without the blank line that ends it */
	text: string;
}

/** Splits a capture into blocks; lines are compared without their CR, so CRLF and LF files read the same. */
export function parseCapture(text: string): CaptureBlock[] {
	const blocks: CaptureBlock[] = [];
	let lines: string[] = [];
	const flush = () => {
		if (lines.length === 0) return;
		const first = lines[0] ?? '';
		blocks.push({ from: /^action\s*:/i.test(first) ? 'client' : 'server', text: lines.join('\n') });
		lines = [];
	};
	for (const raw of text.split('\n')) {
		const line = raw.replace(/\r$/, '');
		if (line.trim() === '') flush();
		else lines.push(line);
	}
	flush();
	return blocks;
}

/** The server blocks of a capture, in order. */
export function serverBlocks(text: string): string[] {
	return parseCapture(text)
		.filter((b) => b.from === 'server')
		.map((b) => b.text);
}

/** A block on the wire: each line ended by `eol`, then an empty line. */
export function toWire(block: string, eol: '\r\n' | '\n' = '\r\n'): string {
	return (
		block
			.split('\n')
			.map((l) => l + eol)
			.join('') + eol
	);
}

export interface PeerConnectionScript {
	/** server blocks sent after a successful login, in order; bytes are sent as they are (garbage, bad encodings) */
	blocks: Array<string | Uint8Array>;
	/** hang up inside block `block` after `byte` bytes of its wire form (the rest is never sent) */
	dropAt?: { block: number; byte: number };
	/** write in chunks of at most this many bytes (default: a block per write) */
	chunkBytes?: number;
	/**
	 * The answer to `QueueStatus` on this connection: these events (QueueParams, QueueMember,
	 * QueueEntry), each given the action's ActionID, then QueueStatusComplete (with the last one's
	 * Timestamp, if it has one). With it, `blocks` are played after that answer, as events that
	 * happen after the status was taken; without it, `blocks` follow the login at once and
	 * QueueStatus gets a bare Success.
	 */
	queueStatus?: string[];
}

export interface AmiPeerOptions {
	username: string;
	secret: string;
	/** a port to listen on (default a free one) */
	port?: number;
	banner?: string;
	/** one script per connection, in order of connection; later connections get none */
	scripts?: PeerConnectionScript[];
	/** refuse this many logins first, even with the right secret */
	refuseLogins?: number;
	/** answer Ping (default true); false plays a hung Asterisk that still holds the socket */
	answerPings?: boolean;
	lineEnding?: '\r\n' | '\n';
	/** speak TLS with this key and certificate (PEM), as Asterisk does with `tlsenable = yes` */
	tls?: { key: string; cert: string };
}

export interface ReceivedAction {
	connection: number;
	fields: Record<string, string>;
}

const HOST = '127.0.0.1';

export class AmiPeer {
	port = 0;
	connections = 0;
	logins = 0;
	refused = 0;
	readonly actions: ReceivedAction[] = [];
	private server: Server | null = null;
	private readonly sockets = new Set<Socket>();

	private constructor(private readonly options: AmiPeerOptions) {}

	static async start(options: AmiPeerOptions): Promise<AmiPeer> {
		const peer = new AmiPeer(options);
		await peer.listen(options.port ?? 0);
		return peer;
	}

	/** Actions the client sent with this `Action:` name (case-insensitive). */
	actionsNamed(name: string): ReceivedAction[] {
		return this.actions.filter((a) => (a.fields['action'] ?? '').toLowerCase() === name.toLowerCase());
	}

	/** Hangs up every live connection, as a crashing Asterisk would. */
	dropAll(): void {
		for (const s of this.sockets) s.destroy();
	}

	async close(): Promise<void> {
		this.dropAll();
		const server = this.server;
		this.server = null;
		if (server === null) return;
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	/** Stops listening, then listens again on the same port (a restarted Asterisk). */
	async restart(): Promise<void> {
		const port = this.port;
		await this.close();
		await this.listen(port);
	}

	async waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
		const until = Date.now() + timeoutMs;
		while (!condition()) {
			if (Date.now() > until) throw new Error(`AMI peer: timed out waiting for ${what}`);
			await new Promise((r) => setTimeout(r, 5));
		}
	}

	private listen(port: number): Promise<void> {
		const tls = this.options.tls;
		const server = tls === undefined ? createServer((socket) => this.serve(socket)) : createTlsServer(tls, (socket) => this.serve(socket));
		// a client that gives up during the TLS handshake must not take the test process down
		server.on('tlsClientError', () => {});
		this.server = server;
		return new Promise((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, HOST, () => {
				const address = server.address();
				if (address !== null && typeof address === 'object') this.port = address.port;
				resolve();
			});
		});
	}

	private serve(socket: Socket): void {
		const connection = ++this.connections;
		const eol = this.options.lineEnding ?? '\r\n';
		this.sockets.add(socket);
		// Nagle plus the client's delayed ACK would hold a reply up to 40 ms, longer than the tests' pings
		socket.setNoDelay(true);
		socket.on('close', () => this.sockets.delete(socket));
		socket.on('error', () => {});
		socket.write(`${this.options.banner ?? 'Asterisk Call Manager/5.0.1'}${eol}`);
		let buffered = '';
		const session: { script?: PeerConnectionScript } = {};
		socket.setEncoding('utf8');
		socket.on('data', (chunk: string) => {
			buffered += chunk;
			for (;;) {
				const m = /\r?\n\r?\n/.exec(buffered);
				if (m === null) return;
				const block = buffered.slice(0, m.index);
				buffered = buffered.slice(m.index + m[0].length);
				const fields: Record<string, string> = {};
				for (const line of block.split(/\r?\n/)) {
					const c = line.indexOf(':');
					if (c > 0) fields[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
				}
				this.actions.push({ connection, fields });
				this.answer(socket, fields, eol, session);
			}
		});
	}

	private answer(socket: Socket, f: Record<string, string>, eol: '\r\n' | '\n', session: { script?: PeerConnectionScript }): void {
		const id = f['actionid'] ?? '';
		const reply = (lines: string[]) => socket.write(toWire([...lines].join('\n'), eol));
		switch ((f['action'] ?? '').toLowerCase()) {
			case 'login': {
				const ok = f['username'] === this.options.username && f['secret'] === this.options.secret;
				if (!ok || this.refused < (this.options.refuseLogins ?? 0)) {
					this.refused++;
					// Asterisk answers, then ends the session
					socket.end(toWire(['Response: Error', `ActionID: ${id}`, 'Message: Authentication failed'].join('\n'), eol));
					return;
				}
				this.logins++;
				reply(['Response: Success', `ActionID: ${id}`, 'Message: Authentication accepted']);
				reply(['Event: FullyBooted', 'Privilege: system,all', 'Uptime: 1', 'LastReload: 1', 'Status: Fully Booted']);
				const script = this.options.scripts?.[this.logins - 1];
				session.script = script;
				if (script?.queueStatus === undefined) this.play(socket, script, eol);
				return;
			}
			case 'queuestatus': {
				const script = session.script;
				const status = script?.queueStatus;
				if (status === undefined) {
					reply(['Response: Success', `ActionID: ${id}`, 'Message: OK']);
					return;
				}
				reply(['Response: Success', `ActionID: ${id}`, 'EventList: start', 'Message: Queue status will follow']);
				for (const b of status) reply([b, `ActionID: ${id}`]);
				const ts = /^Timestamp: .*$/m.exec(status[status.length - 1] ?? '')?.[0];
				reply([
					'Event: QueueStatusComplete',
					...(ts === undefined ? [] : [ts]),
					`ActionID: ${id}`,
					'EventList: Complete',
					`ListItems: ${status.length}`
				]);
				session.script = undefined;
				this.play(socket, script, eol);
				return;
			}
			case 'ping':
				if (this.options.answerPings === false) return;
				reply(['Response: Success', `ActionID: ${id}`, 'Ping: Pong', `Timestamp: ${(Date.now() / 1000).toFixed(6)}`]);
				return;
			case 'logoff':
				socket.end(toWire(['Response: Goodbye', `ActionID: ${id}`, 'Message: Thanks for all the fish.'].join('\n'), eol));
				return;
			default:
				reply(['Response: Success', `ActionID: ${id}`, 'Message: OK']);
		}
	}

	private play(socket: Socket, script: PeerConnectionScript | undefined, eol: '\r\n' | '\n'): void {
		if (script === undefined) return;
		const parts: Buffer[] = [];
		let length = 0;
		let cut = -1;
		script.blocks.forEach((b, i) => {
			const w = typeof b === 'string' ? Buffer.from(toWire(b, eol), 'utf8') : Buffer.from(b);
			if (script.dropAt !== undefined && script.dropAt.block === i) cut = length + script.dropAt.byte;
			parts.push(w);
			length += w.length;
		});
		let bytes = Buffer.concat(parts);
		if (cut >= 0) bytes = bytes.subarray(0, cut);
		const size = script.chunkBytes ?? bytes.length;
		for (let i = 0; i < bytes.length; i += Math.max(1, size)) socket.write(bytes.subarray(i, i + Math.max(1, size)));
		if (cut >= 0) socket.write(Buffer.alloc(0), () => socket.destroy());
	}
}
