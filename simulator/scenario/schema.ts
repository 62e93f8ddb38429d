import { z } from 'zod';
import { FALLBACKS, STRATEGIES } from '../../src/lib/engine/config';
import { curveSpecSchema } from '../../src/lib/engine/value';
import { distSchema, heatSchema } from './dists';
import { DAY_MS, formatDuration, formatTimeOfDay } from './duration';
import {
	anyDuration,
	anyTimeOfDay,
	count,
	duration,
	id,
	nonNegative,
	positive,
	positiveDuration,
	probability,
	timeOfDay,
	WEEKDAYS
} from './fields';

export { WEEKDAYS };
import { expectation, formatPath, issuesFromZod, ScenarioError, scenarioErrorMap, type PathIssue } from './issues';
import { buildScenario, referenceIssues } from './resolve';
import { breakOffsetMs, shiftLengthMs } from './shifts';
import type { Scenario } from './types';

/**
 * The YAML form of a scenario. Unknown keys are errors (a typo must not silently fall back to a
 * default), durations are text ("4m") or seconds, and everything optional has a default applied
 * by `resolveScenario`.
 */

/** The longest run a scenario may ask for. */
export const MAX_HORIZON_MS = 366 * DAY_MS;

const durationDist = distSchema('duration').meta({
	id: 'durationDistribution',
	description: 'a duration ("4m": always that long) or a distribution of durations: { dist: exponential, mean: 4m }'
});
const valueDist = distSchema('number').meta({
	id: 'valueDistribution',
	description: 'a number or a distribution: { dist: lognormal, mean: 3500, sd: 1500 }'
});
/** How long a caller waits before hanging up; `never` for callers who wait for ever (Erlang C). */
const patienceSchema = z
	.union([durationDist, z.literal('never')], {
		error: (iss) => expectation('a duration like "3m", a distribution like { dist: exponential, mean: 3m }, or never', iss.input)
	})
	.transform((v) => (v === 'never' ? null : v))
	.meta({
		id: 'patience',
		description: 'how long callers wait before hanging up: a duration, a distribution, or never (they wait for ever: Erlang C)'
	});
const curveSchema = curveSpecSchema.meta({ id: 'curve', description: "a conversion curve: probability of a sale by the caller's wait" });
const skillLevel = z.number().int().min(1).max(100);

// The engine's own pattern for open hours ("HH:MM-HH:MM", end may be 24:00).
const HOURS = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/;
const hoursWindow = z
	.string()
	.regex(HOURS, { error: (iss) => `expected opening hours like "09:00-17:30", got ${JSON.stringify(iss.input)}` })
	.refine((w) => w.slice(0, 5) !== w.slice(6), { error: 'expected a window that opens and closes at different times' });

const serviceLevelSchema = z.strictObject({
	/** answered within this long counts as in service level */
	seconds: anyDuration.optional().meta({ description: 'answered within this long is in service level (default 20s)' }),
	target: probability.optional().meta({ description: 'target share answered in time, 0..1 (default 0.8)' })
});

const escalationSchema = z.strictObject({
	after: anyDuration.meta({ description: 'escalate a call that has waited this long' }),
	widen: z.boolean().optional().meta({ description: "drop the call's extra skills (default true)" }),
	toQueue: id.optional().meta({ description: 'move the call to this queue, keeping its arrival time' }),
	priorityBoost: z.number().int().optional()
});

