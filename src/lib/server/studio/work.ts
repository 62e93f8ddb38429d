import type { ErlangPoint, Levers, PlanOutcome, RunResult, StudioTotals, SweepOutcome } from '../../studio/protocol';
import type { Scenario } from '../../../../simulator/scenario/types';
import type { WorkerPool } from '../../../../simulator/core/pool';
import { aggregate, replicateRuns } from '../../../../simulator/core/replicate';
import { sweep } from '../../../../simulator/core/sweep';
import type { Totals } from '../../../../simulator/core/summary';
import { serviceLevelOf } from './brief';
import { planAgentHours, simulatedPerInterval } from './plan';
import type { PreparedPlan } from './prep';

/** What every kind of study work gets: the shared pool, the run's cancel signal, and a progress sink. */
export interface WorkContext {
	pool: WorkerPool;
	signal: AbortSignal;
	progress: (fraction: number) => void;
}

/** A study after parsing: the levered scenario plus its run settings. */
export interface Study {
	runId: string;
	label: string;
	scenario: Scenario;
	levers: Levers;
	seed: number;
	replications: number;
}

const totals = (t: Totals): StudioTotals => t;

export async function runStudy(s: Study, ctx: WorkContext): Promise<RunResult> {
	const runs = await replicateRuns(s.scenario, {
		replications: s.replications,
		seed: s.seed,
		pool: ctx.pool,
		signal: ctx.signal,
		onProgress: ctx.progress
	});
	const r = aggregate(runs, s.seed);
	return {
		runId: s.runId,
		label: s.label,
		replications: s.replications,
		seed: s.seed,
		totals: totals(r.totals),
		halfWidths: r.halfWidths?.totals ?? {},
		queues: r.queues,
		intervals: r.intervals.map((iv) => ({ start: iv.start, totals: totals(iv.totals) })),
		serviceLevel: serviceLevelOf(s.scenario)
	};
}

/** `erlang`: the Erlang curve at the sweep's levels, from the prep thread (prep.ts) */
export async function sweepStudy(
	s: Study,
	range: { from: number; to: number; step: number },
	erlang: ErlangPoint[],
	ctx: WorkContext
): Promise<SweepOutcome> {
	const r = await sweep(s.scenario, {
		...range,
		replications: s.replications,
		seed: s.seed,
		pool: ctx.pool,
		signal: ctx.signal,
		onProgress: ctx.progress
	});
	return {
		runId: s.runId,
		label: s.label,
		replications: s.replications,
		points: r.levels.map((l) => ({ agents: l.agents, totals: totals(l.totals), halfWidths: l.halfWidths })),
		erlang,
		meetsTarget: r.meetsTarget,
		maxNetRevenue: r.maxNetRevenue,
		serviceLevel: serviceLevelOf(s.scenario)
	};
}

/**
 * Erlang's per-interval plan (solved in the prep thread, prep.ts) and, when asked, its check: the
 * scenario staffed per interval with the plan (the agentsPerInterval lever, replacing whatever
 * staffing the study had) simulated.
 */
export async function planStudy(s: Study, plan: PreparedPlan, ctx: WorkContext): Promise<PlanOutcome> {
	const { minutes, intervals, staffed } = plan;
	if (staffed !== undefined) {
		const runs = await replicateRuns(staffed, {
			replications: s.replications,
			seed: s.seed,
			pool: ctx.pool,
			signal: ctx.signal,
			onProgress: ctx.progress
		});
		simulatedPerInterval(staffed, minutes, runs).forEach((sim, i) => {
			const iv = intervals[i];
			if (iv !== undefined && sim !== undefined) iv.simulated = sim;
		});
	}
	return {
		runId: s.runId,
		label: s.label,
		intervalMinutes: minutes,
		serviceLevel: serviceLevelOf(s.scenario),
		intervals,
		agentHours: planAgentHours(s.scenario, minutes, intervals)
	};
}
