import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { erlangAMeasures } from '../../src/lib/engine/analytics/erlang';
import { loadScenario } from '../../simulator/scenario/load';
import type { Scenario } from '../../simulator/scenario/types';
import { median, rates, sanity, type BenchResult } from './harness';
import { buildMillionDay, MILLION_DAY } from './million-day';
import { ensureSimpy, runSimpy, SYSTEM_PYTHON, type SimpyModel, type SimpyResult } from './simpy';
import { SimulatorProcess, type RunFacts } from './simulator-process';

/**
 * The discrete-event simulator through the full routing engine, with the event log off: the
 * reference M/M/n+M day against the same model in SimPy 3, and a million-call multi-skill day.
 */

export const name = 'simulator';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TARGET = { eventsPerSecond: 2_300_000, simpyRatio: 13, millionSeconds: 3 };
/**
 * Reference: untimed replications on their own seeds (the JIT warm-up, and the sample the SimPy
 * check compares against), then timed runs on the scenario's seed in rounds, one SimPy run after
 * each round, so a busy spell on the shared machine hits both sides of the ratio alike.
 */
const REFERENCE = { sampleSeeds: [1, 2, 3, 4, 5], rounds: 3, runsPerRound: 5 };
/** a round of timed runs: the scenario's own seed and staffing */
const ON_OWN_SEED = Array.from({ length: REFERENCE.runsPerRound }, () => ({}));
/** SimPy's seeds, one per round; the best of its runs is its figure */
const SIMPY_SEEDS = [1, 2, 3];
/**
 * The million-call day: one untimed run, then timed runs while the benchmark's time allows,
 * at least `minRuns` (each run takes seconds, so the count adapts to how fast the engine is).
 */
const MILLION = { calls: 1_000_000, seed: 0x1d4e, minRuns: 3, maxRuns: 7, budgetSeconds: 75 };
/** Answered and abandoned shares of the two models may differ by this much (absolute, pooled over replications). */
const SHARE_TOLERANCE = 0.01;

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (x: number, digits = 2) => `${(100 * x).toFixed(digits)}%`;
const verdict = (met: boolean) => (met ? 'target met' : 'target NOT met');
/** what the timed rows say they time */
const BUNDLED =
	'simulate() from the esbuild bundle (simulator/bundle.mjs), timed in a plain node child process (no tsx, no node options) as the CLI runs it';

/**
 * The simulator runs in a plain node child process (simulator-driver.mjs), as CLI users run it,
 * not in this one, which runs under tsx. The scenarios are built here and sent as plain data; the
 * runs' figures come back for the checks.
 */
export async function run(): Promise<BenchResult[]> {
	const started = performance.now();
	const sim = new SimulatorProcess();
	try {
		const reference = await referenceDay(sim);
		const million = await millionDay(sim, started);
		return [...reference, ...million];
	} finally {
		sim.close();
	}
}

// ------------------------------------------------------------------ reference model

interface Shares {
	arrived: number;
	answered: number;
	abandoned: number;
}

interface ReferenceParams extends Omit<SimpyModel, 'seed'> {
	scenario: Scenario;
}

