import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EngineTimer } from '../engine/events';
import { deepClone } from './replay/clone';
import { TimerQueue } from './timer-queue';

const timer = (id: string, t: number): EngineTimer => ({ type: 'timer', id, t, kind: 'wrap.end', agentId: id });

function drain(q: TimerQueue): string[] {
	const ids: string[] = [];
	for (let e = q.pop(); e !== undefined; e = q.pop()) ids.push(e.id);
	return ids;
}

describe('TimerQueue', () => {
	it('gives timers earliest first, and those due at one instant in the order scheduled', () => {
		const q = new TimerQueue();
		expect(q.nextAt).toBe(Number.POSITIVE_INFINITY);
		expect(q.pop()).toBeUndefined();
		for (const [id, at] of [
			['c', 30],
			['a1', 10],
			['b', 20],
			['a2', 10],
			['a3', 10]
		] as const)
			q.push(at, timer(id, at));
		expect(q.size).toBe(5);
		expect(q.nextAt).toBe(10);
		expect(drain(q)).toEqual(['a1', 'a2', 'a3', 'b', 'c']);
		expect(q.size).toBe(0);
	});

	it('popDue takes only timers due at or before t, with their time', () => {
		const q = new TimerQueue();
		q.push(20, timer('late', 20));
		q.push(10, timer('early', 10));
		expect(q.popDue(9)).toBeUndefined();
		expect(q.popDue(10)).toMatchObject({ at: 10, event: { id: 'early' } });
		expect(q.popDue(19)).toBeUndefined();
		expect(q.popDue(25)?.event.id).toBe('late');
		expect(q.popDue(Number.POSITIVE_INFINITY)).toBeUndefined();
	});

	it('remove forgets one timer by id and keeps the order of the rest; an unknown id is ignored', () => {
		const q = new TimerQueue();
		for (let i = 0; i < 8; i++) q.push(i % 3, timer(`t${i}`, i % 3));
		q.remove('t4');
		q.remove('nope');
		expect(q.size).toBe(7);
		expect(drain(q)).toEqual(['t0', 't3', 't6', 't1', 't7', 't2', 't5']);
	});

	it('matches a sorted list under any mix of push, pop, popDue and remove', () => {
		type Op = { op: 'push'; at: number } | { op: 'pop' } | { op: 'popDue'; t: number } | { op: 'remove'; k: number };
		const op = fc.oneof(
			fc.record({ op: fc.constant('push' as const), at: fc.integer({ min: 0, max: 20 }) }),
			fc.record({ op: fc.constant('pop' as const) }),
			fc.record({ op: fc.constant('popDue' as const), t: fc.integer({ min: -1, max: 21 }) }),
			fc.record({ op: fc.constant('remove' as const), k: fc.nat(40) })
		);
		fc.assert(
			fc.property(fc.array(op as fc.Arbitrary<Op>, { maxLength: 80 }), (ops) => {
				const q = new TimerQueue();
				// the model: (at, scheduling order), kept sorted
				const model: Array<{ at: number; id: string }> = [];
				let n = 0;
				for (const o of ops) {
					if (o.op === 'push') {
						const id = `t${n++}`;
						q.push(o.at, timer(id, o.at));
						let i = model.length;
						while (i > 0 && (model[i - 1] as { at: number }).at > o.at) i--;
						model.splice(i, 0, { at: o.at, id });
					} else if (o.op === 'pop') {
						expect(q.pop()?.id).toBe(model.shift()?.id);
					} else if (o.op === 'popDue') {
						const due = model[0] !== undefined && model[0].at <= o.t ? model.shift() : undefined;
						expect(q.popDue(o.t)?.event.id).toBe(due?.id);
					} else {
						const id = `t${o.k}`;
						q.remove(id);
						const i = model.findIndex((m) => m.id === id);
						if (i >= 0) model.splice(i, 1);
					}
					expect(q.size).toBe(model.length);
					expect(q.nextAt).toBe(model[0]?.at ?? Number.POSITIVE_INFINITY);
				}
				expect(drain(q)).toEqual(model.map((m) => m.id));
			})
		);
	});

	it('a deep copy (a replay checkpoint) carries on exactly like the original, independently', () => {
		const q = new TimerQueue();
		q.push(5, timer('x', 5));
		q.push(5, timer('y', 5));
		q.push(1, timer('w', 1));
		const copy = deepClone(q);
		copy.push(5, timer('z', 5));
		q.push(5, timer('z', 5));
		expect(drain(copy)).toEqual(['w', 'x', 'y', 'z']);
		expect(q.size).toBe(4);
		expect(drain(q)).toEqual(['w', 'x', 'y', 'z']);
	});
});
