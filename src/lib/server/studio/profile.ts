import type { ArrivalStream, Scenario } from '../../../../simulator/scenario/types';

/**
 * What a scenario expects over a window of its day, read from the resolved scenario (rates,
 * shifts) without simulating: the inputs of the studio's Erlang models and of the form's brief.
 */

const HOUR_MS = 3_600_000;

/** Arrivals per hour of a stream at time t (profile from the run start, the last rate holding). */
export function rateAt(scenario: Scenario, a: ArrivalStream, t: number): number {
	const i = Math.max(0, Math.floor((t - scenario.startMs) / a.intervalMs));
	const rate = a.ratesPerHour[Math.min(i, a.ratesPerHour.length - 1)] ?? 0;
	return rate * a.scale * (a.weekdayFactors[scenario.weekday] ?? 1);
}

/** Expected arrivals of a stream in [from, to): the piecewise-constant rate integrated exactly. */
export function expectedArrivals(scenario: Scenario, a: ArrivalStream, from: number, to: number): number {
	let sum = 0;
	let t = Math.max(from, scenario.startMs);
	while (t < to) {
		const i = Math.floor((t - scenario.startMs) / a.intervalMs);
		// past the profile's end the last rate holds, so the rest is one piece
		const next = i >= a.ratesPerHour.length - 1 ? to : Math.min(to, scenario.startMs + (i + 1) * a.intervalMs);
		sum += (rateAt(scenario, a, t) * (next - t)) / HOUR_MS;
		t = next;
	}
	return sum;
}

/** Agents on shift at time t (breaks included: they are still paid and come back). */
export function onDutyAt(scenario: Scenario, t: number): number {
	let n = 0;
	for (const g of scenario.agents) for (const s of g.shifts) if (s.startMs <= t && t < s.endMs) n += s.count;
	return n;
}

/** Paid agent-hours in [from, to). */
export function agentHoursIn(scenario: Scenario, from: number, to: number, groups = scenario.agents): number {
	let ms = 0;
	for (const g of groups) for (const s of g.shifts) ms += s.count * Math.max(0, Math.min(to, s.endMs) - Math.max(from, s.startMs));
	return ms / HOUR_MS;
}

/** The sum of every shift's head count: what `heatboard sweep --agents` and the agents lever replace. */
export function totalAgents(scenario: Scenario): number {
	return scenario.agents.reduce((sum, g) => sum + g.shifts.reduce((s, x) => s + x.count, 0), 0);
}

export function endOf(scenario: Scenario): number {
	return scenario.startMs + scenario.horizonMs;
}

/**
 * The interval the form edits staffing in and the plan staffs by: the shortest arrival profile
 * interval, rounded up to whole quarter hours (the engine keeps results per 15 minutes, so the
 * plan's simulated check can be read per interval); an hour when every rate is constant.
 */
export function planIntervalMinutes(scenario: Scenario): number {
	const quarter = scenario.engine.intervalMinutes ?? 15;
	const profiled = scenario.arrivals.filter((a) => a.ratesPerHour.length > 1 && a.intervalMs < scenario.horizonMs);
	if (profiled.length === 0) return 60;
	const shortest = Math.min(...profiled.map((a) => a.intervalMs)) / 60_000;
	return Math.max(quarter, Math.ceil(shortest / quarter) * quarter);
}

/** Interval starts from the run start, every `minutes`, covering the horizon (the last may be cut short). */
export function intervalStarts(scenario: Scenario, minutes: number): number[] {
	const out: number[] = [];
	for (let t = scenario.startMs; t < endOf(scenario); t += minutes * 60_000) out.push(t);
	return out;
}

/** "HH:MM" of a time of day in ms; hours past midnight wrap (a horizon may end the next day). */
export function hhmm(ms: number): string {
	const m = Math.floor(ms / 60_000) % 1440;
	return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/**
 * Splits `total` into whole parts in proportion to `weights` (largest remainder, ties to the
 * earlier part), so the parts add up exactly.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
	const sum = weights.reduce((a, b) => a + b, 0);
	const w = sum > 0 ? weights : weights.map(() => 1);
	const wsum = sum > 0 ? sum : w.length;
	const exact = w.map((x) => (total * x) / wsum);
	const out = exact.map(Math.floor);
	let missing = total - out.reduce((a, b) => a + b, 0);
	const order = exact.map((x, i) => ({ i, frac: x - Math.floor(x) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
	for (const o of order) {
		if (missing <= 0) break;
		out[o.i] = (out[o.i] as number) + 1;
		missing--;
	}
	return out;
}
