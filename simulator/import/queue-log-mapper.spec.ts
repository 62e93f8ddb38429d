import { describe, expect, it } from 'vitest';
import type { HeatEvent } from '../../src/lib/engine/events';
import { eventSchema } from '../../src/lib/engine/schema';
import { QueueLogMapper, parseQueueLogLine } from './queue-log-mapper';

const T = 1_773_140_000;

/** Feeds lines numbered from 1; returns the events (with their line) and refusals. */
function run(lines: string[], mapper = new QueueLogMapper(), end = true) {
	const events: Array<HeatEvent & { line: number }> = [];
	const refused: Array<{ line: number; reason: string; detail: string }> = [];
	lines.forEach((l, i) => {
		const r = mapper.feed(l, i + 1);
		for (const m of r.events) events.push({ ...m.event, line: m.line });
		refused.push(...r.rejections);
	});
	if (end) for (const m of mapper.end()) events.push({ ...m.event, line: m.line });
	return {
		events,
		refused,
		mapper,
		brief: events.map((e) => `${e.type}${'callId' in e ? ` ${e.callId}` : ''}@${(e.t / 1000 - T).toString()}`)
	};
}

describe('parseQueueLogLine', () => {
	it('splits the fields and keeps any number of data fields, old single-data lines included', () => {
		expect(parseQueueLogLine(`${T}|1.5|sales|Ann|CONNECT|12`)).toEqual({
			t: T * 1000,
			callid: '1.5',
			queue: 'sales',
			agent: 'Ann',
			verb: 'CONNECT',
			data: ['12']
		});
		expect(parseQueueLogLine(`${T}.250|NONE|NONE|NONE|QUEUESTART`)).toMatchObject({ t: T * 1000 + 250, data: [] });
		expect(parseQueueLogLine(`${T}|1.5|sales`)).toMatch(/3 fields/);
		expect(parseQueueLogLine(`12345|1.5|sales|Ann|CONNECT`)).toMatch(/bad timestamp/);
		expect(parseQueueLogLine(`${T}|1.5|sales|Ann|connect me`)).toMatch(/bad event name/);
	});
});

