/**
 * The what-if studio's wire protocol, on socket.io namespace STUDIO_NAMESPACE. Shared by the server
 * (src/lib/server/studio/*) and the browser (/what-if), so it imports nothing from either side.
 *
 * A study is always: a scenario (YAML text, the one source of truth, edited in the YAML editor) plus
 * levers (the form's overrides, applied on the server to the parsed scenario) plus run settings. Runs
 * are deterministic (same inputs and seed, same numbers), which is what makes a URL that carries the
 * inputs a faithful share of the results.
 *
 * Changes must be additive (new optional fields, new messages): both sides are built in parallel.
 */
import { z } from 'zod';

export const STUDIO_NAMESPACE = '/studio';
export const STUDIO_PROTOCOL_VERSION = 1;
/** a scenario text larger than this is refused before parsing */
export const MAX_SCENARIO_TEXT = 256 * 1024;
export const MAX_REPLICATIONS = 100;
export const MAX_SWEEP_LEVELS = 200;
export const MAX_AGENTS = 100_000;

export const STRATEGIES = ['longest-idle', 'fewest-calls', 'round-robin', 'best-skill', 'random'] as const;

/** The form's levers: each one absent leaves the scenario as written. */
export const leversSchema = z
	.object({
		/** replaces the total staffing; every shift scaled in proportion (like `heatboard sweep`) */
		agents: z.number().int().min(1).max(MAX_AGENTS).optional(),
		/** agents on duty per interval of `agentsIntervalMinutes` from the scenario's start; replaces all groups' shifts */
		agentsPerInterval: z
			.array(z.number().int().min(0).max(MAX_AGENTS))
			.min(1)
			.max(24 * 60)
			.optional(),
		/** Added note: default the brief's intervalMinutes; the plan staffs by it too */
		agentsIntervalMinutes: z
			.number()
			.int()
			.min(5)
			.max(24 * 60)
			.optional(),
		/** multiplies every arrival rate */
		arrivalScale: z.number().gt(0).max(100).optional(),
		/** multiplies every queue's handle time */
		handleTimeScale: z.number().gt(0).max(100).optional(),
		/** mean patience in seconds for every queue (exponential); null: callers never hang up */
		patienceSeconds: z.number().gt(0).max(86_400).nullable().optional(),
		strategy: z.enum(STRATEGIES).optional(),
		/** value-aware order (hot, valuable calls first) or first in, first out */
		order: z.enum(['fifo', 'value']).optional(),
		/** the AI receptionist overflow tier(s) on or off */
		aiOverflow: z.boolean().optional(),
		costPerAgentHour: z.number().min(0).max(100_000).optional()
	})
	.strict();
export type Levers = z.infer<typeof leversSchema>;

/** Where a study's scenario comes from, for display and sharing. */
export const scenarioOriginSchema = z.discriminatedUnion('kind', [
	/** a file in scenarios/ shipped with Heatboard, by file name */
	z.object({ kind: z.literal('shipped'), name: z.string().min(1).max(128) }),
	z.object({ kind: z.literal('upload'), name: z.string().max(256) }),
	/** the board's current source from now on */
	z.object({ kind: z.literal('now') })
]);
export type ScenarioOrigin = z.infer<typeof scenarioOriginSchema>;

export const studyInputSchema = z
	.object({
		/** a label for the comparison ("base", "+3 agents") */
		label: z.string().min(1).max(64),
		origin: scenarioOriginSchema,
		yaml: z.string().max(MAX_SCENARIO_TEXT),
		levers: leversSchema.default({}),
		seed: z.number().int().min(0).max(0xffff_ffff).optional(),
		replications: z.number().int().min(1).max(MAX_REPLICATIONS).default(10)
	})
	.strict();
export type StudyInput = z.input<typeof studyInputSchema>;

export const runRequestSchema = z.object({ runId: z.string().min(1).max(64), study: studyInputSchema }).strict();
export const sweepRequestSchema = z
	.object({
		runId: z.string().min(1).max(64),
		study: studyInputSchema,
		from: z.number().int().min(1).max(MAX_AGENTS),
		to: z.number().int().min(1).max(MAX_AGENTS),
		step: z.number().int().min(1).max(MAX_AGENTS).default(1)
	})
	.strict();
export const planRequestSchema = z
	.object({
		runId: z.string().min(1).max(64),
		study: studyInputSchema,
		/** check the Erlang A plan by simulating it (default true) */
		simulate: z.boolean().default(true)
	})
	.strict();
export const cancelRequestSchema = z.object({ runId: z.string().min(1).max(64) }).strict();
export const validateRequestSchema = z.object({ yaml: z.string().max(MAX_SCENARIO_TEXT), levers: leversSchema.default({}) }).strict();

/** A problem in the YAML, positioned for the editor (1-based line and column when known). */
export interface ScenarioProblem {
	message: string;
	/** dotted path into the scenario, e.g. "queues[0].serviceLevel.target" */
	path?: string;
	line?: number;
	column?: number;
}

/** What the form shows of a valid scenario. */
export interface ScenarioBrief {
	name: string;
	description: string;
	/** HH:MM */
	start: string;
	horizonMinutes: number;
	queues: Array<{ id: string; strategy: string; serviceLevel: { seconds: number; target: number } }>;
	totalAgents: number;
	/** agents on duty per interval of `intervalMinutes` from start (what the per-interval lever edits) */
	agentsPerInterval: number[];
	arrivalsPerInterval: number[];
	intervalMinutes: number;
	meanHandleSeconds: number;
	meanPatienceSeconds: number | null;
	order: 'fifo' | 'value';
	hasAiOverflow: boolean;
	costPerAgentHour: number;
}

