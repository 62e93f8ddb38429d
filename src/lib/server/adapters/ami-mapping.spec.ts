import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { snapshot } from '../../engine';
import { serverBlocks, toWire } from '../../../../tests/support/ami-peer';
import { EngineSink } from './ami-engine-sink';
import { AmiMapper, type AmiMapResult, type AmiMappingOptions } from './ami-mapping';
import { AmiParser, type AmiMessage } from './ami-protocol';

const fixture = (name: string) => readFileSync(new URL(`../../../../tests/fixtures/ami/${name}`, import.meta.url), 'utf8');
const T0 = 1_763_900_000_000;

function messages(text: string): AmiMessage[] {
	const out: AmiMessage[] = [];
	const parser = new AmiParser({ message: (m) => out.push(m) });
	for (const b of serverBlocks(text)) parser.push(Buffer.from(toWire(b)));
	return out;
}

/** Maps every message (at `now` when it has no Timestamp, one second apart) into a real observe-mode engine. */
function run(text: string, options: AmiMappingOptions = {}, start = T0) {
	const sink = new EngineSink({ defaultMode: 'observe', dayStartMs: T0 - (T0 % 86_400_000) });
	const mapper = new AmiMapper(options);
	const results: AmiMapResult[] = [];
	messages(text).forEach((m, i) => {
		const r = mapper.map(m, start + i * 1000);
		results.push(r);
		if (r.kind === 'events') for (const e of r.events) sink.ingest(e, 'ami:test');
	});
	return { sink, engine: sink.engine, results, mapper };
}

const block = (lines: string[]) => lines.join('\n');

describe('AmiMapper: Asterisk 12+ queue events into an observe-mode engine', () => {
	it('a day of five calls ends with the counts and agent states the capture tells', () => {
		const { sink, engine, mapper } = run(fixture('asterisk16-queue-calls.txt'));
		expect(sink.rejected).toEqual([]);
		const day = snapshot(engine, T0 + 400_000).totals.day;
		expect(day).toMatchObject({ offered: 5, answered: 3, abandoned: 1 });
		// waits 4.01, 3.01 and 2.01 s (join to AgentConnect), from the PBX's own Timestamps
		expect(day.asa).toBeCloseTo(3.01, 6);
		expect(engine.statusCount).toMatchObject({ ended: 3, abandoned: 1, voicemail: 1, waiting: 0, ringing: 0, talking: 0 });
		expect(engine.counts.contradictions).toEqual({});
		expect(engine.agents.get('PJSIP/1001')).toMatchObject({ state: 'available', name: 'Alice Martin', call: null });
		expect(engine.agents.get('PJSIP/1002')).toMatchObject({ state: 'available', call: null });
		expect(engine.agents.get('PJSIP/1003')).toMatchObject({ state: 'away', reason: 'lunch' });
		expect(engine.agents.get('PJSIP/1003')?.skills).toEqual({ support: 1 });
		expect(snapshot(engine, T0 + 400_000).queues.map((q) => [q.id, q.day.offered])).toEqual([
			['sales', 4],
			['support', 1]
		]);
		expect(mapper.callsInProgress).toBe(0);
	});

	it('a ring-no-answer puts the call back and the agent back to available, and their auto-pause then sticks', () => {
		const capture = fixture('asterisk16-queue-calls.txt');
		const upTo = capture.indexOf('Event: QueueCallerAbandon');
		const { engine } = run(capture.slice(0, upTo));
		expect(engine.calls.get('1763900030.105')?.status).toBe('waiting');
		expect(engine.agents.get('PJSIP/1002')).toMatchObject({ state: 'away', reason: 'Auto-Pause' });
		expect(engine.agents.get('PJSIP/1001')).toMatchObject({ state: 'busy' });
		expect(engine.agents.get('PJSIP/1001')?.call?.id).toBe('1763900010.101');
	});

	it('uses the caller number and the queue defaults for the lead', () => {
		const { sink } = run(fixture('asterisk16-queue-calls.txt'), {
			queues: { sales: { heat: 0.9, value: 1200, source: 'web' }, '*': { heat: 0.1 } }
		});
		const arrivals = sink.acceptedEvents.map((a) => a.event as Record<string, unknown>).filter((e) => e['type'] === 'call.arrived');
		expect(arrivals[0]).toMatchObject({
			callId: '1763900010.101',
			queue: 'sales',
			caller: '4155550101',
			heat: 0.9,
			value: 1200,
			source: 'web',
			t: T0 + 10_000
		});
		expect(arrivals.find((e) => e['queue'] === 'support')).toMatchObject({ heat: 0.1 });
	});

	it('prefixes ids and can name agents by MemberName', () => {
		const { engine } = run(fixture('asterisk16-queue-calls.txt'), { idPrefix: 'pbx1:', agentId: 'memberName' });
		expect([...engine.agents.keys()].sort()).toEqual(['pbx1:Alice Martin', 'pbx1:Bob Okafor', 'pbx1:Carol Diaz']);
		expect(snapshot(engine, T0 + 400_000).totals.day.answered).toBe(3);
	});
});

