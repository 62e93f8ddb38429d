import type { EngineTimer } from '../engine/events';

const TIMER_KINDS: ReadonlySet<string> = new Set(['wrap.end', 'ring.timeout', 'escalate', 'overflow']);

/**
 * A timer the recording engine scheduled itself, as a journal holds it, checked for shape only (by the
 * live source's rebuild and by replay): its id is derived from a call or agent id
 * (`<agent>/wrap.end-timer3`) and may run past the length the input schema allows an outside id.
 */
export function recordedTimer(raw: Record<string, unknown>): EngineTimer | null {
	const { id, t, kind, callId, agentId, seq } = raw;
	if (raw.type !== 'timer' || typeof id !== 'string' || typeof t !== 'number' || !Number.isFinite(t)) return null;
	if (typeof kind !== 'string' || !TIMER_KINDS.has(kind)) return null;
	if (callId !== undefined && typeof callId !== 'string') return null;
	if (agentId !== undefined && typeof agentId !== 'string') return null;
	if (seq !== undefined && !Number.isSafeInteger(seq)) return null;
	const e = { type: 'timer', id, t, kind } as EngineTimer;
	if (callId !== undefined) e.callId = callId as string;
	if (agentId !== undefined) e.agentId = agentId as string;
	if (seq !== undefined) e.seq = seq as number;
	return e;
}
