// Plain JavaScript, forked with no node options by simulator-process.ts: the simulator is timed in
// a process like the CLI's (`node bin/heatboard.js`), on an esbuild bundle, not inside the bench's
// tsx process (tsx's hooks and source-map support are not what CLI users run with).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { importBundled } from '../../simulator/bundle.mjs';

/**
 * @typedef {import('../../simulator/scenario/types').Scenario} Scenario
 * @typedef {import('../../simulator/core/simulate').SimulateResult} SimulateResult
 * @typedef {import('../../src/lib/engine/engine').EngineCounts} EngineCounts
 */

/**
 * What the bench's checks and rows read of a run: the engine itself stays in this process.
 *
 * @typedef {object} RunFacts
 * @property {number} logicalEvents
 * @property {number} engineSteps
 * @property {number} arrived
 * @property {SimulateResult['engine']['statusCount']} statusCount
 * @property {EngineCounts['rejected']} rejected
 * @property {EngineCounts['contradictions']} contradictions
 * @property {number} agentsAutoCreated
 * @property {SimulateResult['summary']['totals']} totals
 * @property {SimulateResult['summary']['queues']} queues
 */

/**
 * @typedef {{ seed?: number, agents?: number }} RunSpec overrides of the scenario's seed and staffing, as simulate() takes them
 * @typedef {{ id: number, op: 'load', key: string, scenario: Scenario }
 *   | { id: number, op: 'run', key: string, runs: RunSpec[], gc: boolean }} Request
 * @typedef {{ ms: number, cpuMs: number, facts: RunFacts }} Timed ms of wall time; cpuMs of every thread of this process (V8's GC helpers too)
 * @typedef {{ id: number, ok: true, runs: Timed[] } | { id: number, ok: false, error: string }} Reply
 */

/** a full collection when asked; `node` without --expose-gc, so it is enabled at run time (as tests/bench/gc.ts does) */
function findGc() {
	setFlagsFromString('--expose-gc');
	const gc = /** @type {unknown} */ (runInNewContext('typeof gc === "function" ? gc : undefined'));
	return typeof gc === 'function' ? /** @type {() => void} */ (gc) : () => {};
}

/** @type {Promise<typeof import('../../simulator/core/simulate')>} */
const loading = importBundled('simulator/core/simulate.ts');
const gc = findGc();
/** @type {Map<string, Scenario>} one object per scenario, reused by every run as the bench did in process */
const scenarios = new Map();
/**
 * The first result of each scenario stays alive while the others run, as it did when the bench
 * kept it in process to compare with: the heap the timed runs see is the same.
 * @type {Map<string, SimulateResult>}
 */
const kept = new Map();

/**
 * @param {SimulateResult} r
 * @returns {RunFacts}
 */
function factsOf(r) {
	const { engine, summary } = r;
	return {
		logicalEvents: r.logicalEvents,
		engineSteps: r.engineSteps,
		arrived: engine.arrived,
		statusCount: { ...engine.statusCount },
		rejected: { ...engine.counts.rejected },
		contradictions: { ...engine.counts.contradictions },
		agentsAutoCreated: engine.counts.agentsAutoCreated,
		totals: summary.totals,
		queues: summary.queues
	};
}

/**
 * @param {Request} req
 * @returns {Promise<Timed[]>}
 */
async function handle(req) {
	const { simulate } = await loading;
	if (req.op === 'load') {
		scenarios.set(req.key, req.scenario);
		for (const k of kept.keys()) if (k !== req.key) kept.delete(k);
		return [];
	}
	const scenario = scenarios.get(req.key);
	if (scenario === undefined) throw new Error(`no scenario loaded as ${req.key}`);
	/** @type {Timed[]} */
	const out = [];
	for (const spec of req.runs) {
		if (req.gc) gc();
		const cpu = process.cpuUsage();
		const t0 = performance.now();
		const r = simulate(scenario, spec);
		const ms = performance.now() - t0;
		const used = process.cpuUsage(cpu);
		if (!kept.has(req.key)) kept.set(req.key, r);
		out.push({ ms, cpuMs: (used.user + used.system) / 1000, facts: factsOf(r) });
	}
	return out;
}

/** one request at a time, in order: a run is never timed while another is being set up */
let queue = Promise.resolve();
process.on('message', (/** @type {Request} */ req) => {
	queue = queue.then(async () => {
		/** @type {Reply} */
		let reply;
		try {
			reply = { id: req.id, ok: true, runs: await handle(req) };
		} catch (err) {
			reply = { id: req.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
		}
		process.send?.(reply);
	});
});
