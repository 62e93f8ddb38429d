import { describe, expect, it } from 'vitest';
import { createConnectMapping } from './amazon-connect';

const QUEUE = 'arn:aws:connect:eu-west-2:123456789012:instance/abc/queue/q-123';
const AGENT = 'arn:aws:connect:eu-west-2:123456789012:instance/abc/agent/ag-9';
const contact = (detail: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
	id: 'evt-1',
	'detail-type': 'Amazon Connect Contact Event',
	source: 'aws.connect',
	time: '2025-11-23T12:13:20Z',
	detail: { channel: 'VOICE', ...detail },
	...extra
});

describe('Amazon Connect mapping', () => {
	it('names queues and agents by the id at the end of the ARN unless given a name; times from the detail first', () => {
		const m = createConnectMapping({ agentNames: { 'ag-9': 'Ada' }, idPrefix: 'cx:' });
		expect(
			m.map(
				contact({ eventType: 'QUEUED', contactId: 'k1', queueInfo: { queueArn: QUEUE, enqueueTimestamp: '2025-11-23T12:13:21.500Z' } }),
				0
			)
		).toEqual({
			kind: 'events',
			events: [{ type: 'call.arrived', id: 'connect:evt-1', t: Date.parse('2025-11-23T12:13:21.500Z'), callId: 'cx:k1', queue: 'q-123' }]
		});
		const answered = m.map(contact({ eventType: 'CONNECTED_TO_AGENT', contactId: 'k1', agentInfo: { agentArn: AGENT } }), 0);
		expect(answered).toMatchObject({ events: [{ type: 'call.answered', agentId: 'cx:ag-9', t: Date.parse('2025-11-23T12:13:20Z') }] });
		const login = m.map(
			{
				AgentARN: AGENT,
				EventType: 'LOGIN',
				EventTimestamp: '2025-11-23T12:00:00Z',
				CurrentAgentSnapshot: { AgentStatus: { Name: 'Available', Type: 'ROUTABLE' } }
			},
			0
		);
		expect(login).toMatchObject({
			events: [{ type: 'agent.state', agentId: 'cx:ag-9', state: 'available', name: 'Ada', id: 'connect:ag-9:LOGIN:2025-11-23T12:00:00Z' }]
		});
	});

	it('accepts the "INITIATION" spelling and other event types as ignorable; follows only the channels asked for', () => {
		const m = createConnectMapping({ channels: ['voice', 'chat'] });
		expect(m.map(contact({ eventType: 'INITIATION', contactId: 'k1' }), 0)).toEqual({ kind: 'ignored', reason: 'not-mapped' });
		expect(m.map(contact({ eventType: 'QUEUED', contactId: 'k2', channel: 'CHAT', queueInfo: { queueArn: QUEUE } }), 0)).toMatchObject({
			kind: 'events'
		});
		expect(m.map(contact({ eventType: 'QUEUED', contactId: 'k3', channel: 'TASK', queueInfo: { queueArn: QUEUE } }), 0)).toEqual({
			kind: 'ignored',
			reason: 'channel'
		});
		expect(m.map({ 'detail-type': 'Amazon Connect Agent Event', detail: {} }, 0)).toEqual({ kind: 'ignored', reason: 'not-mapped' });
	});

	it('a logout is offline; a status without a type is refused', () => {
		const m = createConnectMapping();
		expect(m.map({ AgentARN: AGENT, EventType: 'LOGOUT', EventId: 'e2' }, 5)).toMatchObject({
			events: [{ state: 'offline', t: 5, id: 'connect:e2' }]
		});
		expect(m.map({ AgentARN: AGENT, EventType: 'STATE_CHANGE', EventId: 'e3', CurrentAgentSnapshot: {} }, 5)).toEqual({
			kind: 'rejected',
			reason: 'invalid',
			detail: 'STATE_CHANGE without CurrentAgentSnapshot.AgentStatus.Type'
		});
	});
});
