import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MAX_SPEED } from '../../src/lib/board/messages';
import type { RejectReason } from '../../src/lib/engine/engine';
import type { RequestHandler } from '../../src/lib/server/http';
import { attachHub, handleSnapshotRequest, type Hub } from '../../src/lib/server/hub';
import { describeBadLines, readReplayJournal, whereIs, type ReplayJournal } from '../../src/lib/server/replay/journal';
import { ReplaySource } from '../../src/lib/server/replay/replay-source';
import { clock } from '../../src/lib/server/time-of-day';
import { ReplayRunner } from '../../src/lib/server/replay/runner';
import { readPackageVersion } from '../../src/lib/server/runtime-config';
import { startHeatboard, type StartedHeatboard } from '../../src/lib/server/start';
import { loadSvelteKitHandler } from '../../src/lib/server/sveltekit-handler';
import type { RunSummary } from '../core/summary';
import { formatSummary } from './format';
import { parseIntArg, parseNumArg, progressBar, table, UsageError, type CliIo } from './io';
import { summarizeReplay } from './replay-summary';

export const REPLAY_USAGE = `heatboard replay <journal.ndjson> ([--speed 10] [--from 09:00] [--paused] [--port N] | --fast [--json FILE])`;

const BUILD_HANDLER = new URL('../../build/handler.js', import.meta.url);
const PACKAGE_JSON = new URL('../../package.json', import.meta.url);
/** refusals listed with their file:line; the rest are counted */
const LISTED = 10;

/**
 * Replays a recorded day: on the wallboard (the built app, serving the replay with its bar), or
 * with --fast straight through the engine, printing the day's summary and writing it as JSON.
 */
export async function replayCommand(argv: string[], io: CliIo): Promise<number> {
	const { values, positionals } = parseArgs({
		args: argv,
		allowPositionals: true,
		options: {
			speed: { type: 'string' },
			from: { type: 'string' },
			json: { type: 'string' },
			fast: { type: 'boolean' },
			paused: { type: 'boolean' },
			port: { type: 'string' }
		}
	});
	const file = positionals[0];
	if (file === undefined) throw new UsageError('missing the journal file');
	if (positionals.length > 1) throw new UsageError(`one journal at a time, got ${positionals.length}`);
	const speed = parseNumArg('speed', values.speed, 0);
	if (speed !== undefined && !(speed > 0 && speed <= MAX_SPEED))
		throw new UsageError(`--speed: expected a number above 0 and at most ${MAX_SPEED}, got "${values.speed}"`);
	const fromMs = values.from === undefined ? undefined : parseTimeOfDay(values.from);
	const port = parseIntArg('port', values.port, 0);
	if (port !== undefined && port > 65_535) throw new UsageError(`--port: expected a port from 0 to 65535, got "${values.port}"`);
	if (values.fast) {
		for (const [name, v] of [
			['--speed', values.speed],
			['--from', values.from],
			['--port', values.port],
			['--paused', values.paused]
		] as const)
			if (v !== undefined) throw new UsageError(`${name} is for a replay on the board; --fast runs the whole journal`);
	} else if (values.json !== undefined) throw new UsageError('--json writes the summary of a --fast run');

	const journal = await readJournalFor(resolve(io.cwd, file));
	const bad = describeBadLines(journal);
	if (bad !== null) io.err(`${bad}\n${journal.bad.map((b) => `  ${journal.path}:${b.line}: ${b.reason}: ${b.detail}\n`).join('')}`);

	if (values.fast) {
		const summary = runFast(journal, io);
		io.out(formatSummary(summary));
		if (values.json !== undefined) await writeFile(resolve(io.cwd, values.json), JSON.stringify(summary, null, 2) + '\n');
		return 0;
	}

	const served = await serveReplay({
		journal,
		speed: speed ?? 1,
		fromMs,
		paused: values.paused ?? false,
		port: port ?? 3000,
		log: (line) => io.err(`${line}\n`)
	});
	const shownHost = served.address.address === '0.0.0.0' || served.address.address === '::' ? 'localhost' : served.address.address;
	io.out(`replaying ${journal.name} on the wallboard: http://${shownHost}:${served.address.port}/  (Ctrl-C to stop)\n`);
	await new Promise<void>((done) => served.server.httpServer.once('close', () => done()));
	return 0;
}

async function readJournalFor(path: string): Promise<ReplayJournal> {
	try {
		return await readReplayJournal(path);
	} catch (err) {
		// a missing file or a file that is not a journal is the user's to fix
		if (err instanceof Error && (err.name === 'JournalError' || (err as { code?: string }).code === 'ENOENT'))
			throw new UsageError(err.message);
		throw err;
	}
}

