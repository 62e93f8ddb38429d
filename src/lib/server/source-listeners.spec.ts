import { describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine';
import { BoardHistory } from '../board/history';
import type { HeatEvent } from '../engine/events';
import { SourceListeners } from './source-listeners';

describe('SourceListeners', () => {
	it('tells every listener of a kind, until its unsubscribe is called', () => {
		const l = new SourceListeners();
		const events: string[] = [];
		const samples: number[] = [];
		const offA = l.onEvent((e) => events.push(`a:${e.id}`));
		l.onEvent((e) => events.push(`b:${e.id}`));
		const offS = l.onSample((t) => samples.push(t));
		const e: HeatEvent = { type: 'call.arrived', id: 'c1', t: 1, callId: 'c1', queue: 'q' };
		l.event(e);
		l.sample(60);
		offA();
		offS();
		l.event({ ...e, id: 'c2' });
		l.sample(120);
		expect(events).toEqual(['a:c1', 'b:c1', 'b:c2']);
		expect(samples).toEqual([60]);
	});

	it('passes a day listener exactly the arguments given: a history only when the source has one', () => {
		const l = new SourceListeners();
		const calls: unknown[][] = [];
		const off = l.onDay((...args) => calls.push(args));
		const engine = new Engine({});
		const history = new BoardHistory(engine);
		l.day(engine);
		l.day(engine, history);
		off();
		l.day(engine);
		expect(calls).toEqual([[engine], [engine, history]]);
		expect(calls[0]).toHaveLength(1);
	});
});
