import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importBundled } from '../../simulator/bundle.mjs';
import type { WorkerPool } from '../../simulator/core/pool';
import type { SweepResult } from '../../simulator/core/sweep';
import { loadScenario } from '../../simulator/scenario/load';
import type { Scenario } from '../../simulator/scenario/types';
import { median, sanity, type BenchResult } from './harness';
import { SimulatorProcess } from './simulator-process';

/**
 * Issue 6's sweep: 40 staffing levels × 20 replications of the reference day (~23,000 calls each)
 * on every core, the way `heatboard sweep` runs it (a fresh worker pool) and the way the studio
 * runs it (its pool kept warm between runs). Where the time goes: worker start-up, the pool's busy
 * share, and the floor set by one replication's time in a single thread.
 */

export const name = 'sweep';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SWEEP = { from: 181, to: 220, step: 1, replications: 20, seed: 1 };
const TARGET_SECONDS = 10;
/** single-thread replications timed for the floor, after as many untimed ones */
const FLOOR_RUNS = 10;

const s1 = (x: number) => x.toFixed(1);
const pct = (x: number) => `${(100 * x).toFixed(0)}%`;

function tiny(sc: Scenario): Scenario {
	return { ...sc, horizonMs: 60_000, warmupMs: 0 };
}

/** CPU seconds of every thread of this process since `from` (workers included: they are threads) */
const cpuSince = (from: NodeJS.CpuUsage) => {
	const d = process.cpuUsage(from);
	return (d.user + d.system) / 1e6;
};

interface Timed {
	seconds: number;
	cpu: number;
	busy: number;
	r: SweepResult;
}

async function timedSweep(
	sweep: typeof import('../../simulator/core/sweep').sweep,
	sc: Scenario,
	pool: WorkerPool,
	t0: number,
	cpu0: NodeJS.CpuUsage
): Promise<Timed> {
	const busyBefore = pool.busyMs;
	const r = await sweep(sc, { ...SWEEP, pool });
	return { seconds: (performance.now() - t0) / 1000, cpu: cpuSince(cpu0), busy: pool.busyMs - busyBefore, r };
}

/**
 * The code `heatboard sweep` runs: esbuild bundles (simulator/bundle.mjs), as the CLI and the
 * workers load them, not the files one by one through tsx. The workers start without this
 * process's tsx (simulator/core/thread-argv.ts); this thread only hands out jobs and adds up.
 */
async function bundled() {
	const [{ WorkerPool }, { sweep }] = await Promise.all([
		importBundled<typeof import('../../simulator/core/pool')>('simulator/core/pool.ts'),
		importBundled<typeof import('../../simulator/core/sweep')>('simulator/core/sweep.ts')
	]);
	return { WorkerPool, sweep };
}

/**
 * One replication's CPU time, JIT warm, in a plain node process: without tsx, like the workers,
 * not in the bench's own process, which runs under it.
 */
async function floorRunMs(sc: Scenario): Promise<number> {
	const sim = new SimulatorProcess();
	try {
		await sim.load('reference', sc);
		await sim.run(
			'reference',
			Array.from({ length: FLOOR_RUNS }, (_, i) => ({ seed: 1000 + i, agents: 190 + i }))
		);
		// CPU time, not wall: on a shared machine a replication's wall time says more about the neighbours.
		// No gc() between runs: measured here, a replication right after a full collection takes 3-8x
		// the CPU of one after another replication, which is what a worker always runs after.
		const timed = await sim.run(
			'reference',
			Array.from({ length: FLOOR_RUNS }, (_, i) => ({ seed: 2000 + i, agents: SWEEP.from + 4 * i }))
		);
		return median(timed.map((r) => r.cpuMs));
	} finally {
		sim.close();
	}
}

