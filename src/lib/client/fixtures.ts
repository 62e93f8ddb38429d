/**
 * A realistic board for specs and for developing the board without a server: the multi-skill
 * scenario (sales and support) late in the morning, deterministic (a fixed LCG, no Math.random).
 */
import {
	PROTOCOL_VERSION,
	SERIES_STEP_MS,
	SERIES_WINDOW_MS,
	type AgentTile,
	type BoardDelta,
	type BoardSnapshot,
	type QueueBoard,
	type ScopeBoard,
	type SeriesColumns
} from '../protocol';
import type { DerivedMetrics } from '../engine/metrics/counters';
import type { WaitingCallView } from '../engine/views';

/** 07:00 on a Wednesday, source clock */
export const FIXTURE_DAY_START_MS = Date.UTC(2025, 2, 12, 7, 0);
/** 11:30 */
export const FIXTURE_T = FIXTURE_DAY_START_MS + 4.5 * 3_600_000;
export const FIXTURE_WALL_MS = 1_741_779_000_000;

function lcg(seed: number): () => number {
	let s = seed >>> 0;
	return () => {
		s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
		return s / 2 ** 32;
	};
}

export function metrics(p: Partial<DerivedMetrics> = {}): DerivedMetrics {
	return {
		offered: 0,
		answered: 0,
		abandoned: 0,
		shortAbandoned: 0,
		overflowed: 0,
		voicemail: 0,
		callbacks: 0,
		asa: null,
		meanWaitAll: null,
		pWait: null,
		slAnswered: null,
		slOffered: null,
		abandonRate: null,
		aht: null,
		occupancy: null,
		conversions: 0,
		revenue: 0,
		revenueLost: 0,
		conversionRate: null,
		...p
	};
}

function scope(p: {
	day: Partial<DerivedMetrics>;
	last15: Partial<DerivedMetrics>;
	now: Partial<ScopeBoard['now']>;
}): ScopeBoard {
	return {
		day: metrics(p.day),
		interval: metrics(p.last15),
		last15: metrics(p.last15),
		last60: metrics(p.last15),
		now: {
			waiting: 0,
			callbacksWaiting: 0,
			longestWaitSeconds: 0,
			agents: { available: 0, busy: 0, 'wrap-up': 0, away: 0, offline: 0 },
			revenueAtRisk: 0,
			projectedRevenueAtRiskNextHour: 0,
			...p.now
		}
	};
}

function waitingCall(queue: string, i: number, w: number, tier: string, value: number, loss: number): WaitingCallView {
	return {
		callId: `${queue}-c${100 + i}`,
		queue,
		status: i === 4 ? 'callback' : 'waiting',
		waitSeconds: w,
		tier,
		value,
		priority: queue === 'sales' ? 0 : -1,
		source: queue === 'sales' ? 'pricing-page' : 'existing-customer',
		caller: '••••••' + String(10 + ((i * 37) % 90)),
		lossPerMinute: loss,
		expectedWaitSeconds: (i + 1) * 35
	};
}

const AGENT_NAMES = [
	'Ana Silva', 'Ben Okafor', 'Chloé Martin', 'Dev Patel', 'Eva Novak', 'Farid Haddad', 'Grace Kim',
	'Hugo Berg', 'Ines Costa', 'Jonas Weber', 'Kaito Mori', 'Lena Fischer', 'Mateo Ruiz', 'Nora Lind'
];

