import { describe, expect, it } from 'vitest';
import { EngineSink } from '../ami-engine-sink';
import { createTaskRouterMapping, type TaskRouterMappingOptions } from './taskrouter';
import type { MappedItem } from './types';

const T = 1_763_900_000;

/** Maps TaskRouter callbacks in order into a real observe-mode engine. */
function run(items: Array<Record<string, string>>, options: TaskRouterMappingOptions = {}) {
	const mapping = createTaskRouterMapping(options);
	const sink = new EngineSink({ defaultMode: 'observe' });
	const results: MappedItem[] = [];
	items.forEach((item, i) => {
		const r = mapping.map({ Timestamp: String(T + i), ...item }, 0);
		results.push(r);
		if (r.kind !== 'events') return;
		// as HTTP ingest does: the mapping learns from an item once the engine has all of it
		const outcomes = r.events.map((e) => sink.ingest(e, `test[${i}]`));
		if (outcomes.every((o) => o.ok || o.reason === 'duplicate')) r.commit?.();
	});
	return { sink, engine: sink.engine, results };
}

describe('TaskRouter mapping', () => {
	it('a task created without a queue arrives when the workflow puts it in one, and moves on to a second', () => {
		const { sink, engine, results } = run([
			{ EventType: 'task.created', TaskSid: 'WT1' },
			{ EventType: 'task-queue.entered', TaskSid: 'WT1', TaskQueueName: 'Sales' },
			{ EventType: 'task-queue.entered', TaskSid: 'WT1', TaskQueueName: 'Overflow' }
		]);
		expect(results[0]).toEqual({ kind: 'events', events: [] });
		expect(sink.rejected).toEqual([]);
		expect(engine.calls.get('WT1')?.queue.cfg.id).toBe('Overflow');
	});

	it('multi-reservation: a second worker accepting frees the first, who stays available', () => {
		const { sink, engine, results } = run([
			{ EventType: 'worker.activity.update', WorkerSid: 'WKa', WorkerActivityName: 'Available' },
			{ EventType: 'worker.activity.update', WorkerSid: 'WKb', WorkerActivityName: 'Available' },
			{ EventType: 'task.created', TaskSid: 'WT1', TaskQueueName: 'Sales' },
			{ EventType: 'reservation.created', TaskSid: 'WT1', WorkerSid: 'WKa' },
			{ EventType: 'reservation.created', TaskSid: 'WT1', WorkerSid: 'WKb' },
			{ EventType: 'reservation.accepted', TaskSid: 'WT1', WorkerSid: 'WKb' },
			{ EventType: 'reservation.rescinded', TaskSid: 'WT1', WorkerSid: 'WKa' }
		]);
		expect(sink.rejected).toEqual([]);
		expect(results[4]).toEqual({ kind: 'ignored', reason: 'multi-reservation' });
		expect(engine.counts.contradictions).toEqual({});
		expect(engine.agents.get('WKa')).toMatchObject({ state: 'available', call: null });
		expect(engine.calls.get('WT1')).toMatchObject({ status: 'talking' });
	});

	it('a reservation timing out sends the call back and the worker to the activity TaskRouter gives', () => {
		const { sink, engine } = run([
			{ EventType: 'task.created', TaskSid: 'WT1', TaskQueueName: 'Sales' },
			{ EventType: 'reservation.created', TaskSid: 'WT1', WorkerSid: 'WKa' },
			{ EventType: 'reservation.timeout', TaskSid: 'WT1', WorkerSid: 'WKa', WorkerActivityName: 'Missed Call', WorkerName: 'Ann' }
		]);
		expect(sink.rejected).toEqual([]);
		expect(engine.calls.get('WT1')?.status).toBe('waiting');
		expect(engine.agents.get('WKa')).toMatchObject({ state: 'away', reason: 'Missed Call', name: 'Ann' });
	});

	it('activity names map by the options, case-insensitively; a reservation for a task never seen arrives in the default queue', () => {
		const { sink, engine } = run(
			[
				{ EventType: 'worker.activity.update', WorkerSid: 'WKa', WorkerActivityName: 'ON A CALL' },
				{ EventType: 'reservation.created', TaskSid: 'WT7', WorkerSid: 'WKb' }
			],
			{ activities: { 'On a call': 'busy' }, defaultQueue: 'inbound', idPrefix: 'tw:' }
		);
		expect(sink.rejected).toEqual([]);
		expect(engine.agents.get('tw:WKa')?.state).toBe('busy');
		expect(engine.calls.get('tw:WT7')).toMatchObject({ status: 'ringing' });
		expect(engine.calls.get('tw:WT7')?.queue.cfg.id).toBe('inbound');
	});

	it('names what is missing, and forgets the oldest tasks past its bound', () => {
		const { results } = run([
			{ EventType: 'reservation.accepted', TaskSid: 'WT1' },
			{ EventType: 'worker.activity.update', WorkerSid: 'WKa' }
		]);
		expect(results).toEqual([
			{ kind: 'rejected', reason: 'invalid', detail: 'reservation.accepted: TaskSid or WorkerSid is missing' },
			{ kind: 'rejected', reason: 'invalid', detail: 'worker.activity.update: WorkerActivityName is missing' }
		]);
		const bounded = run(
			[
				{ EventType: 'task.created', TaskSid: 'WT1', TaskQueueName: 'Sales' },
				{ EventType: 'task.created', TaskSid: 'WT2', TaskQueueName: 'Sales' },
				// WT1 is forgotten: its repeat is not recognised, and the engine refuses the second arrival
				{ EventType: 'task.created', TaskSid: 'WT1', TaskQueueName: 'Sales' }
			],
			{ maxTasks: 1 }
		);
		expect(bounded.sink.byReason()).toEqual({ duplicateCall: 1 });
	});
});
