import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { parseAgentRange, sweep, sweepCsv, type SweepResult } from '../core/sweep';
import { readRunArgs, RUN_OPTIONS } from './simulate';
import { progressBar, table, UsageError, type CliIo } from './io';

export const SWEEP_USAGE = `heatboard sweep <scenario.yaml> --agents FROM..TO[:STEP] [--seed N] [--replications R] [--json FILE] [--csv FILE]`;

const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);

function formatSweep(r: SweepResult): string {
	const rows = [['agents', 'SL (offered)', 'abandon', 'ASA s', 'occupancy', 'revenue', 'net revenue', '']];
	for (const l of r.levels) {
		const marks = [l.agents === r.meetsTarget ? 'meets target' : '', l.agents === r.maxNetRevenue ? 'max net revenue' : '']
			.filter(Boolean)
			.join(', ');
		rows.push([
			String(l.agents),
			pct(l.totals.slOffered),
			pct(l.totals.abandonRate),
			l.totals.asaAnswered === null ? '-' : l.totals.asaAnswered.toFixed(1),
			pct(l.totals.occupancy),
			Math.round(l.totals.revenue).toLocaleString('en-US'),
			Math.round(l.totals.netRevenue).toLocaleString('en-US'),
			marks
		]);
	}
	return `${r.scenario}: ${r.replications} replication${r.replications === 1 ? '' : 's'} per level, seed ${r.seed}\n${table(rows)}\n`;
}

export async function sweepCommand(argv: string[], io: CliIo): Promise<number> {
	const { values, positionals } = parseArgs({
		args: argv,
		allowPositionals: true,
		options: { ...RUN_OPTIONS, json: { type: 'string' }, csv: { type: 'string' } }
	});
	if (values.agents === undefined) throw new UsageError('--agents FROM..TO[:STEP] is required');
	let range: ReturnType<typeof parseAgentRange>;
	try {
		range = parseAgentRange(values.agents);
	} catch (err) {
		throw new UsageError(`--agents: ${err instanceof Error ? err.message : String(err)}`);
	}
	const a = await readRunArgs(positionals, { ...values, agents: undefined }, io);
	const bar = progressBar(io, `${a.scenario.name} sweep`);
	let result: SweepResult;
	try {
		result = await sweep(a.scenario, { ...range, replications: a.replications, seed: a.seed, onProgress: (f) => bar.update(f) });
	} finally {
		bar.done();
	}
	io.out(formatSweep(result));
	if (values.json !== undefined) await writeFile(resolve(io.cwd, values.json), JSON.stringify(result, null, 2) + '\n');
	if (values.csv !== undefined) await writeFile(resolve(io.cwd, values.csv), sweepCsv(result));
	return 0;
}
