import { requiredAgents } from '../../src/lib/engine/analytics/erlang';
import { resolveScenario } from '../../simulator/scenario/schema';
import type { Scenario } from '../../simulator/scenario/types';

/**
 * A big multi-skill day for the simulator benchmark: about a million calls over 24 hours on a
 * sales and a support queue, some needing Spanish, with a daytime peak. Staffing follows the
 * profile hour by hour, sized with Erlang C for 80% in 20 s per skill segment (dedicated teams for
 * sales and support, bilingual agents for Spanish, plus a few generalists), so service stays
 * realistic however the rates are scaled.
 */

export interface MillionDayOptions {
	/** expected calls over the day (sales + support) */
	calls: number;
	seed: number;
}

const HOUR_S = 3600;
/** relative call volume of each hour from midnight: quiet nights, a morning peak, a softer afternoon one */
const SHAPE = [0.3, 0.2, 0.15, 0.15, 0.2, 0.4, 0.9, 1.8, 3, 3.8, 4, 3.9, 3.4, 3.6, 3.8, 3.7, 3.4, 3, 2.5, 2, 1.6, 1.2, 0.8, 0.5];
const SALES_SHARE = 0.55;
const SPANISH_SHARE = 0.12;
const WRAP_S = 15;

/** what the bench's notes say about the day */
export const MILLION_DAY = { spanishShare: SPANISH_SHARE, wrapSeconds: WRAP_S } as const;
const SALES_HANDLE_S = 240;
const SUPPORT_HANDLE_S = 300;
/** generalists on top of the Erlang figures, as a share of the dedicated teams */
const FLEX_SHARE = 0.05;

/** Agents needed for 80% answered within 20 s (Erlang C), none when nothing arrives. */
function staff(arrivalsPerHour: number, ahtSeconds: number): number {
	if (arrivalsPerHour <= 0) return 0;
	return requiredAgents('c', { arrivalsPerHour, ahtSeconds, targetSeconds: 20 }, { sl: 0.8 }).agents;
}

/** Expected calls of the day under the shape, at `peak` calls per hour in the busiest hour. */
function callsAt(peak: number): number {
	const top = Math.max(...SHAPE);
	return SHAPE.reduce((sum, w) => sum + (w / top) * peak, 0);
}

export function buildMillionDay(opts: MillionDayOptions): Scenario {
	const peak = opts.calls / callsAt(1);
	const top = Math.max(...SHAPE);
	const perHour = SHAPE.map((w) => (w / top) * peak);
	const salesRates = perHour.map((r) => r * SALES_SHARE);
	const supportRates = perHour.map((r) => r * (1 - SALES_SHARE));
	const spanishAht = SALES_SHARE * SALES_HANDLE_S + (1 - SALES_SHARE) * SUPPORT_HANDLE_S + WRAP_S;
	const salesAht = SALES_HANDLE_S + WRAP_S;
	const supportAht = SUPPORT_HANDLE_S + WRAP_S;
	const counts = perHour.map((_, h) => {
		const s = salesRates[h] as number;
		const u = supportRates[h] as number;
		// the whole floor sized as one pool, then split by each segment's share of the work: the
		// skill split costs some of the pooling, which the generalists and bilinguals win back
		const load = {
			sales: s * (1 - SPANISH_SHARE) * salesAht,
			support: u * (1 - SPANISH_SHARE) * supportAht,
			spanish: (s + u) * SPANISH_SHARE * spanishAht
		};
		const work = load.sales + load.support + load.spanish;
		const total = staff(s + u, work / Math.max(s + u, 1e-9));
		const flex = Math.round(total * FLEX_SHARE);
		const rest = total - flex;
		const bilingual = Math.round((rest * load.spanish) / work);
		const sales = Math.round(((rest - bilingual) * load.sales) / (load.sales + load.support));
		return { sales, support: rest - bilingual - sales, bilingual, flex };
	});
	const perInterval = (k: keyof (typeof counts)[number]) => ({ interval: HOUR_S, counts: counts.map((c) => c[k]) });
	return resolveScenario(
		{
			name: 'million-call multi-skill day',
			description: `${opts.calls} calls expected over 24 h on sales and support, ${SPANISH_SHARE * 100}% needing Spanish`,
			horizon: 24 * HOUR_S,
			seed: opts.seed,
			wrapUp: WRAP_S,
			queues: [
				{
					id: 'sales',
					strategy: 'best-skill',
					handleTime: { dist: 'lognormal', mean: SALES_HANDLE_S, sd: SALES_HANDLE_S / 2 },
					patience: { dist: 'exponential', mean: 180 }
				},
				{
					id: 'support',
					strategy: 'longest-idle',
					handleTime: { dist: 'gamma', mean: SUPPORT_HANDLE_S, cv: 0.8 },
					patience: { dist: 'weibull', shape: 1.3, scale: 360 }
				}
			],
			arrivals: [
				{
					queue: 'sales',
					profile: { interval: HOUR_S, rates: salesRates },
					heat: { dist: 'beta', a: 4, b: 2 },
					value: { dist: 'lognormal', mean: 1800, sd: 900 },
					sources: { 'pricing-page': 0.5, 'web-form': 0.3, webinar: 0.2 },
					skills: { spanish: SPANISH_SHARE }
				},
				{
					queue: 'support',
					profile: { interval: HOUR_S, rates: supportRates },
					heat: { dist: 'beta', a: 1.5, b: 6 },
					value: 150,
					source: 'existing-customer',
					skills: { spanish: SPANISH_SHARE },
					priority: -1
				}
			],
			agents: [
				{ group: 'closers', skills: { sales: 3 }, perInterval: perInterval('sales') },
				{ group: 'support', skills: { support: 2 }, perInterval: perInterval('support') },
				{ group: 'bilingual', skills: { sales: 2, support: 2, spanish: 1 }, perInterval: perInterval('bilingual') },
				{ group: 'generalists', skills: { sales: 1, support: 1 }, perInterval: perInterval('flex') }
			]
		},
		'tests/bench/million-day.ts'
	);
}
