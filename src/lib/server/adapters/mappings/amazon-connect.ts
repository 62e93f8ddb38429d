import type { AgentStateName } from '../../../engine';
import { isRecord, parseTime, str, type MappedItem, type PayloadMapping } from './types';

/**
 * Amazon Connect to engine events, for queues the engine observes (Connect routes).
 *
 * Contact events, as EventBridge delivers them (`"detail-type": "Amazon Connect Contact Event"`,
 * `id`, `time`, `detail.eventType`, `detail.contactId`, `detail.channel`,
 * `detail.queueInfo.queueArn`/`enqueueTimestamp`, `detail.agentInfo.agentArn`/
 * `connectedToAgentTimestamp`, `detail.disconnectTimestamp`):
 *
 * | eventType | engine event |
 * | --- | --- |
 * | QUEUED | call.arrived (queue from the queue ARN) |
 * | CONNECTED_TO_AGENT | call.answered |
 * | DISCONNECTED with agentInfo | call.ended |
 * | DISCONNECTED with queueInfo only | call.abandoned |
 * | INITIATED, CONNECTED_TO_SYSTEM, COMPLETED, CONTACT_DATA_UPDATED, others | ignored |
 *
 * Agent events, as the agent event stream writes them (Kinesis records forwarded as JSON:
 * `AgentARN`, `EventId`, `EventTimestamp`, `EventType` LOGIN / LOGOUT / STATE_CHANGE / HEART_BEAT,
 * `CurrentAgentSnapshot.AgentStatus.{Name,Type}`, `CurrentAgentSnapshot.Configuration.Username`):
 * LOGOUT or status type OFFLINE is offline, ROUTABLE available, CUSTOM (Break, Lunch...) away
 * with the status name as the reason; HEART_BEAT is ignored.
 */

export interface ConnectMappingOptions {
	/** readable names by queue ARN or queue id (default: the id at the end of the ARN) */
	queueNames?: Record<string, string>;
	/** readable names by agent ARN or agent id (default: the agent's username when the event has it) */
	agentNames?: Record<string, string>;
	/** contact channels to follow (default ["VOICE"]) */
	channels?: string[];
	/** prefixed to contact and agent ids (default none) */
	idPrefix?: string;
}

const CONTACT_EVENT = 'Amazon Connect Contact Event';
const AGENT_EVENT_TYPES = new Set(['LOGIN', 'LOGOUT', 'STATE_CHANGE', 'HEART_BEAT']);

/** ".../instance/<instance>/queue/<id>" → "<id>"; an id stays as it is. */
function lastSegment(arn: string): string {
	const i = arn.lastIndexOf('/');
	return i >= 0 ? arn.slice(i + 1) : arn;
}

