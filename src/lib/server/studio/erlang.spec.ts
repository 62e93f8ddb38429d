import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../../simulator/scenario/load';
import { erlangAMeasures, erlangCMeasures } from '../../engine/analytics/erlang';
import { defaultTiers, TierTable } from '../../engine/value';
import { erlangCurve, loadOver } from './erlang';
import { erlangPlan } from './plan';

const yaml = (agents: string, patience = '{ dist: exponential, mean: 2m }') => `
name: erlang
start: "08:00"
horizon: 5h
warmup: 1h
costPerAgentHour: 40
handleTime: { dist: exponential, mean: 150s }
wrapUp: 30s
patience: ${patience}
queues: [{ id: q, serviceLevel: { seconds: 30, target: 0.9 } }]
arrivals: [{ queue: q, perHour: 600, heat: 0.9, value: 1000 }]
agents:
  - group: team
    skills: [q]
${agents}
`;
const hot = new TierTable(defaultTiers).curve(0);
const H = 3_600_000;

describe('the studio’s Erlang curve', () => {
	it('is Erlang A at the scenario’s load (AHT = handle + wrap-up) over the measured period, with net revenue by the ASA', () => {
		const sc = parseScenario(yaml('    count: 30'), 'e.yaml');
		const [p] = erlangCurve(sc, [32]);
		const m = erlangAMeasures({ arrivalsPerHour: 600, ahtSeconds: 180, agents: 32, targetSeconds: 30, patienceSeconds: 120 });
		expect(p).toMatchObject({
			agents: 32,
			slOffered: m.slOffered,
			abandonRate: m.pAbandon,
			asaAnswered: m.asaAnswered,
			occupancy: m.occupancy
		});
		// 4 measured hours; heat 0.9 is the hot tier
		const revenue = 4 * 600 * (1 - m.pAbandon) * 1000 * hot.p(m.asaAnswered * 1000);
		expect(p?.netRevenue).toBeCloseTo(revenue - 32 * 4 * 40, 6);
	});

	it('models a level by the agents it puts on duty: half the head count when each works half the measured period', () => {
		const shifts = '    shifts:\n      - { start: "09:00", end: "11:00", count: 20 }\n      - { start: "11:00", end: "13:00", count: 20 }';
		const sc = parseScenario(yaml(shifts), 'e.yaml');
		const [p] = erlangCurve(sc, [64]);
		const m = erlangAMeasures({ arrivalsPerHour: 600, ahtSeconds: 180, agents: 32, targetSeconds: 30, patienceSeconds: 120 });
		expect(p?.slOffered).toBe(m.slOffered);
		expect(p?.netRevenue).toBeCloseTo(4 * 600 * (1 - m.pAbandon) * 1000 * hot.p(m.asaAnswered * 1000) - 32 * 4 * 40, 6);
	});

	it('is Erlang C when callers never hang up', () => {
		const sc = parseScenario(yaml('    count: 30', 'never'), 'e.yaml');
		expect(loadOver(sc, 9 * H, 13 * H).patienceSeconds).toBeNull();
		const [p] = erlangCurve(sc, [35]);
		expect(p?.slOffered).toBe(erlangCMeasures({ arrivalsPerHour: 600, ahtSeconds: 180, agents: 35, targetSeconds: 30 }).slOffered);
		expect(p?.abandonRate).toBe(0);
	});

	it('plans each interval from its own load, and an interval with no calls needs nobody', () => {
		const sc = parseScenario(yaml('    count: 30').replace('perHour: 600', 'profile: { interval: 60m, rates: [0, 600, 1200] }'), 'e.yaml');
		const plan = erlangPlan(sc, 60);
		expect(plan.map((iv) => iv.start)).toEqual(['08:00', '09:00', '10:00', '11:00', '12:00']);
		expect(plan.map((iv) => iv.arrivalsPerHour)).toEqual([0, 600, 1200, 1200, 1200]);
		expect(plan[0]?.agents).toBe(0);
		expect(plan[2]?.agents).toBeGreaterThan(plan[1]?.agents ?? Infinity);
		for (const iv of plan.slice(1)) expect(iv.erlang.slOffered).toBeGreaterThanOrEqual(0.9);
	});
});