export const queueFileSchema = z
	.strictObject({
		id,
		skill: id.optional().meta({ description: 'skill an agent needs for this queue (default: the queue id)' }),
		serviceLevel: serviceLevelSchema.optional(),
		strategy: z.enum(STRATEGIES).optional(),
		maxWaiting: z.number().int().positive().optional(),
		whenFull: z.enum(FALLBACKS).optional(),
		hours: z
			.union([hoursWindow, z.array(hoursWindow).min(1)], {
				error: (iss) => expectation('opening hours like "09:00-17:30" or a list of them', iss.input)
			})
			.optional()
			.meta({ description: 'open hours, "09:00-17:30" or a list of windows; always open when omitted' }),
		whenClosed: z.enum(FALLBACKS).optional(),
		overflowTo: id.optional().meta({ description: 'id of an overflow tier' }),
		overflowAfter: anyDuration.optional(),
		ringTimeout: anyDuration.optional(),
		escalation: escalationSchema.optional(),
		shortAbandon: anyDuration.optional().meta({ description: 'abandons quicker than this are short abandons (default 5s)' }),
		defaultValue: nonNegative.optional(),
		handleTime: durationDist.optional(),
		wrapUp: durationDist.optional(),
		patience: patienceSchema.optional(),
		callbackShare: probability.optional()
	})
	.superRefine((q, ctx) => {
		for (const key of ['whenFull', 'whenClosed'] as const) {
			if (q[key] === 'overflow' && q.overflowTo === undefined) {
				ctx.addIssue({ code: 'custom', path: [key], message: 'overflow needs overflowTo (the overflow tier to send calls to)' });
			}
		}
		if (q.overflowAfter !== undefined && q.overflowTo === undefined) {
			ctx.addIssue({
				code: 'custom',
				path: ['overflowAfter'],
				message: 'overflowAfter needs overflowTo (the overflow tier to send calls to)'
			});
		}
	})
	.meta({ id: 'queue' });

const skillShare = z.union([positive, z.strictObject({ share: positive, level: skillLevel.optional() })], {
	error: (iss) => expectation('a share like 0.1 or { share: 0.1, level: 2 }', iss.input)
});

export const arrivalFileSchema = z
	.strictObject({
		queue: id,
		perHour: nonNegative.optional().meta({ description: 'a constant arrival rate, calls per hour' }),
		profile: z
			.strictObject({
				interval: positiveDuration,
				rates: z.array(nonNegative).min(1).meta({ description: 'calls per hour in each interval from the run start; the last holds' })
			})
			.optional(),
		weekdays: z
			.strictObject(
				Object.fromEntries(WEEKDAYS.map((d) => [d, nonNegative.optional()])) as Record<
					(typeof WEEKDAYS)[number],
					z.ZodOptional<typeof nonNegative>
				>
			)
			.optional()
			.meta({ description: 'multipliers of the rates by day of the week, e.g. { fri: 1.2 }' }),
		scale: nonNegative.optional(),
		source: id.optional().meta({ description: 'lead source of every call (default "direct")' }),
		sources: z
			.record(id, positive)
			.refine((r) => Object.keys(r).length > 0, { error: 'expected at least one source' })
			.optional()
			.meta({ description: 'lead source mix, relative weights: { web-form: 0.6, pricing-page: 0.4 }' }),
		heat: heatSchema.optional(),
		value: valueDist.optional(),
		skills: z
			.record(id, skillShare)
			.optional()
			.meta({ description: 'share of calls that also need a skill: { spanish: 0.1 } or { spanish: { share: 0.1, level: 2 } }' }),
		priority: z.number().int().min(-100).max(100).optional()
	})
	.superRefine((a, ctx) => {
		if (a.perHour !== undefined && a.profile !== undefined) {
			ctx.addIssue({ code: 'custom', path: ['profile'], message: 'give perHour or profile, not both' });
		} else if (a.perHour === undefined && a.profile === undefined) {
			ctx.addIssue({ code: 'custom', path: ['perHour'], message: 'missing (expected perHour, or a profile: { interval, rates })' });
		}
		if (a.source !== undefined && a.sources !== undefined) {
			ctx.addIssue({ code: 'custom', path: ['sources'], message: 'give source or sources, not both' });
		}
		// A call needs at most one extra skill, so the shares are exclusive chances.
		const total = Object.values(a.skills ?? {}).reduce<number>((sum, s) => sum + (typeof s === 'number' ? s : s.share), 0);
		if (total > 1 + 1e-9) {
			ctx.addIssue({
				code: 'custom',
				path: ['skills'],
				message: `expected shares adding up to at most 1 (each is the chance a call needs that skill), got ${Number(total.toFixed(6))}`
			});
		}
	})
	.meta({ id: 'arrival' });

