import type { ScenarioBrief } from '../../studio/protocol';
import type { Scenario } from '../../../../simulator/scenario/types';
import { mean } from '../../../../simulator/random/distributions';
import { endOf, expectedArrivals, hhmm, intervalStarts, onDutyAt, planIntervalMinutes, totalAgents } from './profile';

/** Arrivals per queue over the whole run: the weights of the scenario-wide means. */
export function arrivalsByQueue(scenario: Scenario, from = scenario.startMs, to = endOf(scenario)): Map<string, number> {
	const out = new Map<string, number>(scenario.queues.map((q) => [q.id, 0]));
	for (const a of scenario.arrivals) out.set(a.queue, (out.get(a.queue) ?? 0) + expectedArrivals(scenario, a, from, to));
	return out;
}

/** Mean of a per-queue figure weighted by arrivals (plain mean when nothing arrives); null when no queue has one. */
export function weightedByArrivals(
	scenario: Scenario,
	weights: Map<string, number>,
	figure: (q: Scenario['queues'][number]) => number | null
): number | null {
	let sum = 0;
	let weight = 0;
	let plain = 0;
	let n = 0;
	for (const q of scenario.queues) {
		const x = figure(q);
		if (x === null) continue;
		const w = weights.get(q.id) ?? 0;
		sum += w * x;
		weight += w;
		plain += x;
		n++;
	}
	if (n === 0) return null;
	return weight > 0 ? sum / weight : plain / n;
}

/** The service-level target a run is judged against: the first queue's. */
export function serviceLevelOf(scenario: Scenario): { seconds: number; target: number } {
	const sl = scenario.engine.queues?.[0]?.serviceLevel;
	return { seconds: sl?.seconds ?? 20, target: sl?.target ?? 0.8 };
}

/** What the form shows of a valid scenario (levers already applied, if any). */
export function briefOf(scenario: Scenario): ScenarioBrief {
	const minutes = planIntervalMinutes(scenario);
	const starts = intervalStarts(scenario, minutes);
	const end = endOf(scenario);
	const weights = arrivalsByQueue(scenario);
	return {
		name: scenario.name,
		description: scenario.description,
		start: hhmm(scenario.startMs),
		horizonMinutes: scenario.horizonMs / 60_000,
		queues: (scenario.engine.queues ?? []).map((q) => ({
			id: q.id,
			strategy: q.strategy ?? 'longest-idle',
			serviceLevel: { seconds: q.serviceLevel?.seconds ?? 20, target: q.serviceLevel?.target ?? 0.8 }
		})),
		totalAgents: totalAgents(scenario),
		agentsPerInterval: starts.map((t) => onDutyAt(scenario, t)),
		arrivalsPerInterval: starts.map((t) =>
			scenario.arrivals.reduce((s, a) => s + expectedArrivals(scenario, a, t, Math.min(end, t + minutes * 60_000)), 0)
		),
		intervalMinutes: minutes,
		meanHandleSeconds: (weightedByArrivals(scenario, weights, (q) => mean(q.handleTime)) ?? 0) / 1000,
		meanPatienceSeconds: nullableSeconds(weightedByArrivals(scenario, weights, (q) => (q.patience === null ? null : mean(q.patience)))),
		order: scenario.engine.order ?? 'fifo',
		hasAiOverflow: scenario.overflowTiers.length > 0,
		costPerAgentHour: scenario.costPerAgentHour
	};
}

function nullableSeconds(ms: number | null): number | null {
	return ms === null ? null : ms / 1000;
}
