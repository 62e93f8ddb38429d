import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { evaluate, junit, parseAssertion } from './assertions';
import { readRunArgs, RUN_OPTIONS, runScenario } from './simulate';
import { UsageError, type CliIo } from './io';

export const CHECK_USAGE = `heatboard check <scenario.yaml> --assert 'slOffered >= 0.8' [--assert ...] [--seed N] [--replications R] [--agents N] [--json FILE] [--junit FILE]`;

/** Exit 0 when every assertion holds, 1 when one fails, 2 on bad input. With replications the mean is asserted. */
export async function checkCommand(argv: string[], io: CliIo, clock: () => number = () => performance.now()): Promise<number> {
	const { values, positionals } = parseArgs({
		args: argv,
		allowPositionals: true,
		options: { ...RUN_OPTIONS, assert: { type: 'string', multiple: true }, junit: { type: 'string' }, json: { type: 'string' } }
	});
	const texts = values.assert ?? [];
	if (texts.length === 0) throw new UsageError('give at least one --assert');
	const assertions = texts.map(parseAssertion);
	const a = await readRunArgs(positionals, values, io);
	const started = clock();
	const summary = await runScenario(a, io);
	const results = evaluate(assertions, summary);
	const seconds = (clock() - started) / 1000;
	for (const r of results) io.out(`${r.ok ? 'PASS' : 'FAIL'}  ${r.assertion.text}  (${r.assertion.metric} = ${r.actual ?? 'no value'})\n`);
	const failed = results.filter((r) => !r.ok).length;
	io.out(`${results.length - failed} passed, ${failed} failed\n`);
	if (values.junit !== undefined) await writeFile(resolve(io.cwd, values.junit), junit(results, summary, seconds));
	if (values.json !== undefined) await writeFile(resolve(io.cwd, values.json), JSON.stringify(summary, null, 2) + '\n');
	return failed === 0 ? 0 : 1;
}