export function fixtureAgents(t = FIXTURE_T): AgentTile[] {
	const states: AgentTile['state'][] = ['busy', 'busy', 'available', 'wrap-up', 'busy', 'away', 'busy', 'available', 'busy', 'offline', 'busy', 'wrap-up', 'busy', 'available'];
	return AGENT_NAMES.map((name, i) => {
		const state = states[i] ?? 'available';
		const queues = i % 3 === 0 ? ['sales', 'support'] : i % 3 === 1 ? ['sales'] : ['support'];
		const tile: AgentTile = { id: `a${i + 1}`, name, state, sinceMs: t - (20 + i * 47) * 1000, queues };
		if (state === 'away') tile.reason = 'lunch';
		if (state === 'busy') {
			const q = queues[0] ?? 'sales';
			tile.call = { id: `c${i}`, queue: q, tier: i % 4 === 0 ? 'hot' : i % 4 === 1 ? 'warm' : 'cold', waitSeconds: 5 + i * 9, value: q === 'sales' ? 1800 : 150 };
		}
		return tile;
	});
}

export function fixtureSeries(endT = FIXTURE_T, seed = 1, scale = 1): SeriesColumns {
	const rnd = lcg(seed);
	const cols: SeriesColumns = { t: [], waiting: [], slOffered: [], revenueAtRisk: [] };
	const n = SERIES_WINDOW_MS / SERIES_STEP_MS;
	for (let i = n - 1; i >= 0; i--) {
		const t = endT - i * SERIES_STEP_MS;
		const phase = (n - i) / n;
		const waiting = Math.max(0, Math.round(scale * (4 + 6 * Math.sin(phase * 5) + rnd() * 3)));
		cols.t.push(t);
		cols.waiting.push(waiting);
		cols.slOffered.push(i > n - 4 ? null : Math.min(1, Math.max(0, 0.86 - waiting * 0.02 + rnd() * 0.05)));
		cols.revenueAtRisk.push(Math.round(waiting * 180 * scale + rnd() * 200));
	}
	return cols;
}

const SALES: QueueBoard = {
	id: 'sales',
	serviceLevel: { seconds: 20, target: 0.8 },
	waitingCalls: [
		waitingCall('sales', 0, 12, 'hot', 2400, 310.5),
		waitingCall('sales', 1, 48, 'hot', 1900, 96.2),
		waitingCall('sales', 2, 95, 'warm', 1600, 8.4),
		waitingCall('sales', 3, 131, 'warm', 1200, 5.1),
		waitingCall('sales', 4, 204, 'hot', 3100, 12.9),
		waitingCall('sales', 5, 22, 'cold', 900, 0.35)
	],
	...scope({
		day: { offered: 402, answered: 361, abandoned: 28, shortAbandoned: 4, asa: 24.6, slOffered: 0.74, slAnswered: 0.79, abandonRate: 0.062, aht: 418, conversions: 61.4, revenue: 112_380, revenueLost: 18_420, conversionRate: 0.153, occupancy: 0.91 },
		last15: { offered: 31, answered: 27, abandoned: 3, shortAbandoned: 0, asa: 41.2, slOffered: 0.63, abandonRate: 0.1 },
		now: { waiting: 5, callbacksWaiting: 1, longestWaitSeconds: 204, agents: { available: 1, busy: 5, 'wrap-up': 1, away: 1, offline: 1 }, revenueAtRisk: 2_960, projectedRevenueAtRiskNextHour: 14_800 }
	})
};

const SUPPORT: QueueBoard = {
	id: 'support',
	serviceLevel: { seconds: 20, target: 0.8 },
	waitingCalls: [waitingCall('support', 0, 35, 'cold', 150, 0.06), waitingCall('support', 1, 12, 'warm', 150, 1.2)],
	...scope({
		day: { offered: 288, answered: 270, abandoned: 9, shortAbandoned: 3, asa: 14.1, slOffered: 0.86, slAnswered: 0.88, abandonRate: 0.022, aht: 352, conversions: 8.2, revenue: 1_230, revenueLost: 410, conversionRate: 0.028, occupancy: 0.84 },
		last15: { offered: 18, answered: 17, abandoned: 0, asa: 9.5, slOffered: 0.94, abandonRate: 0 },
		now: { waiting: 2, longestWaitSeconds: 35, agents: { available: 2, busy: 3, 'wrap-up': 1, away: 0, offline: 0 }, revenueAtRisk: 14, projectedRevenueAtRiskNextHour: 220 }
	})
};

