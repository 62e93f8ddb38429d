import { Document, isScalar, visit } from 'yaml';
import type { BoardSource } from '../../board/source';
import type { Engine } from '../../engine/engine';
import type { HeatEvent } from '../../engine/events';
import type { Counters } from '../../engine/metrics/counters';
import type { QueueRt } from '../../engine/state';
import { DAY_MS, formatDuration, formatTimeOfDay, MINUTE_MS } from '../../../../simulator/scenario/duration';
import { ReplaySource } from '../replay/replay-source';
import type { FromNow } from './from-now';
import { recordedRoster, rosterNow } from './from-observed-roster';

/** the scenario's arrival intervals */
const INTERVAL_MS = 15 * MINUTE_MS;
/** run before "now" so the queue is loaded when measuring starts, as for the simulator's from-now */
const WARMUP_MS = 15 * MINUTE_MS;
const HOUR_MS = 60 * MINUTE_MS;

/** A board source that is not the simulator: a replayed or live day, as the studio reads it. */
export interface ObservedDay {
	kind: string;
	name: string;
	/** the source's engine as of now (its day metrics are the day so far) */
	engine: Engine;
	/** source time on the engine's clock (a live source's is epoch ms) */
	nowMs: number;
	/** the whole recorded day, on the engine's clock, when the rest of the day is known (a replay) */
	recorded?: { events: readonly HeatEvent[]; endMs: number };
}

/** What "from now on" reads of any board source: a replay's journal as well as its engine. */
export function observedDay(source: BoardSource): ObservedDay {
	const info = source.info();
	const day: ObservedDay = { kind: info.kind, name: info.name, engine: source.engine, nowMs: source.now() };
	if (source instanceof ReplaySource) day.recorded = { events: source.journal.events, endMs: source.endMs };
	return day;
}

const round = (x: number, digits = 1) => Number(x.toFixed(digits));
const mod = (a: number, n: number) => ((a % n) + n) % n;

/** The engine clock's offset from local time of day: a live engine counts in epoch ms. */
function timeOfDayOffset(engine: Engine, nowMs: number): number {
	const tz = engine.config.tzOffsetMinutes * MINUTE_MS;
	return nowMs - mod(nowMs + tz, DAY_MS);
}

/**
 * Handle time, wrap-up and patience of a queue from its day so far. Patience is the censored
 * exponential maximum-likelihood estimate: every caller's wait (answered callers' waits are lower
 * bounds on their patience) summed, over the abandons. With no abandon yet there is nothing to
 * estimate from, and the queue's configured default is used.
 */
function measured(q: QueueRt, day: Counters): { handleS: number; wrapS: number; patienceS: number; estimated: string[] } {
	const estimated: string[] = [];
	let handleS = q.cfg.defaultHandleSeconds;
	let wrapS = 0;
	if (day.handled > 0) {
		handleS = day.talkMs / day.handled / 1000;
		wrapS = day.wrapMs / day.handled / 1000;
	} else estimated.push(`no call of "${q.id}" has been handled yet: its handle time is the configured default ${handleS}s`);
	let patienceS = q.cfg.defaultPatienceSeconds;
	if (day.abandoned > 0) patienceS = (day.waitAnsweredMs + day.waitAbandonedMs) / day.abandoned / 1000;
	else estimated.push(`no caller of "${q.id}" has abandoned yet: its patience is the configured default ${patienceS}s`);
	return { handleS: Math.max(handleS, 0.1), wrapS, patienceS: Math.max(patienceS, 0.1), estimated };
}

/** calls per hour in each interval from `start` to `end`, counted from the recorded arrivals */
function recordedRates(events: readonly HeatEvent[], queue: string, start: number, end: number): number[] {
	const counts = new Array<number>(Math.ceil((end - start) / INTERVAL_MS)).fill(0);
	for (const e of events) {
		if (e.type !== 'call.arrived' || e.queue !== queue || e.t < start || e.t >= end) continue;
		const i = Math.floor((e.t - start) / INTERVAL_MS);
		counts[i] = (counts[i] ?? 0) + 1;
	}
	return counts.map((n) => n * (HOUR_MS / INTERVAL_MS));
}

/** mean heat and value of a queue's recorded calls that carry them */
function carried(events: readonly HeatEvent[], queue: string): { heat?: number; value?: number } {
	let heat = 0;
	let nh = 0;
	let value = 0;
	let nv = 0;
	for (const e of events) {
		if (e.type !== 'call.arrived' || e.queue !== queue) continue;
		if (typeof e.heat === 'number') ((heat += e.heat), nh++);
		if (typeof e.value === 'number') ((value += e.value), nv++);
	}
	return { ...(nh > 0 ? { heat: round(heat / nh, 3) } : {}), ...(nv > 0 ? { value: round(value / nv, 2) } : {}) };
}

/**
 * The rest of an observed day as a scenario: from 15 minutes before now (a warm-up, measured from
 * now) to the end of the day, with the source's queues, its agents on duty now, and arrivals,
 * handle times and patience as observed. A replay knows its future arrivals and uses them
 * interval by interval; a live day's future is the last hour's rate.
 */
