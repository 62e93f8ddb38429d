import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { snapshot } from '../../engine/views';
import { dayEvents, journalHeader, parseAnonymousBankFile } from '../../../../simulator/import/anonymous-bank';
import { deepClone } from './clone';
import { observeEngineConfig, type ReplayJournal } from './journal';
import { ReplayRunner, type ReplayState } from './runner';

class Point {
	constructor(
		public x: number,
		public y: number
	) {}
	get norm(): number {
		return Math.hypot(this.x, this.y);
	}
	moved(dx: number): Point {
		return new Point(this.x + dx, this.y);
	}
}

class Tagged extends Map<string, number> {
	label = 'tags';
}

describe('deepClone', () => {
	it('keeps prototypes, methods and getters, and copies rather than shares', () => {
		const p = new Point(3, 4);
		const c = deepClone(p);
		expect(c).not.toBe(p);
		expect(c).toBeInstanceOf(Point);
		expect(c.norm).toBe(5);
		expect(c.moved(1).x).toBe(4);
		c.x = 10;
		expect(p.x).toBe(3);
	});

	it('copies Map and Set (object keys too), Date, RegExp, typed arrays on a shared buffer, and subclass fields', () => {
		const key = { k: 1 };
		const buf = new ArrayBuffer(16);
		const f64 = new Float64Array(buf);
		const u8 = new Uint8Array(buf, 8, 4);
		f64[0] = 1.5;
		const tagged = new Tagged([['a', 1]]);
		const src = {
			map: new Map<object, string>([[key, 'v']]),
			set: new Set([key, 7]),
			when: new Date(1_000_000),
			re: /a+b/gi,
			f64,
			u8,
			i32: Int32Array.from([1, -2, 3]),
			tagged,
			key
		};
		src.re.lastIndex = 2;
		const c = deepClone(src);
		expect(c).toStrictEqual(src);
		expect(c.map.get(c.key)).toBe('v');
		expect(c.set.has(c.key)).toBe(true);
		expect(c.when).not.toBe(src.when);
		expect(c.when.getTime()).toBe(1_000_000);
		expect(c.re.lastIndex).toBe(2);
		expect(c.re.flags).toBe('gi');
		// the two views still share one (new) buffer
		expect(c.f64.buffer).toBe(c.u8.buffer);
		expect(c.f64.buffer).not.toBe(buf);
		c.u8[0] = 9;
		expect(new Uint8Array(c.f64.buffer)[8]).toBe(9);
		expect(u8[0]).toBe(0);
		expect(c.tagged).toBeInstanceOf(Tagged);
		expect(c.tagged.label).toBe('tags');
		expect(c.tagged.get('a')).toBe(1);
	});

	it('keeps shared references and cycles, and copies functions by reference', () => {
		const shared = { n: 1 };
		const node: { self?: unknown; a: object; b: object; fn: () => number; list: unknown[] } = {
			a: shared,
			b: shared,
			fn: () => 42,
			list: []
		};
		node.self = node;
		node.list.push(node, shared);
		const c = deepClone(node);
		expect(c.self).toBe(c);
		expect(c.a).toBe(c.b);
		expect(c.a).not.toBe(shared);
		expect(c.list[0]).toBe(c);
		expect(c.list[1]).toBe(c.a);
		expect(c.fn).toBe(node.fn);
	});

	it('keeps holes, symbol and non-enumerable keys, frozen and sealed objects, null prototypes', () => {
		const sym = Symbol('s');
		// eslint-disable-next-line no-sparse-arrays
		const holes = [1, , 3];
		const hidden = {};
		Object.defineProperty(hidden, 'secret', { value: { deep: true }, enumerable: false, writable: false });
		const bare = Object.create(null) as Record<string, number>;
		bare.x = 1;
		const src = { holes, [sym]: { s: 1 }, hidden, frozen: Object.freeze({ f: { g: 1 } }), sealed: Object.seal({ s: 2 }), bare };
		const c = deepClone(src);
		expect(1 in c.holes).toBe(false);
		expect(c.holes).toHaveLength(3);
		expect(c[sym]).toEqual({ s: 1 });
		expect(c[sym]).not.toBe(src[sym]);
		const d = Object.getOwnPropertyDescriptor(c.hidden, 'secret');
		expect(d).toMatchObject({ enumerable: false, writable: false, value: { deep: true } });
		expect(Object.isFrozen(c.frozen)).toBe(true);
		expect(c.frozen.f).not.toBe(src.frozen.f);
		expect(Object.isSealed(c.sealed)).toBe(true);
		expect(Object.getPrototypeOf(c.bare)).toBe(null);
		expect(c.bare.x).toBe(1);
	});

	it('refuses what it cannot copy faithfully', () => {
		expect(() => deepClone({ w: new WeakMap() })).toThrow(TypeError);
		expect(() => deepClone({ p: Promise.resolve(1) })).toThrow(TypeError);
	});

	it('does not overflow the stack on a long linked list', () => {
		type Node = { next: Node | null; v: number };
		let head: Node | null = null;
		for (let i = 0; i < 200_000; i++) head = { next: head, v: i };
		const c = deepClone(head) as Node;
		let n = 0;
		for (let p: Node | null = c; p !== null; p = p.next) n++;
		expect(n).toBe(200_000);
	});

	it('equals its source, structurally, for any value (property)', () => {
		fc.assert(
			fc.property(
				fc.anything({
					withMap: true,
					withSet: true,
					withDate: true,
					withTypedArray: true,
					withSparseArray: true,
					withNullPrototype: true,
					withBigInt: true,
					withBoxedValues: true,
					withObjectString: true
				}),
				(v) => {
					const c = deepClone(v);
					expect(c).toStrictEqual(v);
					if (typeof v === 'object' && v !== null) expect(c).not.toBe(v);
				}
			),
			{ numRuns: 300 }
		);
	});
});

