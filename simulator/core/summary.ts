import type { Engine } from '../../src/lib/engine/engine';
import { Counters, derive } from '../../src/lib/engine/metrics/counters';
import type { ScopeMetrics } from '../../src/lib/engine/metrics/scope';
import type { Scenario } from '../scenario/types';

export const SUMMARY_VERSION = 1;

/** The summary figures of a run; times in seconds, money in the scenario's currency. */
export interface Totals {
	offered: number;
	answered: number;
	abandoned: number;
	pWait: number | null;
	asaAnswered: number | null;
	meanWaitAll: number | null;
	slAnswered: number | null;
	slOffered: number | null;
	abandonRate: number | null;
	aht: number | null;
	occupancy: number | null;
	conversions: number;
	revenue: number;
	revenueLost: number;
	overflowed: number;
	voicemail: number;
	callbacks: number;
	/** paid agent time: available, busy, wrap-up and away (breaks) */
	agentHours: number;
	staffingCost: number;
	/** revenue - staffing cost */
	netRevenue: number;
}

export const TOTAL_KEYS: readonly (keyof Totals)[] = [
	'offered',
	'answered',
	'abandoned',
	'pWait',
	'asaAnswered',
	'meanWaitAll',
	'slAnswered',
	'slOffered',
	'abandonRate',
	'aht',
	'occupancy',
	'conversions',
	'revenue',
	'revenueLost',
	'overflowed',
	'voicemail',
	'callbacks',
	'agentHours',
	'staffingCost',
	'netRevenue'
];

export interface IntervalSummary {
	/** interval index from the end of warm-up */
	index: number;
	/** time of day it starts, HH:MM */
	start: string;
	totals: Totals;
}

export interface RunSummary {
	v: typeof SUMMARY_VERSION;
	scenario: string;
	seed: number;
	replications: number;
	horizonSeconds: number;
	warmupSeconds: number;
	totals: Totals;
	queues: Record<string, Totals>;
	intervals: IntervalSummary[];
	/** 95% confidence half-widths over replications (absent for one replication) */
	halfWidths?: {
		totals: Partial<Record<keyof Totals, number | null>>;
		queues: Record<string, Partial<Record<keyof Totals, number | null>>>;
	};
}

export function totalsOf(c: Counters, costPerAgentHour: number): Totals {
	const d = derive(c);
	const agentHours = (c.availableMs + c.busyMs + c.wrapUpMs + c.awayMs) / 3_600_000;
	const staffingCost = agentHours * costPerAgentHour;
	return {
		offered: d.offered,
		answered: d.answered,
		abandoned: d.abandoned,
		pWait: d.pWait,
		asaAnswered: d.asa,
		meanWaitAll: d.meanWaitAll,
		slAnswered: d.slAnswered,
		slOffered: d.slOffered,
		abandonRate: d.abandonRate,
		aht: d.aht,
		occupancy: d.occupancy,
		conversions: d.conversions,
		revenue: d.revenue,
		revenueLost: d.revenueLost,
		overflowed: d.overflowed,
		voicemail: d.voicemail,
		callbacks: d.callbacks,
		agentHours,
		staffingCost,
		netRevenue: d.revenue - staffingCost
	};
}

const hhmm = (ms: number): string => {
	const m = Math.floor(ms / 60_000) % 1440;
	return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};

/** Counters of the measured part of the run: the engine's intervals from the end of warm-up to the horizon. */
function measured(scope: ScopeMetrics, intervals: number): Counters {
	const sum = new Counters();
	const all = scope.intervals; // a copy per read: read once
	for (let i = 0; i < intervals; i++) all.get(i)?.addInto(sum);
	return sum;
}

/**
 * The run's summary. The engine's day starts at the end of warm-up (`dayStartMs`), so its
 * intervals with index >= 0 are exactly the measured period; warm-up facts have negative indexes.
 */
export function summarize(engine: Engine, scenario: Scenario, run: { seed: number }): RunSummary {
	const intervalMs = engine.config.intervalMinutes * 60_000;
	const measuredMs = scenario.horizonMs - scenario.warmupMs;
	const n = Math.ceil(measuredMs / intervalMs);
	const cost = scenario.costPerAgentHour;
	const queues: Record<string, Totals> = {};
	for (const q of engine.queues.values()) queues[q.id] = totalsOf(measured(q.scope, n), cost);
	const intervals: IntervalSummary[] = [];
	const allIntervals = engine.all.intervals;
	for (let i = 0; i < n; i++)
		intervals.push({
			index: i,
			start: hhmm(engine.config.dayStartMs + i * intervalMs),
			totals: totalsOf(allIntervals.get(i) ?? new Counters(), cost)
		});
	return {
		v: SUMMARY_VERSION,
		scenario: scenario.name,
		seed: run.seed,
		replications: 1,
		horizonSeconds: scenario.horizonMs / 1000,
		warmupSeconds: scenario.warmupMs / 1000,
		totals: totalsOf(measured(engine.all, n), cost),
		queues,
		intervals
	};
}
