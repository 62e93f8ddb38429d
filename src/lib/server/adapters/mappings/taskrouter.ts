import type { AgentStateName } from '../../../engine';
import { isRecord, parseTime, str, type MappedItem, type PayloadMapping } from './types';

/**
 * Twilio TaskRouter event callbacks (the Workspace's EventCallbackUrl) to engine events, for queues
 * the engine observes (TaskRouter routes). Twilio posts form fields; a relay may post the same
 * fields as JSON, one object or an array. Fields used: EventType, Sid/EventSid, Timestamp (epoch
 * seconds), TaskSid, TaskQueueSid/TaskQueueName, TaskAttributes (JSON), TaskPriority, WorkerSid,
 * WorkerName, WorkerActivityName, TaskCanceledReason.
 *
 * | EventType | engine event |
 * | --- | --- |
 * | task.created (with a queue), task-queue.entered | call.arrived (a second queue: call.transferred) |
 * | reservation.created | call.offered (further reservations of a ringing task are noted, not sent) |
 * | reservation.accepted | call.answered (another worker's accept: ring-no-answer and available for the one the engine saw ringing) |
 * | reservation.rejected, reservation.timeout | call.ringNoAnswer (+ agent.state when the activity is given) |
 * | task.canceled | call.abandoned |
 * | task.wrapup, task.completed (without a wrap-up) | call.ended |
 * | worker.activity.update, worker.created | agent.state from the activity name |
 */

export interface TaskRouterMappingOptions {
	/** queue for a task whose events name none (default "default") */
	defaultQueue?: string;
	/** activity name (case-insensitive) to agent state; names not listed are "away" with the name as reason */
	activities?: Record<string, AgentStateName>;
	/** prefixed to task and worker ids (default none) */
	idPrefix?: string;
	/** tasks followed at most (default 100,000); the oldest are forgotten first */
	maxTasks?: number;
}

const DEFAULT_ACTIVITIES: Record<string, AgentStateName> = {
	available: 'available',
	idle: 'available',
	ready: 'available',
	offline: 'offline',
	busy: 'busy',
	reserved: 'busy',
	'wrap-up': 'wrap-up',
	wrapup: 'wrap-up',
	wrapping: 'wrap-up'
};

interface TaskTrack {
	queue: string | null;
	offeredTo: string | null;
	ended: boolean;
}

