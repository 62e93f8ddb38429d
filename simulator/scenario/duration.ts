/**
 * Durations and times of day as scenario files write them. Everything resolves to milliseconds.
 *
 *   durations:    "250ms", "20s", "4m", "4min", "1.5h", "8h", "1h30m", "2d", "1h 30m";
 *                 a plain number (20 or "20") is seconds, because that is what people mean by
 *                 `seconds: 20` and what the engine's own settings use.
 *   times of day: "08:00", "8:00", "08:30:15", and "24:00" where an end of day is allowed.
 */

export const SECOND_MS = 1_000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

const UNITS: ReadonlyArray<{ names: readonly string[]; ms: number }> = [
	{ names: ['d'], ms: DAY_MS },
	{ names: ['h'], ms: HOUR_MS },
	{ names: ['m', 'min'], ms: MINUTE_MS },
	{ names: ['s'], ms: SECOND_MS },
	{ names: ['ms'], ms: 1 }
];

/** What a duration looks like, for error messages. */
export const DURATION_HINT = 'a duration like "20s", "4m" or "1h30m"';

/** JSON Schema pattern for editors; the parser below is the authority (it also checks unit order). */
export const DURATION_PATTERN = '^\\s*(\\d+(\\.\\d+)?|(\\d+(\\.\\d+)?\\s*(ms|s|min|m|h|d)\\s*)+)\\s*$';
export const TIME_OF_DAY_PATTERN = '^\\s*\\d{1,2}:\\d{2}(:\\d{2})?\\s*$';

export type Parsed = { ok: true; ms: number } | { ok: false; message: string };

export class DurationError extends Error {
	override readonly name = 'DurationError';
}

const NUMBER = /^\d+(?:\.\d+)?$/;
const COMPONENT = /(\d+(?:\.\d+)?)\s*([a-z]+)\s*/gy;

function show(input: unknown): string {
	return typeof input === 'string' ? JSON.stringify(input) : String(input);
}

/**
 * Parses a duration without throwing; `ms` is a whole number of milliseconds (rounded: the
 * simulator's clock ticks in ms, and "2.3h" in binary floating point is not one), never negative
 * or infinite.
 */
export function tryParseDuration(input: string | number): Parsed {
	const bad = (why = ''): Parsed => ({
		ok: false,
		message: `expected ${DURATION_HINT}, got ${show(input)}${why}`
	});
	if (typeof input === 'number') {
		if (!Number.isFinite(input)) return bad();
		if (input < 0) return bad(': durations cannot be negative');
		return { ok: true, ms: Math.round(input * SECOND_MS) };
	}
	const text = input.trim().toLowerCase();
	if (text === '') return bad();
	if (text.startsWith('-')) return bad(': durations cannot be negative');
	if (NUMBER.test(text)) return { ok: true, ms: Math.round(Number(text) * SECOND_MS) };

	let ms = 0;
	let lastRank = -1;
	let pos = 0;
	COMPONENT.lastIndex = 0;
	for (let m = COMPONENT.exec(text); m !== null; m = COMPONENT.exec(text)) {
		const [, amount = '', unitName = ''] = m;
		const rank = UNITS.findIndex((u) => u.names.includes(unitName));
		const unit = UNITS[rank];
		if (unit === undefined) return bad(`: unknown unit "${unitName}" (units: ms, s, m, h, d; a plain number is seconds)`);
		// "30m1h" and "1h1h" are almost certainly typos, so they are rejected rather than summed.
		if (rank <= lastRank) return bad(': write the units from largest to smallest, each once');
		lastRank = rank;
		ms += Number(amount) * unit.ms;
		pos = COMPONENT.lastIndex;
	}
	if (pos !== text.length) return bad();
	if (!Number.isFinite(ms)) return bad();
	return { ok: true, ms: Math.round(ms) };
}

/** Parses a duration to milliseconds; throws DurationError with the reason. */
export function parseDuration(input: string | number): number {
	const r = tryParseDuration(input);
	if (!r.ok) throw new DurationError(r.message);
	return r.ms;
}

const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/**
 * Parses a time of day to milliseconds since midnight. `endOfDay` admits "24:00" (the end of a
 * shift or opening window that runs to midnight).
 */
export function tryParseTimeOfDay(input: string, opts: { endOfDay?: boolean } = {}): Parsed {
	const hint = opts.endOfDay ? '"08:00", "17:30:00" or "24:00"' : '"08:00" or "17:30:00"';
	const bad = (why = ''): Parsed => ({
		ok: false,
		message: `expected a time of day like ${hint}, got ${show(input)}${why}`
	});
	const m = TIME.exec(input.trim());
	if (m === null) return bad();
	const h = Number(m[1]);
	const min = Number(m[2]);
	const s = m[3] === undefined ? 0 : Number(m[3]);
	if (min > 59 || s > 59) return bad(': minutes and seconds go up to 59');
	const ms = h * HOUR_MS + min * MINUTE_MS + s * SECOND_MS;
	if (ms > DAY_MS || (ms === DAY_MS && !opts.endOfDay)) {
		return bad(opts.endOfDay ? ': the latest time is 24:00' : ': hours go up to 23');
	}
	return { ok: true, ms };
}

/** Parses a time of day to milliseconds since midnight; throws DurationError with the reason. */
export function parseTimeOfDay(input: string, opts: { endOfDay?: boolean } = {}): number {
	const r = tryParseTimeOfDay(input, opts);
	if (!r.ok) throw new DurationError(r.message);
	return r.ms;
}

/** Renders milliseconds the way a scenario file would write them: 5400000 → "1h30m". */
export function formatDuration(ms: number): string {
	if (!Number.isFinite(ms)) return String(ms);
	if (ms < 0) return `-${formatDuration(-ms)}`;
	if (ms === 0) return '0s';
	let rest = ms;
	let out = '';
	for (const { names, ms: size } of UNITS) {
		const n = size === 1 ? rest : Math.floor(rest / size);
		if (n > 0) {
			out += `${size === 1 ? Number(n.toFixed(3)) : n}${names[0]}`;
			rest -= n * size;
		}
	}
	return out;
}

/** Renders milliseconds since midnight as "HH:MM" (or "HH:MM:SS" when there are seconds). */
export function formatTimeOfDay(ms: number): string {
	const total = Math.round(ms / SECOND_MS);
	const pad = (n: number) => String(n).padStart(2, '0');
	const h = Math.floor(total / 3600);
	const m = Math.floor((total % 3600) / 60);
	const s = total % 60;
	return s === 0 ? `${pad(h)}:${pad(m)}` : `${pad(h)}:${pad(m)}:${pad(s)}`;
}
