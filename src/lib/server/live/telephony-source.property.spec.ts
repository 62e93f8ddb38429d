import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HeatEvent } from '../../engine/events';
import { parseEvent } from '../../engine/schema';
import { snapshot } from '../../engine/views';
import { readJournal } from '../../../../simulator/import/journal';
import { TelephonySource } from './telephony-source';
import { callScript, type ScriptedEvent } from './test-support/call-script';

// early in the day: the first advance samples from midnight, which is not what is under test here
const T0 = Date.UTC(2026, 10, 23, 0, 5, 0);
const dir = () => mkdtempSync(join(tmpdir(), 'hb-live-prop-'));

type GarbageKind = 'shape' | 'hostile' | 'unknownCall' | 'duplicate' | 'stale' | 'future' | 'oversized' | 'adapter';

interface Garbage {
	/** delivered just before the good event at this index (or after the last) */
	pos: number;
	kind: GarbageKind;
	anything: unknown;
	/** picks an earlier good event, as a fraction of those delivered so far */
	pick: number;
	offset: number;
	bigField: 'id' | 'callId' | 'queue' | 'agentId' | 'caller';
	bigLength: number;
}

const garbage = (n: number): fc.Arbitrary<Garbage> =>
	fc.record({
		pos: fc.integer({ min: 0, max: n }),
		kind: fc.constantFrom<GarbageKind>('shape', 'hostile', 'unknownCall', 'duplicate', 'stale', 'future', 'oversized', 'adapter'),
		anything: fc.oneof(
			fc.anything(),
			fc.record({
				type: fc.constantFrom('call.arrived', 'call.ended', 'agent.state', 'timer', 'call.exploded'),
				id: fc.anything(),
				t: fc.anything()
			}),
			fc.string()
		),
		pick: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
		offset: fc.integer({ min: 0, max: 1_000_000 }),
		bigField: fc.constantFrom('id', 'callId', 'queue', 'agentId', 'caller'),
		bigLength: fc.integer({ min: 129, max: 20_000 })
	});

/** Who an event is about (a call's agent too): two good events about different callers and agents may arrive in either order. */
function parties(e: HeatEvent, agentOf: ReadonlyMap<string, string>): string[] {
	const out: string[] = [];
	if ('callId' in e && e.callId !== undefined) {
		out.push(`c:${e.callId}`);
		const a = agentOf.get(e.callId);
		if (a !== undefined) out.push(`a:${a}`);
	}
	if ('agentId' in e && e.agentId !== undefined) out.push(`a:${e.agentId}`);
	return out;
}

/** The script with some neighbours swapped (stamps then go backwards, within the reorder window), wall times kept in order. */
function reorder(script: ScriptedEvent[], swaps: readonly number[]): ScriptedEvent[] {
	const events = script.map((s) => s.event);
	const agentOf = new Map<string, string>();
	for (const e of events) if (e.type === 'call.answered') agentOf.set(e.callId, e.agentId);
	for (const i of swaps) {
		const a = events[i];
		const b = events[i + 1];
		if (a === undefined || b === undefined || i < 5) continue; // the agents' log-ins stay first
		if (parties(a, agentOf).some((p) => parties(b, agentOf).includes(p))) continue;
		// the one moved back arrives when the engine clock is past the other's stamp: keep it within the window
		const later = (script[i + 1] as ScriptedEvent).at;
		if (Math.max(later, b.t) - a.t > 4000) continue;
		events[i] = b;
		events[i + 1] = a;
	}
	return events.map((event, i) => ({ event, at: (script[i] as ScriptedEvent).at }));
}

/** Garbage made concrete against what has been delivered so far, with the reason it must be refused for. */
function materialise(
	g: Garbage,
	delivered: readonly ScriptedEvent[],
	now: number,
	serial: number
): { raw: unknown; reason: string } | null {
	const prev = delivered.length > 0 ? (delivered[Math.floor(g.pick * delivered.length)] as ScriptedEvent).event : undefined;
	const fresh = `garbage-${serial}`;
	switch (g.kind) {
		case 'shape':
			// anything that is not an event; an accidental event is wrapped in an array, which is not one
			return { raw: parseEvent(g.anything).ok ? [g.anything] : g.anything, reason: 'invalid' };
		case 'hostile':
			return {
				raw: new Proxy(
					{},
					{
						get() {
							throw new Error('hostile getter');
						},
						ownKeys() {
							throw new Error('hostile keys');
						}
					}
				),
				reason: 'invalid'
			};
		case 'unknownCall':
			return { raw: { type: 'call.answered', id: fresh, t: now, callId: `ghost-${g.offset}`, agentId: 'ann' }, reason: 'unknownCall' };
		case 'duplicate':
			return prev === undefined ? null : { raw: { ...prev }, reason: 'duplicate' };
		case 'stale':
			return prev === undefined ? null : { raw: { ...prev, id: fresh, t: Math.max(0, now - 5001 - g.offset) }, reason: 'stale' };
		case 'future': {
			// ahead of the engine clock, which a good event stamped ahead of the wall clock may have moved past now
			const clock = Math.max(now, ...delivered.map((d) => d.event.t));
			return prev === undefined ? null : { raw: { ...prev, id: fresh, t: clock + 60_001 + g.offset }, reason: 'future' };
		}
		case 'oversized': {
			const base = prev ?? { type: 'call.arrived', id: fresh, t: now, callId: fresh, queue: 'sales' };
			const raw = { ...base, id: g.bigField === 'id' ? 'x'.repeat(g.bigLength) : fresh, [g.bigField]: 'x'.repeat(g.bigLength) };
			// a field the event type does not have is dropped by the schema: that is no garbage
			return parseEvent(raw).ok ? null : { raw, reason: 'invalid' };
		}
		case 'adapter':
			return { raw: null, reason: 'malformed' };
	}
}

