import type { RunSummary, Totals } from '../core/summary';
import { table } from './io';

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '-' : `${(x * 100).toFixed(1)}%`);
const sec = (x: number | null | undefined) => (x === null || x === undefined ? '-' : `${x.toFixed(1)} s`);
const num = (x: number | null | undefined, d = 0) =>
	x === null || x === undefined ? '-' : x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

const ROWS: Array<[string, keyof Totals, (x: number | null) => string]> = [
	['offered', 'offered', (x) => num(x)],
	['answered', 'answered', (x) => num(x)],
	['abandoned', 'abandoned', (x) => num(x)],
	['service level (offered)', 'slOffered', pct],
	['service level (answered)', 'slAnswered', pct],
	['abandon rate', 'abandonRate', pct],
	['P(wait)', 'pWait', pct],
	['ASA', 'asaAnswered', sec],
	['mean wait, all calls', 'meanWaitAll', sec],
	['AHT', 'aht', sec],
	['occupancy', 'occupancy', pct],
	['conversions', 'conversions', (x) => num(x, 1)],
	['revenue', 'revenue', (x) => num(x)],
	['revenue lost', 'revenueLost', (x) => num(x)],
	['overflowed', 'overflowed', (x) => num(x)],
	['agent hours', 'agentHours', (x) => num(x, 1)],
	['net revenue', 'netRevenue', (x) => num(x)]
];

/** The summary as a table: totals, then each queue when there are several; ± half-widths with replications. */
export function formatSummary(s: RunSummary): string {
	const queues = Object.keys(s.queues);
	const header = ['', 'total', ...(queues.length > 1 ? queues : [])];
	const rows = [header];
	for (const [label, key, f] of ROWS) {
		const cell = (t: Totals, half: number | null | undefined) =>
			f(t[key]) + (half !== null && half !== undefined ? ` ±${f(half).replace(/%$/, '')}` : '');
		const row = [label, cell(s.totals, s.halfWidths?.totals[key])];
		if (queues.length > 1) for (const q of queues) row.push(cell(s.queues[q] as Totals, s.halfWidths?.queues[q]?.[key]));
		rows.push(row);
	}
	const title = `${s.scenario}: seed ${s.seed}, ${s.replications} replication${s.replications === 1 ? '' : 's'}, ${+((s.horizonSeconds - s.warmupSeconds) / 3600).toFixed(2)} h measured after ${+(s.warmupSeconds / 60).toFixed(2)} min warm-up`;
	return `${title}\n${table(rows)}\n`;
}
