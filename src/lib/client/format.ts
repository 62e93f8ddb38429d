/**
 * Formatters for a board read from across the room: short, fixed shapes, and a dash (never "NaN"
 * or "null") for figures with nothing to measure yet.
 */

export const NONE = '—';

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** Seconds as m:ss, or h:mm:ss from an hour; negatives clamp to 0:00 (a clock slightly ahead). */
export function formatDuration(seconds: number | null | undefined): string {
	if (!finite(seconds)) return NONE;
	const s = Math.max(0, Math.floor(seconds));
	const h = Math.floor(s / 3600);
	const m = Math.floor((s % 3600) / 60);
	const ss = String(s % 60).padStart(2, '0');
	return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * Money in at most four significant characters after the symbol ($980, $12.4k, $1.25M), because a
 * tile has room for one short number and cents mean nothing at 5 m.
 */
export function formatMoney(amount: number | null | undefined, symbol = '$'): string {
	if (!finite(amount)) return NONE;
	const sign = amount < 0 ? '−' : '';
	const a = Math.abs(amount);
	if (a < 1000) return `${sign}${symbol}${Math.round(a)}`;
	if (a < 999_500) return `${sign}${symbol}${compact(a / 1000)}k`;
	return `${sign}${symbol}${compact(a / 1_000_000)}M`;
}

/** Money lost per minute: small amounts keep their cents, they are what sets calls apart. */
export function formatRate(amountPerMinute: number | null | undefined, symbol = '$'): string {
	if (!finite(amountPerMinute)) return NONE;
	const body = Math.abs(amountPerMinute) < 10 ? amountPerMinute.toFixed(2) : formatMoney(amountPerMinute, '').replace('−', '-');
	return `${symbol}${body}/min`;
}

function compact(v: number): string {
	if (v >= 100) return String(Math.round(v));
	if (v >= 10) return trimZero(v.toFixed(1));
	return trimZero(v.toFixed(2));
}

const trimZero = (s: string): string => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);

/** A ratio (0..1) as a whole percent; one decimal below 10% where the difference matters (abandons). */
export function formatPercent(ratio: number | null | undefined, decimalsBelowTen = true): string {
	if (!finite(ratio)) return NONE;
	const pct = ratio * 100;
	if (decimalsBelowTen && Math.abs(pct) < 10 && pct !== 0) return `${trimZero(pct.toFixed(1))}%`;
	return `${Math.round(pct)}%`;
}

/** Counts; expected (fractional) conversions get one decimal. */
export function formatCount(n: number | null | undefined): string {
	if (!finite(n)) return NONE;
	if (Number.isInteger(n)) return n.toLocaleString('en-US');
	return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1);
}

/**
 * The caller as shown: the server masks callers already; this keeps only the last two digits of
 * whatever arrives, so a server bug can never put a full number on a TV in an open office.
 */
export function maskedCaller(caller: string | null | undefined): string {
	if (caller === undefined || caller === null || caller === '') return NONE;
	const marks = (caller.match(/[\d•*]/g) ?? []).length;
	const digits = caller.replace(/\D/g, '');
	const alreadyHidden = marks - digits.length;
	// Names or two-digit extensions: nothing safe to show (the server's rule for short numbers too).
	if (marks === 0 || (alreadyHidden === 0 && digits.length <= 2)) return '••';
	const shown = digits.slice(-2);
	return '•'.repeat(Math.min(Math.max(marks - shown.length, 2), 8)) + shown;
}

/** Wall-clock age for the status line. */
export function formatAge(ms: number): string {
	const s = Math.max(0, Math.floor(ms / 1000));
	if (s < 60) return `${s} s`;
	if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
	return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** Source speed for the small print: "1×", "60×", "0.5×". */
export function formatSpeed(speed: number): string {
	if (!Number.isFinite(speed) || speed <= 0) return NONE;
	return `${speed >= 10 ? Math.round(speed) : trimZero(speed.toFixed(2))}×`;
}

/** Source clocks below this are times of day (the simulator counts from midnight), not epochs. */
const EPOCH_FLOOR_MS = 1e11;

/**
 * A source-clock time as HH:MM (or HH:MM:SS): the simulator's clock is milliseconds from
 * midnight and reads as is; a live or recorded clock is an epoch and reads in the TV's time zone.
 */
export function formatClock(ms: number, seconds = false): string {
	if (!Number.isFinite(ms)) return NONE;
	let h: number, m: number, s: number;
	if (Math.abs(ms) < EPOCH_FLOOR_MS) {
		const total = Math.floor((((ms % 86_400_000) + 86_400_000) % 86_400_000) / 1000);
		h = Math.floor(total / 3600);
		m = Math.floor((total % 3600) / 60);
		s = total % 60;
	} else {
		const d = new Date(ms);
		h = d.getHours();
		m = d.getMinutes();
		s = d.getSeconds();
	}
	const p = (n: number) => String(n).padStart(2, '0');
	return seconds ? `${p(h)}:${p(m)}:${p(s)}` : `${p(h)}:${p(m)}`;
}
