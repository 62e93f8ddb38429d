import { Engine, type EngineConfigInput, type HeatEvent } from '../../src/lib/engine';
import { findGc, type Gc } from './gc';
import { median, rates, repeat, sanity, type BenchResult } from './harness';
import { generateObserveStream, type ObserveStream, type ObserveStreamOptions } from './observe-stream';
import { checkRouteDay, planRouteDay, runRouteDay, type RouteDayOptions, type RouteDayStats } from './route-day';
import { QUEUES } from './workload';

/**
 * The engine's throughput: a recorded-looking stream mirrored in observe mode (trusted step, then
 * validated ingest), a closed-loop day in route mode, and the heap the engine holds after that day.
 */

export const name = 'engine';

const OBSERVE: ObserveStreamOptions = {
	seed: 0x5eed0b5,
	agents: 200,
	events: 1_000_000,
	arrivalsPerMinute: 45,
	handleMinutes: 4,
	patienceMinutes: 3,
	breakChance: 0.03,
	breakMinutes: 10
};
const ROUTE: RouteDayOptions = { seed: 0x5eed7e, agents: 200, arrivalsPerMinute: 48, handleMinutes: 4, patienceMinutes: 3, dayHours: 8 };
const WRAP_UP_SECONDS = 15;
/** timed runs (observe: step + ingest pairs) after one untimed warm-up; sized to keep the whole bench well under two minutes on two cores */
const RUNS = { observe: 6, route: 25 };

const fmt = (n: number) => n.toLocaleString('en-US');

export async function run(): Promise<BenchResult[]> {
	const gc = findGc();
	// observe first, in its own scope, so its million events are garbage (and collected) before route mode
	const observed = observe();
	gc?.collect();
	const routed = route();
	gc?.collect();
	return [...observed, ...routed, ...memory(gc)];
}

// ------------------------------------------------------------------ observe mode

function observe(): BenchResult[] {
	const stream = generateObserveStream(OBSERVE);
	const { tally } = stream;
	const queues = QUEUES.map((id) => ({ id, mode: 'observe' as const }));
	const trusted: EngineConfigInput = { queues, dedupeWindowMs: 0 };
	const validated: EngineConfigInput = { queues, dedupeWindowMs: 3_600_000 };

	// interleaved, so a busy spell on the machine hits both sides of the ratio alike
	const pairs = repeat(1, RUNS.observe, () => ({ step: feed(stream, trusted, 'step'), ingest: feed(stream, validated, 'ingest') }));
	const step = pairs.map((p) => p.step);
	const ingest = pairs.map((p) => p.ingest);
	const n = stream.events.length;
	const s = rates(n, step);
	const v = rates(n, ingest);
	const days = (stream.spanMs / 86_400_000).toFixed(1);
	const what = `${fmt(n)} events (${fmt(tally.arrived)} calls, ${fmt(tally.abandoned)} abandoned, ${fmt(tally.agentState)} agent states) over ${days} days, ${OBSERVE.agents} agents, 2 queues`;
	return [
		{ name: 'engine.observe.step', metric: 'events/s best', value: s.best, unit: 'events/s', notes: `${what}; step(), dedupe off` },
		{
			name: 'engine.observe.step',
			metric: 'events/s median',
			value: s.median,
			unit: 'events/s',
			notes: `${RUNS.observe} runs after a warm-up`
		},
		{
			name: 'engine.observe.ingest',
			metric: 'events/s best',
			value: v.best,
			unit: 'events/s',
			notes: 'same stream; ingest(): zod validation + dedupe (1 h window)'
		},
		{
			name: 'engine.observe.ingest',
			metric: 'events/s median',
			value: v.median,
			unit: 'events/s',
			notes: `${RUNS.observe} runs after a warm-up, each after a step() run`
		},
		{
			name: 'engine.observe',
			metric: 'step/ingest',
			value: s.best / v.best,
			unit: 'x',
			notes: 'best over best: what validation and de-duplication cost'
		}
	];
}

