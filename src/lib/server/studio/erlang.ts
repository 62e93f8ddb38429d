import { MAX_AGENTS, type ErlangPoint } from '../../studio/protocol';
import type { Scenario } from '../../../../simulator/scenario/types';
import { mean, sampler } from '../../../../simulator/random/distributions';
import { uniformStream } from '../../../../simulator/random/streams';
import { erlangAMeasures, erlangCMeasures, requiredAgents, type QueueMeasures } from '../../engine/analytics/erlang';
import { defaultTiers, TierTable } from '../../engine/value';
import { arrivalsByQueue, serviceLevelOf, weightedByArrivals } from './brief';
import { agentHoursIn, endOf, expectedArrivals, totalAgents } from './profile';

/**
 * The scenario as one Erlang queue over a window: every stream's arrivals pooled, AHT (handle time
 * plus wrap-up, what keeps an agent busy) and patience averaged over the queues weighted by their
 * arrivals. Patience is taken as exponential with the scenario's mean (Erlang A); when no queue's
 * callers hang up, Erlang C.
 */
export interface ErlangLoad {
	arrivalsPerHour: number;
	ahtSeconds: number;
	patienceSeconds: number | null;
	/** expected revenue of one answered call after waiting `waitSeconds`, over the window's mix of calls */
	valueAt(waitSeconds: number): number;
}

/** heat draws per stream for the mean conversion chance: plenty for a figure shown to 3 digits */
const HEAT_SAMPLES = 2000;

export function loadOver(scenario: Scenario, from: number, to: number): ErlangLoad {
	const hours = (to - from) / 3_600_000;
	const byQueue = arrivalsByQueue(scenario, from, to);
	const total = [...byQueue.values()].reduce((a, b) => a + b, 0);
	const aht = weightedByArrivals(scenario, byQueue, (q) => mean(q.handleTime) + mean(q.wrapUp)) ?? 0;
	const patience = weightedByArrivals(scenario, byQueue, (q) => (q.patience === null ? null : mean(q.patience)));
	const tiers = new TierTable(scenario.engine.tiers ?? defaultTiers);
	// each stream: its share of the calls, its mean value, and its callers' heat tiers; drawn only
	// when a value is asked for (a plan solves many intervals and never asks)
	let streams: Array<{ share: number; value: number; tiers: number[] }> | undefined;
	const streamsNow = () =>
		(streams ??= scenario.arrivals.map((a, i) => {
			const n = expectedArrivals(scenario, a, from, to);
			const heat = sampler(a.heat, uniformStream(i, 'studio-erlang-heat'));
			const counts = new Array<number>(tiers.size).fill(0);
			for (let k = 0; k < HEAT_SAMPLES; k++) {
				const t = tiers.tierOf(Math.min(1, Math.max(0, heat())));
				counts[t] = (counts[t] ?? 0) + 1;
			}
			return { share: total > 0 ? n / total : 0, value: mean(a.value), tiers: counts.map((c) => c / HEAT_SAMPLES) };
		}));
	return {
		arrivalsPerHour: hours > 0 ? total / hours : 0,
		ahtSeconds: aht / 1000,
		patienceSeconds: patience === null ? null : patience / 1000,
		valueAt(waitSeconds) {
			let v = 0;
			for (const s of streamsNow())
				s.tiers.forEach((share, t) => {
					if (share > 0) v += s.share * s.value * share * tiers.curve(t).p(waitSeconds * 1000);
				});
			return v;
		}
	};
}

export function measuresAt(load: ErlangLoad, agents: number, slSeconds: number): QueueMeasures {
	if (load.ahtSeconds <= 0 || load.arrivalsPerHour <= 0) {
		return { pWait: 0, pAbandon: 0, asaAnswered: 0, meanWaitAll: 0, slAnswered: 1, slOffered: 1, occupancy: 0 };
	}
	const input = { arrivalsPerHour: load.arrivalsPerHour, ahtSeconds: load.ahtSeconds, agents, targetSeconds: slSeconds };
	return load.patienceSeconds === null ? erlangCMeasures(input) : erlangAMeasures({ ...input, patienceSeconds: load.patienceSeconds });
}

/** Fewest agents whose service level (offered) meets the target, with the measures there. */
export function staffFor(load: ErlangLoad, sl: { seconds: number; target: number }): { agents: number; measures: QueueMeasures } {
	if (load.ahtSeconds <= 0 || load.arrivalsPerHour <= 0) return { agents: 0, measures: measuresAt(load, 0, sl.seconds) };
	const base = {
		arrivalsPerHour: load.arrivalsPerHour,
		ahtSeconds: load.ahtSeconds,
		targetSeconds: sl.seconds,
		...(load.patienceSeconds !== null ? { patienceSeconds: load.patienceSeconds } : {})
	};
	// the solver's own ceiling grows with the load (10 × erlangs): the studio's stops at MAX_AGENTS
	const erlangs = (load.arrivalsPerHour * load.ahtSeconds) / 3600;
	const maxAgents = Math.min(MAX_AGENTS, Math.max(100, 10 * Math.ceil(erlangs) + 100));
	return requiredAgents(load.patienceSeconds === null ? 'c' : 'a', base, { sl: sl.target, slSeconds: sl.seconds }, { maxAgents });
}

/**
 * Erlang's answer at each staffing level of a sweep, over the measured period (warm-up excluded).
 *
 * A level is the scenario's total head count (as in the sweep); Erlang needs the agents on duty,
 * so a level of n is modelled as n × (mean agents on duty over the measured period / total head
 * count), rounded: n itself when everyone works the whole day.
 *
 * Net revenue = hours × arrivals/h × (1 − P(abandon)) × (mean value of a call × its conversion
 * chance at the expected wait of answered calls, ASA), minus agents on duty × hours × cost per
 * agent-hour. The simulation converts each call at its own wait and counts overflow tiers' sales;
 * this curve does neither, so it shows the shape, not the last dollar.
 */
export function erlangCurve(scenario: Scenario, levels: readonly number[]): ErlangPoint[] {
	const from = scenario.startMs + scenario.warmupMs;
	const to = endOf(scenario);
	const hours = (to - from) / 3_600_000;
	const load = loadOver(scenario, from, to);
	const sl = serviceLevelOf(scenario);
	const total = totalAgents(scenario);
	const onDutyShare = total > 0 && hours > 0 ? agentHoursIn(scenario, from, to) / hours / total : 1;
	return levels.map((n) => {
		const agents = Math.max(0, Math.round(n * onDutyShare));
		const m = measuresAt(load, agents, sl.seconds);
		const revenue = hours * load.arrivalsPerHour * (1 - m.pAbandon) * load.valueAt(m.asaAnswered);
		return {
			agents: n,
			slOffered: m.slOffered,
			abandonRate: m.pAbandon,
			asaAnswered: m.asaAnswered,
			occupancy: m.occupancy,
			netRevenue: revenue - agents * hours * scenario.costPerAgentHour
		};
	});
}
