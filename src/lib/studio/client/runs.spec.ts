import { describe, expect, it } from 'vitest';
import { runResult, sweepOutcome } from './fixtures';
import { StudioRuns } from './runs.svelte';

describe('StudioRuns', () => {
	it('follows a run from progress to its result, kept per variant with the inputs it came from', () => {
		const runs = new StudioRuns('t');
		const id = runs.start('run', 'va', 'base', 'fp1');
		expect(id).toBe('run-t-1');
		expect(runs.busy).toBe(true);
		runs.onProgress({ runId: id, fraction: 0.4, note: 'replication 2 of 5' });
		runs.onProgress({ runId: id, fraction: 0.3 });
		expect(runs.find(id)).toMatchObject({ status: 'running', fraction: 0.4, note: 'replication 2 of 5' });
		runs.onRunResult(runResult('base', { runId: id }));
		expect(runs.find(id)).toMatchObject({ status: 'done', fraction: 1 });
		expect(runs.results['va']?.fingerprint).toBe('fp1');
		expect(runs.results['va']?.value.label).toBe('base');
		expect(runs.busy).toBe(false);
	});

	it('drops a result for a run it no longer waits for (cancelled, unknown, or of another kind)', () => {
		const runs = new StudioRuns('t');
		const id = runs.start('run', 'va', 'base', 'fp');
		expect(runs.cancel(id)).toBe(true);
		runs.onRunResult(runResult('base', { runId: id }));
		expect(runs.results).toEqual({});
		runs.onRunResult(runResult('x', { runId: 'run-elsewhere-1' }));
		const sweepId = runs.start('sweep', 'va', 'base', 'fp');
		runs.onRunResult(runResult('base', { runId: sweepId }));
		expect(runs.results).toEqual({});
		runs.onSweepResult(sweepOutcome({ runId: sweepId }));
		expect(runs.sweep?.value.meetsTarget).toBe(10);
	});

	it('a new request of the same kind for a variant replaces the old row', () => {
		const runs = new StudioRuns('t');
		runs.start('run', 'va', 'base', 'fp');
		const second = runs.start('run', 'va', 'base', 'fp2');
		runs.start('run', 'vb', 'other', 'fp');
		expect(runs.runs.map((r) => r.runId)).toEqual([second, 'run-t-3']);
		expect(runs.latest('run', 'va')?.runId).toBe(second);
	});

	it('puts a refusal on its run, problems and all, and one without a run in the banner', () => {
		const runs = new StudioRuns('t');
		const id = runs.start('run', 'va', 'base', 'fp');
		runs.onStudioError({ runId: id, message: 'the scenario is invalid', problems: [{ message: 'bad', line: 3 }] });
		expect(runs.find(id)).toMatchObject({ status: 'failed', message: 'the scenario is invalid', problems: [{ message: 'bad', line: 3 }] });
		runs.onStudioError({ message: 'too many runs at once' });
		expect(runs.serverError).toBe('too many runs at once');
	});

	it('marks what was running as lost when the connection drops, and says it is reconnecting', () => {
		const runs = new StudioRuns('t');
		runs.onConnect();
		const a = runs.start('run', 'va', 'base', 'fp');
		const b = runs.start('sweep', 'va', 'base', 'fp');
		runs.onSweepResult(sweepOutcome({ runId: b }));
		runs.onDisconnect();
		expect(runs.phase).toBe('reconnecting');
		expect(runs.find(a)?.status).toBe('lost');
		expect(runs.find(b)?.status).toBe('done');
		runs.onReconnectAttempt(3);
		expect(runs.reconnectAttempt).toBe(3);
		runs.onConnect();
		expect(runs.phase).toBe('connected');
		expect(runs.reconnectAttempt).toBe(0);
	});

	it('forgets a removed variant’s runs and results', () => {
		const runs = new StudioRuns('t');
		const id = runs.start('run', 'va', 'base', 'fp');
		runs.onRunResult(runResult('base', { runId: id }));
		const s = runs.start('sweep', 'va', 'base', 'fp');
		runs.onSweepResult(sweepOutcome({ runId: s }));
		runs.forget('va');
		expect(runs.runs).toEqual([]);
		expect(runs.results).toEqual({});
		expect(runs.sweep).toBeNull();
	});
});
