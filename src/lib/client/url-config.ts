/**
 * Kiosk configuration from the page URL: a TV has no mouse, so everything a board shows is set in
 * its address, e.g. `/?queues=sales,support&theme=light&rotate=30s&sound=on&th.waiting=3,8`.
 * A bad value never breaks the board: it falls back to the default with a console warning.
 */
import { DEFAULT_THRESHOLDS, type Threshold, type ThresholdMetric } from '../protocol';

export const VIEWS = ['overview', 'agents', 'trends'] as const;
export type ViewName = (typeof VIEWS)[number];
export type Theme = 'dark' | 'light';

export interface KioskConfig {
	/** queues to subscribe to; empty means every queue */
	queues: string[];
	theme: Theme;
	/** time each view stays up when rotating; null shows the first view only */
	rotateMs: number | null;
	/** views in rotation order; the first is the one shown without rotation */
	views: ViewName[];
	sound: boolean;
	thresholds: Record<ThresholdMetric, Threshold>;
	/** per-queue overrides: `th.<queue>.<metric>=warn,alarm` */
	queueThresholds: Record<string, Partial<Record<ThresholdMetric, Threshold>>>;
	/** no update for this long marks the board stale */
	staleAfterMs: number;
}

export const DEFAULT_STALE_AFTER_MS = 5_000;
const MIN_ROTATE_MS = 5_000;
const MAX_ROTATE_MS = 3_600_000;
/** Same limit as the engine's ids. */
const QUEUE_ID = /^[\w.:@-]{1,128}$/;
/** Metrics given as ratios, which a URL may also write as percents ("80%" or "80"). */
const RATIO_METRICS: ReadonlySet<ThresholdMetric> = new Set(['serviceLevel', 'abandonRate']);
const THRESHOLD_METRICS = Object.keys(DEFAULT_THRESHOLDS) as ThresholdMetric[];

export type Warn = (message: string) => void;

export function parseKioskConfig(params: URLSearchParams, warn: Warn = (m) => console.warn(m)): KioskConfig {
	const w = (m: string) => warn(`heatboard: ${m}`);
	return {
		queues: parseQueues(params.get('queues'), w),
		theme: parseTheme(params.get('theme'), w),
		rotateMs: parseRotate(params.get('rotate'), w),
		views: parseViews(params.get('views'), w),
		sound: parseSwitch('sound', params.get('sound'), false, w),
		...parseThresholds(params, w),
		staleAfterMs: parseStale(params.get('stale'), w)
	};
}

function parseQueues(raw: string | null, warn: Warn): string[] {
	if (raw === null || raw.trim() === '') return [];
	const out: string[] = [];
	for (const part of raw.split(',')) {
		const id = part.trim();
		if (id === '') continue;
		if (!QUEUE_ID.test(id)) {
			warn(`queues: ignoring "${id}" (expected letters, digits, . _ - : @, at most 128)`);
			continue;
		}
		if (!out.includes(id)) out.push(id);
	}
	return out;
}

function parseTheme(raw: string | null, warn: Warn): Theme {
	if (raw === null || raw === '') return 'dark';
	if (raw === 'dark' || raw === 'light') return raw;
	warn(`theme: expected dark or light, got "${raw}"; using dark`);
	return 'dark';
}

/** "30s", "2m", "1h", or bare seconds ("45"); returns milliseconds, or null when unreadable. */
export function parseDuration(raw: string): number | null {
	const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?\s*$/i.exec(raw);
	if (!m || m[1] === undefined) return null;
	const n = Number(m[1]);
	const unit = (m[2] ?? 's').toLowerCase();
	const factor = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'h' ? 3_600_000 : 60_000;
	const ms = n * factor;
	return Number.isFinite(ms) ? ms : null;
}

function parseRotate(raw: string | null, warn: Warn): number | null {
	if (raw === null || raw === '' || raw === 'off' || raw === '0') return null;
	const ms = parseDuration(raw);
	if (ms === null || ms < MIN_ROTATE_MS || ms > MAX_ROTATE_MS) {
		warn(`rotate: expected a duration from 5s to 1h like "30s", got "${raw}"; not rotating`);
		return null;
	}
	return ms;
}

function parseViews(raw: string | null, warn: Warn): ViewName[] {
	if (raw === null || raw.trim() === '') return [...VIEWS];
	const out: ViewName[] = [];
	for (const part of raw.split(',')) {
		const v = part.trim();
		const known = VIEWS.find((x) => x === v);
		if (known === undefined) warn(`views: ignoring "${v}" (expected ${VIEWS.join(', ')})`);
		else if (!out.includes(known)) out.push(known);
	}
	if (out.length === 0) {
		warn(`views: nothing usable in "${raw}"; showing all views`);
		return [...VIEWS];
	}
	return out;
}