function parseTimeOfDay(text: string): number {
	const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text);
	if (m === null) throw new UsageError(`--from: expected a time of day like 09:00, got "${text}"`);
	return (Number(m[1]) * 60 + Number(m[2])) * 60_000;
}

/**
 * The whole journal through an observe-mode engine as fast as it goes, with a progress bar; events
 * the engine refuses are counted by reason, the first ones listed with their file:line on stderr.
 */
export function runFast(journal: ReplayJournal, io: CliIo): RunSummary {
	const refused = new Map<RejectReason, number>();
	const listed: string[] = [];
	const runner = new ReplayRunner(journal, Number.POSITIVE_INFINITY, {
		rejected(i, reason, detail) {
			refused.set(reason, (refused.get(reason) ?? 0) + 1);
			if (listed.length < LISTED) listed.push(`  ${i >= 0 ? whereIs(journal, i) : `${journal.path} (a timer)`}: ${reason}: ${detail}\n`);
		}
	});
	const state = runner.initial(false);
	const bar = progressBar(io, journal.name);
	try {
		// in slices of the day, so the bar moves
		const slices = 100;
		const span = runner.endMs - runner.startMs;
		for (let k = 1; k <= slices; k++) {
			runner.runTo(state, runner.startMs + (span * k) / slices);
			bar.update(k / slices);
		}
		runner.runTo(state, runner.endMs);
	} finally {
		bar.done();
	}
	// agent time up to the end of the day, as the simulator does at its horizon
	state.engine.advance(runner.endMs);
	if (refused.size > 0) {
		const total = [...refused.values()].reduce((a, b) => a + b, 0);
		io.err(
			`the engine refused ${total} event${total === 1 ? '' : 's'} of ${journal.name}:\n${table([...refused].map(([r, n]) => [`  ${r}`, String(n)]))}\n${listed.join('')}`
		);
	}
	const seed = typeof journal.header.seed === 'number' ? journal.header.seed : 0;
	return summarizeReplay(state.engine, { name: journal.name, seed, startMs: runner.startMs, endMs: runner.endMs });
}

export interface ServeReplayOptions {
	journal: ReplayJournal;
	speed: number;
	fromMs?: number | undefined;
	paused?: boolean;
	port: number;
	/** default 0.0.0.0, so the TV across the room can reach it */
	host?: string;
	/** the app to serve; the built SvelteKit board by default */
	handler?: RequestHandler;
	/** where the build is looked for (tests point it elsewhere) */
	handlerUrl?: URL;
	log: (line: string) => void;
	/** test hook for the server's shutdown on SIGINT/SIGTERM */
	proc?: Parameters<typeof startHeatboard>[0]['proc'];
}

/** The board server on a replay: the same wiring as `npm start` with HEATBOARD_REPLAY. */
export async function serveReplay(options: ServeReplayOptions): Promise<StartedHeatboard & { source: ReplaySource }> {
	const handler = options.handler ?? (await loadBuiltBoard(options.handlerUrl ?? BUILD_HANDLER));
	const started = performance.now();
	const source = new ReplaySource({
		journal: options.journal,
		speed: options.speed,
		fromMs: options.fromMs,
		paused: options.paused ?? false,
		prebuild: true,
		log: options.log
	});
	options.log(
		`${options.journal.name}: ${options.journal.events.length} events, ${clock(source.startMs)} to ${clock(source.endMs)}; ` +
			`${source.checkpointTimes.length} seek checkpoints in ${Math.round(performance.now() - started)} ms`
	);
	let hub: Hub | undefined;
	const up = await startHeatboard({
		handler: (req, res, next) => (hub !== undefined && handleSnapshotRequest(hub, req, res) ? undefined : handler(req, res, next)),
		version: readPackageVersion(PACKAGE_JSON),
		env: { PORT: String(options.port), HOST: options.host ?? '0.0.0.0' },
		log: options.log,
		...(options.proc ? { proc: options.proc } : {}),
		setup: ({ io, httpServer }) => {
			const attached = attachHub({ io, source, log: options.log });
			hub = attached;
			httpServer.once('close', () => attached.close());
		}
	});
	return { ...up, source };
}

async function loadBuiltBoard(url: URL): Promise<RequestHandler> {
	try {
		return await loadSvelteKitHandler(url);
	} catch (err) {
		throw new UsageError(
			`the wallboard is not built (${err instanceof Error ? err.message : String(err)}). Run \`npm run build\` once, or use --fast for a summary without the board`
		);
	}
}
