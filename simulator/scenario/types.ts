import type { EngineConfigInput } from '../../src/lib/engine/config';

/**
 * A scenario after loading and validation: every duration in milliseconds, every default filled.
 * The simulator runs on this; the YAML form (durations like "20s", "4m", "8h") is only the file format.
 * Simulated time 0 is midnight of the simulated day.
 */

/** A distribution of non-negative numbers; durations are already in ms. */
export type Dist =
	| { dist: 'constant'; value: number }
	| { dist: 'exponential'; mean: number }
	| { dist: 'lognormal'; mean: number; sd: number }
	| { dist: 'gamma'; shape: number; scale: number }
	| { dist: 'weibull'; shape: number; scale: number }
	| { dist: 'uniform'; min: number; max: number }
	| { dist: 'beta'; a: number; b: number }
	| { dist: 'empirical'; values: number[] };

export interface Share<T> {
	value: T;
	/** relative weight; shares of one mix need not add to 1 */
	share: number;
}

export interface ArrivalStream {
	queue: string;
	/** arrivals per hour in each profile interval from `startMs` on (one value: a constant rate) */
	ratesPerHour: number[];
	/** length of one profile interval */
	intervalMs: number;
	/** per weekday (0 = Sunday) multipliers of the profile; all 1 when the scenario has none */
	weekdayFactors: number[];
	/** multiplies every rate ("peak" what-ifs) */
	scale: number;
	/** lead source mix */
	sources: Share<string>[];
	/** heat drawn from this distribution (0..1) */
	heat: Dist;
	/** call value */
	value: Dist;
	/** extra skills mix; an empty object means none */
	skills: Share<Record<string, number>>[];
	priority: number;
}

export interface Shift {
	startMs: number;
	endMs: number;
	count: number;
	breaks: Array<{ atMs: number; durationMs: number }>;
}

export interface AgentGroup {
	id: string;
	skills: Record<string, number>;
	/** who is on when; a plain `count` becomes one shift over the whole horizon */
	shifts: Shift[];
}

export interface OverflowTierSim {
	id: string;
	capacity: number;
	conversionFactor: number;
	handleTime: Dist;
	/** chance the AI hands the caller back to a human queue instead of finishing */
	handBack: number;
	handBackQueue: string | undefined;
}

export interface QueueSim {
	id: string;
	handleTime: Dist;
	wrapUp: Dist;
	/** null: callers never hang up (Erlang C) */
	patience: Dist | null;
	/** chance a caller asks for a callback instead of abandoning when their patience runs out */
	callbackShare: number;
}

export interface Scenario {
	name: string;
	description: string;
	/** the file it came from, for messages */
	file: string | undefined;
	/** time of day the run starts */
	startMs: number;
	horizonMs: number;
	warmupMs: number;
	/** day of the week of the simulated day (0 = Sunday) */
	weekday: number;
	seed: number;
	/** the engine's own configuration (queues with routing, tiers, overflow tiers, order...) */
	engine: EngineConfigInput;
	queues: QueueSim[];
	arrivals: ArrivalStream[];
	agents: AgentGroup[];
	overflowTiers: OverflowTierSim[];
	/** money per agent-hour, for net revenue */
	costPerAgentHour: number;
}
