import { parseEvent } from '../../engine/schema';
import type { LineRecord } from '../../../../simulator/import/journal';
import { recordedTimer } from '../recorded-timer';

/**
 * A parsed journal line as an event: an engine timer by its shape, anything else through the input
 * schema. The live journal writes each record's source clock beside the event (`clock`); other
 * journals have none.
 */
export function readRecord(raw: unknown): LineRecord {
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, detail: 'not a JSON object' };
	const obj = raw as Record<string, unknown>;
	const clock = typeof obj.clock === 'number' && Number.isFinite(obj.clock) ? obj.clock : null;
	const timer = recordedTimer(obj);
	if (timer !== null) return { ok: true, event: timer, clock };
	const parsed = parseEvent(raw);
	return parsed.ok ? { ok: true, event: parsed.event, clock } : { ok: false, detail: parsed.detail };
}