describe('AmiMapper: Asterisk 11 names and fields', () => {
	// as Asterisk 11 app_queue writes them (manager_event): Join/Leave, AgentCalled with
	// AgentCalled/AgentName, AgentConnect with Member and the agent's Channel, QueueMemberPaused
	const old = [
		block([
			'Event: QueueMemberStatus',
			'Privilege: agent,all',
			'Queue: support',
			'Location: SIP/2001',
			'MemberName: Agent/2001',
			'StateInterface: SIP/2001',
			'Membership: dynamic',
			'Penalty: 0',
			'CallsTaken: 0',
			'LastCall: 0',
			'Status: 1',
			'Paused: 0'
		]),
		block([
			'Event: Join',
			'Privilege: call,all',
			'Channel: SIP/trunk-0000001a',
			'CallerIDNum: 5551234',
			'CallerIDName: unknown',
			'ConnectedLineNum: unknown',
			'ConnectedLineName: unknown',
			'Queue: support',
			'Position: 1',
			'Count: 1',
			'Uniqueid: 1413823936.3729'
		]),
		block([
			'Event: AgentCalled',
			'Privilege: agent,all',
			'Queue: support',
			'AgentCalled: SIP/2001',
			'AgentName: Agent/2001',
			'ChannelCalling: SIP/trunk-0000001a',
			'DestinationChannel: SIP/2001-0000001b',
			'CallerIDNum: 5551234',
			'CallerIDName: unknown',
			'ConnectedLineNum: unknown',
			'ConnectedLineName: unknown',
			'Context: from-trunk',
			'Extension: 800',
			'Priority: 3',
			'Uniqueid: 1413823936.3729'
		]),
		block([
			'Event: Leave',
			'Privilege: call,all',
			'Channel: SIP/trunk-0000001a',
			'Queue: support',
			'Count: 0',
			'Position: 1',
			'Uniqueid: 1413823936.3729'
		]),
		block([
			'Event: AgentConnect',
			'Privilege: agent,all',
			'Queue: support',
			'Uniqueid: 1413823936.3729',
			'Channel: SIP/2001-0000001b',
			'Member: SIP/2001',
			'MemberName: Agent/2001',
			'HoldTime: 3',
			'BridgedChannel: 1413823939.3730',
			'RingTime: 2'
		]),
		block([
			'Event: QueueMemberPaused',
			'Privilege: agent,all',
			'Queue: support',
			'Location: SIP/2001',
			'MemberName: Agent/2001',
			'Paused: 1',
			'Reason: coaching'
		]),
		block([
			'Event: AgentComplete',
			'Privilege: agent,all',
			'Queue: support',
			'Uniqueid: 1413823936.3729',
			'Channel: SIP/2001-0000001b',
			'Member: SIP/2001',
			'MemberName: Agent/2001',
			'HoldTime: 3',
			'TalkTime: 95',
			'Reason: caller'
		]),
		block([
			'Event: Join',
			'Privilege: call,all',
			'Channel: SIP/trunk-0000001c',
			'CallerIDNum: 5559876',
			'CallerIDName: unknown',
			'Queue: support',
			'Position: 1',
			'Count: 1',
			'Uniqueid: 1413824100.3801'
		]),
		block([
			'Event: QueueCallerAbandon',
			'Privilege: agent,all',
			'Queue: support',
			'Uniqueid: 1413824100.3801',
			'Position: 1',
			'OriginalPosition: 1',
			'HoldTime: 12'
		]),
		block([
			'Event: Leave',
			'Privilege: call,all',
			'Channel: SIP/trunk-0000001c',
			'Queue: support',
			'Count: 0',
			'Position: 1',
			'Uniqueid: 1413824100.3801'
		])
	].join('\n\n');

	it('maps a call answered, a pause taken mid-call, and an abandon', () => {
		const { sink, engine } = run(old);
		expect(sink.rejected).toEqual([]);
		expect(snapshot(engine, T0 + 60_000).totals.day).toMatchObject({ offered: 2, answered: 1, abandoned: 1 });
		// the pause asked for during the call took effect when it ended
		expect(engine.agents.get('SIP/2001')).toMatchObject({ state: 'away', reason: 'coaching', name: 'Agent/2001' });
		// times come from the adapter's clock: the answer was 3 messages (3 s) after the join
		expect(snapshot(engine, T0 + 60_000).totals.day.asa).toBe(3);
	});
});

