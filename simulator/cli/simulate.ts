import { parseArgs } from 'node:util';
import { closeSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { writeFile } from 'node:fs/promises';
import type { HeatEvent } from '../../src/lib/engine/events';
import { loadScenarioFile } from '../scenario/load';
import { JOURNAL_FORMAT } from '../import/journal';
import type { Scenario } from '../scenario/types';
import { replicate } from '../core/replicate';
import { simulate } from '../core/simulate';
import type { RunSummary } from '../core/summary';
import { formatSummary } from './format';
import { parseIntArg, progressBar, UsageError, type CliIo } from './io';

export const SIMULATE_USAGE = `heatboard simulate <scenario.yaml> [--seed N] [--replications R] [--agents N] [--json FILE] [--events FILE.ndjson]`;

export { JOURNAL_FORMAT } from '../import/journal';

/** Options shared by simulate and check: the scenario and how to run it. */
export interface RunArgs {
	scenario: Scenario;
	seed: number | undefined;
	replications: number;
	agents: number | undefined;
}

export async function readRunArgs(
	positionals: string[],
	values: Record<string, string | boolean | string[] | undefined>,
	io: CliIo
): Promise<RunArgs> {
	const file = positionals[0];
	if (file === undefined) throw new UsageError('missing the scenario file');
	const scenario = await loadScenarioFile(resolve(io.cwd, file));
	return {
		scenario,
		seed: parseIntArg('seed', values.seed as string | undefined, 0),
		replications: parseIntArg('replications', values.replications as string | undefined, 1) ?? 1,
		agents: parseIntArg('agents', values.agents as string | undefined, 0)
	};
}

export const RUN_OPTIONS = {
	seed: { type: 'string' },
	replications: { type: 'string', short: 'r' },
	agents: { type: 'string' }
} as const;

/** Runs the scenario (replications in worker threads) with a progress bar. */
export async function runScenario(a: RunArgs, io: CliIo, onEvent?: (e: HeatEvent) => void): Promise<RunSummary> {
	const bar = progressBar(io, a.scenario.name);
	try {
		if (a.replications === 1)
			return simulate(a.scenario, { seed: a.seed, agents: a.agents, onProgress: (f) => bar.update(f), ...(onEvent ? { onEvent } : {}) })
				.summary;
		return await replicate(a.scenario, { seed: a.seed, agents: a.agents, replications: a.replications, onProgress: (f) => bar.update(f) });
	} finally {
		bar.done();
	}
}

/** An NDJSON journal: a header line naming the source and format version, then one event per line. */
async function withJournal<T>(path: string, header: object, body: (write: (e: HeatEvent) => void) => Promise<T>): Promise<T> {
	let fd: number;
	try {
		fd = openSync(path, 'w');
	} catch (err) {
		// a path that cannot be written ends the command with a message, not a stack trace
		throw new UsageError(`cannot write ${path}: ${err instanceof Error ? err.message : String(err)}`);
	}
	// the simulation never yields to the event loop, so lines are written synchronously in batches:
	// memory stays flat however long the day
	let chunk: string[] = [JSON.stringify(header) + '\n'];
	const flush = () => {
		if (chunk.length > 0) writeSync(fd, chunk.join(''));
		chunk = [];
	};
	try {
		const result = await body((e) => {
			chunk.push(JSON.stringify(e) + '\n');
			if (chunk.length >= 4096) flush();
		});
		flush();
		return result;
	} finally {
		closeSync(fd);
	}
}

export async function simulateCommand(argv: string[], io: CliIo): Promise<number> {
	const { values, positionals } = parseArgs({
		args: argv,
		allowPositionals: true,
		options: { ...RUN_OPTIONS, json: { type: 'string' }, events: { type: 'string' } }
	});
	const a = await readRunArgs(positionals, values, io);
	let summary: RunSummary;
	if (values.events !== undefined) {
		if (a.replications > 1) throw new UsageError('--events writes one run: use it with --replications 1');
		const header = { format: JOURNAL_FORMAT, v: 1, source: 'simulator', scenario: a.scenario.name, seed: a.seed ?? a.scenario.seed };
		summary = await withJournal(resolve(io.cwd, values.events), header, async (write) => runScenario(a, io, write));
	} else summary = await runScenario(a, io);
	io.out(formatSummary(summary));
	if (values.json !== undefined) await writeFile(resolve(io.cwd, values.json), JSON.stringify(summary, null, 2) + '\n');
	return 0;
}
