import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Levers, ScenarioBrief, ValidateResult } from '../protocol';
import { ScenarioChecks } from './checks.svelte';

const brief = (name: string): ScenarioBrief => ({
	name,
	description: '',
	start: '09:00',
	horizonMinutes: 60,
	queues: [],
	totalAgents: 1,
	agentsPerInterval: [1],
	arrivalsPerInterval: [1],
	intervalMinutes: 60,
	meanHandleSeconds: 60,
	meanPatienceSeconds: null,
	order: 'fifo',
	hasAiOverflow: false,
	costPerAgentHour: 0
});

/** A validator that answers when the test says so, to put answers out of order. */
function heldValidator() {
	const pending: Array<{ yaml: string; answer: (r: ValidateResult) => void; fail: (e: Error) => void }> = [];
	const validate = (yaml: string, _levers: Levers) =>
		new Promise<ValidateResult>((answer, fail) => {
			pending.push({ yaml, answer, fail });
		});
	return { validate, pending };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('ScenarioChecks', () => {
	it('asks once per pause in typing, with the newest text', async () => {
		const { validate, pending } = heldValidator();
		const checks = new ScenarioChecks(validate, 300);
		checks.request('v', 'name: a', {});
		vi.advanceTimersByTime(200);
		checks.request('v', 'name: ab', {});
		expect(checks.get('v').status).toBe('checking');
		vi.advanceTimersByTime(299);
		expect(pending).toHaveLength(0);
		vi.advanceTimersByTime(1);
		expect(pending.map((p) => p.yaml)).toEqual(['name: ab']);
		pending[0]?.answer({ ok: false, problems: [{ message: 'no horizon', line: 1 }] });
		await vi.runAllTimersAsync();
		expect(checks.get('v')).toMatchObject({ status: 'invalid', problems: [{ message: 'no horizon', line: 1 }] });
	});

	it('ignores an answer to older text that arrives after a newer one', async () => {
		const { validate, pending } = heldValidator();
		const checks = new ScenarioChecks(validate, 10);
		const first = checks.now('v', 'old', {});
		const second = checks.now('v', 'new', {});
		pending[1]?.answer({ ok: true, brief: brief('new') });
		await second;
		pending[0]?.answer({ ok: false, problems: [{ message: 'stale' }] });
		await first;
		expect(checks.get('v')).toMatchObject({ status: 'valid', problems: [] });
		expect(checks.get('v').brief?.name).toBe('new');
	});

	it('keeps the last valid brief while the text is broken, so the form keeps its figures', async () => {
		const { validate, pending } = heldValidator();
		const checks = new ScenarioChecks(validate, 10);
		const ok = checks.now('v', 'good', {});
		pending[0]?.answer({ ok: true, brief: brief('good') });
		await ok;
		const bad = checks.now('v', 'bad', {});
		pending[1]?.answer({ ok: false, problems: [{ message: 'x' }] });
		await bad;
		expect(checks.get('v').status).toBe('invalid');
		expect(checks.get('v').brief?.name).toBe('good');
	});

	it('says when the scenario could not be checked (no server), rather than calling it valid', async () => {
		const { validate, pending } = heldValidator();
		const checks = new ScenarioChecks(validate, 10);
		const p = checks.now('v', 'x', {});
		pending[0]?.fail(new Error('operation has timed out'));
		await p;
		expect(checks.get('v')).toMatchObject({ status: 'unavailable', message: 'could not check the scenario: operation has timed out' });
	});

	it('keeps variants apart and forgets a removed one', async () => {
		const { validate, pending } = heldValidator();
		const checks = new ScenarioChecks(validate, 10);
		const a = checks.now('a', 'a', {});
		const b = checks.now('b', 'b', {});
		pending[0]?.answer({ ok: true, brief: brief('a') });
		pending[1]?.answer({ ok: false, problems: [] });
		await Promise.all([a, b]);
		expect([checks.get('a').status, checks.get('b').status]).toEqual(['valid', 'invalid']);
		checks.forget('a');
		expect(checks.get('a').status).toBe('unchecked');
	});
});