describe('AmiMapper: panoramisk captures (Asterisk 11)', () => {
	it('an agent paused in one queue, unpaused, then reported in a second queue ends available with both', () => {
		const { sink, engine, results } = run(fixture('panoramisk_agent_not_in_pause.yaml'));
		expect(sink.rejected).toEqual([]);
		const states = sink.acceptedEvents.map((a) => (a.event as { state?: string }).state);
		expect(states).toEqual(['away', 'busy', 'available', 'available']);
		expect(engine.agents.get('Local/id-12@agentcallback')).toMatchObject({ state: 'available', name: 'Agent/999' });
		expect(Object.keys(engine.agents.get('Local/id-12@agentcallback')?.skills ?? {}).sort()).toEqual([
			'maisonvoyance-tous',
			'xxxxxxxxxxxx-tous'
		]);
		// the other events of the capture (channels, dialplan) are not the engine's business
		expect(results.filter((r) => r.kind === 'ignored' && r.reason === 'not-mapped').length).toBeGreaterThan(20);
	});

	it('a QueueStatus reply creates every member; a paused one is away', () => {
		const { engine } = run(fixture('panoramisk_queue_status.yaml'));
		expect(engine.agents.size).toBe(6);
		expect(engine.agents.get('Local/id-12@agentcallback')).toMatchObject({ state: 'away', reason: 'paused' });
		expect(engine.agents.get('Local/id-9@agentcallback')).toMatchObject({ state: 'available', name: 'Agent/220' });
	});

	it('members added and logged in', () => {
		const { engine } = run(fixture('panoramisk_agent_loggued_in.yaml'));
		expect(engine.agents.get('Local/id-1@agentcallback')?.state).toBe('available');
		expect(engine.agents.get('Local/id-3@agentcallback')?.state).toBe('available');
	});
});

