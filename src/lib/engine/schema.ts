import { z } from 'zod';
import type { HeatEvent } from './events';
import { AGENT_STATES } from './events';

/** Bounds that keep a hostile or broken source from bloating state; far above any real call center's needs. */
export const LIMITS = {
	idLength: 128,
	nameLength: 128,
	skills: 32,
	maxValue: 1e9,
	maxPriority: 100
} as const;

const id = z.string().min(1).max(LIMITS.idLength);
const name = z.string().min(1).max(LIMITS.nameLength);
// the latest time a JavaScript Date can hold: anything later is a broken clock
const time = z.number().finite().nonnegative().max(8.64e15);
const duration = z.number().finite().nonnegative().max(86_400_000);
const skillMap = z
	.record(name, z.number().int().min(0).max(100))
	.refine((m) => Object.keys(m).length <= LIMITS.skills, { message: `at most ${LIMITS.skills} skills` });

const base = { id, t: time, v: z.literal(1).optional() };

const callArrived = z.object({
	...base,
	type: z.literal('call.arrived'),
	callId: id,
	queue: name,
	skills: skillMap.optional(),
	heat: z.number().min(0).max(1).optional(),
	tier: name.optional(),
	value: z.number().finite().min(0).max(LIMITS.maxValue).optional(),
	priority: z.number().int().min(-LIMITS.maxPriority).max(LIMITS.maxPriority).optional(),
	source: name.optional(),
	caller: z.string().max(64).optional()
});
const callAgent = { ...base, callId: id, agentId: id };

export const eventSchema = z.discriminatedUnion('type', [
	callArrived,
	z.object({ ...callAgent, type: z.literal('call.offered') }),
	z.object({ ...callAgent, type: z.literal('call.answered') }),
	z.object({ ...callAgent, type: z.literal('call.ringNoAnswer') }),
	z.object({ ...base, type: z.literal('call.abandoned'), callId: id }),
	z.object({
		...base,
		type: z.literal('call.ended'),
		callId: id,
		converted: z.boolean().optional(),
		revenue: z.number().finite().min(0).max(LIMITS.maxValue).optional(),
		wrapMs: duration.optional()
	}),
	z.object({ ...base, type: z.literal('call.transferred'), callId: id, toQueue: name }),
	z.object({ ...base, type: z.literal('call.callback.requested'), callId: id }),
	z.object({
		...base,
		type: z.literal('call.overflowed'),
		callId: id,
		target: name,
		reason: z.enum(['queue-full', 'closed', 'wait', 'no-agents'])
	}),
	z.object({
		...base,
		type: z.literal('agent.state'),
		agentId: id,
		state: z.enum(AGENT_STATES as [string, ...string[]]),
		skills: skillMap.optional(),
		reason: z.string().max(LIMITS.nameLength).optional(),
		name: name.optional()
	}),
	z.object({
		...base,
		type: z.literal('timer'),
		kind: z.enum(['wrap.end', 'ring.timeout', 'escalate', 'overflow']),
		callId: id.optional(),
		agentId: id.optional(),
		seq: z.number().int().nonnegative().optional()
	})
]);

export type ParseResult = { ok: true; event: HeatEvent } | { ok: false; reason: 'invalid'; detail: string };

/** Validates anything from outside the engine; the detail names the field and what was expected. */
export function parseEvent(raw: unknown): ParseResult {
	const r = eventSchema.safeParse(raw);
	if (r.success) return { ok: true, event: r.data as HeatEvent };
	const issue = r.error.issues[0];
	const path = issue && issue.path.length > 0 ? issue.path.join('.') : '(event)';
	const type = typeof raw === 'object' && raw !== null && 'type' in raw ? String((raw as { type: unknown }).type) : '?';
	return { ok: false, reason: 'invalid', detail: `${type}: ${path}: ${issue?.message ?? 'invalid'}` };
}
