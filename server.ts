// Production entry: one process serving the built SvelteKit app and socket.io on the same port.
// Run with `node --import tsx server.ts` after `npm run build` (or just `npm start`).
import { fileURLToPath } from 'node:url';
import { parseBoardConfig } from './src/lib/server/board-config';
import { attachHub, handleSnapshotRequest, type Hub } from './src/lib/server/hub';
import { loadSvelteKitHandler } from './src/lib/server/sveltekit-handler';
import { readPackageVersion } from './src/lib/server/runtime-config';
import { startHeatboard } from './src/lib/server/start';
import { attachStudio } from './src/lib/server/studio/attach';
import { observedDay } from './src/lib/server/studio/from-observed';
import { createBoardSource } from './src/lib/server/source-select';
import { isLiveMode, parseLiveConfig } from './src/lib/server/live/config';
import { startLiveMode, type LiveMode } from './src/lib/server/live/live-mode';
import { onShutdown } from './src/lib/server/shutdown';

try {
	const board = parseBoardConfig(process.env, { cwd: process.cwd(), repoRoot: fileURLToPath(new URL('.', import.meta.url)) });
	const handler = await loadSvelteKitHandler(new URL('./build/handler.js', import.meta.url));
	const version = readPackageVersion(new URL('./package.json', import.meta.url));
	const log = (line: string) => console.log(line);
	// live mode: a phone system's events (queue_log, AMI, signed HTTP) instead of the simulator or a replay
	if (isLiveMode(process.env) && board.replay !== null)
		throw new Error('HEATBOARD_SOURCE=live and HEATBOARD_REPLAY both set: a board shows one source, unset one of them');
	const live: LiveMode | null = isLiveMode(process.env) ? await startLiveMode(parseLiveConfig(process.env, process.cwd()), { log }) : null;
	const source = live?.source ?? (await createBoardSource(board, log));
	let hub: Hub | undefined;
	await startHeatboard({
		// the board's JSON goes before SvelteKit, like /healthz
		handler: (req, res, next) => {
			if (live?.handle(req, res)) return;
			if (hub !== undefined && handleSnapshotRequest(hub, req, res)) return;
			handler(req, res, next);
		},
		version,
		env: process.env,
		log,
		setup: ({ io, httpServer }) => {
			const attached = attachHub({ io, source, log });
			hub = attached;
			httpServer.once('close', () => attached.close());
			// awaited by the signal handler before it exits: the journal is synced and closed, not cut off
			if (live !== null) onShutdown('live source', () => live.stop());
			// the what-if studio: "from now on" starts from the scenario this board is simulating, or the day it replays or observes
			const studio = attachStudio({
				io,
				scenariosDir: fileURLToPath(new URL('./scenarios/', import.meta.url)),
				currentSource: () => ({
					info: source.info(),
					nowMs: source.now(),
					scenarioFile: board.scenarioPath,
					observed: observedDay(source)
				}),
				log
			});
			onShutdown('what-if studio', () => studio.close());
		}
	});
} catch (err) {
	console.error(`heatboard failed to start: ${err instanceof Error ? err.message : String(err)}`);
	process.exit(1);
}
