/**
 * Results shaped like the server's, for the specs of the pure studio modules. Figures are chosen
 * so the comparisons have a known answer (a clear gain, an overlap, a missing interval).
 */
import type { RunResult, StudioTotals, SweepOutcome } from '../protocol';

export function totals(over: Partial<StudioTotals> = {}): StudioTotals {
	return {
		offered: 1000,
		answered: 900,
		abandoned: 100,
		conversions: 120,
		revenue: 60_000,
		revenueLost: 8_000,
		agentHours: 160,
		staffingCost: 4_800,
		netRevenue: 55_200,
		overflowed: 0,
		voicemail: 0,
		callbacks: 0,
		pWait: 0.5,
		asaAnswered: 30,
		meanWaitAll: 28,
		slAnswered: 0.8,
		slOffered: 0.72,
		abandonRate: 0.1,
		aht: 240,
		occupancy: 0.9,
		...over
	};
}

export function runResult(label: string, over: Partial<RunResult> = {}): RunResult {
	return {
		runId: `run-${label}`,
		label,
		replications: 5,
		seed: 1,
		totals: totals(),
		halfWidths: {
			slOffered: 0.01,
			asaAnswered: 2,
			abandonRate: 0.005,
			occupancy: 0.01,
			conversions: 3,
			revenue: 900,
			revenueLost: 300,
			staffingCost: 0,
			netRevenue: 900
		},
		queues: {},
		intervals: [
			{ start: '09:00', totals: totals({ slOffered: 0.7 }) },
			{ start: '09:30', totals: totals({ slOffered: 0.75 }) }
		],
		serviceLevel: { seconds: 20, target: 0.8 },
		...over
	};
}

export function sweepOutcome(over: Partial<SweepOutcome> = {}): SweepOutcome {
	const level = (agents: number, sl: number, net: number) => ({
		agents,
		totals: totals({ slOffered: sl, abandonRate: 1 - sl - 0.1, netRevenue: net }),
		halfWidths: { slOffered: 0.02, abandonRate: 0.01, netRevenue: 500 }
	});
	return {
		runId: 'sweep-1',
		label: 'base',
		replications: 5,
		points: [level(8, 0.6, 50_000), level(10, 0.82, 56_000), level(12, 0.93, 54_000)],
		erlang: [8, 9, 10, 11, 12].map((agents) => ({
			agents,
			slOffered: 0.5 + (agents - 8) * 0.1,
			abandonRate: 0.2 - (agents - 8) * 0.04,
			asaAnswered: 40 - agents,
			occupancy: 0.95 - (agents - 8) * 0.05,
			netRevenue: 50_000 + agents * 100
		})),
		meetsTarget: 10,
		maxNetRevenue: 10,
		serviceLevel: { seconds: 20, target: 0.8 },
		...over
	};
}
