import type { BoardSource } from '../board/source';
import { loadScenarioFile } from '../../../simulator/scenario/load';
import type { BoardConfig } from './board-config';
import { createLiveSource } from './live-source';
import { describeBadLines, readReplayJournal } from './replay/journal';
import { ReplaySource } from './replay/replay-source';
import { clock } from './time-of-day';

/**
 * The one place the server decides what its board shows: a recorded day when HEATBOARD_REPLAY
 * names a journal, else the simulated scenario. (Live telephony goes here as a third kind.)
 */
export async function createBoardSource(config: BoardConfig, log: (line: string) => void): Promise<BoardSource> {
	if (config.replay !== null) return createReplaySource(config, log);
	const scenario = await loadScenarioFile(config.scenarioPath);
	return createLiveSource({ scenario, speed: config.speed, seed: config.seed, warmStartMs: config.warmStartMs, log });
}

async function createReplaySource(config: BoardConfig, log: (line: string) => void): Promise<ReplaySource> {
	const replay = config.replay;
	if (replay === null) throw new Error('no journal to replay');
	const journal = await readReplayJournal(replay.path);
	// bad lines are the recording's fault, not the trainer's: say so once and replay the rest
	const bad = describeBadLines(journal);
	if (bad !== null) log(bad);
	const started = performance.now();
	const source = new ReplaySource({
		journal,
		speed: config.speed,
		fromMs: replay.fromMs,
		paused: replay.paused,
		prebuild: true,
		log
	});
	log(
		`replaying ${journal.name}: ${journal.events.length} events from ${clock(source.startMs)} to ${clock(source.endMs)}, ` +
			`${source.checkpointTimes.length} seek checkpoints in ${Math.round(performance.now() - started)} ms; ` +
			`starting ${replay.paused ? 'paused' : 'at ' + config.speed + '×'} at ${clock(replay.fromMs ?? source.startMs)}`
	);
	return source;
}
