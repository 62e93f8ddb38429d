import { describe, expect, it } from 'vitest';
import type { HeatEvent } from '../../engine/events';
import type { JournalHeader } from '../../../../simulator/import/journal';
import { observeEngineConfig, type ReplayJournal } from './journal';
import { dueTimes, ReplayRunner } from './runner';

const S = 1000;
const DAY = 86_400_000;

function journalOf(events: HeatEvent[]): ReplayJournal {
	const header: JournalHeader = { format: 'heatboard-journal', v: 1, source: 'test' };
	return {
		path: 'test.ndjson',
		name: 'test.ndjson',
		header,
		engine: observeEngineConfig(header, events),
		originMs: 0,
		events,
		clocks: null,
		lines: Int32Array.from(events.map((_, i) => i + 2)),
		bad: [],
		badByReason: { notJson: 0, invalid: 0 }
	};
}

const agent = (t: number): HeatEvent => ({
	type: 'agent.state',
	id: `a@${t}`,
	t,
	agentId: 'ann',
	state: 'available',
	skills: { sales: 1 }
});
const arrived = (id: string, t: number): HeatEvent => ({ type: 'call.arrived', id, t, callId: id, queue: 'sales' });
const answered = (id: string, t: number): HeatEvent => ({ type: 'call.answered', id: `${id}/ans`, t, callId: id, agentId: 'ann' });
const ended = (id: string, t: number, wrapMs: number): HeatEvent => ({ type: 'call.ended', id: `${id}/end`, t, callId: id, wrapMs });

describe('dueTimes', () => {
	it('keeps the times of an ordered journal', () => {
		expect([...dueTimes([arrived('a', 1), arrived('b', 5), arrived('c', 5), arrived('d', 9)])]).toEqual([1, 5, 5, 9]);
	});

	it('a broken clock a day ahead does not hold back the events after it; a late event pulls earlier ones to its time', () => {
		const events = [
			arrived('a', 10 * S),
			arrived('x', 10 * S + 2 * DAY),
			arrived('b', 20 * S),
			arrived('late', 15 * S),
			arrived('c', 30 * S)
		];
		expect([...dueTimes(events)]).toEqual([10 * S, 10 * S, 15 * S, 15 * S, 30 * S]);
	});
});

describe('ReplayRunner', () => {
	it('delivers the timers the engine schedules (wrap-up ends) at their time, before events of that instant', () => {
		const events = [
			agent(0),
			arrived('c1', 1 * S),
			answered('c1', 2 * S),
			ended('c1', 10 * S, 5 * S),
			arrived('c2', 15 * S),
			answered('c2', 15 * S)
		];
		const runner = new ReplayRunner(journalOf(events), Number.POSITIVE_INFINITY);
		const s = runner.initial(false);
		runner.runTo(s, 12 * S);
		expect(s.engine.agents.get('ann')?.state).toBe('wrap-up');
		expect(s.timers.size).toBe(1);
		runner.runTo(s, 16 * S);
		// the wrap ended at 15 s, just before the answer at 15 s: no contradiction, nothing refused
		expect(s.engine.agents.get('ann')?.state).toBe('busy');
		expect(s.engine.counts.contradictions).toEqual({});
		expect(Object.values(s.engine.counts.rejected).every((n) => n === 0)).toBe(true);
	});

	it('a recorded copy of a timer the engine scheduled itself is not applied a second time', () => {
		const day = [agent(0), arrived('c1', 1 * S), answered('c1', 2 * S), ended('c1', 10 * S, 5 * S), arrived('c2', 20 * S)];
		// the timer as the recording engine wrote it: the one this engine schedules, same id and time
		const first = new ReplayRunner(journalOf(day), Number.POSITIVE_INFINITY);
		const timers: HeatEvent[] = [];
		first.runTo(first.initial(false), 30 * S, { event: (e) => void (e.type === 'timer' && timers.push(e)) });
		expect(timers).toHaveLength(1);
		const timer = timers[0] as HeatEvent;
		expect(timer.t).toBe(15 * S);

		const recorded = [...day.slice(0, 4), timer, ...day.slice(4)];
		const runner = new ReplayRunner(journalOf(recorded), Number.POSITIVE_INFINITY);
		const s = runner.initial(false);
		const applied: string[] = [];
		runner.runTo(s, 30 * S, { event: (e) => applied.push(e.id) });
		expect(applied.filter((id) => id === timer.id)).toHaveLength(1);
		expect(s.engine.counts.timersStale).toBe(0);
		expect(s.engine.agents.get('ann')?.state).toBe('available');
	});

	it('an event stamped far ahead is refused as future and the day goes on', () => {
		const events = [agent(0), arrived('a', 1 * S), arrived('x', 1 * S + 3 * DAY), arrived('b', 2 * S)];
		const runner = new ReplayRunner(journalOf(events), Number.POSITIVE_INFINITY);
		expect(runner.endMs).toBe(60_000);
		const refused: Array<[number, string]> = [];
		const s = runner.initial(false);
		runner.runTo(s, runner.endMs, { rejected: (i, reason) => refused.push([i, reason]) });
		expect(refused).toEqual([[2, 'future']]);
		expect(s.engine.arrived).toBe(2);
	});
});