function parseSwitch(name: string, raw: string | null, fallback: boolean, warn: Warn): boolean {
	if (raw === null || raw === '') return fallback;
	const v = raw.toLowerCase();
	if (v === 'on' || v === 'true' || v === '1' || v === 'yes') return true;
	if (v === 'off' || v === 'false' || v === '0' || v === 'no') return false;
	warn(`${name}: expected on or off, got "${raw}"; using ${fallback ? 'on' : 'off'}`);
	return fallback;
}

function parseStale(raw: string | null, warn: Warn): number {
	if (raw === null || raw === '') return DEFAULT_STALE_AFTER_MS;
	const ms = parseDuration(raw);
	if (ms === null || ms < 1_000 || ms > 600_000) {
		warn(`stale: expected a duration from 1s to 10m, got "${raw}"; using ${DEFAULT_STALE_AFTER_MS / 1000}s`);
		return DEFAULT_STALE_AFTER_MS;
	}
	return ms;
}

/**
 * `th.<metric>=warn,alarm` for each metric of DEFAULT_THRESHOLDS, and `th.<queue>.<metric>=warn,alarm`
 * for one queue; the direction stays the default's.
 */
function parseThresholds(params: URLSearchParams, warn: Warn): Pick<KioskConfig, 'thresholds' | 'queueThresholds'> {
	const out = { ...DEFAULT_THRESHOLDS } as Record<ThresholdMetric, Threshold>;
	const perQueue: KioskConfig['queueThresholds'] = {};
	for (const [key, raw] of params) {
		if (!key.startsWith('th.')) continue;
		const name = key.slice(3);
		const dot = name.lastIndexOf('.');
		const queue = dot > 0 ? name.slice(0, dot) : null;
		const metric = THRESHOLD_METRICS.find((m) => m === (dot > 0 ? name.slice(dot + 1) : name));
		if (metric === undefined || (queue !== null && !QUEUE_ID.test(queue))) {
			warn(`${key}: unknown metric (expected th.<metric> or th.<queue>.<metric>, metric one of ${THRESHOLD_METRICS.join(', ')})`);
			continue;
		}
		const parsed = parseThreshold(metric, raw);
		if (typeof parsed === 'string') warn(`${key}: ${parsed}, got "${raw}"; using the default`);
		else if (queue === null) out[metric] = parsed;
		else (perQueue[queue] ??= {})[metric] = parsed;
	}
	return { thresholds: out, queueThresholds: perQueue };
}

/**
 * The thresholds a queue's figures are coloured by: its own URL overrides, else the board's. Service
 * level, unless the URL set it, follows the queue's own target: warn below the target, alarm 20
 * points below it.
 */
export function thresholdsFor(
	config: Pick<KioskConfig, 'thresholds' | 'queueThresholds'>,
	queue: string | null,
	goal: { target: number } | null
): Record<ThresholdMetric, Threshold> {
	const th = { ...config.thresholds, ...(queue === null ? {} : config.queueThresholds[queue]) };
	const slFromUrl = th.serviceLevel !== DEFAULT_THRESHOLDS.serviceLevel; // parsed values are new objects
	if (!slFromUrl && goal !== null) th.serviceLevel = { warn: goal.target, alarm: Math.max(0, goal.target - 0.2), direction: 'below' };
	return th;
}

function parseThreshold(metric: ThresholdMetric, raw: string): Threshold | string {
	const def = DEFAULT_THRESHOLDS[metric];
	const parts = raw.split(',').map((p) => p.trim());
	if (parts.length !== 2) return 'expected two numbers "warn,alarm"';
	const ratio = RATIO_METRICS.has(metric);
	const values = parts.map((p) => parseLevelValue(p, ratio));
	const [warnAt, alarmAt] = values;
	if (warnAt === undefined || alarmAt === undefined || warnAt === null || alarmAt === null) {
		return ratio ? 'expected two ratios or percents "warn,alarm" (0.8,0.6 or 80%,60%)' : 'expected two numbers "warn,alarm"';
	}
	if (def.direction === 'above' && warnAt > alarmAt) return 'warn must not be above alarm (higher is worse)';
	if (def.direction === 'below' && warnAt < alarmAt) return 'warn must not be below alarm (lower is worse)';
	return { warn: warnAt, alarm: alarmAt, direction: def.direction };
}

function parseLevelValue(s: string, ratio: boolean): number | null {
	const pct = s.endsWith('%');
	const body = pct ? s.slice(0, -1) : s;
	if (!/^-?\d+(\.\d+)?$/.test(body)) return null;
	let n = Number(body);
	if (!Number.isFinite(n) || n < 0) return null;
	if (pct) {
		if (!ratio) return null;
		n /= 100;
	} else if (ratio && n > 1) {
		// "80" for a service level can only mean percent.
		n /= 100;
	}
	if (ratio && n > 1) return null;
	return n;
}
