import { Engine, parseEvent, type EngineConfigInput } from '../../engine';
import type { EventSink, IngestRejection, IngestResult } from './types';

/**
 * Test support for the adapters' specs (AMI and HTTP ingest): a real EventSink that validates with
 * the engine's schema and applies to a real engine, so a test proves the adapter's events make
 * sense to the engine, not only that they have the right shape. It keeps every outcome with its
 * origin. The live source (journal, then apply) is the production sink; this one has no journal.
 */
export class EngineSink implements EventSink {
	readonly engine: Engine;
	accepted = 0;
	readonly rejected: Array<IngestRejection & { origin: string }> = [];
	readonly acceptedEvents: Array<{ event: unknown; origin: string }> = [];

	constructor(config: EngineConfigInput = { defaultMode: 'observe' }) {
		this.engine = new Engine(config);
	}

	ingest(raw: unknown, origin: string): IngestResult {
		const parsed = parseEvent(raw);
		if (!parsed.ok) {
			// counted by the engine too, like any invalid event from outside
			this.engine.ingest(raw);
			return this.refuse({ reason: parsed.reason, detail: parsed.detail }, origin);
		}
		const r = this.engine.step(parsed.event);
		if (!r.accepted) return this.refuse({ reason: r.reason, detail: r.detail }, origin);
		this.accepted++;
		this.acceptedEvents.push({ event: parsed.event, origin });
		return { ok: true };
	}

	reject(rejection: IngestRejection, origin: string): void {
		this.rejected.push({ ...rejection, origin });
	}

	/** Rejections counted by reason. */
	byReason(): Record<string, number> {
		const out: Record<string, number> = {};
		for (const r of this.rejected) out[r.reason] = (out[r.reason] ?? 0) + 1;
		return out;
	}

	private refuse(rejection: IngestRejection, origin: string): IngestResult {
		this.rejected.push({ ...rejection, origin });
		return { ok: false, ...rejection };
	}
}
