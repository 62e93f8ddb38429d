/**
 * The figures a board shows for one scope (everything, or a queue), formatted and levelled: the
 * components only lay them out. "Today" figures lead (the supervisor's day), the last 15 minutes
 * come second to show where it is heading.
 */
import { levelOf, type Level, type ScopeBoard, type Threshold, type ThresholdMetric } from '../protocol';
import { formatCount, formatDuration, formatMoney, formatPercent } from './format';

export type FigureKey =
	| 'waiting'
	| 'longestWait'
	| 'asa'
	| 'serviceLevel'
	| 'abandonRate'
	| 'handled'
	| 'revenue'
	| 'revenueAtRisk'
	| 'projected';

export interface Figure {
	key: FigureKey;
	label: string;
	value: string;
	sub: string;
	/** null: the figure has no threshold */
	level: Level | null;
}

export interface FigureContext {
	thresholds: Readonly<Record<ThresholdMetric, Threshold>>;
	/** source seconds since the figures were taken, added to the waits that keep running */
	elapsedSeconds: number;
	/** the queue's service-level goal; null for a scope whose queues differ */
	serviceLevel: { seconds: number; target: number } | null;
}

/** The longest wait as it stands now: it keeps growing between updates while anyone is on hold. */
export function liveLongestWait(scope: ScopeBoard, elapsedSeconds: number): number {
	return scope.now.waiting > 0 ? scope.now.longestWaitSeconds + Math.max(0, elapsedSeconds) : 0;
}

export function scopeFigures(scope: ScopeBoard, ctx: FigureContext): Record<FigureKey, Figure> {
	const { day, last15, now } = scope;
	const th = ctx.thresholds;
	const longest = liveLongestWait(scope, ctx.elapsedSeconds);
	const sl = ctx.serviceLevel;
	const slGoal = sl === null ? 'targets per queue' : `target ${Math.round(sl.target * 100)}/${sl.seconds} s`;
	return {
		waiting: {
			key: 'waiting',
			label: 'Calls waiting',
			value: formatCount(now.waiting),
			sub: now.callbacksWaiting > 0 ? `+ ${formatCount(now.callbacksWaiting)} callback${now.callbacksWaiting === 1 ? '' : 's'}` : 'on hold now',
			level: levelOf(now.waiting, th.waiting)
		},
		longestWait: {
			key: 'longestWait',
			label: 'Longest wait',
			value: now.waiting > 0 ? formatDuration(longest) : '0:00',
			sub: now.waiting > 0 ? 'on hold now' : 'nobody on hold',
			level: levelOf(longest, th.longestWait)
		},
		asa: {
			key: 'asa',
			label: 'ASA today',
			value: formatDuration(day.asa),
			sub: `15 min ${formatDuration(last15.asa)}`,
			level: levelOf(day.asa, th.asa)
		},
		serviceLevel: {
			key: 'serviceLevel',
			label: 'Service level',
			value: formatPercent(day.slOffered, false),
			sub: `${slGoal} · 15 min ${formatPercent(last15.slOffered, false)}`,
			level: levelOf(day.slOffered, th.serviceLevel)
		},
		abandonRate: {
			key: 'abandonRate',
			label: 'Abandon rate',
			value: formatPercent(day.abandonRate),
			sub: `15 min ${formatPercent(last15.abandonRate)}`,
			level: levelOf(day.abandonRate, th.abandonRate)
		},
		handled: {
			key: 'handled',
			label: 'Answered / abandoned',
			value: `${formatCount(day.answered)} / ${formatCount(day.abandoned)}`,
			sub: `today · ${formatCount(day.offered)} offered`,
			level: null
		},
		revenue: {
			key: 'revenue',
			label: 'Revenue today',
			value: formatMoney(day.revenue),
			sub: `${formatCount(day.conversions)} conversions · ${formatPercent(day.conversionRate)}`,
			level: null
		},
		revenueAtRisk: {
			key: 'revenueAtRisk',
			label: 'At risk now',
			value: formatMoney(now.revenueAtRisk),
			sub: `lost today ${formatMoney(day.revenueLost)}`,
			level: levelOf(now.revenueAtRisk, th.revenueAtRisk)
		},
		projected: {
			key: 'projected',
			label: 'At risk next hour',
			value: formatMoney(now.projectedRevenueAtRiskNextHour),
			sub: 'projected on current staffing',
			level: null
		}
	};
}

/** Levels keyed `<scope>:<figure>`, for spotting a figure that just went into alarm. */
export function figureLevels(scopeKey: string, figures: Record<FigureKey, Figure>): Map<string, Level> {
	const out = new Map<string, Level>();
	for (const f of Object.values(figures)) if (f.level !== null) out.set(`${scopeKey}:${f.key}`, f.level);
	return out;
}

/** Agents able to take calls now (available, busy or in wrap-up). */
export function staffed(scope: ScopeBoard): number {
	const a = scope.now.agents;
	return a.available + a.busy + a['wrap-up'];
}