const breakSchema = z.strictObject({ at: anyTimeOfDay, duration: positiveDuration });

const shiftSchema = z
	.strictObject({
		start: anyTimeOfDay,
		end: timeOfDay({ endOfDay: true }),
		count,
		breaks: z.array(breakSchema).optional()
	})
	.superRefine((s, ctx) => {
		if (s.start === s.end) {
			ctx.addIssue({
				code: 'custom',
				path: ['end'],
				message: 'expected an end different from the start (a 24-hour shift is "00:00" to "24:00")'
			});
			return;
		}
		const length = shiftLengthMs({ startMs: s.start, endMs: s.end });
		(s.breaks ?? []).forEach((b, k) => {
			if (breakOffsetMs(s.start, b.at) + b.duration > length) {
				ctx.addIssue({
					code: 'custom',
					path: ['breaks', k, 'at'],
					message: `expected a break inside the shift ${formatTimeOfDay(s.start)}-${formatTimeOfDay(s.end)}, got ${formatTimeOfDay(b.at)} for ${formatDuration(b.duration)}`
				});
			}
		});
	})
	.meta({ id: 'shift' });

export const agentFileSchema = z
	.strictObject({
		group: id,
		count: count.optional().meta({ description: 'agents on for the whole run' }),
		shifts: z
			.array(shiftSchema)
			.min(1)
			.optional()
			.meta({ description: 'daily shifts by time of day; end at or before start runs past midnight' }),
		perInterval: z
			.strictObject({
				interval: positiveDuration,
				counts: z.array(count).min(1)
			})
			.optional()
			.meta({ description: 'head count per interval from the run start; the last holds' }),
		skills: z
			.union([z.array(id).min(1), z.record(id, skillLevel)], {
				error: (iss) => expectation('a list of skills like [sales] or skill levels like { sales: 3 }', iss.input)
			})
			.meta({ description: 'skills at level 1 ([sales]) or with levels ({ sales: 3 })' })
	})
	.superRefine((g, ctx) => {
		const forms = (['count', 'shifts', 'perInterval'] as const).filter((k) => g[k] !== undefined);
		if (forms.length === 0) {
			ctx.addIssue({ code: 'custom', path: ['count'], message: 'missing (expected count, shifts or perInterval)' });
		} else if (forms.length > 1) {
			ctx.addIssue({ code: 'custom', path: [forms[1]!], message: `give one of count, shifts or perInterval, not ${forms.join(' and ')}` });
		}
	})
	.meta({ id: 'agentGroup' });

export const overflowTierFileSchema = z
	.strictObject({
		id,
		capacity: count,
		conversionFactor: probability.optional(),
		handleTime: durationDist.optional(),
		handBack: probability.optional().meta({ description: 'chance the tier hands the caller back to a human queue' }),
		handBackQueue: id.optional().meta({ description: "queue a handed-back call goes to (default: the call's own queue)" })
	})
	.meta({ id: 'overflowTier' });

export const heatTierFileSchema = z
	.strictObject({
		id,
		minHeat: probability,
		curve: curveSchema
	})
	.meta({ id: 'heatTier' });