const TOTALS: ScopeBoard = scope({
	day: { offered: 690, answered: 631, abandoned: 37, shortAbandoned: 7, asa: 20.1, slOffered: 0.79, slAnswered: 0.83, abandonRate: 0.045, aht: 389, conversions: 69.6, revenue: 113_610, revenueLost: 18_830, conversionRate: 0.101, occupancy: 0.88 },
	last15: { offered: 49, answered: 44, abandoned: 3, asa: 28.8, slOffered: 0.74, abandonRate: 0.064 },
	now: { waiting: 7, callbacksWaiting: 1, longestWaitSeconds: 204, agents: { available: 3, busy: 7, 'wrap-up': 2, away: 1, offline: 1 }, revenueAtRisk: 2_974, projectedRevenueAtRiskNextHour: 15_020 }
});

export function fixtureHeatmap(currentIndex = 18): BoardSnapshot['heatmap'] {
	const rnd = lcg(7);
	const counts: number[][] = [];
	for (let i = 0; i <= currentIndex; i++) {
		const busy = Math.sin((Math.PI * (i + 2)) / 30);
		counts.push([Math.round(busy * 9 * rnd() + 2), Math.round(busy * 14 + rnd() * 4), Math.round(busy * 12 + rnd() * 5)]);
	}
	return { intervalMinutes: 15, dayStartMs: FIXTURE_DAY_START_MS, tiers: ['hot', 'warm', 'cold'], counts };
}

export function fixtureSnapshot(p: Partial<BoardSnapshot> = {}): BoardSnapshot {
	return {
		v: PROTOCOL_VERSION,
		seq: 41,
		t: FIXTURE_T,
		wallMs: FIXTURE_WALL_MS,
		source: { kind: 'simulator', name: 'multi-skill sales and support', speed: 1, paused: false },
		queueIds: ['sales', 'support'],
		totals: TOTALS,
		queues: [SALES, SUPPORT],
		agents: fixtureAgents(),
		series: { all: fixtureSeries(FIXTURE_T, 1), sales: fixtureSeries(FIXTURE_T, 2, 0.7), support: fixtureSeries(FIXTURE_T, 3, 0.3) },
		heatmap: fixtureHeatmap(),
		...p
	};
}

/** The delta that follows a snapshot: `steps` trend points later, one agent changed, one row of the heat map. */
export function fixtureDelta(prev: { seq: number; t: number }, p: Partial<BoardDelta> = {}, steps = 1): BoardDelta {
	const t = prev.t + steps * SERIES_STEP_MS;
	const point = (waiting: number): SeriesColumns => ({
		t: Array.from({ length: steps }, (_, i) => prev.t + (i + 1) * SERIES_STEP_MS),
		waiting: Array.from({ length: steps }, () => waiting),
		slOffered: Array.from({ length: steps }, () => 0.75),
		revenueAtRisk: Array.from({ length: steps }, () => waiting * 400)
	});
	return {
		v: PROTOCOL_VERSION,
		seq: prev.seq + 1,
		t,
		wallMs: FIXTURE_WALL_MS + (t - FIXTURE_T),
		source: { kind: 'simulator', name: 'multi-skill sales and support', speed: 1, paused: false },
		totals: { ...TOTALS, now: { ...TOTALS.now, waiting: 8, longestWaitSeconds: 219 } },
		queues: [SALES, SUPPORT],
		agents: { upsert: [{ id: 'a3', name: 'Chloé Martin', state: 'busy', sinceMs: t - 2_000, queues: ['support'], call: { id: 'c99', queue: 'support', tier: 'warm', waitSeconds: 31, value: 150 } }], remove: [] },
		series: { all: point(8), sales: point(6), support: point(2) },
		heatmap: [[18, [4, 9, 8]]],
		...p
	};
}
