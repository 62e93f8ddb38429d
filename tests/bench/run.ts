/**
 * Runs the benchmark modules of this folder (every *.bench.ts, each exporting `name` and `run()`),
 * prints one table to stdout and writes bench-results/<name>.json and bench-results/summary.json.
 *
 *   npm run bench               all benchmarks
 *   npm run bench -- engine     only those whose name contains "engine" (several words: any of them)
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isBenchmark, type Benchmark, type BenchResult } from './harness';
import { formatTable } from './report';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const OUT = path.join(ROOT, 'bench-results');

interface Outcome {
	name: string;
	file: string;
	ok: boolean;
	startedAt: string;
	seconds: number;
	results: BenchResult[];
	error?: string;
}

async function loadBenchmarks(): Promise<Array<{ file: string; bench: Benchmark }>> {
	const files = (await readdir(HERE)).filter((f) => f.endsWith('.bench.ts')).sort();
	const out: Array<{ file: string; bench: Benchmark }> = [];
	const names = new Set<string>();
	for (const file of files) {
		const mod: unknown = await import(pathToFileURL(path.join(HERE, file)).href);
		if (!isBenchmark(mod)) throw new Error(`${file}: must export a file-name-safe \`name\` string and an async \`run()\``);
		if (names.has(mod.name)) throw new Error(`${file}: benchmark name "${mod.name}" is already taken`);
		names.add(mod.name);
		out.push({ file: `tests/bench/${file}`, bench: { name: mod.name, run: mod.run } });
	}
	return out;
}

function gitCommit(): string | null {
	try {
		return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
	} catch {
		return null;
	}
}

async function main(): Promise<number> {
	const filters = process.argv.slice(2);
	const flag = filters.find((f) => f.startsWith('-'));
	if (flag !== undefined) {
		process.stderr.write(`bench: unknown option ${flag}\nusage: npm run bench [-- <name filter>...]\n`);
		return 2;
	}
	const all = await loadBenchmarks();
	const chosen =
		filters.length === 0 ? all : all.filter(({ bench }) => filters.some((f) => bench.name.toLowerCase().includes(f.toLowerCase())));
	if (chosen.length === 0) {
		process.stderr.write(`bench: no benchmark matches ${filters.join(' ')}; there are: ${all.map((b) => b.bench.name).join(', ')}\n`);
		return 2;
	}

	await mkdir(OUT, { recursive: true });
	const progress = process.stderr.isTTY === true;
	const outcomes: Outcome[] = [];
	for (const [i, { file, bench }] of chosen.entries()) {
		const tag = `[${i + 1}/${chosen.length}] ${bench.name}`;
		if (progress) process.stderr.write(`${tag}: running...\n`);
		const startedAt = new Date().toISOString();
		const t0 = performance.now();
		let outcome: Outcome;
		try {
			const results = await bench.run();
			outcome = { name: bench.name, file, ok: true, startedAt, seconds: (performance.now() - t0) / 1000, results };
			if (progress) process.stderr.write(`${tag}: done in ${outcome.seconds.toFixed(1)} s, ${results.length} results\n`);
		} catch (err) {
			const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
			outcome = { name: bench.name, file, ok: false, startedAt, seconds: (performance.now() - t0) / 1000, results: [], error };
			process.stderr.write(`${tag}: FAILED\n${error}\n`);
		}
		outcomes.push(outcome);
		// written even on failure, so a stale fast number from an earlier run cannot be mistaken for this one
		await writeFile(path.join(OUT, `${bench.name}.json`), `${JSON.stringify(outcome, null, 2)}\n`);
	}

	const cpus = os.cpus();
	const summary = {
		date: new Date().toISOString(),
		commit: gitCommit(),
		node: process.version,
		v8: process.versions.v8,
		platform: `${process.platform} ${os.release()} ${process.arch}`,
		cpu: { model: cpus[0]?.model.trim() ?? 'unknown', cores: cpus.length },
		memoryGiB: Number((os.totalmem() / 1024 ** 3).toFixed(1)),
		filter: filters,
		ok: outcomes.every((o) => o.ok),
		benchmarks: outcomes
	};
	await writeFile(path.join(OUT, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);

	process.stdout.write(`${formatTable(outcomes.flatMap((o) => o.results))}\n`);
	const failed = outcomes.filter((o) => !o.ok).map((o) => o.name);
	if (failed.length > 0) {
		process.stderr.write(`bench: FAILED: ${failed.join(', ')} (see above; their JSON records the error)\n`);
		return 1;
	}
	return 0;
}

main().then(
	(code) => {
		process.exitCode = code;
	},
	(err: unknown) => {
		process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
		process.exitCode = 1;
	}
);
