import type { EngineConfigInput } from '../../engine/config';
import type { JournalHeader } from '../../../../simulator/import/journal';

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * The epoch ms of the local midnight a journal's times count from, or 0 when they are already ms
 * since local midnight.
 *
 * The live source stamps its events in epoch ms and writes its day's start (local midnight, or
 * `dayStartMinutes` after it) as the header's engine `dayStartMs`, with its `tzOffsetMinutes`. The
 * importers (anonymous-bank, queue_log, csv) and the simulator write ms since local midnight and no
 * epoch day start in the engine config: a queue_log or csv header's `dayStartEpochMs` only says
 * where that midnight was, their times are already counted from it, so their origin is 0. A
 * `dayStartMs` under a day is a time of day itself (a simulator's 08:00), not an epoch.
 */
export function dayOrigin(header: JournalHeader): number {
	const engine = header.engine as EngineConfigInput | undefined;
	const start = engine?.dayStartMs;
	if (typeof start !== 'number' || !Number.isFinite(start) || Math.abs(start) < DAY) return 0;
	const after = header.dayStartMinutes;
	if (typeof after === 'number' && Number.isInteger(after)) return start - after * MINUTE;
	const tz = wholeMinutes(engine?.tzOffsetMinutes) ?? wholeMinutes(header.tzOffsetMinutes) ?? 0;
	return Math.floor((start + tz * MINUTE) / DAY) * DAY - tz * MINUTE;
}

function wholeMinutes(v: unknown): number | null {
	return typeof v === 'number' && Number.isInteger(v) ? v : null;
}

/**
 * An engine config on the time-of-day clock: its day start counted from `origin` and no time-zone
 * offset, since ms from local midnight already are local time (opening hours read the same).
 */
export function rebaseEngineConfig(config: EngineConfigInput, origin: number): EngineConfigInput {
	if (origin === 0) return config;
	return { ...config, dayStartMs: (config.dayStartMs ?? 0) - origin, tzOffsetMinutes: 0 };
}