describe('QueueLogMapper', () => {
	it('an answered call: arrived, offered and answered at CONNECT, ended at COMPLETE*; the agent present from the first CONNECT', () => {
		const { brief, events } = run([
			`${T}|a.1|sales|NONE|ENTERQUEUE||+15551234|1`,
			`${T + 9}|a.1|sales|Ann|CONNECT|9`,
			`${T + 99}|a.1|sales|Ann|COMPLETEAGENT|9|90|1`
		]);
		expect(brief).toEqual(['call.arrived a.1@0', 'agent.state@9', 'call.offered a.1@9', 'call.answered a.1@9', 'call.ended a.1@99']);
		expect(events[0]).toMatchObject({ caller: '+15551234', source: 'phone' });
		expect(events[1]).toMatchObject({ agentId: 'Ann', state: 'available', skills: { sales: 1 } });
		for (const e of events) expect(eventSchema.safeParse({ ...e, line: undefined }).success).toBe(true);
	});

	it('a missed ring is an offer and a ring-no-answer at the moment the line was written', () => {
		const { brief } = run([
			`${T}|a.1|sales|NONE|ENTERQUEUE||1|1`,
			`${T + 15}|a.1|sales|Ben|RINGNOANSWER|15000`,
			`${T + 30}|a.1|sales|NONE|ABANDON|1|1|30`
		]);
		expect(brief).toEqual([
			'call.arrived a.1@0',
			'agent.state@15',
			'call.offered a.1@15',
			'call.ringNoAnswer a.1@15',
			'call.abandoned a.1@30'
		]);
	});

	it('EXITWITHTIMEOUT then ENTERQUEUE elsewhere within the window is one call moved; otherwise voicemail at the exit time', () => {
		const moved = run([
			`${T}|a.1|sales|NONE|ENTERQUEUE||1|1`,
			`${T + 60}|a.1|sales|NONE|EXITWITHTIMEOUT|1|1|60`,
			`${T + 61}|a.1|renewals|NONE|ENTERQUEUE||1|1`
		]);
		expect(moved.brief).toEqual(['call.arrived a.1@0', 'call.transferred a.1@61']);
		expect(moved.mapper.counts.quirks.movedBetweenQueues).toBe(1);
		const gone = run(
			[
				`${T}|a.1|sales|NONE|ENTERQUEUE||1|1`,
				`${T + 60}|a.1|sales|NONE|EXITWITHTIMEOUT|1|1|60`,
				`${T + 70}|b.1|sales|NONE|ENTERQUEUE||1|1`
			],
			undefined,
			false
		);
		// released by the next line more than the window later, stamped when the caller left
		expect(gone.brief).toEqual(['call.arrived a.1@0', 'call.overflowed a.1@60', 'call.arrived b.1@70']);
		expect(gone.events[1]).toMatchObject({ target: 'voicemail', reason: 'wait', line: 2 });
	});

	it('flush(now) releases a held caller on the wall clock; EXITEMPTY is no-agents; EXITWITHKEY in its old two-field form', () => {
		const m = new QueueLogMapper({ moveWindowMs: 2000 });
		run(
			[
				`${T}|a.1|sales|NONE|ENTERQUEUE||1|1`,
				`${T + 3}|a.1|sales|NONE|EXITEMPTY|1|1|3`,
				`${T + 4}|b.1|sales|NONE|ENTERQUEUE||1|1`,
				`${T + 5}|b.1|sales|NONE|EXITWITHKEY|1|1`
			],
			m,
			false
		);
		expect(m.flush((T + 5) * 1000).map((x) => x.event.type)).toEqual([]);
		expect(m.flush((T + 5) * 1000 + 1).map((x) => x.event)).toMatchObject([
			{ type: 'call.overflowed', callId: 'a.1', reason: 'no-agents' }
		]);
		expect(m.end().map((x) => x.event)).toMatchObject([{ type: 'call.overflowed', callId: 'b.1', reason: 'wait' }]);
	});

	it("an agent's blind transfer to a queue moves the call (the agent is freed there); to an extension it ends the call", () => {
		const toQueue = run([
			`${T}|a.1|sales|NONE|ENTERQUEUE||1|1`,
			`${T + 5}|a.1|sales|Ann|CONNECT|5|x|1`,
			`${T + 65}|a.1|sales|Ann|BLINDTRANSFER|7002|ext-queues|5|60|1`,
			`${T + 65}|a.1|support|NONE|ENTERQUEUE||1|1`,
			`${T + 80}|a.1|support|Cy|CONNECT|15|y|1`,
			`${T + 99}|a.1|support|Cy|COMPLETECALLER|15|19|1`
		]);
		expect(toQueue.brief.filter((b) => !b.startsWith('agent'))).toEqual([
			'call.arrived a.1@0',
			'call.offered a.1@5',
			'call.answered a.1@5',
			'call.transferred a.1@65',
			'call.offered a.1@80',
			'call.answered a.1@80',
			'call.ended a.1@99'
		]);
		const away = run([
			`${T}|a.1|sales|NONE|ENTERQUEUE||1|1`,
			`${T + 5}|a.1|sales|Ann|CONNECT|5|x|1`,
			`${T + 65}|a.1|sales|Ann|ATTENDEDTRANSFER|LINK|chan1|chan2|5|60|1`
		]);
		expect(away.brief.at(-1)).toBe('call.ended a.1@65');
	});

	it('a call whose ENTERQUEUE was never seen is placed back from the hold and call times; without them it is refused', () => {
		const { brief, mapper, refused } = run([
			`${T + 100}|a.1|sales|Ann|COMPLETECALLER|20|80|1`,
			`${T + 100}|b.1|sales|NONE|ABANDON|2|3|45`,
			`${T + 100}|c.1|sales|Ann|RINGNOANSWER|15000`,
			`${T + 100}|d.1|sales|Ann|COMPLETECALLER`
		]);
		expect(brief.filter((b) => !b.startsWith('agent'))).toEqual([
			'call.arrived a.1@0',
			'call.offered a.1@20',
			'call.answered a.1@20',
			'call.ended a.1@100',
			'call.arrived b.1@55',
			'call.abandoned b.1@100'
		]);
		expect(mapper.counts.quirks.arrivalInferred).toBe(2);
		expect(refused.map((r) => [r.line, r.reason])).toEqual([
			[3, 'unknown-call'],
			[4, 'unknown-call']
		]);
	});

	it('the same channel queueing again after its call ended is a new call; impossible steps are refused, not applied', () => {
		const { brief, refused } = run([
			`${T}|a.1|sales|NONE|ENTERQUEUE||1|1`,
			`${T + 5}|a.1|sales|Ann|CONNECT|5`,
			`${T + 6}|a.1|sales|Ann|CONNECT|6`,
			`${T + 7}|a.1|sales|NONE|ABANDON|1|1|7`,
			`${T + 50}|a.1|sales|Ann|COMPLETEAGENT|5|45|1`,
			`${T + 51}|a.1|support|NONE|ENTERQUEUE||1|1`,
			`${T + 52}|a.1|support|NONE|ENTERQUEUE||1|1`
		]);
		expect(brief.filter((b) => !b.startsWith('agent'))).toEqual([
			'call.arrived a.1@0',
			'call.offered a.1@5',
			'call.answered a.1@5',
			'call.ended a.1@50',
			'call.arrived a.1~2@51'
		]);
		expect(refused.map((r) => [r.line, r.reason])).toEqual([
			[3, 'bad-transition'],
			[4, 'bad-transition'],
			[7, 'bad-transition']
		]);
	});

	it('pauses: away when paused in every queue or with PAUSEALL, back on UNPAUSE; logoff and removal make the agent offline', () => {
		const { events } = run([
			`${T}|NONE|sales|Ann|ADDMEMBER|`,
			`${T}|NONE|support|Ann|ADDMEMBER|`,
			`${T + 1}|NONE|sales|Ann|PAUSE|Coffee`,
			`${T + 2}|NONE|support|Ann|PAUSE|Coffee`,
			`${T + 3}|NONE|sales|Ann|UNPAUSE|`,
			`${T + 4}|NONE|NONE|Ann|PAUSEALL|`,
			`${T + 4}|NONE|sales|Ann|PAUSE|Meeting`,
			`${T + 5}|NONE|NONE|Ann|UNPAUSEALL|`,
			`${T + 6}|NONE|sales|Ann|REMOVEMEMBER|`,
			`${T + 7}|NONE|support|Ann|REMOVEMEMBER|`,
			`${T + 8}|NONE|NONE|Bo|AGENTLOGIN|PJSIP/7`,
			`${T + 9}|NONE|NONE|Bo|AGENTLOGOFF|PJSIP/7|60`
		]);
		const seen = events.flatMap((e) =>
			e.type === 'agent.state' ? [[e.agentId, e.state, e.reason ?? '', Object.keys(e.skills ?? {}).join('+')]] : []
		);
		expect(seen).toEqual([
			['Ann', 'available', '', 'sales'],
			['Ann', 'available', '', 'sales+support'],
			['Ann', 'away', 'Coffee', 'sales+support'],
			['Ann', 'available', '', 'sales+support'],
			['Ann', 'away', '', 'sales+support'],
			['Ann', 'away', 'Meeting', 'sales+support'],
			['Ann', 'available', '', 'sales+support'],
			['Ann', 'available', '', 'support'],
			['Ann', 'offline', '', ''],
			['Bo', 'available', '', ''],
			['Bo', 'offline', '', '']
		]);
	});

	it('QUEUESTART closes what was on the line; CONFIGRELOAD changes nothing; repeats and unknown verbs are counted', () => {
		const { brief, mapper, refused } = run([
			`${T}|a.1|sales|NONE|ENTERQUEUE||1|1`,
			`${T}|a.1|sales|NONE|ENTERQUEUE||1|1`,
			`${T + 1}|a.1|sales|NONE|DID|5550000`,
			`${T + 2}|NONE|NONE|NONE|CONFIGRELOAD|`,
			`${T + 3}|NONE|NONE|NONE|QUEUESTART|`
		]);
		expect(brief).toEqual(['call.arrived a.1@0', 'call.abandoned a.1@3']);
		expect(mapper.counts.quirks.closedByRestart).toBe(1);
		expect(mapper.counts.unknownVerbs).toEqual({ DID: 1 });
		expect(refused.map((r) => r.reason)).toEqual(['duplicate-line', 'unknown-verb']);
		expect(mapper.counts.byVerb).toEqual({ ENTERQUEUE: 1, CONFIGRELOAD: 1, QUEUESTART: 1 });
	});

	it('event ids are unique, stable across runs, and within the schema limit even for long names', () => {
		const long = 'q'.repeat(120);
		const lines = [
			`${T}|a.1|${long}|NONE|ENTERQUEUE||1|1`,
			`${T + 1}|a.1|${long}|${'A'.repeat(120)}|CONNECT|1`,
			`${T + 2}|a.1|${long}|${'A'.repeat(120)}|COMPLETECALLER|1|1|1`
		];
		const a = run(lines).events.map((e) => e.id);
		const b = run(lines).events.map((e) => e.id);
		expect(a).toEqual(b);
		expect(new Set(a).size).toBe(a.length);
		for (const id of a) expect(id.length).toBeLessThanOrEqual(128);
	});

	describe('memory, whatever the stamps say', () => {
		/** a call every 0.5 s, for `calls` calls: ENTERQUEUE, CONNECT, COMPLETECALLER, in time order */
		function day(start: number, calls: number): string[] {
			const lines: Array<[number, string]> = [];
			for (let i = 0; i < calls; i++) {
				const t = start + Math.floor(i / 2);
				lines.push([t, `${t}|c.${i}|sales|NONE|ENTERQUEUE||555|1`]);
				lines.push([t + 5, `${t + 5}|c.${i}|sales|Ann|CONNECT|5`]);
				lines.push([t + 60, `${t + 60}|c.${i}|sales|Ann|COMPLETECALLER|5|55|1`]);
			}
			return lines.sort((a, b) => a[0] - b[0]).map(([, l]) => l);
		}

		it('a live line stamped far ahead of the wall clock is refused as future; pruning and ordering go on as before', () => {
			let wall = T * 1000;
			const m = new QueueLogMapper({ now: () => wall });
			expect(m.feed(`9999999999|x.1|sales|NONE|ENTERQUEUE||555|1`, 1).rejections).toMatchObject([{ reason: 'future', line: 1 }]);
			let n = 1;
			let events = 0;
			for (const line of day(T, 21_600)) {
				wall = (Number(line.slice(0, 10)) + 1) * 1000;
				events += m.feed(line, ++n).events.length;
			}
			expect(m.counts.rejected.future).toBe(1);
			expect(m.counts.quirks.outOfOrder).toBe(0);
			expect(events).toBe(21_600 * 4 + 1);
			// lines of the last hour (the repeat window) and a minute of pruning slack, not the whole stream
			const r = m.remembered;
			expect(r.lines).toBeLessThan(3 * 7_320 + 100);
			expect(r.calls).toBeLessThan(200);
		});

		it('outOfOrder counts only lines really behind: one future line does not make every later line late', () => {
			const wall = (T + 100) * 1000;
			const m = new QueueLogMapper({ now: () => wall });
			m.feed(`9999999999|x.1|sales|NONE|ENTERQUEUE||555|1`, 1);
			for (let i = 0; i < 50; i++) m.feed(`${T + i}|c.${i}|sales|NONE|ENTERQUEUE||555|1`, i + 2);
			expect(m.counts.quirks.outOfOrder).toBe(0);
			expect(m.counts.byVerb.ENTERQUEUE).toBe(50);
		});

		it('without a wall clock (an import) the lines remembered and the calls followed stay within their caps', () => {
			const m = new QueueLogMapper({ maxLines: 1_000, maxCalls: 200, maxFinished: 500 });
			m.feed(`9999999999|x.1|sales|NONE|ENTERQUEUE||555|1`, 1);
			let n = 1;
			for (const line of day(T, 3_000)) m.feed(line, ++n);
			// calls that never end: the oldest are forgotten, counted
			for (let i = 0; i < 1_000; i++) m.feed(`${T + 2_000}|open.${i}|sales|NONE|ENTERQUEUE||555|1`, ++n);
			const r = m.remembered;
			expect(r.lines).toBeLessThanOrEqual(1_000);
			expect(r.calls).toBeLessThanOrEqual(200);
			expect(r.finished).toBeLessThanOrEqual(500);
			expect(m.counts.quirks.callsForgotten).toBe(801);
			// a forgotten call's end is still placed back from its hold and call times
			const end = m.feed(`${T + 2_100}|open.0|sales|Ann|COMPLETECALLER|40|60|1`, ++n);
			expect(end.events.map((e) => e.event.type)).toContain('call.ended');
		});
	});
});
