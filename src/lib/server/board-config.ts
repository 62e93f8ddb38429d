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
}

export interface BoardConfigPaths {
	/** a HEATBOARD_SCENARIO given relative is taken from here (the working directory) */
	cwd: string;
	/** the default scenario is found here (the repository), wherever the server is started from */
	repoRoot: string;
}

/**
 * Reads HEATBOARD_SCENARIO, HEATBOARD_SPEED, HEATBOARD_SEED and HEATBOARD_WARM_START. Bad values
 * are errors, all of them in one message: a typo must not quietly give another board.
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
	const warm = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(warmRaw);
	const warmStartMs = warm === null ? Number.NaN : (Number(warm[1]) * 60 + Number(warm[2])) * 60_000;
	if (warm === null) errors.push(`HEATBOARD_WARM_START must be a time of day like "10:00", got ${JSON.stringify(warmRaw)}`);

	if (errors.length > 0) throw new Error(`bad wallboard configuration:\n  ${errors.join('\n  ')}`);
	return { scenarioPath, speed, seed, warmStartMs };
}

function fileProblem(file: string): string | null {
	try {
		return statSync(file).isFile() ? null : 'not a file';
	} catch (err) {
		return err instanceof Error && 'code' in err && err.code === 'ENOENT' ? 'no such file' : `cannot read (${String(err)})`;
	}
}