/** One timed pass of the stream through a fresh engine; returns seconds, after checking the engine mirrored it all. */
function feed(stream: ObserveStream, config: EngineConfigInput, how: 'step' | 'ingest'): number {
	const engine = new Engine(config);
	const events = stream.events;
	let rejected = 0;
	let firstRejection = '';
	let effects = 0;
	const t0 = performance.now();
	if (how === 'step') {
		for (const e of events) {
			const r = engine.step(e);
			effects += r.effects.length;
			if (!r.accepted) {
				if (rejected++ === 0) firstRejection = `${r.reason}: ${r.detail}`;
			}
		}
	} else {
		for (const e of events as readonly unknown[]) {
			const r = engine.ingest(e);
			effects += r.effects.length;
			if (!r.accepted) {
				if (rejected++ === 0) firstRejection = `${r.reason}: ${r.detail}`;
			}
		}
	}
	const seconds = (performance.now() - t0) / 1000;
	checkObserved(engine, stream, how, rejected, firstRejection, effects);
	return seconds;
}

function checkObserved(
	engine: Engine,
	stream: ObserveStream,
	how: string,
	rejected: number,
	firstRejection: string,
	effects: number
): void {
	const { tally } = stream;
	const at = `observe ${how}`;
	sanity(rejected === 0, `${at}: engine rejected ${rejected} events, first: ${firstRejection}`);
	sanity(engine.counts.accepted === stream.events.length, `${at}: accepted ${engine.counts.accepted} of ${stream.events.length}`);
	sanity(engine.arrived === tally.arrived, `${at}: engine arrived ${engine.arrived}, stream ${tally.arrived}`);
	sanity(engine.all.day.answered === tally.answered, `${at}: engine answered ${engine.all.day.answered}, stream ${tally.answered}`);
	sanity(engine.statusCount.ended === tally.ended, `${at}: engine ended ${engine.statusCount.ended}, stream ${tally.ended}`);
	sanity(
		engine.statusCount.abandoned === tally.abandoned,
		`${at}: engine abandoned ${engine.statusCount.abandoned}, stream ${tally.abandoned}`
	);
	const contradictions = Object.entries(engine.counts.contradictions);
	sanity(contradictions.length === 0, `${at}: contradictions ${JSON.stringify(Object.fromEntries(contradictions))}`);
	sanity(engine.counts.agentsAutoCreated === 0, `${at}: ${engine.counts.agentsAutoCreated} agents auto-created`);
	// observe mode decides nothing, and without wrap-up it schedules nothing
	sanity(effects === 0, `${at}: ${effects} effects from an observe-mode engine`);
}

// ------------------------------------------------------------------ route mode

function routeConfig(): EngineConfigInput {
	return { queues: QUEUES.map((id) => ({ id, autoAnswer: true, wrapUpSeconds: WRAP_UP_SECONDS })), dedupeWindowMs: 0 };
}

