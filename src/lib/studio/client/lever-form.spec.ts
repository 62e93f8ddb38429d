import { describe, expect, it } from 'vitest';
import type { ScenarioBrief } from '../protocol';
import { describeLevers, formFromLevers, leversFromForm } from './lever-form';

const brief: ScenarioBrief = {
	name: 'tiny',
	description: '',
	start: '09:00',
	horizonMinutes: 120,
	queues: [{ id: 'sales', strategy: 'longest-idle', serviceLevel: { seconds: 20, target: 0.8 } }],
	totalAgents: 8,
	agentsPerInterval: [8, 8, 8, 8],
	arrivalsPerInterval: [65, 65, 65, 65],
	intervalMinutes: 30,
	meanHandleSeconds: 180,
	meanPatienceSeconds: 120,
	order: 'fifo',
	hasAiOverflow: false,
	costPerAgentHour: 30
};

describe('formFromLevers', () => {
	it('shows the scenario’s own figures when no lever is set', () => {
		const f = formFromLevers({}, brief);
		expect(f).toMatchObject({
			agentsMode: 'scenario',
			agents: 8,
			agentsPerInterval: [8, 8, 8, 8],
			agentsIntervalMinutes: 30,
			arrivalScale: 1,
			patienceMode: 'scenario',
			patienceSeconds: 120,
			strategy: '',
			aiOverflow: '',
			costPerAgentHour: 30
		});
	});

	it('an untouched form asks for no levers at all', () => {
		expect(leversFromForm(formFromLevers({}, brief), brief)).toEqual({ ok: true, levers: {} });
	});

	it('round-trips every lever', () => {
		const levers = {
			agentsPerInterval: [6, 9, 9, 5],
			agentsIntervalMinutes: 30,
			arrivalScale: 1.2,
			handleTimeScale: 0.9,
			patienceSeconds: null,
			strategy: 'fewest-calls' as const,
			order: 'value' as const,
			aiOverflow: false,
			costPerAgentHour: 35
		};
		expect(leversFromForm(formFromLevers(levers, brief), brief)).toEqual({ ok: true, levers });
		expect(leversFromForm(formFromLevers({ agents: 11, patienceSeconds: 90 }, brief), brief)).toEqual({
			ok: true,
			levers: { agents: 11, patienceSeconds: 90 }
		});
	});
});

describe('leversFromForm', () => {
	it('names the field of each mistake, the protocol’s bounds included', () => {
		const f = formFromLevers({}, brief);
		const r = leversFromForm(
			{ ...f, agentsMode: 'total', agents: 0, arrivalScale: null, patienceMode: 'mean', patienceSeconds: -3 },
			brief
		);
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(Object.keys(r.errors).sort()).toEqual(['agents', 'arrivalScale', 'patienceSeconds']);
		expect(r.errors.arrivalScale).toMatch(/scale/);
	});

	it('wants a number in every interval of a per-interval staffing', () => {
		const f = formFromLevers({}, brief);
		const r = leversFromForm({ ...f, agentsMode: 'perInterval', agentsPerInterval: [4, null, 4, 4] }, brief);
		expect(r).toEqual({ ok: false, errors: { agentsPerInterval: 'every interval needs a number of agents' } });
	});

	it('keeps the agents lever when the count equals the scenario’s: a sweep replaces shifts, so it is a real change', () => {
		const f = formFromLevers({}, brief);
		expect(leversFromForm({ ...f, agentsMode: 'total', agents: 8 }, brief)).toEqual({ ok: true, levers: { agents: 8 } });
	});
});

describe('describeLevers', () => {
	it('makes a short label from what changed', () => {
		expect(describeLevers({ agents: 11 }, brief)).toBe('+3 agents');
		expect(describeLevers({ agents: 6, order: 'value', aiOverflow: true }, brief)).toBe('−2 agents, value order, AI overflow');
		expect(describeLevers({}, brief)).toBe('');
	});
});
