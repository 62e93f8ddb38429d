import { watch, type FSWatcher } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import {
	QueueLogMapper,
	type FeedResult,
	type MappedEvent,
	type QueueLogCounts,
	type QueueLogMapperOptions
} from '../../../../simulator/import/queue-log-mapper';
import type { Adapter, EventSink } from './types';

/**
 * Follows a live Asterisk queue_log the way `tail -F` does: appended lines as they are written (a
 * line without its newline yet is held until it has one), a rotation by rename and recreate (the
 * old file is read to its end first), and a truncation in place (read again from the start). Each
 * line goes through the same QueueLogMapper as the file importer, into the sink, with the origin
 * "queue_log:<path>:<line>".
 *
 * fs.watch says when to look, where it works; a poll looks anyway, because watching is unreliable
 * on network and some container filesystems, and it is what releases calls that left a queue.
 */

export interface QueueLogTailOptions {
	path: string;
	sink: EventSink;
	/** 'end' (default): lines written from now on; 'today': first today's lines already in the file */
	from?: 'end' | 'today';
	/**
	 * With 'today', after a restart: today's lines stamped before this (epoch ms) only rebuild the
	 * mapper's memory of calls and agents, their events being in the journal already; the events of
	 * the lines from it on are delivered. `start()` resolves once the file has been read to its end.
	 */
	catchUpFrom?: number;
	/** minutes added to UTC for local time, to tell where today began (default 0) */
	tzOffsetMinutes?: number;
	/** how often to look without a watch event (default 1000 ms) */
	pollMs?: number;
	/** false: poll only */
	watch?: boolean;
	mapper?: QueueLogMapperOptions;
	/** the wall clock, epoch ms (default Date.now) */
	now?: () => number;
	log?: (line: string) => void;
}

const CHUNK = 64 * 1024;
const NEWLINE = 0x0a;
const STAMP = /^(\d{9,11})(?:\.\d+)?\|/;
/** queue_log stamps are whole seconds, floored: a line may describe a moment up to a second later */
const STAMP_SLACK_MS = 1000;

export class QueueLogTail implements Adapter {
	readonly name: string;
	private readonly path: string;
	private readonly sink: EventSink;
	private readonly mapper: QueueLogMapper;
	private readonly from: 'end' | 'today';
	private readonly tzOffsetMs: number;
	private readonly pollMs: number;
	private readonly useWatch: boolean;
	private readonly now: () => number;
	private readonly log: (line: string) => void;
	private file: FileHandle | null = null;
	private ino = -1;
	private offset = 0;
	private line = 0;
	private partial: Buffer = Buffer.alloc(0);
	private watcher: FSWatcher | null = null;
	private timer: ReturnType<typeof setInterval> | null = null;
	private running: Promise<void> | null = null;
	private again = false;
	private started = false;
	private stopped = false;
	/** 'today': lines before today's midnight are skipped until the first line of today */
	private skipBefore = Number.NEGATIVE_INFINITY;
	/** lines before this are fed to the mapper for its memory only, until the first line at or after it */
	private silentBefore = Number.NEGATIVE_INFINITY;
	private silenced = 0;

	constructor(options: QueueLogTailOptions) {
		this.path = options.path;
		this.name = `queue_log:${options.path}`;
		this.sink = options.sink;
		this.from = options.from ?? 'end';
		this.tzOffsetMs = (options.tzOffsetMinutes ?? 0) * 60_000;
		this.pollMs = options.pollMs ?? 1000;
		this.useWatch = options.watch ?? true;
		this.now = options.now ?? Date.now;
		this.log = options.log ?? (() => {});
		// the wall clock lets the mapper refuse a line stamped far ahead, which would otherwise become its idea of now
		this.mapper = new QueueLogMapper({ ...options.mapper, now: this.now });
		if (this.from === 'today' && options.catchUpFrom !== undefined) this.silentBefore = options.catchUpFrom;
	}

	/** today's lines read at start for the mapper's memory only (their events were journaled before) */
	get linesReread(): number {
		return this.silenced;
	}

	/** What the mapper made of the lines so far. */
	get counts(): QueueLogCounts {
		return this.mapper.counts;
	}

	async start(): Promise<void> {
		if (this.started) return;
		this.started = true;
		await this.openCurrent(this.from === 'end');
		if (this.from === 'today') {
			const local = this.now() + this.tzOffsetMs;
			this.skipBefore = local - (((local % 86_400_000) + 86_400_000) % 86_400_000) - this.tzOffsetMs;
		}
		if (this.useWatch) this.startWatch();
		this.kick();
		await this.running;
		// what is in the file now has been read: callers that left a queue long ago are released at
		// once, while a catch-up's times still hold; the timer would only release them after start
		this.deliverAll(this.mapper.flush(this.now() - STAMP_SLACK_MS));
		if (this.stopped) return;
		this.timer = setInterval(() => {
			this.deliverAll(this.mapper.flush(this.now() - STAMP_SLACK_MS));
			this.kick();
		}, this.pollMs);
		this.timer.unref?.();
	}

	async stop(): Promise<void> {
		if (this.stopped) return;
		this.stopped = true;
		if (this.timer !== null) clearInterval(this.timer);
		this.timer = null;
		this.watcher?.close();
		this.watcher = null;
		while (this.running !== null) await this.running;
		await this.file?.close().catch(() => {});
		this.file = null;
	}

