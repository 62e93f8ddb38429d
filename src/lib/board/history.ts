import type { Engine } from '../engine/engine';
import type { HeatEvent } from '../engine/events';
import { HeatmapTracker } from './heatmap';
import { SeriesRecorder } from './series';

/**
 * What a board needs from the past of one engine's day that the engine does not keep: the trend
 * points and the arrivals per interval and heat tier. A source feeds it every event it applies
 * (`event`) and a sample every SERIES_STEP_MS of its time (`sample`); a new day gets a new history.
 */
export class BoardHistory {
	readonly series: SeriesRecorder;
	readonly heatmap: HeatmapTracker;

	constructor(
		readonly engine: Engine,
		windowMs?: number
	) {
		this.series = new SeriesRecorder(windowMs);
		const tiers: string[] = [];
		for (let k = 0; k < engine.tiers.size; k++) tiers.push(engine.tiers.id(k));
		this.heatmap = new HeatmapTracker(tiers, engine.config.intervalMinutes, engine.config.dayStartMs);
	}

	/** An event the engine accepted (or is about to: the simulator reports them just before stepping). O(1). */
	event(e: HeatEvent): void {
		if (e.type !== 'call.arrived') return;
		const tiers = this.engine.tiers;
		const tier = e.tier !== undefined ? tiers.indexOf(e.tier) : tiers.tierOf(e.heat ?? this.engine.config.defaultHeat);
		this.heatmap.arrived(e.queue, tier, e.t);
	}

	sample(t: number): void {
		this.series.sample(this.engine, t);
	}
}