export function createTaskRouterMapping(options: TaskRouterMappingOptions = {}): PayloadMapping {
	const prefix = options.idPrefix ?? '';
	const defaultQueue = options.defaultQueue ?? 'default';
	const max = options.maxTasks ?? 100_000;
	const activities: Record<string, AgentStateName> = { ...DEFAULT_ACTIVITIES };
	for (const [k, v] of Object.entries(options.activities ?? {})) activities[k.toLowerCase()] = v;
	const tasks = new Map<string, TaskTrack>();

	/** What is known of a task; a copy, so mapping an item changes nothing until its commit. */
	function peek(taskId: string): TaskTrack {
		return { ...(tasks.get(taskId) ?? { queue: null, offeredTo: null, ended: false }) };
	}

	function save(taskId: string, t: TaskTrack): void {
		if (!tasks.has(taskId) && tasks.size >= max) {
			const oldest = tasks.keys().next();
			if (oldest.done !== true) tasks.delete(oldest.value);
		}
		tasks.set(taskId, t);
	}

	function agentState(f: Record<string, unknown>, id: string, t: number, agentId: string): Record<string, unknown> | null {
		const activity = str(f['WorkerActivityName']);
		if (activity === undefined) return null;
		const state = activities[activity.toLowerCase()] ?? 'away';
		const e: Record<string, unknown> = { type: 'agent.state', id, t, agentId, state };
		const name = str(f['WorkerName']);
		if (name !== undefined) e['name'] = name.slice(0, 128);
		if (state === 'away') e['reason'] = activity.slice(0, 128);
		return e;
	}

	return {
		name: 'taskrouter',
		accepts: new Set(['application/x-www-form-urlencoded', 'application/json']),
		items(body) {
			if (Array.isArray(body)) return body;
			if (isRecord(body)) return [body];
			return { error: 'expected TaskRouter event fields (a form or a JSON object), or an array of them' };
		},
		map(item, receivedAtMs): MappedItem {
			if (!isRecord(item)) return { kind: 'rejected', reason: 'invalid', detail: 'a TaskRouter event must be an object of fields' };
			const type = str(item['EventType']);
			if (type === undefined) return { kind: 'rejected', reason: 'invalid', detail: 'EventType is missing' };
			const t = parseTime(item['Timestamp']) ?? receivedAtMs;
			const base =
				str(item['Sid']) ??
				str(item['EventSid']) ??
				`${type}:${str(item['ResourceSid']) ?? str(item['TaskSid']) ?? str(item['WorkerSid']) ?? ''}:${t}`;
			let n = 0;
			// a webhook retried by Twilio carries the same ids, so the engine drops the repeat
			const nextId = () => `tr:${base}#${n++}`;
			const taskSid = str(item['TaskSid']);
			const workerSid = str(item['WorkerSid']);
			const callId = taskSid === undefined ? undefined : prefix + taskSid;
			const agentId = workerSid === undefined ? undefined : prefix + workerSid;
			const need = (what: string): MappedItem => ({ kind: 'rejected', reason: 'invalid', detail: `${type}: ${what} is missing` });
			const events = (...list: Array<Record<string, unknown> | null>): MappedItem => ({
				kind: 'events',
				events: list.filter((e): e is Record<string, unknown> => e !== null)
			});
			/** events, and what the task becomes once the sink has them (null: forgotten) */
			const then = (taskId: string, next: TaskTrack | null, ...list: Array<Record<string, unknown> | null>): MappedItem => ({
				kind: 'events',
				events: list.filter((e): e is Record<string, unknown> => e !== null),
				commit: () => (next === null ? void tasks.delete(taskId) : save(taskId, next))
			});

			switch (type) {
				case 'task.created':
				case 'task-queue.entered': {
					if (callId === undefined) return need('TaskSid');
					const queue = str(item['TaskQueueName']) ?? str(item['TaskQueueSid']);
					const task = peek(callId);
					// TaskRouter names the queue when the workflow puts the task in one
					if (queue === undefined) return type === 'task.created' ? events() : need('TaskQueueSid or TaskQueueName');
					if (task.queue === queue) return { kind: 'ignored', reason: 'repeat' };
					const moved = task.queue !== null;
					task.queue = queue;
					if (moved) return then(callId, task, { type: 'call.transferred', id: nextId(), t, callId, toQueue: queue });
					return then(callId, task, arrival(item, nextId(), t, callId, queue));
				}
				case 'reservation.created': {
					if (callId === undefined || agentId === undefined) return need('TaskSid or WorkerSid');
					const task = peek(callId);
					if (task.queue === null) {
						// the queue event was missed: the call arrives now, in the default queue
						task.queue = str(item['TaskQueueName']) ?? str(item['TaskQueueSid']) ?? defaultQueue;
						task.offeredTo = agentId;
						return then(callId, task, arrival(item, nextId(), t, callId, task.queue), {
							type: 'call.offered',
							id: nextId(),
							t,
							callId,
							agentId
						});
					}
					if (task.offeredTo !== null) return { kind: 'ignored', reason: 'multi-reservation' };
					task.offeredTo = agentId;
					return then(callId, task, { type: 'call.offered', id: nextId(), t, callId, agentId });
				}
				case 'reservation.accepted': {
					if (callId === undefined || agentId === undefined) return need('TaskSid or WorkerSid');
					const task = peek(callId);
					const out: Array<Record<string, unknown> | null> = [];
					if (task.offeredTo !== null && task.offeredTo !== agentId) {
						// another worker of a multi-reservation took it; TaskRouter rescinds the first, who stays available
						out.push({ type: 'call.ringNoAnswer', id: nextId(), t, callId, agentId: task.offeredTo });
						out.push({ type: 'agent.state', id: nextId(), t, agentId: task.offeredTo, state: 'available' });
					}
					task.offeredTo = agentId;
					out.push({ type: 'call.answered', id: nextId(), t, callId, agentId });
					return then(callId, task, ...out);
				}
				case 'reservation.rejected':
				case 'reservation.timeout': {
					if (callId === undefined || agentId === undefined) return need('TaskSid or WorkerSid');
					const task = peek(callId);
					if (task.offeredTo !== agentId) return { kind: 'ignored', reason: 'not-ringing' };
					task.offeredTo = null;
					return then(
						callId,
						task,
						{ type: 'call.ringNoAnswer', id: nextId(), t, callId, agentId },
						agentState(item, nextId(), t, agentId)
					);
				}
				case 'task.canceled': {
					if (callId === undefined) return need('TaskSid');
					return then(callId, null, { type: 'call.abandoned', id: nextId(), t, callId });
				}
				case 'task.wrapup':
				case 'task.completed': {
					if (callId === undefined) return need('TaskSid');
					const known = tasks.get(callId);
					if (known?.ended === true) {
						if (type === 'task.completed') tasks.delete(callId);
						return { kind: 'ignored', reason: 'already-ended' };
					}
					const ended = (): TaskTrack | null => (type === 'task.completed' || known === undefined ? null : { ...known, ended: true });
					return then(callId, ended(), { type: 'call.ended', id: nextId(), t, callId });
				}
				case 'worker.activity.update':
				case 'worker.created': {
					if (agentId === undefined) return need('WorkerSid');
					const e = agentState(item, nextId(), t, agentId);
					return e === null ? need('WorkerActivityName') : events(e);
				}
				default:
					return { kind: 'ignored', reason: 'not-mapped' };
			}
		}
	};
}

/** The lead's details from TaskAttributes (JSON): heat, value, tier, source/lead_source, from/caller. */
function arrival(item: Record<string, unknown>, id: string, t: number, callId: string, queue: string): Record<string, unknown> {
	const e: Record<string, unknown> = { type: 'call.arrived', id, t, callId, queue };
	const raw = item['TaskAttributes'];
	let attrs: unknown = raw;
	if (typeof raw === 'string') {
		try {
			attrs = JSON.parse(raw);
		} catch {
			attrs = null;
		}
	}
	if (isRecord(attrs)) {
		if (typeof attrs['heat'] === 'number') e['heat'] = attrs['heat'];
		if (typeof attrs['value'] === 'number') e['value'] = attrs['value'];
		const tier = str(attrs['tier']);
		if (tier !== undefined) e['tier'] = tier;
		const source = str(attrs['source']) ?? str(attrs['lead_source']);
		if (source !== undefined) e['source'] = source;
		const caller = str(attrs['caller']) ?? str(attrs['from']);
		if (caller !== undefined) e['caller'] = caller.slice(0, 64);
	}
	const priority = Number(item['TaskPriority']);
	if (item['TaskPriority'] !== undefined && Number.isInteger(priority)) e['priority'] = Math.max(-100, Math.min(100, priority));
	return e;
}