	private startWatch(): void {
		try {
			// the directory, not the file: a watch on the file follows the renamed old one
			this.watcher = watch(dirname(this.path), (_event, name) => {
				if (name === null || name === basename(this.path)) this.kick();
			});
			this.watcher.on('error', (err) => {
				this.log(`${this.name}: watching failed (${err.message}); polling every ${this.pollMs} ms`);
				this.watcher?.close();
				this.watcher = null;
			});
			this.watcher.unref?.();
		} catch (err) {
			this.log(`${this.name}: cannot watch (${err instanceof Error ? err.message : String(err)}); polling every ${this.pollMs} ms`);
		}
	}

	/** Looks at the file now; one look at a time, and a look asked for during one runs after it. */
	private kick(): void {
		if (this.stopped) return;
		if (this.running !== null) {
			this.again = true;
			return;
		}
		this.running = (async () => {
			do {
				this.again = false;
				try {
					await this.check();
				} catch (err) {
					this.log(`${this.name}: ${err instanceof Error ? err.message : String(err)}`);
				}
			} while (this.again && !this.stopped);
		})().finally(() => {
			this.running = null;
		});
	}

	/** Opens the file at the path (if there is one); at its end, or at its start for a new file. */
	private async openCurrent(atEnd: boolean): Promise<void> {
		let fh: FileHandle;
		try {
			fh = await open(this.path, 'r');
		} catch (err) {
			if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
			throw err;
		}
		const st = await fh.stat();
		this.file = fh;
		this.ino = st.ino;
		this.offset = 0;
		this.line = 0;
		this.partial = Buffer.alloc(0);
		if (atEnd) await this.skipToEnd(st.size);
	}

	/** Starts after the last complete line, counting lines so origins keep the file's numbering. */
	private async skipToEnd(size: number): Promise<void> {
		const fh = this.file as FileHandle;
		const buf = Buffer.alloc(CHUNK);
		let lastNewline = -1;
		for (let pos = 0; pos < size;) {
			const { bytesRead } = await fh.read(buf, 0, Math.min(CHUNK, size - pos), pos);
			if (bytesRead === 0) break;
			for (let i = 0; i < bytesRead; i++)
				if (buf[i] === NEWLINE) {
					this.line++;
					lastNewline = pos + i;
				}
			pos += bytesRead;
		}
		// a line being written as we start is read whole once its newline comes
		this.offset = lastNewline + 1;
	}

	private async check(): Promise<void> {
		if (this.stopped) return;
		let st;
		try {
			st = await stat(this.path);
		} catch (err) {
			if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
			// rotated away and not yet recreated: the old file may still get its last lines
			if (this.file !== null) await this.readToEnd();
			return;
		}
		if (this.file === null) {
			await this.openCurrent(false);
		} else if (st.ino !== this.ino) {
			await this.readToEnd();
			this.endOfFile();
			await this.file.close().catch(() => {});
			this.file = null;
			this.log(`${this.name}: rotated, following the new file`);
			await this.openCurrent(false);
		} else if (st.size < this.offset) {
			this.log(`${this.name}: truncated, reading it again from the start`);
			this.offset = 0;
			this.line = 0;
			this.partial = Buffer.alloc(0);
		}
		if (this.file !== null) await this.readToEnd();
	}

	private async readToEnd(): Promise<void> {
		const fh = this.file as FileHandle;
		const buf = Buffer.alloc(CHUNK);
		for (;;) {
			if (this.stopped) return;
			const { bytesRead } = await fh.read(buf, 0, CHUNK, this.offset);
			if (bytesRead === 0) return;
			this.offset += bytesRead;
			this.take(buf.subarray(0, bytesRead));
		}
	}

	private take(chunk: Buffer): void {
		let data = this.partial.length > 0 ? Buffer.concat([this.partial, chunk]) : chunk;
		let start = 0;
		for (let i = data.indexOf(NEWLINE); i >= 0; i = data.indexOf(NEWLINE, start)) {
			this.feed(data.toString('utf8', start, i));
			start = i + 1;
		}
		data = data.subarray(start);
		// copy: the read buffer is reused
		this.partial = Buffer.from(data);
	}

	/** A rotated-away file's last line without a newline will never get one: it is a line as it stands. */
	private endOfFile(): void {
		if (this.partial.length === 0) return;
		const text = this.partial.toString('utf8');
		this.partial = Buffer.alloc(0);
		this.feed(text);
	}

	private feed(raw: string): void {
		this.line++;
		const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
		if (this.skipBefore > Number.NEGATIVE_INFINITY) {
			const m = STAMP.exec(text);
			if (m === null || Number(m[1]) * 1000 < this.skipBefore) return;
			this.skipBefore = Number.NEGATIVE_INFINITY;
		}
		const r = this.mapper.feed(text, this.line);
		if (this.silentBefore > Number.NEGATIVE_INFINITY) {
			const m = STAMP.exec(text);
			if (m === null || Number(m[1]) * 1000 < this.silentBefore) {
				this.silenced++;
				return;
			}
			this.silentBefore = Number.NEGATIVE_INFINITY;
		}
		this.deliver(r);
	}

	private origin(line: number): string {
		return `queue_log:${this.path}:${line}`;
	}

	private deliver(r: FeedResult): void {
		for (const x of r.rejections) this.sink.reject({ reason: x.reason, detail: x.detail }, this.origin(x.line));
		this.deliverAll(r.events);
	}

	private deliverAll(events: readonly MappedEvent[]): void {
		for (const m of events) this.sink.ingest(m.event, this.origin(m.line));
	}
}
