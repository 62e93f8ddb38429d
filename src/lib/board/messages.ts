import { z } from 'zod';
import { LIMITS } from '../engine/schema';

/**
 * Validation of what boards send (protocol.ts ClientToServer). Anything from a socket is untrusted:
 * a message that fails these is answered with a warning and otherwise ignored.
 */

/** a board shows a handful of queues; a long list is a mistake or an attack */
export const MAX_SUBSCRIBED_QUEUES = 64;
/** the simulator at more than this is a blur; a replay can cap lower */
export const MAX_SPEED = 10_000;

export const subscribeSchema = z.object({
	queues: z.array(z.string().min(1).max(LIMITS.idLength)).max(MAX_SUBSCRIBED_QUEUES)
});

export const resyncSchema = z.object({
	lastSeq: z.number().int().min(-1)
});

export const controlSchema = z.discriminatedUnion('action', [
	z.object({ action: z.literal('play') }),
	z.object({ action: z.literal('pause') }),
	z.object({ action: z.literal('seek'), value: z.number().finite() }),
	z.object({ action: z.literal('speed'), value: z.number().positive().max(MAX_SPEED) })
]);

/** The first problem of a failed parse, as "field: message". */
export function describeIssue(error: z.ZodError): string {
	const issue = error.issues[0];
	if (issue === undefined) return 'invalid';
	const path = issue.path.join('.');
	return path === '' ? issue.message : `${path}: ${issue.message}`;
}
