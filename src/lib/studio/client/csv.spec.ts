import { describe, expect, it } from 'vitest';
import type { PlanOutcome } from '../protocol';
import { comparisonCsv, csvCell, intervalsCsv, planCsv, sweepCsv, toCsv } from './csv';
import { runResult, sweepOutcome, totals } from './fixtures';

const lines = (csv: string) => csv.trimEnd().split('\r\n');

describe('csv cells', () => {
	it('quotes commas, quotes and line breaks, and leaves plain text alone', () => {
		expect(csvCell('base')).toBe('base');
		expect(csvCell('a, b')).toBe('"a, b"');
		expect(csvCell('say "hi"')).toBe('"say ""hi"""');
		expect(csvCell('two\nlines')).toBe('"two\nlines"');
	});

	it('defuses labels a spreadsheet would run as a formula, but not negative numbers', () => {
		expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
		expect(csvCell('+3 agents')).toBe("'+3 agents");
		expect(csvCell(-12.5)).toBe('-12.5');
	});

	it('leaves missing and non-finite figures empty', () => {
		expect(toCsv([[null, undefined, Number.NaN, 0]])).toBe(',,,0\r\n');
	});
});

describe('comparisonCsv', () => {
	it('has a row per variant and figure with the half-width, the difference and the verdict in words', () => {
		const csv = comparisonCsv([runResult('base'), runResult('+3 agents', { totals: totals({ slOffered: 0.85 }) })]);
		const rows = lines(csv);
		expect(rows[0]).toBe('variant,metric,value,halfWidth95,diffToFirst,verdict');
		expect(rows).toContain('base,slOffered,0.72,0.01,,');
		expect(rows.find((r) => r.startsWith("'+3 agents,slOffered,"))).toMatch(/^'\+3 agents,slOffered,0\.85,0\.01,0\.1\d*,better$/);
		expect(rows.find((r) => r.startsWith("'+3 agents,revenue,"))).toBe("'+3 agents,revenue,60000,900,0,same");
		expect(rows).toHaveLength(1 + 2 * 9);
	});
});

describe('intervalsCsv', () => {
	it('lists every interval of every variant', () => {
		const rows = lines(intervalsCsv([runResult('a'), runResult('b')]));
		expect(rows[0]?.split(',').slice(0, 5)).toEqual(['variant', 'start', 'offered', 'answered', 'abandoned']);
		expect(rows.slice(1).map((r) => r.split(',').slice(0, 2).join(' '))).toEqual(['a 09:00', 'a 09:30', 'b 09:00', 'b 09:30']);
	});
});

describe('sweepCsv', () => {
	it('puts simulation and Erlang A side by side on every agent count, marking the two answers', () => {
		const rows = lines(sweepCsv(sweepOutcome()));
		const head = rows[0]?.split(',') ?? [];
		expect(head.slice(0, 3)).toEqual(['agents', 'slOffered', 'slOfferedHalfWidth95']);
		expect(head.slice(-2)).toEqual(['meetsTarget', 'maxNetRevenue']);
		// Erlang A at 9 and 11 agents, simulated only at 8, 10, 12
		expect(rows.slice(1).map((r) => r.split(',')[0])).toEqual(['8', '9', '10', '11', '12']);
		const at = (n: string) => Object.fromEntries((rows.find((r) => r.startsWith(`${n},`)) ?? '').split(',').map((v, i) => [head[i], v]));
		expect(at('9')).toMatchObject({ slOffered: '', erlangA_slOffered: '0.6', meetsTarget: '' });
		expect(at('10')).toMatchObject({ slOffered: '0.82', slOfferedHalfWidth95: '0.02', meetsTarget: 'yes', maxNetRevenue: 'yes' });
	});
});

describe('planCsv', () => {
	it('has the plan per interval and leaves the simulated check empty when it was not run', () => {
		const plan: PlanOutcome = {
			runId: 'p',
			label: 'base',
			intervalMinutes: 30,
			serviceLevel: { seconds: 20, target: 0.8 },
			agentHours: 10,
			intervals: [
				{
					start: '09:00',
					arrivalsPerHour: 90,
					ahtSeconds: 180,
					patienceSeconds: 120,
					agents: 6,
					erlang: { slOffered: 0.83, abandonRate: 0.02, asaAnswered: 9, occupancy: 0.75 },
					simulated: { slOffered: 0.81, slHalfWidth: 0.03, abandonRate: 0.025 }
				},
				{
					start: '09:30',
					arrivalsPerHour: 60,
					ahtSeconds: 180,
					patienceSeconds: null,
					agents: 4,
					erlang: { slOffered: 0.85, abandonRate: 0, asaAnswered: 7, occupancy: 0.75 }
				}
			]
		};
		const rows = lines(planCsv(plan));
		expect(rows[0]).toMatch(/^start,arrivalsPerHour,ahtSeconds,patienceSeconds,agentsErlangA,expectedSlOffered,/);
		expect(rows[1]).toBe('09:00,90,180,120,6,0.83,0.02,9,0.75,0.81,0.03,0.025');
		expect(rows[2]).toBe('09:30,60,180,,4,0.85,0,7,0.75,,,');
	});
});
