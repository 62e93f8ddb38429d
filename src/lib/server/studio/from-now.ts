import { isMap, parseDocument, type Document } from 'yaml';
import type { Scenario } from '../../../../simulator/scenario/types';
import { DAY_MS, formatDuration, formatTimeOfDay, MINUTE_MS, parseDuration } from '../../../../simulator/scenario/duration';
import { WEEKDAYS } from '../../../../simulator/scenario/fields';
import { endOf } from './profile';

/** Warm-up put before "now" so the queue is at its usual level when measuring starts, not empty. */
const WARMUP_MS = 15 * MINUTE_MS;

/** how many finer intervals one interval may become when the new start falls inside it */
const MAX_SPLIT = 1440;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * A per-interval list (rates or head counts from the run start, the last holding) as seen from
 * `offset` later: the same values at a finer interval where the new start falls inside one.
 */
function shiftList(values: readonly number[], intervalMs: number, offset: number): { values: number[]; intervalMs: number } {
	if (offset === 0) return { values: [...values], intervalMs };
	const step = gcd(intervalMs, offset);
	const k = intervalMs / step;
	// an interval of odd milliseconds against a start in whole minutes would explode the list
	if (k > MAX_SPLIT) throw new Error(`cannot move a ${formatDuration(intervalMs)} profile by ${formatDuration(offset)}`);
	const fine = values.flatMap((v) => new Array<number>(k).fill(v));
	const drop = offset / step;
	return { values: drop < fine.length ? fine.slice(drop) : [fine[fine.length - 1] ?? 0], intervalMs: step };
}

function rewriteLists(doc: Document, scenario: Scenario, offset: number, lists: Array<{ path: (string | number)[]; key: string }>): void {
	for (const { path, key } of lists) {
		const node: unknown = doc.getIn(path);
		if (!isMap(node)) continue;
		const plain = node.toJSON() as Record<string, unknown>;
		const list = plain[key];
		if (!Array.isArray(list) || !list.every((v): v is number => typeof v === 'number')) continue;
		const intervalMs = intervalMsOf(scenario, path, plain.interval);
		const shifted = shiftList(list, intervalMs, offset);
		doc.setIn([...path, 'interval'], formatDuration(shifted.intervalMs));
		doc.setIn([...path, key], doc.createNode(shifted.values, { flow: true }));
	}
}

/** The interval in ms: arrivals as the loader resolved them; perInterval as the file writes it ("60m", 3600). */
function intervalMsOf(scenario: Scenario, path: (string | number)[], written: unknown): number {
	const [section, i] = path;
	if (section === 'arrivals' && typeof i === 'number') {
		const resolved = scenario.arrivals[i]?.intervalMs;
		if (resolved !== undefined) return resolved;
	}
	return parseDuration(typeof written === 'number' ? written : String(written));
}

export interface FromNow {
	yaml: string;
	note: string;
}

/**
 * The scenario the board is simulating, rewritten to run from `nowMs` (its simulated time of day)
 * to the end of its day: start moved to 15 minutes before now with a 15-minute warm-up (so results
 * are measured from now with calls already queueing), horizon cut, and the per-interval lists
 * (arrival profiles, perInterval head counts) moved along. Daily shifts and constant rates need no
 * change. Everything else in the file, comments included, is kept.
 */
export function scenarioFromNow(text: string, scenario: Scenario, nowMs: number): FromNow | { error: string } {
	const end = endOf(scenario);
	const now = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
	if (now >= end - MINUTE_MS) return { error: `the simulated day of "${scenario.name}" is over: nothing is left from now on` };
	const measuredFrom = Math.max(now, scenario.startMs);
	const warmup = Math.min(WARMUP_MS, measuredFrom - scenario.startMs);
	const start = measuredFrom - warmup;
	const offset = start - scenario.startMs;
	const doc = parseDocument(text, { merge: true });
	const days = Math.floor(start / DAY_MS);
	doc.set('start', formatTimeOfDay(start - days * DAY_MS));
	doc.set('horizon', formatDuration(end - start));
	doc.set('warmup', formatDuration(warmup));
	if (days > 0) doc.set('weekday', WEEKDAYS[(scenario.weekday + days) % 7]);
	const arrivals = scenario.arrivals.map((_, i) => ({ path: ['arrivals', i, 'profile'], key: 'rates' }));
	const agents = scenario.agents.map((_, i) => ({ path: ['agents', i, 'perInterval'], key: 'counts' }));
	rewriteLists(doc, scenario, offset, [...arrivals, ...agents]);
	const at = formatTimeOfDay(measuredFrom % DAY_MS);
	const note =
		`"${scenario.name}" from ${at} (the time the board's simulation has reached; it moves only while a board is open) to ${formatTimeOfDay(end % DAY_MS)}: ` +
		`the same arrivals, handle times, routing and rosters for the rest of the day. ` +
		`Not carried over: the calls waiting or talking now and each agent's current state; the run starts ` +
		(warmup > 0 ? `${formatDuration(warmup)} earlier, empty, and fills up before ${at}, when measuring starts. ` : `empty. `) +
		`Today's results so far are not included, and the simulated callers are new draws, not the board's.`;
	return { yaml: doc.toString(), note };
}
