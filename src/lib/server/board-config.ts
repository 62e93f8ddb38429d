import { statSync } from 'node:fs';
import path from 'node:path';
import { MAX_SPEED } from '../board/messages';

/**
 * The wallboard's environment. The default scenario is multi-skill.yaml: of the shipped ones it
 * makes the liveliest board (two queues to subscribe to, agents in every state, calls waiting
 * mid-morning, heat tiers from cold to hot, escalations and an AI receptionist), where the
 * reference model is 200 agents all busy on one queue, the e-commerce day one queue rarely
 * waiting, and the law firm a few calls a day.
 */
export const DEFAULT_SCENARIO = 'scenarios/multi-skill.yaml';
export const DEFAULT_WARM_START = '10:00';

export interface BoardConfig {
	/** absolute path of the scenario file */
	scenarioPath: string;
	/** source ms per wall ms */
	speed: number;
	/** the first day's seed; the scenario's own when undefined */
	seed: number | undefined;
	/** time of day (ms after midnight) the board opens on */
	warmStartMs: number;
	/** a recorded day to replay instead of simulating the scenario (HEATBOARD_REPLAY), or null */
	replay: ReplayConfig | null;
}

export interface ReplayConfig {
	/** absolute path of the journal */
	path: string;
	/** time of day to start from (HEATBOARD_REPLAY_FROM); the journal's first event when undefined */
	fromMs: number | undefined;
	/** start paused (HEATBOARD_REPLAY_PAUSED=1), for a trainer who wants to talk first */
	paused: boolean;
}

export interface BoardConfigPaths {
	/** a HEATBOARD_SCENARIO given relative is taken from here (the working directory) */
	cwd: string;
	/** the default scenario is found here (the repository), wherever the server is started from */
	repoRoot: string;
}

/**
 * Reads HEATBOARD_SCENARIO, HEATBOARD_SPEED, HEATBOARD_SEED, HEATBOARD_WARM_START, and for a
 * replay HEATBOARD_REPLAY, HEATBOARD_REPLAY_FROM and HEATBOARD_REPLAY_PAUSED. Bad values are
 * errors, all of them in one message: a typo must not quietly give another board.
 */
export function parseBoardConfig(env: Readonly<Record<string, string | undefined>>, paths: BoardConfigPaths): BoardConfig {
	const errors: string[] = [];
	const raw = (name: string) => {
		const v = env[name]?.trim();
		return v === undefined || v === '' ? undefined : v;
	};

	const scenarioRaw = raw('HEATBOARD_SCENARIO');
	const scenarioPath = scenarioRaw === undefined ? path.resolve(paths.repoRoot, DEFAULT_SCENARIO) : path.resolve(paths.cwd, scenarioRaw);
	const problem = fileProblem(scenarioPath);
	if (problem !== null) errors.push(`HEATBOARD_SCENARIO: ${problem}: ${scenarioPath}`);

	let speed = 1;
	const speedRaw = raw('HEATBOARD_SPEED');
	if (speedRaw !== undefined) {
		const v = /^(\d+(\.\d*)?|\.\d+)$/.test(speedRaw) ? Number(speedRaw) : Number.NaN;
		if (!(v > 0 && v <= MAX_SPEED))
			errors.push(`HEATBOARD_SPEED must be a number above 0 and at most ${MAX_SPEED}, got ${JSON.stringify(speedRaw)}`);
		else speed = v;
	}

	let seed: number | undefined;
	const seedRaw = raw('HEATBOARD_SEED');
	if (seedRaw !== undefined) {
		const v = /^\d+$/.test(seedRaw) ? Number(seedRaw) : Number.NaN;
		if (!(v >= 0 && v <= 0xffff_ffff))
			errors.push(`HEATBOARD_SEED must be an integer from 0 to 4294967295, got ${JSON.stringify(seedRaw)}`);
		else seed = v;
	}

	const warmRaw = raw('HEATBOARD_WARM_START') ?? DEFAULT_WARM_START;
	const warmStartMs = timeOfDay(warmRaw);
	if (warmStartMs === null) errors.push(`HEATBOARD_WARM_START must be a time of day like "10:00", got ${JSON.stringify(warmRaw)}`);

	let replay: ReplayConfig | null = null;
	const replayRaw = raw('HEATBOARD_REPLAY');
	const fromRaw = raw('HEATBOARD_REPLAY_FROM');
	const pausedRaw = raw('HEATBOARD_REPLAY_PAUSED');
	if (replayRaw !== undefined) {
		const journal = path.resolve(paths.cwd, replayRaw);
		const journalProblem = fileProblem(journal);
		if (journalProblem !== null) errors.push(`HEATBOARD_REPLAY: ${journalProblem}: ${journal}`);
		const fromMs = fromRaw === undefined ? undefined : timeOfDay(fromRaw);
		if (fromMs === null) errors.push(`HEATBOARD_REPLAY_FROM must be a time of day like "09:00", got ${JSON.stringify(fromRaw)}`);
		const paused = pausedRaw === undefined ? false : flag(pausedRaw);
		if (paused === null) errors.push(`HEATBOARD_REPLAY_PAUSED must be 1, 0, true or false, got ${JSON.stringify(pausedRaw)}`);
		replay = { path: journal, fromMs: fromMs ?? undefined, paused: paused ?? false };
	} else {
		for (const [name, v] of [
			['HEATBOARD_REPLAY_FROM', fromRaw],
			['HEATBOARD_REPLAY_PAUSED', pausedRaw]
		] as const)
			if (v !== undefined) errors.push(`${name} is set but HEATBOARD_REPLAY (the journal to replay) is not`);
	}

	if (errors.length > 0) throw new Error(`bad wallboard configuration:\n  ${errors.join('\n  ')}`);
	return { scenarioPath, speed, seed, warmStartMs: warmStartMs as number, replay };
}

/** "H:MM" or "HH:MM" -> ms after midnight, or null */
function timeOfDay(text: string): number | null {
	const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text);
	return m === null ? null : (Number(m[1]) * 60 + Number(m[2])) * 60_000;
}

function flag(text: string): boolean | null {
	const v = text.toLowerCase();
	if (v === '1' || v === 'true') return true;
	if (v === '0' || v === 'false') return false;
	return null;
}

function fileProblem(file: string): string | null {
	try {
		return statSync(file).isFile() ? null : 'not a file';
	} catch (err) {
		return err instanceof Error && 'code' in err && err.code === 'ENOENT' ? 'no such file' : `cannot read (${String(err)})`;
	}
}
