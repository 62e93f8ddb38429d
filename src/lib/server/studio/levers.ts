import type { Levers } from '../../studio/protocol';
import type { Dist, Scenario } from '../../../../simulator/scenario/types';
import { shiftsFromCounts } from '../../../../simulator/scenario/shifts';
import { scaledShiftCounts } from '../../../../simulator/core/simulate';
import { agentHoursIn, apportion, endOf, planIntervalMinutes, totalAgents } from './profile';

/** A lever that cannot apply to this scenario; `path` names the lever for the form ("levers.agents"). */
export class LeverError extends Error {
	override readonly name = 'LeverError';
	constructor(
		readonly path: string,
		message: string
	) {
		super(message);
	}
}

/** A duration distribution with every duration multiplied by k (so its mean is too). */
export function scaleDist(d: Dist, k: number): Dist {
	switch (d.dist) {
		case 'constant':
			return { dist: 'constant', value: d.value * k };
		case 'exponential':
			return { dist: 'exponential', mean: d.mean * k };
		case 'lognormal':
			return { dist: 'lognormal', mean: d.mean * k, sd: d.sd * k };
		case 'gamma':
			return { dist: 'gamma', shape: d.shape, scale: d.scale * k };
		case 'weibull':
			return { dist: 'weibull', shape: d.shape, scale: d.scale * k };
		case 'uniform':
			return { dist: 'uniform', min: d.min * k, max: d.max * k };
		case 'empirical':
			return { dist: 'empirical', values: d.values.map((v) => v * k) };
		case 'beta':
			// a 0..1 draw, never a duration: nothing to scale
			return d;
	}
}

/**
 * Head counts per interval from the run start become every group's shifts. The counts are split
 * among the groups in proportion to each group's share of the scenario's agent-hours (a group with
 * a rare skill keeps its share), and each group's counts become shifts as in `perInterval`.
 */
function staffPerInterval(sc: Scenario, counts: readonly number[], minutes: number): void {
	const run = { startMs: sc.startMs, endMs: endOf(sc) };
	const shares = sc.agents.map((g) => agentHoursIn(sc, run.startMs, run.endMs, [g]));
	const perGroup = sc.agents.map(() => [] as number[]);
	for (const c of counts) apportion(c, shares).forEach((n, g) => (perGroup[g] as number[]).push(n));
	sc.agents.forEach((g, i) => (g.shifts = shiftsFromCounts(perGroup[i] as number[], minutes * 60_000, run)));
}

/**
 * The scenario with the form's levers applied; the input is not changed. Each lever absent leaves
 * the scenario as written. Throws LeverError for a lever the scenario cannot take.
 */
export function applyLevers(scenario: Scenario, levers: Levers): Scenario {
	const sc = structuredClone(scenario);
	const queues = sc.engine.queues ?? [];
	if (levers.agents !== undefined && levers.agentsPerInterval !== undefined) {
		throw new LeverError('levers.agentsPerInterval', 'give agents or agentsPerInterval, not both');
	}
	if (levers.agents !== undefined) {
		if (totalAgents(sc) === 0) throw new LeverError('levers.agents', 'the scenario has no agents to scale');
		const counts = scaledShiftCounts(sc, levers.agents);
		sc.agents.forEach((g, gi) => g.shifts.forEach((s, si) => (s.count = counts[gi]?.[si] ?? 0)));
	}
	if (levers.agentsPerInterval !== undefined) {
		staffPerInterval(sc, levers.agentsPerInterval, levers.agentsIntervalMinutes ?? planIntervalMinutes(scenario));
	}
	if (levers.arrivalScale !== undefined) for (const a of sc.arrivals) a.scale *= levers.arrivalScale;
	if (levers.handleTimeScale !== undefined) {
		const k = levers.handleTimeScale;
		for (const q of sc.queues) q.handleTime = scaleDist(q.handleTime, k);
		// the engine's own handle-time guess (wait estimates) follows the queue's
		for (const q of queues) if (q.defaultHandleSeconds !== undefined) q.defaultHandleSeconds *= k;
	}
	if (levers.patienceSeconds !== undefined) {
		const p = levers.patienceSeconds;
		for (const q of sc.queues) q.patience = p === null ? null : { dist: 'exponential', mean: p * 1000 };
	}
	if (levers.strategy !== undefined) for (const q of queues) q.strategy = levers.strategy;
	if (levers.order !== undefined) sc.engine.order = levers.order;
	if (levers.aiOverflow === false) {
		sc.overflowTiers = [];
		sc.engine.overflowTiers = [];
		for (const q of queues) {
			delete q.overflowTo;
			delete q.overflowAfterSeconds;
			// without a tier, what overflowed goes where a scenario sends it by default
			if (q.whenFull === 'overflow') q.whenFull = 'voicemail';
			if (q.whenClosed === 'overflow') q.whenClosed = 'voicemail';
		}
	}
	if (levers.costPerAgentHour !== undefined) sc.costPerAgentHour = levers.costPerAgentHour;
	return sc;
}