/** The reference scenario, checked to be the M/M/n+M model the SimPy script implements, and its parameters. */
function referenceParams(): ReferenceParams {
	const scenario = loadScenario(path.join(ROOT, 'scenarios/reference.yaml'));
	const q = scenario.queues[0];
	const a = scenario.arrivals[0];
	const g = scenario.agents[0];
	const shift = g?.shifts[0];
	sanity(
		scenario.queues.length === 1 && scenario.arrivals.length === 1 && scenario.agents.length === 1 && g?.shifts.length === 1,
		'reference.yaml is no longer one queue, one arrival stream, one agent group: update simpy_reference.py to match'
	);
	sanity(
		q !== undefined && q.handleTime.dist === 'exponential' && q.patience?.dist === 'exponential' && q.callbackShare === 0,
		'reference.yaml handle time and patience must be exponential (M/M/n+M), without callbacks'
	);
	sanity(q.wrapUp.dist === 'constant' && q.wrapUp.value === 0, 'reference.yaml must have no wrap-up');
	sanity(
		a !== undefined && a.ratesPerHour.length === 1 && a.scale === 1 && a.skills.length === 0,
		'reference.yaml arrivals must be one constant rate'
	);
	sanity(shift !== undefined && shift.breaks.length === 0 && shift.startMs <= scenario.startMs, 'reference.yaml agents must be on all day');
	const rate = (a.ratesPerHour[0] as number) * ((a.weekdayFactors[scenario.weekday] ?? 1) as number);
	return {
		scenario,
		agents: shift.count,
		arrivalsPerMinute: rate / 60,
		ahtMinutes: q.handleTime.mean / 60_000,
		patienceMinutes: q.patience.mean / 60_000,
		hours: scenario.horizonMs / 3_600_000
	};
}

/** Checks one reference run and returns its whole-horizon shares (the SimPy script counts the same way). */
function checkReference(r: RunFacts, what: string): Shares {
	const sc = r.statusCount;
	const rejected = Object.values(r.rejected).reduce((s, n) => s + n, 0);
	sanity(rejected === 0, `${what}: engine rejected ${rejected} events`);
	sanity(Object.keys(r.contradictions).length === 0, `${what}: contradictions ${JSON.stringify(r.contradictions)}`);
	sanity(
		sc.ringing + sc.callback + sc.ai + sc.voicemail === 0,
		`${what}: calls in states the M/M/n+M model has not: ${JSON.stringify(sc)}`
	);
	sanity(
		sc.waiting + sc.talking + sc.ended + sc.abandoned === r.arrived,
		`${what}: calls lost: ${JSON.stringify(sc)}, arrived ${r.arrived}`
	);
	sanity(r.logicalEvents === r.arrived + sc.ended + sc.abandoned, `${what}: ${r.logicalEvents} logical events do not add up`);
	const t = r.totals;
	// the measured period ends with a few calls still waiting, nothing more
	sanity(
		Math.abs(t.offered - t.answered - t.abandoned) <= 0.01 * t.offered,
		`${what}: offered ${t.offered}, answered ${t.answered} + abandoned ${t.abandoned}`
	);
	return { arrived: r.arrived, answered: sc.talking + sc.ended, abandoned: sc.abandoned };
}

function checkSimpy(r: SimpyResult, seed: number): void {
	const what = `SimPy seed ${seed}`;
	sanity(r.arrived - r.answered - r.abandoned === r.waiting, `${what}: calls lost: ${JSON.stringify(r)}`);
	sanity(r.answered - r.completed === r.talking, `${what}: talking calls do not add up: ${JSON.stringify(r)}`);
	sanity(r.logicalEvents === r.arrived + r.completed + r.abandoned, `${what}: logical events do not add up`);
	sanity(r.seconds > 0, `${what}: no time measured`);
}

function pooled(list: readonly Shares[]): { answered: number; abandoned: number; arrived: number } {
	const arrived = list.reduce((s, x) => s + x.arrived, 0);
	return {
		arrived,
		answered: list.reduce((s, x) => s + x.answered, 0) / arrived,
		abandoned: list.reduce((s, x) => s + x.abandoned, 0) / arrived
	};
}