export async function run(): Promise<BenchResult[]> {
	const { WorkerPool, sweep } = await bundled();
	const sc = loadScenario(path.join(ROOT, 'scenarios/reference.yaml'));
	const workers = availableParallelism();
	const levels = Math.floor((SWEEP.to - SWEEP.from) / SWEEP.step) + 1;
	const jobs = levels * SWEEP.replications;

	// `heatboard sweep`: the pool starts with the sweep
	const load = loadavg()[0] ?? 0;
	let t0 = performance.now();
	let cpu0 = process.cpuUsage();
	const cold = new WorkerPool(Math.min(workers, jobs));
	await Promise.all(Array.from({ length: cold.size }, (_, i) => cold.run({ scenario: tiny(sc), seed: i, agents: undefined })));
	const startup = (performance.now() - t0) / 1000;
	const first = await timedSweep(sweep, sc, cold, t0, cpu0);

	// the studio: the same pool again, started and warmed by the first sweep
	t0 = performance.now();
	cpu0 = process.cpuUsage();
	const warm = await timedSweep(sweep, sc, cold, t0, cpu0);
	await cold.close();
	sanity(JSON.stringify(warm.r.levels) === JSON.stringify(first.r.levels), 'the same sweep gave different results on a warm pool');
	sanity(warm.r.levels.length === levels && warm.r.meetsTarget !== null, `expected ${levels} levels and a staffing meeting the target`);
	const offered = warm.r.levels[0]?.totals.offered ?? 0;

	// the floor: one replication's time in a single thread, times the jobs shared by the workers
	const perRun = await floorRunMs(sc);
	const floor = (perRun * jobs) / workers / 1000;
	const util = (x: { seconds: number; busy: number }) => x.busy / 1000 / (x.seconds * workers);
	const verdict = (s: number) => (s <= TARGET_SECONDS ? 'target met' : 'target NOT met');

	return [
		{
			name: 'sweep.reference.cold',
			metric: 'wall seconds',
			value: first.seconds,
			unit: 's',
			notes: `heatboard sweep path: ${levels} levels x ${SWEEP.replications} replications of scenarios/reference.yaml (${Math.round(offered).toLocaleString('en-US')} calls measured each) on ${workers} workers, start-up included; the timed code is the esbuild bundle (simulator/bundle.mjs); load average ${load.toFixed(1)} at the start; target <= ${TARGET_SECONDS} s: ${verdict(first.seconds)}`
		},
		{
			name: 'sweep.reference.cold',
			metric: 'cpu seconds',
			value: first.cpu,
			unit: 's',
			notes: `every thread of the process; on ${workers} otherwise idle cores the wall time would be about ${s1(first.cpu / workers)} s`
		},
		{
			name: 'sweep.reference.cold',
			metric: 'pool busy',
			value: 100 * util(first),
			unit: '%',
			notes: `workers' time in jobs / (wall x ${workers}); the rest is start-up (${s1(startup)} s to ${cold.size} workers ready), messaging and the tail`
		},
		{
			name: 'sweep.reference.warm',
			metric: 'wall seconds',
			value: warm.seconds,
			unit: 's',
			notes: `the studio path: the same sweep on a pool kept from the previous run, esbuild bundle; pool busy ${pct(util(warm))}; target <= ${TARGET_SECONDS} s: ${verdict(warm.seconds)}`
		},
		{
			name: 'sweep.reference.warm',
			metric: 'cpu seconds',
			value: warm.cpu,
			unit: 's',
			notes: `every thread of the process; about ${s1(warm.cpu / workers)} s of wall time on ${workers} idle cores`
		},
		{
			name: 'sweep.reference.floor',
			metric: 'wall seconds',
			value: floor,
			unit: 's',
			notes: `${jobs} replications x ${s1(perRun)} ms CPU (median of ${FLOOR_RUNS} runs of the esbuild bundle in a plain node process, JIT warm) / ${workers} cores: every run drawing its own callers; the sweep's workers draw each seed's callers once and replay them at the other levels, so it can come in under this`
		},
		{
			name: 'sweep.worker.startup',
			metric: 'wall seconds',
			value: startup,
			unit: 's',
			notes: `${cold.size} simulation workers from new Worker() to a first (1-minute) job done: the worker's esbuild bundle (cached) and its packages, no tsx in the worker`
		}
	];
}
