/** What /healthz-style diagnostics show of a live source's intake. */
export interface OriginStats {
	accepted: number;
	rejected: Record<string, number>;
	/** wall ms of the last thing (accepted or not) from this origin */
	lastAt: number | null;
}

export interface IngestStatsView {
	accepted: number;
	rejected: Record<string, number>;
	/** the last accepted input: its own time, when it was taken (wall ms) and from where */
	lastEvent: { t: number; at: number; type: string; origin: string } | null;
	/** by origin kind: the part of the origin before its first ':' ("ami", "queue_log", "http") */
	origins: Record<string, OriginStats>;
}

const MAX_TEXT = 300;

/** A message or origin from outside may be huge (an oversized field echoed in a detail). */
export function clip(text: string): string {
	return text.length <= MAX_TEXT ? text : `${text.slice(0, MAX_TEXT)}… (${text.length} chars)`;
}

export function originKind(origin: string): string {
	const i = origin.indexOf(':');
	return clip(i < 0 ? origin : origin.slice(0, i)) || '?';
}

interface Throttle {
	lastLogged: number;
	suppressed: number;
}

/**
 * Counts outcomes by reason and by origin kind, and logs rejections: the first of each reason
 * from each kind of origin at once, with its origin; after that at most one line per `everyMs`,
 * saying how many were not logged. A broken peer sending thousands of bad events a second must not
 * flood the log, yet the first sign of each kind of trouble must be seen.
 */
export class IngestStats {
	private accepted = 0;
	private readonly rejected = new Map<string, number>();
	private readonly origins = new Map<string, OriginStats>();
	private lastEvent: IngestStatsView['lastEvent'] = null;
	private readonly throttles = new Map<string, Throttle>();

	constructor(
		private readonly log: (line: string) => void,
		private readonly everyMs: number
	) {}

	accept(origin: string, at: number, event: { t: number; type: string }): void {
		this.accepted++;
		const o = this.origin(origin);
		o.accepted++;
		o.lastAt = at;
		this.lastEvent = { t: event.t, at, type: event.type, origin: clip(origin) };
	}

	reject(reason: string, detail: string, origin: string, at: number): void {
		const r = clip(reason);
		this.rejected.set(r, (this.rejected.get(r) ?? 0) + 1);
		const o = this.origin(origin);
		o.rejected[r] = (o.rejected[r] ?? 0) + 1;
		o.lastAt = at;
		const key = `${r}\u0000${originKind(origin)}`;
		const th = this.throttles.get(key);
		if (th === undefined) {
			this.throttles.set(key, { lastLogged: at, suppressed: 0 });
			this.log(`rejected (${r}) from ${clip(origin)}: ${clip(detail)}`);
			return;
		}
		if (at - th.lastLogged < this.everyMs) {
			th.suppressed++;
			return;
		}
		const more = th.suppressed > 0 ? ` (and ${th.suppressed} more like it not logged since the last one)` : '';
		th.lastLogged = at;
		th.suppressed = 0;
		this.log(`rejected (${r}) from ${clip(origin)}: ${clip(detail)}${more}`);
	}

	view(): IngestStatsView {
		const origins: Record<string, OriginStats> = {};
		for (const [k, o] of this.origins) origins[k] = { accepted: o.accepted, rejected: { ...o.rejected }, lastAt: o.lastAt };
		return {
			accepted: this.accepted,
			rejected: Object.fromEntries(this.rejected),
			lastEvent: this.lastEvent === null ? null : { ...this.lastEvent },
			origins
		};
	}

	private origin(origin: string): OriginStats {
		const k = originKind(origin);
		let o = this.origins.get(k);
		if (o === undefined) {
			o = { accepted: 0, rejected: Object.create(null) as Record<string, number>, lastAt: null };
			this.origins.set(k, o);
		}
		return o;
	}
}