async function referenceDay(sim: SimulatorProcess): Promise<BenchResult[]> {
	const p = referenceParams();
	await sim.load('reference', p.scenario);
	const untimed = await sim.run(
		'reference',
		REFERENCE.sampleSeeds.map((seed) => ({ seed }))
	);
	const sample = untimed.map((r, i) => checkReference(r.facts, `reference seed ${REFERENCE.sampleSeeds[i]}`));

	const simpy = ensureSimpy();
	const timed: number[] = [];
	const py: SimpyResult[] = [];
	let day: RunFacts | undefined;
	for (let round = 0; round < REFERENCE.rounds; round++) {
		// a round's runs back to back in the child, on the scenario's seed; no full collection before a
		// run: V8 shrinks the heap after one, and the next run pays for growing it again (median 58 ms
		// with a collection before each vs 33 ms without, best 33 vs 30 ms, same machine)
		const runs = await sim.run('reference', ON_OWN_SEED);
		for (const r of runs) {
			checkReference(r.facts, 'reference timed run');
			if (day !== undefined) sanity(r.facts.logicalEvents === day.logicalEvents, 'reference: the same seed gave a different day');
			day ??= r.facts;
			timed.push(r.ms / 1000);
		}
		const seed = SIMPY_SEEDS[round];
		if (simpy.ok && seed !== undefined) {
			const r = await runSimpy({ ...p, seed });
			checkSimpy(r, seed);
			py.push(r);
		}
	}
	sanity(day !== undefined, 'reference: no timed runs');
	const events = day.logicalEvents;
	const js = rates(events, timed);
	const sc = day.statusCount;
	const model = `${p.agents} agents, λ ${p.arrivalsPerMinute}/min Poisson, AHT ${p.ahtMinutes} min exp, patience ${p.patienceMinutes} min exp, ${p.hours} h`;
	const out: BenchResult[] = [
		{
			name: 'simulator.reference',
			metric: 'logical events',
			value: events,
			unit: 'events',
			notes: `scenarios/reference.yaml (${model}); ${fmt(day.arrived)} arrivals + ${fmt(sc.ended)} completions + ${fmt(sc.abandoned)} abandonments; ${fmt(day.engineSteps)} engine steps`
		},
		{
			name: 'simulator.reference',
			metric: 'events/s best',
			value: js.best,
			unit: 'events/s',
			notes: `${BUNDLED}, full engine, event log off; target >= ${fmt(TARGET.eventsPerSecond)}: ${verdict(js.best >= TARGET.eventsPerSecond)} (${pct(js.best / TARGET.eventsPerSecond, 0)} of it)`
		},
		{
			name: 'simulator.reference',
			metric: 'events/s median',
			value: js.median,
			unit: 'events/s',
			notes: `${timed.length} timed runs after ${REFERENCE.sampleSeeds.length} untimed ones, back to back`
		}
	];

	const js5 = pooled(sample);
	const erlangA = erlangAMeasures({
		arrivalsPerHour: p.arrivalsPerMinute * 60,
		ahtSeconds: p.ahtMinutes * 60,
		agents: p.agents,
		targetSeconds: 20,
		patienceSeconds: p.patienceMinutes * 60
	});
	if (!simpy.ok || py.length === 0) {
		const reason = simpy.ok ? 'no SimPy runs' : simpy.reason;
		return [
			...out,
			{ name: 'simulator.simpy', metric: 'skipped', value: Number.NaN, unit: '-', notes: `SimPy rows skipped: ${reason}` },
			shareRow(
				'abandoned share',
				js5.abandoned,
				`heatboard ${pct(js5.abandoned)} over ${REFERENCE.sampleSeeds.length} seeds; Erlang A ${pct(erlangA.pAbandon)} (steady state); no SimPy to compare`
			)
		];
	}

	// SimPy's seeds give slightly different days, so each run is its own events over its own seconds
	const perRun = py.map((r) => r.logicalEvents / r.seconds);
	const sp = { best: Math.max(...perRun), median: median(perRun) };
	const py3 = pooled(py);
	const first = py[0] as SimpyResult;
	// a model that ignored patience, or served calls twice, would differ by far more than this
	sanity(
		Math.abs(js5.answered - py3.answered) <= SHARE_TOLERANCE,
		`answered share: heatboard ${pct(js5.answered)}, SimPy ${pct(py3.answered)}`
	);
	sanity(
		Math.abs(js5.abandoned - py3.abandoned) <= SHARE_TOLERANCE,
		`abandoned share: heatboard ${pct(js5.abandoned)}, SimPy ${pct(py3.abandoned)}`
	);
	const ratio = js.best / sp.best;
	const samples = `heatboard ${REFERENCE.sampleSeeds.length} seeds (${fmt(js5.arrived)} calls), SimPy ${py.length} seeds (${fmt(py3.arrived)} calls)`;
	return [
		...out,
		{
			name: 'simulator.simpy',
			metric: 'events/s best',
			value: sp.best,
			unit: 'events/s',
			notes: `the same model in SimPy ${first.simpy} (Python ${first.python}, ${SYSTEM_PYTHON}), env.run() only; simpy ${simpy.how}`
		},
		{
			name: 'simulator.simpy',
			metric: 'events/s median',
			value: sp.median,
			unit: 'events/s',
			notes: `${py.length} runs (seeds ${SIMPY_SEEDS.slice(0, py.length).join(', ')}), one after each round of heatboard runs; ${fmt(first.logicalEvents)} events on seed ${SIMPY_SEEDS[0]}`
		},
		{
			name: 'simulator.reference',
			metric: 'vs SimPy',
			value: ratio,
			unit: 'x',
			notes: `best over best; median over median ${(js.median / sp.median).toFixed(2)}x; target >= ${TARGET.simpyRatio}x: ${verdict(ratio >= TARGET.simpyRatio)}`
		},
		shareRow(
			'answered share',
			js5.answered,
			`SimPy ${pct(py3.answered)}; Erlang A ${pct(1 - erlangA.pAbandon)} (steady state); whole horizon, ${samples}`
		),
		shareRow(
			'abandoned share',
			js5.abandoned,
			`SimPy ${pct(py3.abandoned)}; Erlang A ${pct(erlangA.pAbandon)} (steady state); models must agree within ${100 * SHARE_TOLERANCE} percentage point`
		)
	];
}

