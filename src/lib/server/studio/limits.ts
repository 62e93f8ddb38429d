import { MAX_AGENTS, type ScenarioProblem } from '../../studio/protocol';
import type { Scenario } from '../../../../simulator/scenario/types';
import { mean } from '../../../../simulator/random/distributions';
import { endOf, expectedArrivals } from './profile';

/**
 * What the studio takes on for anyone who can open the page. The CLI runs what it is given; the
 * studio is shared by every client of one server, so a scenario's size and the work of a request
 * are bounded before anything heavy starts.
 */
export const STUDIO_LIMITS = {
	horizonDays: 7,
	queues: 200,
	arrivalStreams: 200,
	/** rates of one arrival profile */
	profileRates: 10_000,
	agentGroups: 500,
	/** shifts over all groups, after daily shifts are laid out over the horizon */
	shifts: 20_000,
	overflowTiers: 50,
	/** calls a run, sweep or plan may simulate: expected calls × replications × levels (~2 min on one core) */
	simulatedCalls: 25_000_000,
	/** the plan's Erlang solver: Σ over its intervals of (offered erlangs + 100), about 4 µs each */
	planErlangWork: 1_000_000
} as const;

const HOUR_MS = 3_600_000;

/** Why the studio will not take this (levered) scenario, as problems for the editor; empty when it will. */
export function limitProblems(sc: Scenario): ScenarioProblem[] {
	const L = STUDIO_LIMITS;
	const out: ScenarioProblem[] = [];
	const over = (path: string, what: string, n: number, max: number) => {
		if (n > max) out.push({ path, message: `${what}: ${n}; the studio takes at most ${max} (the command line has no such limit)` });
	};
	if (sc.horizonMs > L.horizonDays * 24 * HOUR_MS)
		out.push({
			path: 'horizon',
			message: `the studio runs at most ${L.horizonDays} days (this horizon is ${(sc.horizonMs / (24 * HOUR_MS)).toFixed(1)} days)`
		});
	over('queues', 'queues', sc.queues.length, L.queues);
	over('arrivals', 'arrival streams', sc.arrivals.length, L.arrivalStreams);
	sc.arrivals.forEach((a, i) => over(`arrivals[${i}].profile.rates`, 'profile rates', a.ratesPerHour.length, L.profileRates));
	over('agents', 'agent groups', sc.agents.length, L.agentGroups);
	over(
		'agents',
		'shifts over the horizon',
		sc.agents.reduce((n, g) => n + g.shifts.length, 0),
		L.shifts
	);
	over('overflowTiers', 'overflow tiers', sc.overflowTiers.length, L.overflowTiers);
	const load = peakErlangs(sc);
	if (load > MAX_AGENTS)
		out.push({
			path: 'arrivals',
			message: `at its peak this is ${Math.round(load)} erlangs of work (calls an hour × handle time); the studio takes at most ${MAX_AGENTS}`
		});
	return out;
}

/** An upper bound of the offered load: every stream at its highest rate, every call at the longest mean handle time. */
export function peakErlangs(sc: Scenario): number {
	const perHour = sc.arrivals.reduce((sum, a) => {
		const peak = a.ratesPerHour.reduce((m, r) => Math.max(m, r), 0);
		return sum + peak * a.scale * (a.weekdayFactors[sc.weekday] ?? 1);
	}, 0);
	const ahtMs = sc.queues.reduce((m, q) => Math.max(m, mean(q.handleTime) + mean(q.wrapUp)), 0);
	return (perHour * ahtMs) / HOUR_MS;
}

/** Calls the scenario expects over its horizon, warm-up included (what one replication simulates). */
export function expectedCalls(sc: Scenario): number {
	return sc.arrivals.reduce((n, a) => n + expectedArrivals(sc, a, sc.startMs, endOf(sc)), 0);
}

/** Why simulating `replications` of the scenario at each of `levels` staffing levels is too much work, or null. */
export function workRefusal(sc: Scenario, replications: number, levels = 1): string | null {
	const perRun = expectedCalls(sc);
	const calls = perRun * replications * levels;
	if (calls <= STUDIO_LIMITS.simulatedCalls) return null;
	const times = `${replications} replications${levels > 1 ? ` × ${levels} levels` : ''}`;
	return `this would simulate about ${fmt(calls)} calls (${fmt(perRun)} per replication × ${times}); the studio simulates at most ${fmt(STUDIO_LIMITS.simulatedCalls)} per request: ask for fewer replications or levels, or a shorter horizon`;
}

const fmt = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} million` : String(Math.round(n)));
