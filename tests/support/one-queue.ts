import type { Dist, Scenario, Share } from '../../simulator/scenario/types';

const H = 3_600_000;

export interface OneQueueOptions {
	name?: string;
	hours: number;
	/** discarded at the start (and the day's metrics start after it) */
	warmupH?: number;
	seed?: number;
	perHour: number;
	ahtS: number;
	/** mean patience; null: callers never give up */
	patienceS?: number | null;
	agents: number;
	/** the queue's service-level seconds (80% target); none when omitted */
	slS?: number;
	/** the arrival profile's interval (the rate is the same in every one) */
	intervalMs?: number;
	sources?: Share<string>[];
	heat?: Dist;
	value?: Dist;
	costPerAgentHour?: number;
}

/**
 * A resolved scenario of one queue 'q' for the simulator's tests: Poisson arrivals at a constant
 * rate, exponential handle times and patience, no wrap-up, one team on one shift all run long.
 */
export function oneQueueScenario(o: OneQueueOptions): Scenario {
	const warmup = (o.warmupH ?? 0) * H;
	const patienceS = o.patienceS === undefined ? 120 : o.patienceS;
	return {
		name: o.name ?? 'one queue',
		description: '',
		file: undefined,
		startMs: 0,
		horizonMs: o.hours * H,
		warmupMs: warmup,
		weekday: 1,
		seed: o.seed ?? 1,
		engine: {
			queues: [
				o.slS === undefined
					? { id: 'q', autoAnswer: true, shortAbandonSeconds: 0 }
					: { id: 'q', autoAnswer: true, shortAbandonSeconds: 0, serviceLevel: { seconds: o.slS, target: 0.8 } }
			],
			dedupeWindowMs: 0,
			reorderWindowMs: 0,
			intervalMinutes: 15,
			dayStartMs: warmup,
			autoQueues: false
		},
		queues: [
			{
				id: 'q',
				handleTime: { dist: 'exponential', mean: o.ahtS * 1000 },
				wrapUp: { dist: 'constant', value: 0 },
				patience: patienceS === null ? null : { dist: 'exponential', mean: patienceS * 1000 },
				callbackShare: 0
			}
		],
		arrivals: [
			{
				queue: 'q',
				ratesPerHour: [o.perHour],
				intervalMs: o.intervalMs ?? 15 * 60_000,
				weekdayFactors: [1, 1, 1, 1, 1, 1, 1],
				scale: 1,
				sources: o.sources ?? [{ value: 'web', share: 1 }],
				heat: o.heat ?? { dist: 'constant', value: 0.5 },
				value: o.value ?? { dist: 'constant', value: 100 },
				skills: [],
				priority: 0
			}
		],
		agents: [{ id: 'team', skills: { q: 1 }, shifts: [{ startMs: 0, endMs: o.hours * H, count: o.agents, breaks: [] }] }],
		overflowTiers: [],
		costPerAgentHour: o.costPerAgentHour ?? 10
	};
}