function shareRow(metric: string, value: number, notes: string): BenchResult {
	return { name: 'simulator.reference', metric, value: 100 * value, unit: '%', notes };
}

// ------------------------------------------------------------------ a million calls

async function millionDay(sim: SimulatorProcess, started: number): Promise<BenchResult[]> {
	const scenario = buildMillionDay({ calls: MILLION.calls, seed: MILLION.seed });
	await sim.load('million', scenario);
	/** one run on the scenario's seed, a full collection in the child before it */
	const once = async () => {
		const [run] = await sim.run('million', [{}], true);
		sanity(run !== undefined, 'million-call day: the simulator process ran nothing');
		checkMillion(run.facts);
		return { seconds: run.ms / 1000, r: run.facts };
	};
	const day = (await once()).r;
	const seconds: number[] = [];
	const elapsed = () => (performance.now() - started) / 1000;
	while (seconds.length < MILLION.maxRuns) {
		const last = seconds[seconds.length - 1] ?? 0;
		if (seconds.length >= MILLION.minRuns && elapsed() + last > MILLION.budgetSeconds) break;
		const run = await once();
		sanity(
			run.r.logicalEvents === day.logicalEvents && JSON.stringify(run.r.totals) === JSON.stringify(day.totals),
			'million-call day: the same seed gave a different day'
		);
		seconds.push(run.seconds);
	}

	const t = day.totals;
	const ev = rates(day.logicalEvents, seconds);
	const best = Math.min(...seconds);
	const peak = peakAgents(scenario);
	const queues = Object.entries(day.queues)
		.map(([id, q]) => `${id} ${fmt(q.offered)} calls, SL ${pct(q.slOffered ?? 0, 1)}, abandon ${pct(q.abandonRate ?? 0, 1)}`)
		.join('; ');
	return [
		{
			name: 'simulator.day1m',
			metric: 'calls',
			value: t.offered,
			unit: 'calls',
			notes: `24 h, sales + support, ${queues}; ${pct(MILLION_DAY.spanishShare, 0)} need Spanish; ${fmt(peak)} agents at the peak in ${scenario.agents.length} skill groups; ${MILLION_DAY.wrapSeconds} s wrap-up`
		},
		{
			name: 'simulator.day1m',
			metric: 'service level',
			value: 100 * (t.slOffered ?? 0),
			unit: '%',
			notes: `answered within 20 s over offered; ${fmt(t.answered)} answered, ${fmt(t.abandoned)} abandoned (${pct(t.abandonRate ?? 0, 1)}), occupancy ${pct(t.occupancy ?? 0, 1)}`
		},
		{
			name: 'simulator.day1m',
			metric: 'logical events',
			value: day.logicalEvents,
			unit: 'events',
			notes: 'arrivals + completions + abandonments'
		},
		{
			name: 'simulator.day1m',
			metric: 'engine steps',
			value: day.engineSteps,
			unit: 'steps',
			notes: `inputs and timers stepped (wrap-up ends, shift changes), ${(day.engineSteps / day.logicalEvents).toFixed(2)} per logical event`
		},
		{
			name: 'simulator.day1m',
			metric: 'seconds best',
			value: best,
			unit: 's',
			notes: `${BUNDLED}, event log off; target < ${TARGET.millionSeconds} s: ${verdict(best < TARGET.millionSeconds)}`
		},
		{
			name: 'simulator.day1m',
			metric: 'seconds median',
			value: median(seconds),
			unit: 's',
			notes: `${seconds.length} timed runs after an untimed one, gc before each (as many as fit the bench's ${MILLION.budgetSeconds} s budget, ${MILLION.minRuns}-${MILLION.maxRuns})`
		},
		{ name: 'simulator.day1m', metric: 'events/s best', value: ev.best, unit: 'events/s', notes: 'logical events per second' },
		{ name: 'simulator.day1m', metric: 'events/s median', value: ev.median, unit: 'events/s', notes: 'logical events per second' }
	];
}

