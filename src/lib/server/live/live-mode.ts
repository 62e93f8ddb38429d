import type { IncomingMessage, ServerResponse } from 'node:http';
import { AmiAdapter } from '../adapters/ami';
import { createHttpIngest, type HttpIngest } from '../adapters/http-ingest';
import { QueueLogTail } from '../adapters/queue-log-tail';
import type { Adapter } from '../adapters/types';
import { createAdapters, startAdapters, stopAdapters } from './adapters';
import type { LiveConfig } from './config';
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
 * The server's live mode: today's board rebuilt from the journal first, then the phone system's
 * adapters started, so no event can arrive before the state it applies to is back.
 */
export async function startLiveMode(config: LiveConfig, options: LiveModeOptions): Promise<LiveMode> {
	const { log } = options;
	const now = options.now ?? Date.now;
	const source = new TelephonySource({
		name: config.name,
		journalDir: config.journalDir,
		tzOffsetMinutes: config.tzOffsetMinutes,
		now,
		log
	});
	source.start();
	let ingest: HttpIngest | null = null;
	const adapters = createAdapters(
		config,
		{ sink: source, log },
		{
			// 'end': after a restart the journal already holds what came before; re-reading it would only be refused as stale
			queueLog: (o) => new QueueLogTail({ path: o.path, sink: o.sink, tzOffsetMinutes: config.tzOffsetMinutes, now, log: o.log }),
			ami: (o) => new AmiAdapter({ host: o.host, port: o.port, username: o.user, secret: o.secret, sink: o.sink, clock: now, log: o.log }),
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
	let stopped = false;
	return {
		source,
		adapters,
		handle(req, res) {
			if (ingest?.handle(req, res)) return true;
			return handleLiveStats(() => source.stats(), req, res);
		},
		async stop() {
			if (stopped) return;
			stopped = true;
			for (const failure of await stopAdapters(adapters)) log(`live: adapter did not stop cleanly: ${failure}`);
			source.close();
		}
	};
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
