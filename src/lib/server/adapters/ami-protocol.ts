/**
 * The Asterisk Manager Interface wire format: a banner line ("Asterisk Call Manager/5.0.1"), then
 * messages of "Key: Value" lines ended by an empty line. Asterisk writes CRLF; captures and some
 * proxies use bare LF, so both are accepted. Bytes arrive in arbitrary chunks, so the parser keeps
 * the unfinished line and only decodes complete lines: a multi-byte character split across two
 * chunks is never mangled, and bytes that are not UTF-8 become U+FFFD instead of throwing.
 */

/** One AMI message (an event, a response, or an action when parsing a client's side). */
export class AmiMessage {
	constructor(readonly fields: ReadonlyArray<readonly [string, string]>) {}

	/** The first value of a key; AMI keys are case-insensitive ("Uniqueid" vs "UniqueID"). */
	get(key: string): string | undefined {
		const want = key.toLowerCase();
		for (const [k, v] of this.fields) if (k.toLowerCase() === want) return v;
		return undefined;
	}

	/** The first present, non-empty value among several names (a field renamed between versions). */
	pick(...keys: string[]): string | undefined {
		for (const k of keys) {
			const v = this.get(k);
			if (v !== undefined && v !== '') return v;
		}
		return undefined;
	}

	get event(): string | undefined {
		return this.get('Event');
	}

	get response(): string | undefined {
		return this.get('Response');
	}

	get action(): string | undefined {
		return this.get('Action');
	}

	get actionId(): string | undefined {
		return this.get('ActionID');
	}
}

export type AmiProblemReason = 'oversized' | 'malformed-line' | 'invalid-utf8' | 'truncated';

export interface AmiProblem {
	reason: AmiProblemReason;
	detail: string;
}

export interface AmiParserHandlers {
	banner?(version: string): void;
	message(msg: AmiMessage): void;
	problem?(p: AmiProblem): void;
}

export interface AmiParserOptions {
	/** a message (or a line without an end) longer than this is dropped and counted (default 64 KiB) */
	maxMessageBytes?: number;
}

export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;
const BANNER = /^Asterisk Call Manager\/(\S+)/;
const LF = 0x0a;
const CR = 0x0d;
const decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * Streaming parser. `push` takes whatever bytes arrived; complete messages go to the handlers in
 * order. Never throws on input: whatever it cannot use is reported as a problem and skipped.
 */
export class AmiParser {
	private readonly max: number;
	private pending: Buffer = Buffer.alloc(0);
	private fields: Array<[string, string]> = [];
	private messageBytes = 0;
	/** an oversized message is being skipped up to its blank line */
	private discarding = false;
	/** the current line already overflowed: drop bytes up to its end */
	private skippingLine = false;
	private sawFirstLine = false;

	constructor(
		private readonly handlers: AmiParserHandlers,
		options: AmiParserOptions = {}
	) {
		this.max = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
	}

	push(chunk: Uint8Array): void {
		let data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : Buffer.from(chunk);
		let start = 0;
		for (;;) {
			const nl = data.indexOf(LF, start);
			if (nl < 0) break;
			let end = nl;
			if (end > start && data[end - 1] === CR) end--;
			if (this.skippingLine) this.skippingLine = false;
			else this.line(data.subarray(start, end));
			start = nl + 1;
		}
		data = data.subarray(start);
		if (this.skippingLine) data = Buffer.alloc(0);
		else if (data.length > this.max) {
			// a line that never ends must not grow without bound
			this.report('oversized', `a line of more than ${this.max} bytes without an end`);
			this.skippingLine = true;
			this.startDiscarding();
			data = Buffer.alloc(0);
		}
		// copy: the caller's chunk may be reused
		this.pending = Buffer.from(data);
	}

	/** The connection ended: an unfinished message is dropped and counted. */
	end(): void {
		if (this.fields.length > 0 || this.pending.length > 0) {
			this.report('truncated', `connection ended inside a message (${this.fields.length} complete lines)`);
		}
		this.reset();
		this.pending = Buffer.alloc(0);
		this.skippingLine = false;
		this.sawFirstLine = false;
	}

	private line(bytes: Buffer): void {
		if (bytes.length === 0) {
			if (this.discarding) this.discarding = false;
			else if (this.fields.length > 0) this.handlers.message(new AmiMessage(this.fields));
			this.reset();
			return;
		}
		if (this.discarding) return;
		this.messageBytes += bytes.length + 2;
		if (this.messageBytes > this.max) {
			this.report('oversized', `a message of more than ${this.max} bytes (dropped)`);
			this.startDiscarding();
			return;
		}
		const text = decoder.decode(bytes);
		if (text.includes('\uFFFD')) this.report('invalid-utf8', `bytes that are not UTF-8 in "${preview(text)}"`);
		if (!this.sawFirstLine) {
			this.sawFirstLine = true;
			const banner = BANNER.exec(text);
			if (banner !== null && this.fields.length === 0) {
				this.messageBytes = 0;
				this.handlers.banner?.(banner[1] ?? '');
				return;
			}
		}
		const colon = text.indexOf(':');
		if (colon <= 0) {
			this.report('malformed-line', `not a "Key: Value" line: "${preview(text)}"`);
			return;
		}
		this.fields.push([text.slice(0, colon).trim(), text.slice(colon + 1).replace(/^[ \t]+/, '')]);
	}

	private startDiscarding(): void {
		this.reset();
		this.discarding = true;
	}

	private reset(): void {
		this.fields = [];
		this.messageBytes = 0;
	}

	private report(reason: AmiProblemReason, detail: string): void {
		this.handlers.problem?.({ reason, detail });
	}
}

function preview(s: string): string {
	const flat = s.replace(/[\u0000-\u001f]/g, ' ');
	return flat.length > 60 ? `${flat.slice(0, 60)}…` : flat;
}

/** Writes an action (or, for a test peer, an event) in wire form: CRLF lines and a blank line. */
export function formatAmiMessage(fields: ReadonlyArray<readonly [string, string]> | Record<string, string>): string {
	const pairs = Array.isArray(fields) ? fields : Object.entries(fields);
	let out = '';
	for (const [k, v] of pairs) {
		// a CR or LF inside a value would end the line early and let a value inject fields
		out += `${k}: ${String(v).replace(/[\r\n]+/g, ' ')}\r\n`;
	}
	return `${out}\r\n`;
}
