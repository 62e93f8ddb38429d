import type { EngineTimer, HeatEvent } from '../../engine/events';
import { parseEvent } from '../../engine/schema';

/** One event line of a journal, read: the event and, for a live journal, the source clock it was applied at. */
export type ReadRecord = { ok: true; event: HeatEvent; clock: number | null } | { ok: false; detail: string };

const TIMER_KINDS: ReadonlySet<string> = new Set(['wrap.end', 'ring.timeout', 'escalate', 'overflow']);

/**
 * A timer the recording engine scheduled itself, checked for shape only, as the live source's own
 * reader (day-journal.ts) checks it: its id is derived from a call or agent id
 * (`<agent>/wrap.end-timer3`) and may run past the length the input schema allows an outside id.
 */
function recordedTimer(raw: Record<string, unknown>): EngineTimer | null {
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

/**
 * A parsed journal line as an event: an engine timer by its shape, anything else through the input
 * schema. The live journal writes each record's source clock beside the event (`clock`); other
 * journals have none.
 */
export function readRecord(raw: unknown): ReadRecord {
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, detail: 'not a JSON object' };
	const obj = raw as Record<string, unknown>;
	const clock = typeof obj.clock === 'number' && Number.isFinite(obj.clock) ? obj.clock : null;
	const timer = recordedTimer(obj);
	if (timer !== null) return { ok: true, event: timer, clock };
	const parsed = parseEvent(raw);
	return parsed.ok ? { ok: true, event: parsed.event, clock } : { ok: false, detail: parsed.detail };
}
