import { z } from 'zod';
import { curveSpecSchema, defaultTiers, type TierConfig } from './value';

export const STRATEGIES = ['longest-idle', 'fewest-calls', 'round-robin', 'best-skill', 'random'] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** What happens to a call the queue cannot take (full, or closed). */
export const FALLBACKS = ['overflow', 'voicemail', 'callback'] as const;
export type Fallback = (typeof FALLBACKS)[number];

const seconds = z.number().finite().nonnegative();
const hhmm = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/;

export const queueConfigSchema = z.object({
	id: z.string().min(1).max(128),
	/** route: the engine decides who takes which call; observe: an external ACD decides and the engine mirrors it */
	mode: z.enum(['route', 'observe']).default('route'),
	/** the skill an agent needs to take this queue's calls (defaults to the queue id) */
	skill: z.string().min(1).max(128).optional(),
	strategy: z.enum(STRATEGIES).default('longest-idle'),
	serviceLevel: z
		.object({ seconds: seconds.default(20), target: z.number().min(0).max(1).default(0.8) })
		.default({ seconds: 20, target: 0.8 }),
	/** abandons quicker than this are short abandons: counted, but left out of the service-level denominator */
	shortAbandonSeconds: seconds.default(5),
	/** the most calls that may wait; an arrival beyond it takes `whenFull` */
	maxWaiting: z.number().int().positive().optional(),
	whenFull: z.enum(FALLBACKS).default('voicemail'),
	/** open hours as daily "HH:MM-HH:MM" windows on the engine's time-of-day; always open when omitted */
	hours: z.array(z.string().regex(hhmm, 'expected "HH:MM-HH:MM"')).optional(),
	whenClosed: z.enum(FALLBACKS).default('voicemail'),
	/** the overflow tier that `overflow` fallbacks and wait overflow go to */
	overflowTo: z.string().min(1).optional(),
	/** overflow a call that has waited this long (route mode) */
	overflowAfterSeconds: seconds.optional(),
	/** route mode: a ringing agent that has not answered by then is a ring-no-answer */
	ringTimeoutSeconds: seconds.optional(),
	/** route mode: the engine answers its own offers at once (a source that does not model ringing) */
	autoAnswer: z.boolean().default(false),
	/** where an agent goes after a ring-no-answer */
	afterRingNoAnswer: z.enum(['away', 'available']).default('away'),
	wrapUpSeconds: seconds.default(0),
	escalation: z
		.object({
			afterSeconds: seconds,
			/** drop the call's extra skills so any agent of the queue may take it */
			widen: z.boolean().default(true),
			/** move the call to another queue (keeping its arrival time) */
			toQueue: z.string().min(1).optional(),
			/** added to the call's priority class */
			priorityBoost: z.number().int().default(0)
		})
		.optional(),
	/** value of a call that does not carry one */
	defaultValue: z.number().nonnegative().default(0),
	/** handle time assumed for wait estimates until the queue has answered calls */
	defaultHandleSeconds: z.number().positive().default(240),
	/** mean caller patience assumed for projections until enough callers have abandoned to estimate it */
	defaultPatienceSeconds: z.number().positive().default(180)
});
export type QueueConfig = z.output<typeof queueConfigSchema>;
export type QueueConfigInput = z.input<typeof queueConfigSchema>;

export const overflowTierSchema = z.object({
	id: z.string().min(1).max(128),
	/** calls it can hold at once */
	capacity: z.number().int().nonnegative(),
	/** its conversion rate relative to a human answering at the same wait */
	conversionFactor: z.number().min(0).max(1).default(0.5)
});
export type OverflowTierConfig = z.output<typeof overflowTierSchema>;

export const tierConfigSchema = z.object({
	id: z.string().min(1),
	minHeat: z.number().min(0).max(1),
	curve: curveSpecSchema
});

export const engineConfigSchema = z.object({
	queues: z.array(queueConfigSchema).default([]),
	/** create unknown queues with default settings (live sources); otherwise reject their calls */
	autoQueues: z.boolean().default(true),
	defaultMode: z.enum(['route', 'observe']).default('route'),
	overflowTiers: z.array(overflowTierSchema).default([]),
	/** heat tiers with their conversion curves */
	tiers: z.array(tierConfigSchema).optional(),
	/** heat of a call that carries neither heat nor tier */
	defaultHeat: z.number().min(0).max(1).default(0.5),
	/** fifo: oldest first within a priority class; value: the call whose wait costs most per minute first */
	order: z.enum(['fifo', 'value']).default('fifo'),
	/** events this much older than the engine clock are applied at the clock; older still are rejected as stale */
	reorderWindowMs: z.number().nonnegative().default(5000),
	/** how long ids are remembered to drop duplicates; 0 turns de-duplication off (trusted sources such as the simulator) */
	dedupeWindowMs: z.number().nonnegative().default(3_600_000),
	intervalMinutes: z.number().int().positive().default(15),
	/** the clock value at which "today" starts: day totals count from here (earlier facts only in negative intervals), interval 0 starts here */
	dayStartMs: z.number().finite().default(0),
	/** added to the clock to get local time of day for open hours */
	tzOffsetMinutes: z.number().int().default(0)
});
export type EngineConfig = z.output<typeof engineConfigSchema>;
export type EngineConfigInput = z.input<typeof engineConfigSchema>;

export function resolveTiers(config: EngineConfig): TierConfig[] {
	return config.tiers ?? defaultTiers;
}

/** Validates and fills defaults; throws an Error naming the field that is wrong. */
export function resolveConfig(input: EngineConfigInput): EngineConfig {
	const r = engineConfigSchema.safeParse(input);
	if (!r.success) {
		const issue = r.error.issues[0];
		throw new Error(`engine config: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
	}
	const cfg = r.data;
	const ids = new Set<string>();
	for (const q of cfg.queues) {
		if (ids.has(q.id)) throw new Error(`engine config: queues: duplicate queue id "${q.id}"`);
		ids.add(q.id);
	}
	const tierIds = new Set(cfg.overflowTiers.map((t) => t.id));
	for (const q of cfg.queues) {
		if (q.overflowTo !== undefined && !tierIds.has(q.overflowTo))
			throw new Error(`engine config: queues.${q.id}.overflowTo: no overflow tier "${q.overflowTo}"`);
		if (q.escalation?.toQueue !== undefined && !ids.has(q.escalation.toQueue))
			throw new Error(`engine config: queues.${q.id}.escalation.toQueue: no queue "${q.escalation.toQueue}"`);
	}
	return cfg;
}

/** Parses "HH:MM-HH:MM" windows into [startMs, endMs) pairs of the day. */
export function parseHours(hours: readonly string[]): Array<[number, number]> {
	return hours.map((w) => {
		const [a = '', b = ''] = w.split('-');
		const ms = (s: string) => {
			const [h = 0, m = 0] = s.split(':').map(Number);
			return (h * 60 + m) * 60_000;
		};
		return [ms(a), ms(b)];
	});
}
