import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AmiAdapter } from '../adapters/ami';
import { createHttpIngest, type HttpIngest } from '../adapters/http-ingest';
import { QueueLogTail } from '../adapters/queue-log-tail';
import type { Adapter, EventSink } from '../adapters/types';
import { createAdapters, startAdapters, stopAdapters } from './adapters';
import type { LiveConfig } from './config';
import { localDay } from './local-day';
import { TelephonySource, type LiveStats } from './telephony-source';

export const LIVE_STATS_PATH = '/api/live';

export interface LiveMode {
	source: TelephonySource;
	adapters: readonly Adapter[];
	/** Answers the HTTP ingest paths and GET /api/live; false for any other request. */
	handle(req: IncomingMessage, res: ServerResponse): boolean;
	/** Stops the adapters, then closes the journal. Idempotent. */
	stop(): Promise<void>;
}

export interface LiveModeOptions {
	log: (line: string) => void;
	/** the wall clock (Date.now unless a test drives it) */
	now?: () => number;
}

/**
 * queue_log lines stamped this long before the last journaled time are delivered again after a
 * restart: one written just before the crash may not have been read. One that was is refused as a
 * duplicate (the mapper gives a line's events the same ids each time). Under the engine's 5 s
 * reorder window, so one that was not is still in time.
 */
const CATCH_UP_OVERLAP_MS = 3000;

/**
 * The server's live mode: today's board rebuilt from the journal first, then the phone system's
 * adapters started, so no event can arrive before the state it applies to is back.
 *
 * A queue_log tail catches up on the day: today's lines are read again (rebuilding the mapper's
 * memory of calls and agents), and those from the last journaled time on, written while the server
 * was down, are delivered. Until that read is done the source's clock is not the wall clock but
 * the time of the line being caught up on: the engine refuses an event more than its reorder window
 * behind its clock, so at the wall clock a call that ended during the restart could not end.
 */
export async function startLiveMode(config: LiveConfig, options: LiveModeOptions): Promise<LiveMode> {
	const { log } = options;
	const now = options.now ?? Date.now;
	const dayClock = { tzOffsetMinutes: config.tzOffsetMinutes, dayStartMinutes: 0 };
	// null: the wall clock; the day starts at midnight until the journal says how far it got
	let catchUpAt: number | null = config.queueLog !== null ? localDay(now(), dayClock).startMs : null;
	const source = new TelephonySource({
		name: config.name,
		journalDir: config.journalDir,
		tzOffsetMinutes: config.tzOffsetMinutes,
		now: () => catchUpAt ?? now(),
		log
	});
	source.start();
	const rebuilt = source.stats().rebuilt;
	const journaledTo = rebuilt === null ? null : lastJournalTime(rebuilt.file);
	if (catchUpAt !== null && journaledTo !== null) catchUpAt = Math.min(Math.max(catchUpAt, journaledTo), now());
	const catchUpSink: EventSink = {
		ingest(raw, origin) {
			if (catchUpAt !== null) {
				const t = typeof raw === 'object' && raw !== null && 't' in raw ? raw.t : undefined;
				if (typeof t === 'number' && Number.isFinite(t)) catchUpAt = Math.min(Math.max(catchUpAt, t), now());
			}
			return source.ingest(raw, origin);
		},
		reject: (rejection, origin) => source.reject(rejection, origin)
	};
	let ingest: HttpIngest | null = null;
	const adapters = createAdapters(
		config,
		{ sink: source, log },
		{
			queueLog: (o) => {
				const tail = new QueueLogTail({
					path: o.path,
					sink: catchUpSink,
					from: 'today',
					...(journaledTo !== null ? { catchUpFrom: journaledTo - CATCH_UP_OVERLAP_MS } : {}),
					tzOffsetMinutes: config.tzOffsetMinutes,
					now,
					log: o.log
				});
				// the tail is the first adapter: the others start on the wall clock, once it has caught up
				return {
					name: tail.name,
					async start() {
						try {
							await tail.start();
						} finally {
							catchUpAt = null;
						}
						if (tail.linesReread > 0) log(`live: ${tail.name}: caught up after ${tail.linesReread} of today's lines already journaled`);
					},
					stop: () => tail.stop()
				};
			},
			ami: (o) =>
				new AmiAdapter({
					host: o.host,
					port: o.port,
					username: o.user,
					secret: o.secret,
					...(o.tls !== undefined ? { tls: o.tls } : {}),
					sink: o.sink,
					clock: now,
					log: o.log
				}),
			httpIngest: (o) => (ingest = createHttpIngest({ secret: o.secret, sink: o.sink, clock: now, log: o.log }))
		}
	);
	try {
		await startAdapters(adapters);
	} catch (err) {
		source.close();
		throw err;
	}
	log(`live: ${config.name} from ${adapters.map((a) => a.name).join(', ')}; journal in ${config.journalDir}`);
	let stopping: Promise<void> | null = null;
	return {
		source,
		adapters,
		handle(req, res) {
			if (ingest?.handle(req, res)) return true;
			return handleLiveStats(() => source.stats(), req, res);
		},
		stop() {
			// every caller waits for the one stop, so none can exit before the journal is closed
			stopping ??= (async () => {
				for (const failure of await stopAdapters(adapters)) log(`live: adapter did not stop cleanly: ${failure}`);
				source.close();
			})();
			return stopping;
		}
	};
}

/**
 * The latest time (event or clock) among a journal's last records: read from its end, as a day's
 * file may be tens of MB. Null when none can be read there.
 */
export function lastJournalTime(file: string): number | null {
	const TAIL = 64 * 1024;
	let fd: number;
	try {
		fd = openSync(file, 'r');
	} catch {
		return null;
	}
	try {
		const size = fstatSync(fd).size;
		const length = Math.min(TAIL, size);
		const buf = Buffer.alloc(length);
		readSync(fd, buf, 0, length, size - length);
		let latest: number | null = null;
		// the first line may be cut by the window and the last by a crash: both fail to parse
		for (const line of buf.toString('utf8').split('\n')) {
			let rec: unknown;
			try {
				rec = JSON.parse(line);
			} catch {
				continue;
			}
			if (typeof rec !== 'object' || rec === null || 'format' in rec) continue;
			for (const k of ['t', 'clock'] as const) {
				const v = k in rec ? (rec as Record<string, unknown>)[k] : undefined;
				if (typeof v === 'number' && Number.isFinite(v) && (latest === null || v > latest)) latest = v;
			}
		}
		return latest;
	} finally {
		closeSync(fd);
	}
}

/** GET /api/live: what came in and what was refused, by reason and origin (for supervisors' IT and probes). */
function handleLiveStats(stats: () => LiveStats, req: IncomingMessage, res: ServerResponse): boolean {
	const path = (req.url ?? '/').split('?')[0];
	if (path !== LIVE_STATS_PATH) return false;
	if (req.method !== 'GET' && req.method !== 'HEAD') {
		res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json; charset=utf-8' });
		res.end(JSON.stringify({ error: `${req.method ?? '?'} not allowed; use GET` }));
		return true;
	}
	const body = JSON.stringify(stats());
	res.writeHead(200, {
		'content-type': 'application/json; charset=utf-8',
		'content-length': Buffer.byteLength(body),
		'cache-control': 'no-store'
	});
	res.end(req.method === 'HEAD' ? undefined : body);
	return true;
}