export type ValidateResult = { ok: true; brief: ScenarioBrief } | { ok: false; problems: ScenarioProblem[] };

/** Summary figures, the same names as `heatboard simulate --json` (simulator/core/summary.ts Totals). */
export type StudioTotals = Record<
	| 'offered'
	| 'answered'
	| 'abandoned'
	| 'conversions'
	| 'revenue'
	| 'revenueLost'
	| 'agentHours'
	| 'staffingCost'
	| 'netRevenue'
	| 'overflowed'
	| 'voicemail'
	| 'callbacks',
	number
> &
	Record<'pWait' | 'asaAnswered' | 'meanWaitAll' | 'slAnswered' | 'slOffered' | 'abandonRate' | 'aht' | 'occupancy', number | null>;
export type HalfWidths = Partial<Record<keyof StudioTotals, number | null>>;

export interface RunResult {
	runId: string;
	label: string;
	replications: number;
	seed: number;
	totals: StudioTotals;
	/** 95% half-widths over replications (empty with one replication) */
	halfWidths: HalfWidths;
	queues: Record<string, StudioTotals>;
	/** per interval, replication means */
	intervals: Array<{ start: string; totals: StudioTotals }>;
	/** the service-level target the run is judged against (the first queue's) */
	serviceLevel: { seconds: number; target: number };
}

export interface SweepPoint {
	agents: number;
	totals: StudioTotals;
	halfWidths: HalfWidths;
}

/** Erlang A at the scenario's mean load over the measured period, at each agent count of the sweep */
export interface ErlangPoint {
	/**
	 * the sweep level (total head count, as in the simulated points). Added note: Erlang is evaluated
	 * at the agents on duty that level gives, n × (mean on duty over the measured period / head
	 * count), which is n itself when everyone works the whole day (src/lib/server/studio/erlang.ts).
	 */
	agents: number;
	slOffered: number;
	abandonRate: number;
	/** Added note: infinite, so null on the wire, when callers never hang up and the load is at or above the agents (Erlang C) */
	asaAnswered: number;
	occupancy: number;
	/**
	 * Added note: hours × arrivals/h × (1 − abandonRate) × mean call value × conversion chance at the
	 * ASA (averaged over the callers' heat tiers), minus agents on duty × hours × cost per agent-hour.
	 * A guide to the curve's shape: the simulation converts each call at its own wait and counts
	 * overflow tiers' sales, this does neither.
	 */
	netRevenue: number;
}

export interface SweepOutcome {
	runId: string;
	label: string;
	replications: number;
	points: SweepPoint[];
	erlang: ErlangPoint[];
	/** fewest agents meeting every queue's service-level target; null if none */
	meetsTarget: number | null;
	maxNetRevenue: number | null;
	serviceLevel: { seconds: number; target: number };
}

export interface PlanInterval {
	/** HH:MM */
	start: string;
	arrivalsPerHour: number;
	ahtSeconds: number;
	patienceSeconds: number | null;
	/** Erlang A: fewest agents meeting the service-level target in this interval */
	agents: number;
	erlang: { slOffered: number; abandonRate: number; asaAnswered: number; occupancy: number };
	/** the simulated check of the whole plan, this interval's replication mean and half-width */
	simulated?: { slOffered: number | null; slHalfWidth: number | null; abandonRate: number | null };
}

export interface PlanOutcome {
	runId: string;
	label: string;
	intervalMinutes: number;
	serviceLevel: { seconds: number; target: number };
	intervals: PlanInterval[];
	agentHours: number;
}

export interface StudioError {
	runId?: string;
	message: string;
	problems?: ScenarioProblem[];
}

/** Client → server. Requests with an ack answer at once; long work reports through server events. */
export interface StudioClientToServer {
	/** the shipped scenarios, for the start picker */
	scenarios: (ack: (list: Array<{ name: string; title: string; yaml: string }>) => void) => void;
	/** the board's current source as a scenario from now on; null when the source cannot provide one */
	fromNow: (ack: (result: { yaml: string; note: string } | { error: string }) => void) => void;
	/** Added note: the brief is of the scenario with the levers applied (send no levers for the scenario as written) */
	validate: (msg: z.input<typeof validateRequestSchema>, ack: (result: ValidateResult) => void) => void;
	run: (msg: z.input<typeof runRequestSchema>) => void;
	sweep: (msg: z.input<typeof sweepRequestSchema>) => void;
	plan: (msg: z.input<typeof planRequestSchema>) => void;
	cancel: (msg: z.input<typeof cancelRequestSchema>) => void;
}

/** Server → client */
export interface StudioServerToClient {
	/** fraction 0..1 of a run, sweep or plan, at most a few times a second */
	progress: (msg: { runId: string; fraction: number; note?: string }) => void;
	runResult: (msg: RunResult) => void;
	sweepResult: (msg: SweepOutcome) => void;
	planResult: (msg: PlanOutcome) => void;
	cancelled: (msg: { runId: string }) => void;
	/** a request refused (bad input: with positioned problems) or a run that failed */
	studioError: (msg: StudioError) => void;
}