function checkMillion(r: RunFacts): void {
	const sc = r.statusCount;
	const t = r.totals;
	const what = 'million-call day';
	const rejected = Object.values(r.rejected).reduce((s, n) => s + n, 0);
	sanity(rejected === 0, `${what}: engine rejected ${rejected} events`);
	sanity(Object.keys(r.contradictions).length === 0, `${what}: contradictions ${JSON.stringify(r.contradictions)}`);
	sanity(r.agentsAutoCreated === 0, `${what}: ${r.agentsAutoCreated} agents auto-created`);
	sanity(
		Math.abs(t.offered - MILLION.calls) <= 0.01 * MILLION.calls,
		`${what}: ${t.offered} calls offered, expected about ${MILLION.calls}`
	);
	sanity(
		Math.abs(t.offered - t.answered - t.abandoned) <= 0.005 * t.offered,
		`${what}: offered ${t.offered}, answered ${t.answered} + abandoned ${t.abandoned}`
	);
	sanity(r.logicalEvents === r.arrived + sc.ended + sc.abandoned, `${what}: ${r.logicalEvents} logical events do not add up`);
	// a day that is mostly queueing or mostly idle would measure a different engine
	sanity(
		(t.slOffered ?? 0) >= 0.6 && (t.abandonRate ?? 1) <= 0.1,
		`${what}: service out of range: SL ${t.slOffered}, abandon ${t.abandonRate}`
	);
}

function peakAgents(s: Scenario): number {
	const shifts = s.agents.flatMap((g) => g.shifts);
	const starts = [...new Set(shifts.map((x) => x.startMs))];
	return Math.max(...starts.map((at) => shifts.reduce((n, x) => n + (x.startMs <= at && at < x.endMs ? x.count : 0), 0)));
}
