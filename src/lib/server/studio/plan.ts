import type { PlanInterval } from '../../studio/protocol';
import type { Scenario } from '../../../../simulator/scenario/types';
import type { RunSummary } from '../../../../simulator/core/summary';
import { meanAndHalfWidth } from '../../../../simulator/core/stats';
import { serviceLevelOf } from './brief';
import { loadOver, staffFor } from './erlang';
import { endOf, hhmm, intervalStarts } from './profile';

/** A plan the studio will not solve: too much work for its Erlang solver. */
export class PlanTooLarge extends Error {
	override readonly name = 'PlanTooLarge';
}

/**
 * Erlang's staffing per interval from the run start: each interval's own arrivals, AHT and
 * patience (see loadOver), and the fewest agents whose service level meets the scenario's target.
 * The solver's work grows with intervals × erlangs: past `budget` (STUDIO_LIMITS.planErlangWork)
 * the plan throws PlanTooLarge before solving anything.
 */
export function erlangPlan(scenario: Scenario, minutes: number, budget = Number.POSITIVE_INFINITY): PlanInterval[] {
	const sl = serviceLevelOf(scenario);
	const end = endOf(scenario);
	const loads = intervalStarts(scenario, minutes).map((t) => ({ t, load: loadOver(scenario, t, Math.min(end, t + minutes * 60_000)) }));
	const work = loads.reduce((sum, { load }) => sum + Math.ceil((load.arrivalsPerHour * load.ahtSeconds) / 3600) + 100, 0);
	if (work > budget)
		throw new PlanTooLarge(
			`a plan of ${loads.length} intervals at this load is too much work for the studio (${Math.round(work)} solver units, at most ${budget}): plan in longer intervals, over a shorter horizon, or with fewer calls`
		);
	return loads.map(({ t, load }) => {
		const { agents, measures: m } = staffFor(load, sl);
		return {
			start: hhmm(t),
			arrivalsPerHour: load.arrivalsPerHour,
			ahtSeconds: load.ahtSeconds,
			patienceSeconds: load.patienceSeconds,
			agents,
			erlang: { slOffered: m.slOffered, abandonRate: m.pAbandon, asaAnswered: m.asaAnswered, occupancy: m.occupancy }
		};
	});
}

/**
 * Each plan interval's simulated service level (offered) and abandon rate: per replication, the
 * engine's 15-minute intervals are summed into the plan interval their start falls in (calls in
 * service level = SL × offered), then the replications give a mean and a 95% half-width.
 * Intervals in the warm-up are not measured and stay undefined.
 */
export function simulatedPerInterval(
	scenario: Scenario,
	minutes: number,
	runs: readonly RunSummary[]
): Array<PlanInterval['simulated'] | undefined> {
	const count = intervalStarts(scenario, minutes).length;
	const engineMs = (scenario.engine.intervalMinutes ?? 15) * 60_000;
	const dayStart = scenario.startMs + scenario.warmupMs;
	const perRun = runs.map((run) => {
		const sums = Array.from({ length: count }, () => ({ offered: 0, inSl: 0, abandoned: 0, seen: false }));
		for (const iv of run.intervals) {
			const k = Math.floor((dayStart + iv.index * engineMs - scenario.startMs) / (minutes * 60_000));
			const s = sums[k];
			if (s === undefined) continue;
			s.seen = true;
			s.offered += iv.totals.offered;
			s.inSl += (iv.totals.slOffered ?? 0) * iv.totals.offered;
			s.abandoned += iv.totals.abandoned;
		}
		return sums;
	});
	return Array.from({ length: count }, (_, k) => {
		const cells = perRun.map((sums) => sums[k] as (typeof sums)[number]);
		if (!cells.some((c) => c.seen)) return undefined;
		const sl = meanAndHalfWidth(cells.map((c) => (c.offered > 0 ? c.inSl / c.offered : null)));
		const abandon = meanAndHalfWidth(cells.map((c) => (c.offered > 0 ? c.abandoned / c.offered : null)));
		return { slOffered: sl.mean, slHalfWidth: sl.halfWidth, abandonRate: abandon.mean };
	});
}

/** Paid agent-hours of a plan: each interval's agents for its (possibly cut) length. */
export function planAgentHours(scenario: Scenario, minutes: number, intervals: readonly PlanInterval[]): number {
	const end = endOf(scenario);
	const starts = intervalStarts(scenario, minutes);
	return intervals.reduce((sum, iv, i) => {
		const t = starts[i] ?? end;
		return sum + (iv.agents * (Math.min(end, t + minutes * 60_000) - t)) / 3_600_000;
	}, 0);
}