interface Run {
	source: TelephonySource;
	dir: string;
	expected: Map<string, number>;
	now: () => number;
	setNow: (t: number) => void;
}

/** Feeds the good script with garbage interleaved; every good event must be taken, every piece of garbage refused for its reason. */
function run(script: readonly ScriptedEvent[], junk: readonly Garbage[] | null): Run {
	const d = dir();
	let now = T0;
	const source = new TelephonySource({ name: 'PBX 1', journalDir: d, now: () => now, log: () => {} });
	const expected = new Map<string, number>();
	const delivered: ScriptedEvent[] = [];
	const byPos = new Map<number, Garbage[]>();
	for (const g of junk ?? []) byPos.set(g.pos, [...(byPos.get(g.pos) ?? []), g]);
	let serial = 0;
	for (let i = 0; i <= script.length; i++) {
		for (const g of byPos.get(i) ?? []) {
			const m = materialise(g, delivered, now, ++serial);
			if (m === null) continue;
			if (m.reason === 'malformed') source.reject({ reason: 'malformed', detail: `line ${serial}: 3 fields` }, `queue_log:/q:${serial}`);
			else {
				const r = source.ingest(m.raw, `http:garbage-${serial}`);
				expect(r.ok ? 'accepted' : r.reason).toBe(m.reason);
			}
			expected.set(m.reason, (expected.get(m.reason) ?? 0) + 1);
		}
		const s = script[i];
		if (s === undefined) break;
		now = s.at;
		const r = source.ingest(s.event, 'ami:pbx1');
		if (!r.ok) throw new Error(`good event ${i} (${s.event.type} ${s.event.id}) refused: ${r.reason}: ${r.detail}`);
		delivered.push(s);
		if (i % 11 === 0) source.advance();
	}
	return { source, dir: d, expected, now: () => now, setNow: (t) => (now = t) };
}

function board(src: TelephonySource): string {
	src.advance();
	return JSON.stringify(snapshot(src.engine, src.now()));
}

describe('TelephonySource under any mix of good events and garbage (property)', () => {
	it('never throws, refuses and counts every piece of garbage by reason, keeps every good event, and a restart gives the same board', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.integer({ min: 1, max: 1_000_000 }),
				fc.integer({ min: 20, max: 120 }),
				fc.array(fc.nat(), { maxLength: 15 }),
				fc.array(garbage(120), { maxLength: 60 }),
				async (seed, n, swapSeeds, junk) => {
					const script = reorder(
						callScript(seed, n, T0),
						swapSeeds.map((s) => s % n)
					);
					const dirty = run(
						script,
						junk.map((g) => ({ ...g, pos: g.pos % (n + 1) }))
					);
					const clean = run(script, null);
					// every rejection counted, by reason, and nothing else
					const stats = dirty.source.stats();
					expect(stats.rejected).toEqual(Object.fromEntries(dirty.expected));
					expect(stats.accepted).toBe(n);
					// garbage leaves no trace: the board is that of the good events alone
					const end = Math.max(dirty.now(), clean.now()) + 30_000;
					dirty.setNow(end);
					clean.setNow(end);
					const reference = board(clean.source);
					expect(board(dirty.source)).toBe(reference);
					// the journal holds exactly the good events, in the order taken, and replays to the same board
					const journal = await readJournal(join(dirty.dir, 'pbx-1-2026-11-23.ndjson'));
					expect(journal.rejects).toEqual([]);
					expect(journal.events.filter((e) => e.type !== 'timer')).toEqual(script.map((s) => s.event));
					const restarted = new TelephonySource({ name: 'PBX 1', journalDir: dirty.dir, now: () => end, log: () => {} });
					expect(board(restarted)).toBe(reference);
				}
			),
			{ numRuns: 40 }
		);
	});

	it('crashes at any points, each followed by a restart that carries on, end on the board of a run that never crashed', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 1_000_000 }),
				fc.integer({ min: 10, max: 150 }),
				fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
				fc.integer({ min: 0, max: 120_000 }),
				(seed, n, crashSeeds, idle) => {
					const script = callScript(seed, n, T0);
					const crashes = new Set(crashSeeds.map((c) => c % n));
					const d = dir();
					let now = T0;
					const open = () => new TelephonySource({ name: 'PBX 1', journalDir: d, now: () => now, log: () => {} });
					let src = open();
					script.forEach((s, i) => {
						// the crash: the source is dropped as it is, unclosed, and a new one starts on its journal
						if (crashes.has(i)) src = open();
						now = s.at;
						expect(src.ingest(s.event, 'ami:pbx1')).toEqual({ ok: true });
						if (i % 5 === 0) src.advance();
					});
					const reference = run(script, null);
					const end = now + idle;
					now = end;
					reference.setNow(end);
					expect(board(src)).toBe(board(reference.source));
				}
			),
			{ numRuns: 40 }
		);
	});
});