describe('AmiMapper: edge cases', () => {
	const member = (iface: string, status = 1) =>
		block(['Event: QueueMemberStatus', 'Queue: sales', `Interface: ${iface}`, `MemberName: ${iface}`, `Status: ${status}`, 'Paused: 0']);
	const join = (uid: string) => block(['Event: QueueCallerJoin', `Uniqueid: ${uid}`, 'Queue: sales', 'CallerIDNum: 100']);
	const agentEvent = (kind: string, uid: string, iface: string) =>
		block([`Event: ${kind}`, `Uniqueid: ${uid}`, 'Queue: sales', `Interface: ${iface}`, `MemberName: ${iface}`]);
	const leave = (uid: string) => block(['Event: QueueCallerLeave', `Uniqueid: ${uid}`, 'Queue: sales']);

	it('ringall: several agents ring, another than the first answers, with no contradiction', () => {
		const text = [
			member('PJSIP/a'),
			member('PJSIP/b'),
			join('1.1'),
			agentEvent('AgentCalled', '1.1', 'PJSIP/a'),
			agentEvent('AgentCalled', '1.1', 'PJSIP/b'),
			leave('1.1'),
			agentEvent('AgentConnect', '1.1', 'PJSIP/b'),
			agentEvent('AgentComplete', '1.1', 'PJSIP/b')
		].join('\n\n');
		const { sink, engine } = run(text);
		expect(sink.rejected).toEqual([]);
		expect(engine.counts.contradictions).toEqual({});
		expect(engine.agents.get('PJSIP/a')?.state).toBe('available');
		expect(snapshot(engine, T0 + 20_000).totals.day).toMatchObject({ offered: 1, answered: 1 });
	});

	it('ringall: the first ringing agent times out, the next one still ringing is the one the engine sees', () => {
		const text = [
			member('PJSIP/a'),
			member('PJSIP/b'),
			join('2.1'),
			agentEvent('AgentCalled', '2.1', 'PJSIP/a'),
			agentEvent('AgentCalled', '2.1', 'PJSIP/b'),
			agentEvent('AgentRingNoAnswer', '2.1', 'PJSIP/a')
		].join('\n\n');
		const { engine } = run(text);
		expect(engine.calls.get('2.1')).toMatchObject({ status: 'ringing' });
		expect(engine.agents.get('PJSIP/b')?.call?.id).toBe('2.1');
		expect(engine.agents.get('PJSIP/a')).toMatchObject({ state: 'available', call: null });
	});

	it('a caller joining a second queue while still in the first is moved, keeping its wait', () => {
		const other = block(['Event: QueueCallerJoin', 'Uniqueid: 4.1', 'Queue: overflow']);
		const { sink, engine } = run([join('4.1'), other].join('\n\n'));
		expect(sink.rejected).toEqual([]);
		expect(engine.calls.get('4.1')?.queue.cfg.id).toBe('overflow');
		expect(snapshot(engine, T0 + 5000).totals.day.offered).toBe(1);
	});

	it('a repeated event is recognised, not applied twice', () => {
		const text = [join('3.1'), join('3.1'), agentEvent('AgentCalled', '3.1', 'PJSIP/a'), agentEvent('AgentCalled', '3.1', 'PJSIP/a')].join(
			'\n\n'
		);
		const { sink, results } = run(text);
		expect(sink.rejected).toEqual([]);
		expect(results.filter((r) => r.kind === 'ignored' && r.reason === 'repeat')).toHaveLength(2);
	});

	it('an event without its ids is malformed; a call joined before we listened is counted by the engine', () => {
		const text = [
			block(['Event: AgentConnect', 'Queue: sales', 'Interface: PJSIP/a']),
			leave('9.9'),
			agentEvent('AgentConnect', '9.9', 'PJSIP/a'),
			agentEvent('AgentComplete', '9.9', 'PJSIP/a')
		].join('\n\n');
		const { sink, results } = run(text);
		expect(results[0]).toEqual({ kind: 'malformed', detail: 'AgentConnect without Uniqueid and Interface/Member/MemberName' });
		expect(results[1]).toEqual({ kind: 'ignored', reason: 'unknown-call' });
		expect(sink.byReason()).toEqual({ unknownCall: 2 });
	});

	it('device states: in use outside a queue call is busy, unavailable is offline, removed from its last queue is offline', () => {
		const removed = block(['Event: QueueMemberRemoved', 'Queue: sales', 'Interface: PJSIP/c', 'MemberName: PJSIP/c']);
		const { engine, sink } = run([member('PJSIP/a', 2), member('PJSIP/b', 5), member('PJSIP/c', 1), removed].join('\n\n'));
		expect(sink.rejected).toEqual([]);
		expect(engine.agents.get('PJSIP/a')?.state).toBe('busy');
		expect(engine.agents.get('PJSIP/b')?.state).toBe('offline');
		expect(engine.agents.get('PJSIP/c')?.state).toBe('offline');
	});

	it('a QueueStatus reply makes callers already waiting arrive when they joined; known ones are repeats', () => {
		const entry = (uid: string, wait: number) =>
			block([
				'Event: QueueEntry',
				'Queue: sales',
				'Position: 1',
				'Channel: PJSIP/trunk-00000001',
				`Uniqueid: ${uid}`,
				'CallerIDNum: 4155550199',
				'CallerIDName: <unknown>',
				'ConnectedLineNum: <unknown>',
				'ConnectedLineName: <unknown>',
				`Wait: ${wait}`,
				'Priority: 0',
				'ActionID: heatboard-2'
			]);
		// first thing after a login: the caller arrives when they joined, 42 s before
		const fresh = run([entry('6.2', 42), join('6.1'), entry('6.1', 1)].join('\n\n'));
		expect(fresh.sink.rejected).toEqual([]);
		expect(fresh.engine.calls.get('6.2')).toMatchObject({ status: 'waiting', arrivedAt: T0 - 42_000, caller: '4155550199' });
		expect(fresh.results[2]).toEqual({ kind: 'ignored', reason: 'repeat' });
		// after other events (a reconnect): not before the latest of them, the engine's clock
		const later = run([join('6.1'), entry('6.3', 42)].join('\n\n'));
		expect(later.sink.rejected).toEqual([]);
		expect(later.engine.calls.get('6.3')?.arrivedAt).toBe(T0);
	});

	it('a member reported idle (Status 1, not InCall) while on an answered call ends it; its late AgentComplete is a repeat', () => {
		const idle = (inCall: string) =>
			block([
				'Event: QueueMemberStatus',
				'Queue: sales',
				'Interface: PJSIP/a',
				'MemberName: PJSIP/a',
				`InCall: ${inCall}`,
				'Status: 1',
				'Paused: 0'
			]);
		const text = [
			member('PJSIP/a'),
			join('7.1'),
			agentEvent('AgentCalled', '7.1', 'PJSIP/a'),
			idle('0'),
			leave('7.1'),
			agentEvent('AgentConnect', '7.1', 'PJSIP/a'),
			idle('1'),
			idle('0'),
			agentEvent('AgentComplete', '7.1', 'PJSIP/a'),
			join('7.2'),
			agentEvent('AgentCalled', '7.2', 'PJSIP/a'),
			leave('7.2'),
			agentEvent('AgentConnect', '7.2', 'PJSIP/a')
		].join('\n\n');
		const { sink, engine, results } = run(text);
		expect(sink.rejected).toEqual([]);
		expect(engine.counts.contradictions).toEqual({});
		// ringing (index 3) and InCall: 1 (index 6) say nothing about the end; index 7 ends the call
		expect(results[3]).toEqual({ kind: 'events', events: [] });
		expect(results[6]).toEqual({ kind: 'events', events: [] });
		expect(results[7]).toMatchObject({ kind: 'events', events: [{ type: 'call.ended', callId: '7.1' }] });
		expect(results[8]).toEqual({ kind: 'ignored', reason: 'repeat' });
		expect(engine.agents.get('PJSIP/a')?.call?.id).toBe('7.2');
		expect(snapshot(engine, T0 + 20_000).totals.day).toMatchObject({ offered: 2, answered: 2 });
	});

	it('after a login, the QueueStatus reply ends the calls it no longer reports and sets members from what it says', () => {
		const entry = (uid: string) =>
			block([
				'Event: QueueEntry',
				'Queue: sales',
				'Position: 1',
				`Uniqueid: ${uid}`,
				'CallerIDNum: 100',
				'Wait: 5',
				'ActionID: heatboard-2'
			]);
		const reported = (iface: string, status: number, inCall: number, paused = 0) =>
			block([
				'Event: QueueMember',
				'Queue: sales',
				`Name: ${iface}`,
				`Location: ${iface}`,
				`InCall: ${inCall}`,
				`Status: ${status}`,
				`Paused: ${paused}`,
				'ActionID: heatboard-2'
			]);
		const before = [member('PJSIP/a'), member('PJSIP/b'), member('PJSIP/c'), member('PJSIP/d')];
		// a talks on 8.1 (lost end, a not in the reply); b rings for 8.2 (gone); 8.3 waits (reported); 8.4 waits (gone);
		// c talks on 8.5 (reported in use); d talks on 8.6 (d reported idle)
		const calls = [
			join('8.1'),
			agentEvent('AgentCalled', '8.1', 'PJSIP/a'),
			leave('8.1'),
			agentEvent('AgentConnect', '8.1', 'PJSIP/a'),
			join('8.2'),
			agentEvent('AgentCalled', '8.2', 'PJSIP/b'),
			join('8.3'),
			join('8.4'),
			join('8.5'),
			agentEvent('AgentCalled', '8.5', 'PJSIP/c'),
			leave('8.5'),
			agentEvent('AgentConnect', '8.5', 'PJSIP/c'),
			join('8.6'),
			agentEvent('AgentCalled', '8.6', 'PJSIP/d'),
			leave('8.6'),
			agentEvent('AgentConnect', '8.6', 'PJSIP/d')
		];
		// 8.7 joins while the reply is being read: not in it, yet not in doubt
		const reply = [
			reported('PJSIP/b', 1, 0, 1),
			entry('8.3'),
			join('8.7'),
			reported('PJSIP/c', 2, 1),
			reported('PJSIP/d', 1, 0),
			block(['Event: QueueStatusComplete', 'ActionID: heatboard-2', 'EventList: Complete', 'ListItems: 4'])
		];
		const sink = new EngineSink({ defaultMode: 'observe', dayStartMs: T0 - (T0 % 86_400_000) });
		const mapper = new AmiMapper();
		const all = messages([...before, ...calls, ...reply].join('\n\n'));
		all.forEach((m, i) => {
			if (i === before.length + calls.length) mapper.beginQueueStatus();
			const r = mapper.map(m, T0 + i * 1000);
			if (r.kind === 'events') for (const e of r.events) sink.ingest(e, 'ami:test');
		});
		const { engine } = sink;
		expect(sink.rejected).toEqual([]);
		expect(engine.counts.contradictions).toEqual({});
		const status = (id: string) => engine.calls.get(id)?.status ?? 'gone';
		expect(['8.3', '8.5', '8.7'].map(status)).toEqual(['waiting', 'talking', 'waiting']);
		const ends = sink.acceptedEvents
			.map((a) => a.event as Record<string, unknown>)
			.filter((e) => e['type'] === 'call.ended' || e['type'] === 'call.abandoned');
		expect(ends.map((e) => [e['type'], e['callId']]).sort()).toEqual([
			['call.abandoned', '8.2'],
			['call.abandoned', '8.4'],
			['call.ended', '8.1'],
			['call.ended', '8.6']
		]);
		expect(engine.agents.get('PJSIP/a')).toMatchObject({ state: 'available', call: null });
		expect(engine.agents.get('PJSIP/b')).toMatchObject({ state: 'away', call: null });
		expect(engine.agents.get('PJSIP/c')?.call?.id).toBe('8.5');
		expect(engine.agents.get('PJSIP/d')).toMatchObject({ state: 'available', call: null });
		expect(mapper.callsInProgress).toBe(3);
		// a second QueueStatusComplete (not ours, or a repeat) changes nothing
		expect(mapper.map(all[all.length - 1] as AmiMessage, T0 + 99_000)).toEqual({ kind: 'ignored', reason: 'not-mapped' });
	});

	it('forgets the oldest calls past its bound (their ends may have been lost with the link)', () => {
		const { mapper, results } = run([join('5.1'), join('5.2'), join('5.3'), leave('5.1')].join('\n\n'), { maxCalls: 2 });
		expect(mapper.callsInProgress).toBe(2);
		expect(results[3]).toEqual({ kind: 'ignored', reason: 'unknown-call' });
	});

	it('prefers the PBX Timestamp over the adapter clock', () => {
		const { sink } = run(
			block(['Event: QueueCallerJoin', 'Privilege: agent,all', 'Timestamp: 1409169929.412068', 'Uniqueid: 5.5', 'Queue: q'])
		);
		expect(sink.acceptedEvents[0]?.event).toMatchObject({ t: 1_409_169_929_412 });
	});
});
