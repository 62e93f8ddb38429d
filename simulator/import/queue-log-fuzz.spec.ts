import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/lib/engine/engine';
import { Driver } from '../../src/lib/engine/driver';
import type { EngineConfigInput } from '../../src/lib/engine/config';
import { importQueueLogLines, queueLogJournalHeader } from './queue-log';
import { QueueLogMapper, type QueueLogCounts } from './queue-log-mapper';

/**
 * Bad input never throws, is counted, and never costs the good lines around it their events.
 * Good days are made of calls one after another (so no agent is on two calls), each line at its
 * own second, so the file's order is the time order.
 */

const BASE = Date.parse('2026-03-10T08:00:00Z') / 1000;
const AGENTS = ['Ann', 'Ben', 'Cy'];

const callSpec = fc.record({
	queue: fc.constantFrom('sales', 'support'),
	gap: fc.integer({ min: 1, max: 300 }),
	hold: fc.integer({ min: 1, max: 200 }),
	talk: fc.integer({ min: 1, max: 900 }),
	agent: fc.constantFrom(...AGENTS),
	answered: fc.boolean(),
	missedBy: fc.option(fc.constantFrom(...AGENTS), { nil: undefined })
});

type CallSpec = typeof callSpec extends fc.Arbitrary<infer T> ? T : never;

function goodLines(calls: CallSpec[]): string[] {
	const lines = AGENTS.map((a, i) => `${BASE + i}|NONE|sales|${a}|ADDMEMBER|`);
	lines.push(...AGENTS.map((a, i) => `${BASE + 10 + i}|NONE|support|${a}|ADDMEMBER|`));
	let t = BASE + 100;
	calls.forEach((c, i) => {
		t += c.gap;
		const id = `${t}.${i}`;
		const start = t;
		lines.push(`${t}|${id}|${c.queue}|NONE|ENTERQUEUE||5550${i}|1`);
		if (c.missedBy !== undefined && c.hold > 1) lines.push(`${++t}|${id}|${c.queue}|${c.missedBy}|RINGNOANSWER|15000`);
		t = Math.max(t + 1, start + c.hold);
		if (!c.answered) {
			lines.push(`${t}|${id}|${c.queue}|NONE|ABANDON|1|1|${t - start}`);
			return;
		}
		lines.push(`${t}|${id}|${c.queue}|${c.agent}|CONNECT|${t - start}|${t}.${i}9|3`);
		const answer = t;
		t += c.talk;
		lines.push(`${t}|${id}|${c.queue}|${c.agent}|COMPLETECALLER|${answer - start}|${t - answer}|1`);
	});
	return lines;
}

const garbage = fc.oneof(
	fc.string({ maxLength: 80 }),
	fc.string({ unit: 'grapheme', maxLength: 40 }),
	fc.array(fc.string({ maxLength: 12 }), { maxLength: 9 }).map((f) => f.join('|')),
	fc
		.tuple(fc.constantFrom('ENTERQUEUE', 'CONNECT', 'ABANDON', 'PAUSE', 'FOO', ''), fc.array(fc.string({ maxLength: 6 }), { maxLength: 4 }))
		.map(([verb, data]) => ['notatime', 'x', 'q', 'a', verb, ...data].join('|'))
);

function accounted(c: QueueLogCounts): number {
	return Object.values(c.byVerb).reduce((a, b) => a + b, 0) + Object.values(c.rejected).reduce((a, b) => a + b, 0);
}

async function importDay(lines: string[]) {
	const r = await importQueueLogLines(lines);
	return { r, events: r.days.get('2026-03-10') ?? [] };
}

describe('queue_log: bad input (property tests)', () => {
	it('garbage lines never throw and every line is either mapped or refused by reason', () => {
		fc.assert(
			fc.property(fc.array(garbage, { maxLength: 60 }), (lines) => {
				const m = new QueueLogMapper();
				lines.forEach((l, i) => m.feed(l, i + 1));
				m.end();
				expect(m.counts.lines).toBe(lines.length);
				expect(accounted(m.counts)).toBe(lines.length);
			}),
			{ numRuns: 300 }
		);
	});

	it('garbage between good lines costs the good lines nothing: the same events, and a clean replay', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(callSpec, { minLength: 1, maxLength: 15 }),
				fc.array(fc.tuple(fc.nat(), garbage), { maxLength: 20 }),
				async (calls, junk) => {
					const good = goodLines(calls);
					const mixed = [...good];
					for (const [at, g] of junk) mixed.splice(at % (mixed.length + 1), 0, g);
					const clean = await importDay(good);
					const dirty = await importDay(mixed);
					expect(dirty.events).toEqual(clean.events);
					// blank lines are no lines (the importer skips them, like the other importers)
					const nonBlank = mixed.filter((l) => l.replace(/\r$/, '').trim() !== '').length;
					expect(dirty.r.counts.lines).toBe(nonBlank);
					expect(accounted(dirty.r.counts)).toBe(nonBlank);
					const engine = new Engine(queueLogJournalHeader('2026-03-10', dirty.events, 'x', 0, 0).engine as EngineConfigInput);
					const driver = new Driver(engine, false);
					driver.pushAll(dirty.events);
					expect(driver.rejected).toEqual([]);
					expect(engine.all.dayAt(engine.clock).offered).toBe(calls.length);
					expect(engine.all.dayAt(engine.clock).answered).toBe(calls.filter((c) => c.answered).length);
				}
			),
			{ numRuns: 60 }
		);
	});

	it('a file cut at any byte never throws; every line before the cut keeps its events', () => {
		fc.assert(
			fc.property(fc.array(callSpec, { minLength: 1, maxLength: 10 }), fc.nat(), (calls, cutAt) => {
				const text = goodLines(calls).join('\n') + '\n';
				const cut = text.slice(0, cutAt % (text.length + 1));
				const full = new QueueLogMapper();
				const fullEvents = text.split('\n').flatMap((l, i) => full.feed(l, i + 1).events);
				const part = new QueueLogMapper();
				const partLines = cut.split('\n');
				const partEvents = partLines.flatMap((l, i) => part.feed(l, i + 1).events);
				const whole = partLines.length - 1; // the last piece may be a cut line
				expect(partEvents.filter((e) => e.line <= whole)).toEqual(fullEvents.filter((e) => e.line <= whole));
				expect(accounted(part.counts)).toBe(partLines.length);
			}),
			{ numRuns: 300 }
		);
	});

	it('shuffled and duplicated lines: the importer puts them back in time order, drops the repeats and counts both', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(callSpec, { minLength: 1, maxLength: 12 }),
				fc.array(fc.nat(), { maxLength: 10 }),
				fc.integer(),
				async (calls, dupPicks, seed) => {
					const good = goodLines(calls);
					const lines = [...good, ...dupPicks.map((k) => good[k % good.length] as string)];
					// a seeded Fisher-Yates, so a failure replays
					let s = seed >>> 0;
					const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
					for (let i = lines.length - 1; i > 0; i--) {
						const j = Math.floor(rnd() * (i + 1));
						[lines[i], lines[j]] = [lines[j] as string, lines[i] as string];
					}
					const clean = await importDay(good);
					const shuffled = await importDay(lines);
					expect(shuffled.events).toEqual(clean.events);
					expect(shuffled.r.counts.rejected['duplicate-line']).toBe(dupPicks.length);
					expect(accounted(shuffled.r.counts)).toBe(lines.length);
				}
			),
			{ numRuns: 60 }
		);
	});
});