/**
 * The clone's real job: a checkpoint of the engine, its timers and the board history in the middle
 * of a real recorded day must go on exactly like the original, and running the copy must leave the
 * original untouched.
 */
describe('deepClone of a replay in the middle of a real day (property)', () => {
	let runner: ReplayRunner;
	let expectedEnd: string;

	const FIXTURE = fileURLToPath(new URL('../../../../tests/fixtures/anonymous-bank/990505.txt', import.meta.url));
	beforeAll(async () => {
		const parsed = await parseAnonymousBankFile(FIXTURE);
		const events = dayEvents(parsed.days.get('990505') ?? []);
		const header = journalHeader('990505', events, '990505.txt');
		const journal: ReplayJournal = {
			path: FIXTURE,
			name: '990505',
			header,
			engine: observeEngineConfig(header, events),
			originMs: 0,
			events,
			clocks: null,
			lines: new Int32Array(events.length),
			bad: [],
			badByReason: { notJson: 0, invalid: 0 }
		};
		runner = new ReplayRunner(journal, 15_000);
		const whole = runner.initial(true);
		runner.runTo(whole, runner.endMs);
		expectedEnd = fingerprint(whole, runner.endMs);
	});

	/** everything a board or a summary reads: the engine's snapshot, the trend and the heat map */
	function fingerprint(s: ReplayState, t: number): string {
		const h = s.history;
		return JSON.stringify({
			snapshot: snapshot(s.engine, t),
			series: h?.series.forBoard([...s.engine.queues.keys()], null),
			heatmap: h?.heatmap.heatmap(null, 200),
			timers: s.timers.size,
			next: s.next
		});
	}

	it('a clone taken at any moment continues exactly like the original, and the original does not see its events', () => {
		fc.assert(
			fc.property(fc.integer({ min: runner.startMs, max: runner.endMs }), (cut) => {
				const original = runner.initial(true);
				runner.runTo(original, cut);
				const before = fingerprint(original, cut);
				const copy = deepClone(original);
				// identity checks by hand: a failed toBe would deep-compare two engines for its message
				expect(copy.engine === original.engine).toBe(false);
				expect(copy.history?.engine === copy.engine).toBe(true);

				runner.runTo(copy, runner.endMs);
				expect(fingerprint(original, cut), 'the original changed when its clone ran').toBe(before);
				expect(fingerprint(copy, runner.endMs)).toBe(expectedEnd);

				runner.runTo(original, runner.endMs);
				expect(fingerprint(original, runner.endMs)).toBe(expectedEnd);
			}),
			{ numRuns: 10 }
		);
	}, 120_000);
});