export const scenarioFileSchema = z
	.strictObject({
		name: z.string().min(1).max(200),
		description: z.string().optional(),
		start: anyTimeOfDay.optional().meta({ description: 'time of day the run starts (default 00:00)' }),
		weekday: z.enum(WEEKDAYS).optional().meta({ description: 'day of the week simulated (default mon)' }),
		horizon: duration({ positive: true, max: MAX_HORIZON_MS }).meta({ description: 'length of the run, e.g. 8h' }),
		warmup: anyDuration.optional().meta({ description: 'left out of the results (default 0s)' }),
		seed: z.number().int().min(0).max(0xffff_ffff).optional(),
		order: z.enum(['fifo', 'value']).optional(),
		costPerAgentHour: nonNegative.optional(),
		tiers: z
			.array(heatTierFileSchema)
			.min(1)
			.superRefine(checkTiers)
			.optional()
			.meta({ description: "the engine's heat tiers with their conversion curves (default hot/warm/cold)" }),
		handleTime: durationDist.optional(),
		wrapUp: durationDist.optional(),
		patience: patienceSchema.optional(),
		callbackShare: probability.optional(),
		queues: z.array(queueFileSchema).min(1),
		arrivals: z.array(arrivalFileSchema).min(1),
		agents: z.array(agentFileSchema).min(1),
		overflowTiers: z.array(overflowTierFileSchema).optional()
	})
	.meta({
		title: 'Heatboard scenario',
		description:
			'A simulated contact-centre day: queues, arrivals, agents and the value of hot calls. Top-level keys starting with x- are ignored (a place for YAML anchors).',
		patternProperties: { '^x-': {} }
	});

function checkTiers(tiers: Array<z.output<typeof heatTierFileSchema>>, ctx: z.RefinementCtx): void {
	const ids = new Map<string, number>();
	const heats = new Map<number, number>();
	tiers.forEach((t, i) => {
		const id = ids.get(t.id);
		if (id !== undefined) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate tier id "${t.id}" (also tiers[${id}])` });
		else ids.set(t.id, i);
		const h = heats.get(t.minHeat);
		if (h !== undefined) {
			ctx.addIssue({
				code: 'custom',
				path: [i, 'minHeat'],
				message: `duplicate minHeat ${t.minHeat} (also tiers[${h}]): a heat would match both`
			});
		} else heats.set(t.minHeat, i);
	});
	if (!heats.has(0)) ctx.addIssue({ code: 'custom', path: [], message: 'expected a tier with minHeat 0, so that every heat has a tier' });
}

export type ScenarioFile = z.output<typeof scenarioFileSchema>;
export type QueueFile = z.output<typeof queueFileSchema>;
export type ArrivalFile = z.output<typeof arrivalFileSchema>;
export type AgentFile = z.output<typeof agentFileSchema>;

export type Validation = { ok: true; scenario: Scenario } | { ok: false; issues: PathIssue[] };

/** Validates a parsed scenario file and resolves it; every problem found is returned, not just the first. */
export function validateScenario(input: unknown, file?: string): Validation {
	const raw = withoutExtensions(input);
	const parsed = scenarioFileSchema.safeParse(raw, { error: scenarioErrorMap, reportInput: true });
	if (parsed.success) return buildScenario(parsed.data, file);
	const structural = issuesFromZod(parsed.error.issues);
	// Reference checks need no valid structure, so a broken file still gets all of its errors at once.
	const covered = (ref: PathIssue) =>
		structural.some((s) => s.path.length <= ref.path.length && s.path.every((seg, i) => ref.path[i] === seg));
	return { ok: false, issues: [...structural, ...referenceIssues(raw).filter((r) => !covered(r))] };
}

/** Top-level keys starting with `x-` are ignored: a place for YAML anchors (`x-defaults: &defaults`). */
export const EXTENSION_PREFIX = 'x-';

function withoutExtensions(raw: unknown): unknown {
	if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
	return Object.fromEntries(Object.entries(raw).filter(([k]) => !k.startsWith(EXTENSION_PREFIX)));
}

/** Validates and resolves a parsed scenario file; throws ScenarioError (without line numbers: see load.ts). */
export function resolveScenario(raw: unknown, file?: string): Scenario {
	const r = validateScenario(raw, file);
	if (r.ok) return r.scenario;
	throw new ScenarioError(
		r.issues.map((i) => ({ file, line: undefined, column: undefined, path: formatPath(i.path), message: i.message }))
	);
}