export function createConnectMapping(options: ConnectMappingOptions = {}): PayloadMapping {
	const prefix = options.idPrefix ?? '';
	const channels = new Set((options.channels ?? ['VOICE']).map((c) => c.toUpperCase()));
	const queueNames = options.queueNames ?? {};
	const agentNames = options.agentNames ?? {};
	const queueName = (arn: string) => queueNames[arn] ?? queueNames[lastSegment(arn)] ?? lastSegment(arn);
	const agentId = (arn: string) => prefix + lastSegment(arn);

	function contact(e: Record<string, unknown>, detail: Record<string, unknown>, receivedAtMs: number): MappedItem {
		const eventType = str(detail['eventType']);
		const contactId = str(detail['contactId']);
		if (eventType === undefined || contactId === undefined)
			return { kind: 'rejected', reason: 'invalid', detail: 'contact event without detail.eventType or detail.contactId' };
		const channel = str(detail['channel'])?.toUpperCase();
		if (channel !== undefined && !channels.has(channel)) return { kind: 'ignored', reason: 'channel' };
		const callId = prefix + contactId;
		const id = `connect:${str(e['id']) ?? `${contactId}:${eventType}`}`;
		const when = parseTime(e['time']) ?? receivedAtMs;
		const queueInfo = isRecord(detail['queueInfo']) ? detail['queueInfo'] : undefined;
		const agentInfo = isRecord(detail['agentInfo']) ? detail['agentInfo'] : undefined;
		switch (eventType) {
			case 'QUEUED': {
				const arn = str(queueInfo?.['queueArn']);
				if (arn === undefined) return { kind: 'rejected', reason: 'invalid', detail: 'QUEUED without detail.queueInfo.queueArn' };
				const t = parseTime(queueInfo?.['enqueueTimestamp']) ?? when;
				return { kind: 'events', events: [{ type: 'call.arrived', id, t, callId, queue: queueName(arn) }] };
			}
			case 'CONNECTED_TO_AGENT': {
				const arn = str(agentInfo?.['agentArn']);
				if (arn === undefined)
					return { kind: 'rejected', reason: 'invalid', detail: 'CONNECTED_TO_AGENT without detail.agentInfo.agentArn' };
				const t = parseTime(agentInfo?.['connectedToAgentTimestamp']) ?? when;
				return { kind: 'events', events: [{ type: 'call.answered', id, t, callId, agentId: agentId(arn) }] };
			}
			case 'DISCONNECTED': {
				const t = parseTime(detail['disconnectTimestamp']) ?? when;
				if (str(agentInfo?.['agentArn']) !== undefined) return { kind: 'events', events: [{ type: 'call.ended', id, t, callId }] };
				// queued but never connected to an agent: the caller hung up waiting
				if (queueInfo !== undefined) return { kind: 'events', events: [{ type: 'call.abandoned', id, t, callId }] };
				return { kind: 'ignored', reason: 'never-queued' };
			}
			default:
				return { kind: 'ignored', reason: 'not-mapped' };
		}
	}

	function agent(e: Record<string, unknown>, receivedAtMs: number): MappedItem {
		const type = str(e['EventType']) as string;
		if (type === 'HEART_BEAT') return { kind: 'ignored', reason: 'heartbeat' };
		const arn = str(e['AgentARN']);
		if (arn === undefined) return { kind: 'rejected', reason: 'invalid', detail: `${type} without AgentARN` };
		const snap = isRecord(e['CurrentAgentSnapshot']) ? e['CurrentAgentSnapshot'] : {};
		const status = isRecord(snap['AgentStatus']) ? snap['AgentStatus'] : {};
		const config = isRecord(snap['Configuration']) ? snap['Configuration'] : {};
		const statusType = str(status['Type']);
		const statusName = str(status['Name']);
		let state: AgentStateName;
		if (type === 'LOGOUT' || statusType === 'OFFLINE') state = 'offline';
		else if (statusType === 'ROUTABLE') state = 'available';
		else if (statusType === 'CUSTOM') state = 'away';
		else return { kind: 'rejected', reason: 'invalid', detail: `${type} without CurrentAgentSnapshot.AgentStatus.Type` };
		const id = `connect:${str(e['EventId']) ?? `${lastSegment(arn)}:${type}:${str(e['EventTimestamp']) ?? ''}`}`;
		const ev: Record<string, unknown> = {
			type: 'agent.state',
			id,
			t: parseTime(e['EventTimestamp']) ?? receivedAtMs,
			agentId: agentId(arn),
			state
		};
		const name = agentNames[arn] ?? agentNames[lastSegment(arn)] ?? str(config['Username']);
		if (name !== undefined) ev['name'] = name.slice(0, 128);
		if (state === 'away' && statusName !== undefined) ev['reason'] = statusName.slice(0, 128);
		return { kind: 'events', events: [ev] };
	}

	return {
		name: 'amazon-connect',
		accepts: new Set(['application/json']),
		items(body) {
			if (Array.isArray(body)) return body;
			if (isRecord(body)) return [body];
			return { error: 'expected an EventBridge event or an agent event (an object), or an array of them' };
		},
		map(item, receivedAtMs): MappedItem {
			if (!isRecord(item)) return { kind: 'rejected', reason: 'invalid', detail: 'an event must be a JSON object' };
			if (item['detail-type'] === CONTACT_EVENT && isRecord(item['detail'])) return contact(item, item['detail'], receivedAtMs);
			if (typeof item['detail-type'] === 'string') return { kind: 'ignored', reason: 'not-mapped' };
			if (typeof item['EventType'] === 'string' && AGENT_EVENT_TYPES.has(item['EventType'])) return agent(item, receivedAtMs);
			return { kind: 'rejected', reason: 'invalid', detail: 'neither an Amazon Connect contact event nor an agent event' };
		}
	};
}