function route(): BenchResult[] {
	const plan = planRouteDay(ROUTE);
	const closedLoop = (record?: HeatEvent[]) => {
		const engine = new Engine(routeConfig());
		const t0 = performance.now();
		const stats = runRouteDay(engine, plan, record);
		const seconds = (performance.now() - t0) / 1000;
		checkRouteDay(engine, plan, stats);
		return { seconds, stats };
	};
	// the warm-up records what the world stepped, so the replay below feeds the engine exactly this day
	const recorded: HeatEvent[] = [];
	const day = closedLoop(recorded).stats;
	replay(recorded, day);
	// interleaved, so both see the same machine when something else is running on it
	const pairs = repeat(0, RUNS.route, () => ({ loop: closedLoop(), replay: replay(recorded, day) }));
	for (const p of pairs) sanity(JSON.stringify(p.loop.stats) === JSON.stringify(day), 'route day: the same plan gave different days');
	const seconds = pairs.map((p) => p.loop.seconds);
	const replayed = pairs.map((p) => p.replay);

	const logical = day.arrived + day.completed + day.abandoned;
	const ev = rates(logical, seconds);
	const st = rates(day.steps, seconds);
	const rp = rates(day.steps, replayed);
	// fastest against fastest: the least disturbed runs of each
	const worldShare = 1 - Math.min(...replayed) / Math.min(...seconds);
	const abandonPct = ((100 * day.abandoned) / day.arrived).toFixed(1);
	const world = `${ROUTE.agents} agents, 2 queues, ${ROUTE.arrivalsPerMinute}/min Poisson, handle exp ${ROUTE.handleMinutes} min + ${WRAP_UP_SECONDS} s wrap, patience exp ${ROUTE.patienceMinutes} min`;
	return [
		{
			name: 'engine.route.day',
			metric: 'calls',
			value: day.arrived,
			unit: 'calls',
			notes: `${ROUTE.dayHours} h of arrivals, drained by ${(day.endMs / 3_600_000).toFixed(2)} h; ${world}`
		},
		{
			name: 'engine.route.day',
			metric: 'answered',
			value: day.answered,
			unit: 'calls',
			notes: `${fmt(day.abandoned)} abandoned (${abandonPct}%); answered + abandoned = calls`
		},
		{ name: 'engine.route.day', metric: 'logical events', value: logical, unit: 'events', notes: 'arrivals + completions + abandonments' },
		{
			name: 'engine.route.day',
			metric: 'engine steps',
			value: day.steps,
			unit: 'steps',
			notes: `incl. ${fmt(day.timers)} wrap.end timers and ${ROUTE.agents} logins; step(), dedupe off`
		},
		{
			name: 'engine.route.day',
			metric: 'seconds median',
			value: median(seconds),
			unit: 's',
			notes: `${RUNS.route} closed-loop runs after a warm-up, each followed by a replay`
		},
		{ name: 'engine.route.day', metric: 'events/s best', value: ev.best, unit: 'events/s', notes: 'logical events, world included' },
		{ name: 'engine.route.day', metric: 'events/s median', value: ev.median, unit: 'events/s', notes: 'logical events, world included' },
		{ name: 'engine.route.day', metric: 'steps/s best', value: st.best, unit: 'steps/s', notes: 'engine.step calls, world included' },
		{
			name: 'engine.route.day',
			metric: 'steps/s median',
			value: st.median,
			unit: 'steps/s',
			notes: `engine.step calls; the bench's world takes ${(100 * worldShare).toFixed(0)}% of the loop`
		},
		{
			name: 'engine.route.replay',
			metric: 'steps/s best',
			value: rp.best,
			unit: 'steps/s',
			notes: "the day's steps replayed with no world around them: the engine alone"
		},
		{
			name: 'engine.route.replay',
			metric: 'steps/s median',
			value: rp.median,
			unit: 'steps/s',
			notes: `${RUNS.route} runs after a warm-up`
		}
	];
}

/** Steps a recorded closed-loop day through a fresh engine; returns seconds, after checking it ended the same way. */
function replay(events: readonly HeatEvent[], day: RouteDayStats): number {
	const engine = new Engine(routeConfig());
	let rejected = 0;
	let firstRejection = '';
	const t0 = performance.now();
	for (const e of events) {
		const r = engine.step(e);
		if (!r.accepted) {
			if (rejected++ === 0) firstRejection = `${r.reason}: ${r.detail}`;
		}
	}
	const seconds = (performance.now() - t0) / 1000;
	sanity(rejected === 0, `route replay: engine rejected ${rejected} events, first: ${firstRejection}`);
	sanity(engine.counts.accepted === day.steps, `route replay: accepted ${engine.counts.accepted} of ${day.steps}`);
	sanity(
		engine.calls.size === 0 && engine.arrived === day.arrived,
		`route replay: ${engine.calls.size} calls left, ${engine.arrived} arrived`
	);
	sanity(
		engine.statusCount.ended === day.completed && engine.statusCount.abandoned === day.abandoned,
		'route replay: a different day from the same events'
	);
	sanity(engine.counts.timersStale === 0, `route replay: ${engine.counts.timersStale} stale timers`);
	return seconds;
}

// ------------------------------------------------------------------ memory

function memory(gc: Gc | null): BenchResult[] {
	const plan = planRouteDay(ROUTE);
	const mib = (bytes: number) => bytes / 1024 / 1024;
	gc?.collect();
	const before = process.memoryUsage().heapUsed;
	const engine = new Engine(routeConfig());
	const stats: RouteDayStats = runRouteDay(engine, plan);
	checkRouteDay(engine, plan, stats);
	gc?.collect();
	const after = process.memoryUsage().heapUsed;
	// the engine must still be reachable when the heap is read, or the collector could take it
	sanity(engine.arrived === stats.arrived, 'memory run: engine lost');
	const how = gc?.how ?? 'no gc available: figures include garbage';
	return [
		{
			name: 'engine.memory',
			metric: 'heap used after day',
			value: mib(after),
			unit: 'MiB',
			notes: `process heapUsed after the route day; ${how}`
		},
		{
			name: 'engine.memory',
			metric: 'engine after day',
			value: mib(after - before),
			unit: 'MiB',
			notes: 'heap growth across the day: mostly the engine, whose calls are all gone by then, with its interval and minute counters'
		}
	];
}