export function scenarioFromObserved(day: ObservedDay): FromNow | { error: string } {
	const { engine } = day;
	const offset = timeOfDayOffset(engine, day.nowMs);
	const now = Math.floor((day.nowMs - offset) / MINUTE_MS) * MINUTE_MS;
	const recorded = day.recorded;
	// a replay's day ends with the interval of its last recorded event (a call may run past midnight); a live day at midnight
	const end = recorded === undefined ? DAY_MS : now + Math.ceil((recorded.endMs - offset - now + 1) / INTERVAL_MS) * INTERVAL_MS;
	if (end - now < MINUTE_MS) return { error: `the day of "${day.name}" is over: nothing is left from now on` };
	const warmup = Math.min(WARMUP_MS, now);
	const start = now - warmup;
	const queues = [...engine.queues.values()];
	if (queues.length === 0) return { error: `"${day.name}" has no queue yet: there is nothing to start from` };

	const estimated: string[] = [];
	const queueFiles: Array<Record<string, unknown>> = [];
	const arrivals: Array<Record<string, unknown>> = [];
	for (const q of queues) {
		const m = measured(q, q.scope.dayAt(day.nowMs));
		estimated.push(...m.estimated);
		const qf: Record<string, unknown> = {
			id: q.id,
			...(q.cfg.skill !== undefined ? { skill: q.cfg.skill } : {}),
			serviceLevel: { seconds: q.cfg.serviceLevel.seconds, target: q.cfg.serviceLevel.target },
			shortAbandon: q.cfg.shortAbandonSeconds,
			handleTime: { dist: 'exponential', mean: round(m.handleS) },
			patience: { dist: 'exponential', mean: round(m.patienceS) }
		};
		if (m.wrapS > 0) qf.wrapUp = { dist: 'exponential', mean: round(m.wrapS) };
		let rates: number[];
		let mix: { heat?: number; value?: number } = {};
		if (recorded !== undefined) {
			rates = recordedRates(recorded.events, q.id, start + offset, end + offset);
			mix = carried(recorded.events, q.id);
		} else {
			// the warm-up at the last quarter hour's rate, then the last hour's
			const lastQuarter = q.scope.rolling(day.nowMs, 15).offered * 4;
			const lastHour = q.scope.rolling(day.nowMs, 60).offered;
			rates = warmup > 0 ? [lastQuarter, lastHour] : [lastHour];
		}
		queueFiles.push(qf);
		arrivals.push({
			queue: q.id,
			profile: { interval: formatDuration(INTERVAL_MS), rates },
			heat: mix.heat ?? engine.config.defaultHeat,
			value: mix.value ?? q.cfg.defaultValue,
			source: 'observed'
		});
	}

	const needed = new Set(queues.map((q) => q.skill));
	const roster =
		recorded !== undefined
			? recordedRoster(recorded.events, start + offset, Math.ceil((end - start) / INTERVAL_MS), INTERVAL_MS, needed, now + offset)
			: rosterNow(engine, needed);

	const at = formatTimeOfDay(now);
	const scenario: Record<string, unknown> = {
		name: `${day.name} from ${at}`.slice(0, 200),
		description: `the rest of the day observed by the board's ${day.kind} source "${day.name}"`,
		start: formatTimeOfDay(start),
		horizon: formatDuration(end - start),
		warmup: formatDuration(warmup),
		seed: 1,
		order: engine.config.order,
		costPerAgentHour: 0,
		...(engine.config.tiers !== undefined ? { tiers: engine.config.tiers } : {}),
		queues: queueFiles,
		arrivals,
		agents: roster.groups
	};
	const arrivalNote =
		recorded !== undefined
			? `Arrivals are the recording's own, per queue and 15-minute interval, to ${end === DAY_MS ? 'midnight' : formatTimeOfDay(end % DAY_MS)}; the simulated callers arrive at random within each interval.`
			: `Arrivals are estimated: the last 15 minutes' rate for the warm-up, then the last hour's rate for every queue until midnight (edit the profile and horizon for the day's real shape and closing time).`;
	const note =
		`"${day.name}" (${day.kind}) from ${at} to the end of the day. ${arrivalNote} ` +
		`Handle time, wrap-up and patience are exponential at the means of the day so far (patience: all callers' waits over the abandons, answered callers' waits counting as lower bounds). ` +
		(estimated.length > 0 ? `Estimated: ${estimated.join('; ')}. ` : '') +
		(recorded !== undefined
			? `Agents: the recording's, per 15-minute interval, grouped by their skills (${roster.onDutyNow} on duty at ${at}); an agent on duty at any moment of an interval counts for all of it, so breaks within an interval do not show. `
			: `Agents: the ${roster.onDutyNow} on duty at ${at}, grouped by their skills, on duty to the end of the day with no breaks or log-offs. `) +
		`Heat is each queue's mean (or the engine default), value its mean or default; cost per agent hour 0. ` +
		`Not carried over: the calls waiting or talking now, each agent's current call and state, extra skills calls needed, and today's results so far; the run starts ` +
		(warmup > 0 ? `${formatDuration(warmup)} earlier, empty, and fills up before ${at}, when measuring starts.` : 'empty.');
	return { yaml: compact(scenario), note };
}

/** YAML with every list or map of plain values on one line, however long, like the shipped scenarios' rates */
function compact(value: unknown): string {
	const doc = new Document(value);
	visit(doc, {
		Seq(_, node) {
			if (node.items.every((it) => isScalar(it))) node.flow = true;
		},
		Map(_, node) {
			if (node !== doc.contents && node.items.every((p) => isScalar(p.value))) node.flow = true;
		}
	});
	return doc.toString({ lineWidth: 0 });
}
