import { describe, expect, it } from 'vitest';
import type { HeatEvent } from '../../engine/events';
import { recordedRoster } from './from-observed-roster';

const M = 60_000;
const Q = 15 * M;
const state = (t: number, agentId: string, s: string, skills?: Record<string, number>) =>
	({ type: 'agent.state', id: `${agentId}@${t}`, t, agentId, state: s, ...(skills ? { skills } : {}) }) as unknown as HeatEvent;

describe('recordedRoster', () => {
	it('counts an agent in every interval they are on duty at any moment of, grouped by skills, and says who is on now', () => {
		const events = [
			state(0, 'ann', 'available', { sales: 1 }),
			state(0, 'bob', 'available', { sales: 1, other: 3 }),
			// bob logs off inside the second interval, ann inside the third; cy logs on inside the second
			state(Q + 5 * M, 'cy', 'available', { sales: 2.4, support: 1 }),
			state(Q + 10 * M, 'bob', 'offline'),
			state(2 * Q + M, 'ann', 'away'),
			state(2 * Q + 2 * M, 'ann', 'offline'),
			state(3 * Q + M, 'cy', 'offline')
		];
		const r = recordedRoster(events, 0, 5, Q, new Set(['sales', 'support']), 2 * Q);
		expect(r.onDutyNow).toBe(2);
		expect(r.groups).toEqual([
			// ann and bob share their one needed skill; the "other" skill no queue needs is left out
			{ group: 'rostered-1', perInterval: { interval: '15m', counts: [2, 2, 1, 0, 0] }, skills: { sales: 1 } },
			{ group: 'rostered-2', perInterval: { interval: '15m', counts: [0, 1, 1, 1, 0] }, skills: { sales: 2, support: 1 } }
		]);
	});

	it('adds an empty group for a skill nobody on the roster has', () => {
		const r = recordedRoster([state(0, 'ann', 'available', { sales: 1 })], 0, 2, Q, new Set(['sales', 'support']), 0);
		expect(r.groups.at(-1)).toEqual({ group: 'nobody-on-duty', count: 0, skills: ['support'] });
	});
});
