import { closeSync, constants, fstatSync, fsyncSync, mkdirSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { HeatEvent } from '../../engine/events';
import { checkHeader, JOURNAL_FORMAT, JournalError, type JournalHeader } from '../../../../simulator/import/journal';

export interface JournalWriterOptions {
	dir: string;
	/** names the files (`<source>-<yyyy-mm-dd>.ndjson`) and the header's `source`: letters, digits, '.', '_' and '-' */
	source: string;
	/** header fields besides format, v, source and date, for a day's new file */
	header?: (date: string) => Record<string, unknown>;
	/** an unsynced record is fsynced at most this long after it was written (default 1000 ms; also on close and day roll) */
	fsyncEveryMs?: number;
	/** ...or after this many unsynced records, whichever comes first (default 256) */
	fsyncEveryRecords?: number;
	/** paces fsync (default performance.now) */
	monotonic?: () => number;
}

/** A record of the live journal: an accepted event and the source clock it was applied at. */
export interface JournalRecord {
	event: HeatEvent;
	/**
	 * The source clock when the event was taken (wall time, or a timer's due time). Replay moves the
	 * engine clock there first, so an event that was late against the wall clock is late again.
	 */
	clock: number;
}

const SOURCE_NAME = /^[A-Za-z0-9._-]{1,64}$/;
const HEAD_READ = 65_536;

export function journalFile(dir: string, source: string, date: string): string {
	return join(dir, `${source}-${date}.ndjson`);
}

/**
 * Appends records to one NDJSON file per day, synchronously: when `append` returns, the line is in
 * the operating system's hands and survives the process being killed; fsync (for a power cut) is
 * batched by time and count. A day's file is created whole with its header (written aside, then
 * renamed), so a file never exists without one; a file left with a torn last line by a crash gets
 * a newline before the next record, so that line alone is lost to readers.
 */
export class JournalWriter {
	readonly dir: string;
	readonly source: string;
	private readonly header: (date: string) => Record<string, unknown>;
	private readonly everyMs: number;
	private readonly everyRecords: number;
	private readonly monotonic: () => number;
	private fd: number | null = null;
	private date: string | null = null;
	private filePath: string | null = null;
	private unsynced = 0;
	private lastSync = 0;
	/** syncs what a quiet line left unsynced; unref'd, so it never keeps the process alive */
	private timer: ReturnType<typeof setTimeout> | null = null;
	/** records written since construction */
	written = 0;
	/** fsyncs done (the policy's observable effect) */
	syncs = 0;
	/** torn last lines found (and closed with a newline) on opening files */
	tornRepaired = 0;
	/** the last fsync failure, if any (the records were written; only their durability is in doubt) */
	syncError: string | null = null;

	constructor(options: JournalWriterOptions) {
		if (!SOURCE_NAME.test(options.source))
			throw new JournalError(`journal source ${JSON.stringify(options.source)}: use 1 to 64 letters, digits, '.', '_' or '-'`);
		this.dir = options.dir;
		this.source = options.source;
		this.header = options.header ?? (() => ({}));
		this.everyMs = options.fsyncEveryMs ?? 1000;
		this.everyRecords = options.fsyncEveryRecords ?? 256;
		this.monotonic = options.monotonic ?? (() => performance.now());
	}

	/** the file being appended to, or null before the first record and after close */
	get file(): string | null {
		return this.filePath;
	}

	pathFor(date: string): string {
		return journalFile(this.dir, this.source, date);
	}

	/** Writes one record to the file of `date` (rolling to it if another day's file is open). Throws if it cannot. */
	append(date: string, record: JournalRecord): void {
		if (this.date !== date || this.fd === null) this.open(date);
		writeAll(this.fd as number, JSON.stringify({ ...record.event, clock: record.clock }) + '\n');
		this.written++;
		this.unsynced++;
		const since = this.monotonic() - this.lastSync;
		if (this.unsynced >= this.everyRecords || since >= this.everyMs) this.sync();
		else if (this.timer === null) {
			this.timer = setTimeout(() => {
				this.timer = null;
				this.sync();
			}, this.everyMs - since);
			this.timer.unref();
		}
	}

	/** fsyncs if records wait and the interval has passed: call it now and then so a quiet line is synced too. */
	flush(): void {
		if (this.unsynced > 0 && this.monotonic() - this.lastSync >= this.everyMs) this.sync();
	}

	/** fsyncs now if anything is unsynced. An fsync failure is kept in `syncError`, not thrown: the records were written. */
	sync(): void {
		if (this.timer !== null) {
			clearTimeout(this.timer);
			this.timer = null;
		}
		if (this.fd === null || this.unsynced === 0) return;
		try {
			fsyncSync(this.fd);
			this.syncs++;
			this.syncError = null;
		} catch (err) {
			this.syncError = `${this.filePath}: fsync failed: ${message(err)}`;
		}
		this.unsynced = 0;
		this.lastSync = this.monotonic();
	}

	/** Syncs and closes the open file. Idempotent; the next append opens a file again. */
	close(): void {
		if (this.fd === null) return;
		this.sync();
		const fd = this.fd;
		this.fd = null;
		this.date = null;
		this.filePath = null;
		closeSync(fd);
	}

	private open(date: string): void {
		this.close();
		mkdirSync(this.dir, { recursive: true });
		const path = this.pathFor(date);
		// read (for the header check) and append, but never create: a new file is made whole by create()
		const flags = constants.O_RDWR | constants.O_APPEND;
		let fd: number;
		try {
			fd = openSync(path, flags);
		} catch (err) {
			if (!isCode(err, 'ENOENT')) throw err;
			this.create(path, date);
			fd = openSync(path, flags);
		}
		try {
			this.prepare(fd, path, date);
		} catch (err) {
			closeSync(fd);
			throw err;
		}
		this.fd = fd;
		this.date = date;
		this.filePath = path;
		this.unsynced = 0;
		this.lastSync = this.monotonic();
	}

	/** Checks an existing file's header and leaves the position at its end, on a fresh line. */
	private prepare(fd: number, path: string, date: string): void {
		const size = fstatSync(fd).size;
		if (size === 0) {
			// a file someone created empty holds nothing to keep
			writeAll(fd, JSON.stringify(this.headerFor(date)) + '\n');
			return;
		}
		const head = Buffer.alloc(Math.min(size, HEAD_READ));
		readSync(fd, head, 0, head.length, 0);
		const nl = head.indexOf(10);
		let raw: unknown;
		try {
			raw = JSON.parse(head.subarray(0, nl < 0 ? head.length : nl).toString('utf8'));
		} catch {
			throw new JournalError(`${path}:1: refusing to append: the first line is not a journal header`);
		}
		let h: JournalHeader;
		try {
			h = checkHeader(raw, path);
		} catch (err) {
			throw new JournalError(`refusing to append: ${message(err)}`);
		}
		if (h.source !== this.source)
			throw new JournalError(`${path}:1: refusing to append: the journal is of source "${h.source}", this writer's is "${this.source}"`);
		if (nl < 0 && size <= HEAD_READ) {
			// a header without its newline cannot come from this writer (it renames whole files into place)
			throw new JournalError(`${path}:1: refusing to append: the header line is not terminated`);
		}
		const last = Buffer.alloc(1);
		readSync(fd, last, 0, 1, size - 1);
		if (last[0] !== 10) {
			// a crash cut the last record short: end it so the next record is a line of its own
			this.tornRepaired++;
			writeAll(fd, '\n');
		}
	}

	private headerFor(date: string): JournalHeader {
		const own: JournalHeader = { format: JOURNAL_FORMAT, v: 1, source: this.source, date };
		// the writer's own fields lead the line and cannot be overridden by the extras
		return Object.assign({ ...own }, this.header(date), own);
	}

	/** A new day's file appears whole: header written and synced aside, then renamed into place. */
	private create(path: string, date: string): void {
		const tmp = `${path}.${process.pid}.tmp`;
		const fd = openSync(tmp, 'w');
		try {
			writeAll(fd, JSON.stringify(this.headerFor(date)) + '\n');
			fsyncSync(fd);
		} finally {
			closeSync(fd);
		}
		try {
			renameSync(tmp, path);
		} catch (err) {
			unlinkSync(tmp);
			throw err;
		}
		syncDir(this.dir);
	}
}

/** writeSync may write less than asked; a record must go out whole or throw. */
function writeAll(fd: number, text: string): void {
	const buf = Buffer.from(text, 'utf8');
	let off = 0;
	while (off < buf.length) off += writeSync(fd, buf, off);
}

function syncDir(dir: string): void {
	let fd: number | null = null;
	try {
		fd = openSync(dir, 'r');
		fsyncSync(fd);
	} catch {
		// some file systems cannot fsync a directory; the rename itself is still atomic
	} finally {
		if (fd !== null) closeSync(fd);
	}
}

function isCode(err: unknown, code: string): boolean {
	return err instanceof Error && 'code' in err && err.code === code;
}

function message(err: unknown): string {
	return err instanceof Error ? err.message : String(err);
}
