import { z } from 'zod';
import { DURATION_HINT, DURATION_PATTERN, formatDuration, TIME_OF_DAY_PATTERN, tryParseDuration, tryParseTimeOfDay } from './duration';
import { expectation } from './issues';

/**
 * Building blocks of the scenario file schema. Durations and times of day are validated and turned
 * into milliseconds here, so the parsed file already carries numbers; the JSON Schema (input side)
 * still shows editors the text form.
 */

export interface DurationOptions {
	/** reject 0 (intervals, means) */
	positive?: boolean;
	/** longest accepted, in ms */
	max?: number;
}

/** A duration in the file ("4m", 20), milliseconds once parsed. */
export function duration(opts: DurationOptions = {}) {
	// Bounds live in the transform (one message for text and numbers alike); the meta is for editors.
	const seconds = z.number().meta(opts.positive ? { exclusiveMinimum: 0 } : { minimum: 0 });
	const text = z.string().meta({ pattern: DURATION_PATTERN });
	return z
		.union([seconds, text], { error: (iss) => expectation(DURATION_HINT, iss.input) })
		.meta({ description: 'a duration: "250ms", "20s", "4m", "1.5h", "1h30m", or a plain number of seconds' })
		.transform((input, ctx) => {
			const r = tryParseDuration(input);
			if (!r.ok) {
				ctx.addIssue({ code: 'custom', message: r.message, input });
				return z.NEVER;
			}
			if (opts.positive && !(r.ms > 0)) {
				ctx.addIssue({ code: 'custom', message: `expected a duration longer than 0, got ${JSON.stringify(input)}`, input });
				return z.NEVER;
			}
			if (opts.max !== undefined && r.ms > opts.max) {
				ctx.addIssue({
					code: 'custom',
					message: `expected at most ${formatDuration(opts.max)}, got ${JSON.stringify(input)}`,
					input
				});
				return z.NEVER;
			}
			return r.ms;
		});
}

/** A time of day ("08:30"), milliseconds since midnight once parsed. */
export function timeOfDay(opts: { endOfDay?: boolean } = {}) {
	const what = opts.endOfDay ? 'a time of day like "08:00" or "24:00"' : 'a time of day like "08:00"';
	return z
		.string({ error: (iss) => expectation(what, iss.input) })
		.meta({ pattern: TIME_OF_DAY_PATTERN, description: 'a time of day, "HH:MM" or "HH:MM:SS"' })
		.transform((input, ctx) => {
			const r = tryParseTimeOfDay(input, opts);
			if (!r.ok) {
				ctx.addIssue({ code: 'custom', message: r.message, input });
				return z.NEVER;
			}
			return r.ms;
		});
}

// Shared instances, named so the JSON Schema defines each once.
export const anyDuration = duration().meta({ id: 'duration' });
export const positiveDuration = duration({ positive: true }).meta({ id: 'positiveDuration' });
export const anyTimeOfDay = timeOfDay().meta({ id: 'timeOfDay' });

/** Day names, index = the Scenario's weekday (0 = Sunday). */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** Ids of queues, agent groups and tiers; the engine's own limit. */
export const id = z.string().min(1).max(128);

export const probability = z.number().min(0).max(1);
export const nonNegative = z.number().min(0);
export const positive = z.number().gt(0);
export const count = z.number().int().min(0);
