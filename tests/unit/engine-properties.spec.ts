import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/lib/engine/engine';
import { derive, type Counters, type DerivedMetrics } from '../../src/lib/engine/metrics/counters';
import type { ScopeMetrics } from '../../src/lib/engine/metrics/scope';
import { AGENT_STATES, type HeatEvent } from '../../src/lib/engine/events';
import type { LoggedEvent } from '../../src/lib/engine/driver';
import { CALL_STATUSES, type CallStatus } from '../../src/lib/engine/state';
import { queuedCalls, snapshot, type Snapshot } from '../../src/lib/engine/views';
import { STRATEGIES, type Strategy } from '../../src/lib/engine/config';
import {
	endOf,
	feed,
	GARBAGE_KINDS,
	makeGarbage,
	newEngine,
	scenarioArb,
	withGarbageArb,
	type GarbageContext,
	type Scenario,
	type StampMode,
	type StreamItem
} from './engine-arbitraries';
import {
	COUNT_FIELDS,
	COUNTER_FIELDS,
	ReferenceModel,
	referenceDerive,
	referenceMetrics,
	rollingWindow,
	skillLevel,
	zeroCounters,
	type ModelAgent,
	type ModelCall,
	type RefCounters,
	type ScopeTotals
} from './reference-metrics';

/*
 * Properties of the routing and queueing engine over random event streams (see engine-arbitraries.ts
 * for what the streams hold, reference-metrics.ts for the brute-force metrics). Run counts are set so
 * the whole file stays well under 20 s; fast-check picks a new seed every run.
 */

const RUNS = 200;
/**
 * Shrinking a failing stream can take long; past this the counterexample found so far is reported.
 * A passing property finishes its runs far sooner on any machine we know.
 */
const LIMIT_MS = 3000;
const params = (numRuns = RUNS) => ({ numRuns, interruptAfterTimeLimit: LIMIT_MS });
const LIVE: readonly CallStatus[] = ['waiting', 'callback', 'ringing', 'talking', 'ai'];

class PropertyError extends Error {}
const fail = (msg: string): never => {
	throw new PropertyError(msg);
};

// ---------------------------------------------------------------------------- invariants of the engine's state

function recountWaiting(
	engine: Engine,
	scope: ScopeMetrics,
	belongs: (c: { queue: unknown; source: string }) => boolean,
	label: string
): void {
	let waiting = 0;
	let callbacks = 0;
	for (const c of engine.calls.values()) {
		if (!belongs(c)) continue;
		if (c.status === 'waiting') waiting++;
		if (c.status === 'callback') callbacks++;
	}
	if (scope.waiting !== waiting) fail(`${label}: waiting gauge ${scope.waiting}, recount ${waiting}`);
	if (scope.callbacksWaiting !== callbacks) fail(`${label}: callbacksWaiting gauge ${scope.callbacksWaiting}, recount ${callbacks}`);
}

function recountAgents(engine: Engine, scope: ScopeMetrics, skill: string | null, label: string): void {
	const n = AGENT_STATES.map(() => 0);
	for (const a of engine.agents.values()) {
		if (skill !== null && (a.skills[skill] ?? 0) < 1) continue;
		const i = AGENT_STATES.indexOf(a.state);
		n[i] = (n[i] ?? 0) + 1;
	}
	const gauge = [...scope.agentsByState];
	if (JSON.stringify(gauge) !== JSON.stringify(n)) fail(`${label}: agentsByState ${JSON.stringify(gauge)}, recount ${JSON.stringify(n)}`);
}

/** Everything that must hold between any two events. */
function checkInvariants(engine: Engine): void {
	// conservation: every call that arrived is in exactly one status
	const total = CALL_STATUSES.reduce((s, k) => s + engine.statusCount[k], 0);
	if (total !== engine.arrived) fail(`arrived ${engine.arrived} but status counts sum to ${total}`);
	const live = Object.fromEntries(LIVE.map((s) => [s, 0])) as Record<CallStatus, number>;
	for (const c of engine.calls.values()) {
		if (!LIVE.includes(c.status)) fail(`finished call ${c.id} (${c.status}) still held`);
		live[c.status]++;
	}
	for (const s of LIVE) if (live[s] !== engine.statusCount[s]) fail(`statusCount.${s} ${engine.statusCount[s]}, recount ${live[s]}`);

	// one agent, one call, and the call knows its agent
	const held = new Set<string>();
	for (const a of engine.agents.values()) {
		const c = a.call;
		if (c === null) continue;
		if (c.agent !== a) fail(`agent ${a.id} holds ${c.id}, whose agent is ${c.agent?.id ?? 'nobody'}`);
		if (engine.calls.get(c.id) !== c) fail(`agent ${a.id} holds ${c.id}, which is not a live call`);
		if (held.has(c.id)) fail(`call ${c.id} held by two agents`);
		held.add(c.id);
	}
	for (const c of engine.calls.values()) {
		const needsAgent = c.status === 'ringing' || c.status === 'talking';
		if (needsAgent && (c.agent === null || c.agent.call !== c)) fail(`${c.status} call ${c.id} without its agent`);
		if (!needsAgent && c.agent !== null) fail(`${c.status} call ${c.id} has agent ${c.agent.id}`);
	}

	// gauges equal recounts
	recountWaiting(engine, engine.all, () => true, 'all');
	for (const q of engine.queues.values()) {
		recountWaiting(engine, q.scope, (c) => c.queue === q, `queue ${q.id}`);
		recountAgents(engine, q.scope, q.skill, `queue ${q.id}`);
	}
	for (const [id, s] of engine.sources) recountWaiting(engine, s, (c) => c.source === id, `source ${id}`);
	recountAgents(engine, engine.all, null, 'all');
	for (const tier of engine.overflowTiers.values()) {
		const n = [...engine.calls.values()].filter((c) => c.status === 'ai' && c.ai === tier).length;
		if (tier.inUse !== n) fail(`overflow tier ${tier.cfg.id}: inUse ${tier.inUse}, recount ${n}`);
	}
}

/** Route mode wastes no agent: nobody sits idle while a call they could take waits (README: callbacks too). */
function checkNoIdleAgentBesideWork(engine: Engine): void {
	for (const a of engine.agents.values()) {
		if (a.state !== 'available' || a.call !== null) continue;
		for (const c of engine.calls.values()) {
			if ((c.status === 'waiting' || c.status === 'callback') && c.queue.cfg.mode === 'route' && a.has(c.route.req))
				fail(`agent ${a.id} idle while ${c.status} call ${c.id} in ${c.queue.id} needs ${c.route.sig}`);
		}
	}
}

// ---------------------------------------------------------------------------- running streams

interface Run {
	engine: Engine;
	driver: ReturnType<typeof newEngine>['driver'];
	garbage: number;
}

/** Pushes a stream (garbage made from the engine's state as it comes), checking `after` each push. */
function run(
	s: Scenario & { stream?: StreamItem[] },
	opts: { mode?: StampMode; after?: (r: Run) => void; items?: StreamItem[]; garbageMayApply?: boolean } = {}
): Run {
	const { engine, driver } = newEngine(s);
	const r: Run = { engine, driver, garbage: 0 };
	const accepted: Array<{ event: HeatEvent; appliedAt: number }> = [];
	const ctx: GarbageContext = { engine, accepted, made: 0 };
	const items = opts.items ?? s.stream ?? s.events.map((event): StreamItem => ({ kind: 'event', event }));
	for (const item of items) {
		if (item.kind === 'event') {
			const { event, accepted: ok } = feed(driver, item.event);
			if (ok) accepted.push({ event, appliedAt: engine.clock });
		} else {
			const g = makeGarbage(item.spec, ctx, opts.mode);
			const res = driver.push(g);
			// stamped ahead, the timers the Driver runs first may make it valid (a call it duplicated is over by then)
			if (res.accepted && opts.garbageMayApply !== true) fail(`garbage accepted: ${JSON.stringify(g)}`);
			r.garbage++;
		}
		opts.after?.(r);
	}
	driver.runUntil(endOf(s.events));
	opts.after?.(r);
	return r;
}

// ---------------------------------------------------------------------------- routing checks

function strategyKey(strategy: Strategy, a: ModelAgent, queueSkill: string): number[] {
	switch (strategy) {
		case 'fewest-calls':
			return [a.answeredCount, a.idleSince, a.seq];
		case 'round-robin':
			return [a.lastOffer, a.seq];
		case 'best-skill':
			return [-skillLevel(a, queueSkill), a.idleSince, a.seq];
		default:
			return [a.idleSince, a.seq];
	}
}

function lexLess(x: readonly number[], y: readonly number[]): boolean {
	for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return (x[i] as number) < (y[i] as number);
	return false;
}

/**
 * What started the step being replayed: a call coming into line (arrival, ring-no-answer, transfer,
 * escalation) is offered to the idle agents, call side; the agent it leaves, if any, is freed after.
 */
interface Trigger {
	callId?: string;
	released?: string;
}

function triggerOf(entry: LoggedEvent, model: ReferenceModel, current: Trigger): Trigger {
	const e = entry.event;
	if (entry.origin === 'decision') return e.type === 'call.ringNoAnswer' ? { callId: e.callId, released: e.agentId } : current;
	switch (e.type) {
		case 'call.arrived':
			return { callId: e.callId };
		case 'call.ringNoAnswer':
			return { callId: e.callId, released: e.agentId };
		case 'call.transferred': {
			const agent = model.calls.get(e.callId)?.agent;
			return agent ? { callId: e.callId, released: agent } : { callId: e.callId };
		}
		case 'timer':
			return e.kind === 'escalate' && e.callId !== undefined ? { callId: e.callId } : {};
		default:
			return {};
	}
}

/** The README's routing order at time t: d must go before c (priority class, then oldest or costliest, then arrival). */
function ahead(model: ReferenceModel, d: ModelCall, c: ModelCall, t: number): boolean {
	if (d.priority !== c.priority) return d.priority > c.priority;
	if (model.config.order !== 'value') return d.arrivedAt < c.arrivedAt || (d.arrivedAt === c.arrivedAt && d.seq < c.seq);
	// the README promises the exact value order for exponential curves only
	if (!model.exponentialTiers()) return false;
	return model.lossPerMs(d, t) > model.lossPerMs(c, t) * (1 + 1e-9);
}

/** An offer the engine decided: the call is first in line for that agent, the agent best for that call. */
function checkOffer(model: ReferenceModel, c: ModelCall, a: ModelAgent, t: number, callSide: boolean): void {
	const q = model.queueConfig(c.queue);
	const what = `offer of ${c.id} (${q.id}, ${q.strategy}) to ${a.id} at ${t}`;
	if (q.mode !== 'route') fail(`${what}: queue is in observe mode`);
	if (a.state !== 'available' || a.call !== null) fail(`${what}: agent is ${a.state}${a.call ? ` on ${a.call}` : ''}`);
	if (!model.qualifies(a, c)) fail(`${what}: agent lacks ${JSON.stringify([...model.requirement(c)])}`);

	for (const d of model.calls.values()) {
		if (d === c || (d.status !== 'waiting' && d.status !== 'callback')) continue;
		if (model.queueConfig(d.queue).mode !== 'route' || !model.qualifies(a, d)) continue;
		if (ahead(model, d, c, t))
			fail(
				`${what}: ${d.id} was ahead (priority ${d.priority} vs ${c.priority}, arrived ${d.arrivedAt} vs ${c.arrivedAt}` +
					`, loss/min ${(model.lossPerMs(d, t) * 60_000).toFixed(4)} vs ${(model.lossPerMs(c, t) * 60_000).toFixed(4)})`
			);
	}

	// the strategy chooses among idle agents when a call comes into line; a freed agent just takes the first call
	if (!callSide || q.strategy === 'random') return;
	const skill = model.queueSkill(c.queue);
	const key = strategyKey(q.strategy, a, skill);
	for (const b of model.agents.values()) {
		if (b === a || b.state !== 'available' || b.call !== null || !model.qualifies(b, c)) continue;
		const kb = strategyKey(q.strategy, b, skill);
		if (lexLess(kb, key)) fail(`${what}: ${b.id} (key ${JSON.stringify(kb)}) beats ${a.id} (key ${JSON.stringify(key)})`);
	}
}

/** A board lists each queue's calls on hold and callbacks in the order the router takes them (README: the engine's comparator). */
function checkViewOrder(model: ReferenceModel, engine: Engine, now: number): void {
	for (const q of engine.queues.values()) {
		const shown = queuedCalls(engine, q, now).map(
			(c) => model.calls.get(c.id) ?? fail(`view of ${q.id} lists ${c.id}, not live in the model`)
		);
		const held = [...model.calls.values()].filter((c) => c.queue === q.id && (c.status === 'waiting' || c.status === 'callback'));
		const ids = (xs: ModelCall[]) => JSON.stringify(xs.map((c) => c.id).sort());
		if (ids(shown) !== ids(held)) fail(`view of ${q.id} lists ${ids(shown)}, calls in line ${ids(held)}`);
		for (let i = 0; i < shown.length; i++)
			for (let j = i + 1; j < shown.length; j++) {
				const [c, d] = [shown[i] as ModelCall, shown[j] as ModelCall];
				if (ahead(model, d, c, now))
					fail(
						`view of ${q.id} at ${now} lists ${c.id} (priority ${c.priority}, arrived ${c.arrivedAt}) before ${d.id} ` +
							`(priority ${d.priority}, arrived ${d.arrivedAt}), which goes first`
					);
			}
	}
}

/** The model's view of live calls and agents equals the engine's. */
function checkModelMatches(model: ReferenceModel, engine: Engine): void {
	if (model.arrivals !== engine.arrived) fail(`model saw ${model.arrivals} arrivals, engine ${engine.arrived}`);
	for (const s of ['ended', 'abandoned', 'voicemail'] as const)
		if (model.finished[s] !== engine.statusCount[s]) fail(`model has ${model.finished[s]} ${s}, engine ${engine.statusCount[s]}`);
	if (model.calls.size !== engine.calls.size) fail(`model has ${model.calls.size} live calls, engine ${engine.calls.size}`);
	for (const c of engine.calls.values()) {
		const m = model.calls.get(c.id) ?? fail(`engine call ${c.id} unknown to the model`);
		const got = `${c.status}/${c.queue.id}/${c.agent?.id ?? '-'}/${c.priority}`;
		const want = `${m.status}/${m.queue}/${m.agent ?? '-'}/${m.priority}`;
		if (got !== want) fail(`call ${c.id}: engine ${got}, model ${want}`);
	}
	for (const a of engine.agents.values()) {
		const m = model.agents.get(a.id) ?? fail(`engine agent ${a.id} unknown to the model`);
		const got = `${a.state}/${a.call?.id ?? '-'}`;
		const want = `${m.state}/${m.call ?? '-'}`;
		if (got !== want) fail(`agent ${a.id}: engine ${got}, model ${want}`);
	}
}

// ---------------------------------------------------------------------------- metrics comparison

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

function diffCounters(label: string, got: Counters | RefCounters | undefined, want: RefCounters | undefined, out: string[]): void {
	const g = got ?? zeroCounters();
	const w = want ?? zeroCounters();
	for (const f of COUNTER_FIELDS) {
		const ok = COUNT_FIELDS.has(f) ? g[f] === w[f] : close(g[f], w[f]);
		if (!ok) out.push(`${label}.${f}: engine ${g[f]}, reference ${w[f]}`);
	}
}

function diffScope(label: string, s: ScopeMetrics, ref: ScopeTotals | undefined, now: number, out: string[]): void {
	const r = ref ?? { day: zeroCounters(), intervals: new Map(), minutes: new Map() };
	diffCounters(`${label}.day`, s.day, r.day, out);
	for (const i of new Set([...s.intervals.keys(), ...r.intervals.keys()]))
		diffCounters(`${label}.interval[${i}]`, s.intervals.get(i), r.intervals.get(i), out);
	diffCounters(`${label}.last15`, s.rolling(now, 15), rollingWindow(r, now, 15), out);
	diffCounters(`${label}.last60`, s.rolling(now, 60), rollingWindow(r, now, 60), out);
}

function diffDerived(label: string, got: DerivedMetrics, ref: RefCounters, out: string[]): void {
	const want = referenceDerive(ref);
	for (const [k, v] of Object.entries(want) as Array<[keyof typeof want, number | null]>) {
		const g = got[k];
		const ok = v === null || g === null ? v === g : close(g, v);
		if (!ok) out.push(`${label}.${k}: engine ${g}, reference ${v}`);
	}
}

function checkMetrics(s: Scenario): void {
	const { engine, driver } = run(s);
	const end = endOf(s.events);
	// not snapshot(): the figures it derives are derive(counters), and a snapshot has its own property
	engine.advance(end);
	const ref = referenceMetrics(s.config, driver.log, end);
	const out: string[] = [];
	diffScope('all', engine.all, ref.all, end, out);
	diffDerived('all.day (derived)', derive(engine.all.day), ref.all.day, out);
	const engineQueues = [...engine.queues.keys()].sort();
	if (JSON.stringify(engineQueues) !== JSON.stringify([...ref.queues.keys()].sort()))
		out.push(`queues: engine ${engineQueues}, reference ${[...ref.queues.keys()].sort()}`);
	for (const q of engine.queues.values()) {
		diffScope(`queue ${q.id}`, q.scope, ref.queues.get(q.id), end, out);
		diffDerived(`queue ${q.id}.day (derived)`, derive(q.scope.day), ref.queues.get(q.id)?.day ?? zeroCounters(), out);
	}
	for (const [id, scope] of engine.sources) {
		diffScope(`source ${id}`, scope, ref.sources.get(id), end, out);
		diffDerived(`source ${id}.day (derived)`, derive(scope.day), ref.sources.get(id)?.day ?? zeroCounters(), out);
	}
	for (const id of ref.sources.keys()) if (!engine.sources.has(id)) out.push(`source ${id}: missing in the engine`);
	if (out.length > 0) fail(`${out.length} metric(s) differ:\n${out.slice(0, 12).join('\n')}`);
}

// ---------------------------------------------------------------------------- state summaries

/** What a rejected event must leave untouched. */
function stateSummary(engine: Engine): string {
	return JSON.stringify({
		clock: engine.clock,
		arrived: engine.arrived,
		statusCount: engine.statusCount,
		counts: { ...engine.counts, rejected: undefined },
		calls: [...engine.calls.values()].map((c) => [c.id, c.status, c.queue.id, c.agent?.id, c.priority, c.arrivedAt]),
		agents: [...engine.agents.values()].map((a) => [a.id, a.state, a.call?.id, a.pending, a.idleSince, a.skills]),
		waiting: [engine.all.waiting, engine.all.callbacksWaiting, ...engine.all.agentsByState],
		queues: [...engine.queues.keys()],
		// reading the counters changes nothing (README), so they can be compared too
		day: [engine.all, ...[...engine.queues.values()].map((q) => q.scope), ...engine.sources.values()].map((s) => s.day)
	});
}

const withoutRejected = (s: Snapshot) => ({ ...s, counts: { ...s.counts, rejected: undefined } });

/** The first place two JSON-able values differ, as "path: a vs b"; null when their JSON is identical. */
function firstDifference(a: unknown, b: unknown, path = '$'): string | null {
	if (JSON.stringify(a) === JSON.stringify(b)) return null;
	if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
		const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
		for (const k of keys) {
			const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
			if (d !== null) return d;
		}
	}
	return `${path}: ${JSON.stringify(a)?.slice(0, 300)} vs ${JSON.stringify(b)?.slice(0, 300)}`;
}

function expectSame(what: string, got: unknown, want: unknown): void {
	const d = firstDifference(got, want);
	if (d !== null) fail(`${what} differ at ${d}`);
}

const rejectedTotal = (e: Engine) => Object.values(e.counts.rejected).reduce((a, b) => a + b, 0);

// ---------------------------------------------------------------------------- the properties

describe('engine properties over random event streams', () => {
	it('conservation, one call per agent, gauges equal recounts: after every event', () => {
		fc.assert(
			fc.property(withGarbageArb({ disorder: true }), (s) => {
				run(s, { mode: 'anywhere', garbageMayApply: true, after: (r) => checkInvariants(r.engine) });
			}),
			params()
		);
	});

	it('a snapshot can be read at any moment of any stream, and never throws', () => {
		fc.assert(
			fc.property(withGarbageArb({ disorder: true }), (s) => {
				run(s, { mode: 'anywhere', garbageMayApply: true, after: (r) => void snapshot(r.engine, r.engine.clock) });
			}),
			params()
		);
	});

	it('route mode: no agent sits idle while a waiting call or callback they could take is in line', () => {
		fc.assert(
			fc.property(scenarioArb({ disorder: true }), (s) => {
				run(s, { after: (r) => checkNoIdleAgentBesideWork(r.engine) });
			}),
			params()
		);
	});

	it('the engine never rejects a timer it scheduled for itself', () => {
		fc.assert(
			// call ids used again once the first call is over, as some sources do
			fc.property(scenarioArb({ disorder: true, callIdReuse: 0.4 }), (s) => {
				const { driver } = run(s);
				const timers = driver.rejected.filter((r) => (r.event as { type?: unknown }).type === 'timer');
				if (timers.length > 0) fail(`rejected its own timers: ${JSON.stringify(timers.map((r) => [r.reason, r.event]))}`);
			}),
			params()
		);
	});

	it('route mode: each offer goes to the first call in line for that agent, and a new arrival to the best idle agent by the strategy', () => {
		fc.assert(
			fc.property(scenarioArb({ exponentialTiersForValueOrder: true }), (s) => {
				let seen = 0;
				const model = new ReferenceModel(s.config);
				let trigger: Trigger = {};
				run(s, {
					after: (r) => {
						const log = r.driver.log;
						for (; seen < log.length; seen++) {
							const entry = log[seen] as (typeof log)[number];
							trigger = triggerOf(entry, model, trigger);
							model.apply(entry, (c, a, t) => checkOffer(model, c, a, t, trigger.callId === c.id && trigger.released !== a.id));
						}
						model.flush();
						checkModelMatches(model, r.engine);
					}
				});
			}),
			params()
		);
	});

	it('boards list the calls in line in the order agents get them', () => {
		fc.assert(
			fc.property(scenarioArb({ exponentialTiersForValueOrder: true, disorder: true }), (s) => {
				let seen = 0;
				const model = new ReferenceModel(s.config);
				run(s, {
					after: (r) => {
						const log = r.driver.log;
						for (; seen < log.length; seen++) model.apply(log[seen] as (typeof log)[number]);
						model.flush();
						checkViewOrder(model, r.engine, r.engine.clock);
					}
				});
			}),
			params()
		);
	});

	it('every day, interval and rolling metric equals the brute-force reference (streams in time order)', () => {
		fc.assert(
			fc.property(scenarioArb(), (s) => checkMetrics(s)),
			params()
		);
	});

	it('every metric equals the brute-force reference with late events applied at the clock (streams with disorder)', () => {
		fc.assert(
			fc.property(scenarioArb({ disorder: true }), (s) => checkMetrics(s)),
			params()
		);
	});

	it('garbage stamped behind the clock never throws and leaves no trace', () => {
		fc.assert(
			// not 'future': stamped a day ahead, a Driver runs the timers due by then before the engine rejects it (README, Driver and time)
			fc.property(withGarbageArb({ disorder: true, kinds: GARBAGE_KINDS.filter((k) => k !== 'future') }), (s) => {
				const clean = run(s, { items: s.events.map((event) => ({ kind: 'event', event })) });
				const dirty = run(s, { mode: 'behind' });
				const end = endOf(s.events);
				expectSame('logs', dirty.driver.log, clean.driver.log);
				expectSame('snapshots', withoutRejected(snapshot(dirty.engine, end)), withoutRejected(snapshot(clean.engine, end)));
				expect(rejectedTotal(dirty.engine) - rejectedTotal(clean.engine)).toBe(dirty.garbage);
			}),
			params()
		);
	});

	it('schema-invalid junk pushed through the Driver, whatever its stamp, leaves no trace', () => {
		fc.assert(
			fc.property(withGarbageArb({ disorder: true, kinds: ['invalid'] }), (s) => {
				const clean = run(s, { items: s.events.map((event) => ({ kind: 'event', event })) });
				const dirty = run(s, { mode: 'anywhere' });
				const end = endOf(s.events);
				expectSame('logs', dirty.driver.log, clean.driver.log);
				expectSame('snapshots', withoutRejected(snapshot(dirty.engine, end)), withoutRejected(snapshot(clean.engine, end)));
			}),
			params()
		);
	});

	it('an event the engine rejects, whatever its stamp, changes nothing: not at once, not later, not even the clock', () => {
		fc.assert(
			fc.property(withGarbageArb({ disorder: true }), (s) => {
				const clean = run(s, { items: s.events.map((event) => ({ kind: 'event', event })) });
				const { engine, driver } = newEngine(s);
				const accepted: Array<GarbageContext['accepted'][number]> = [];
				const ctx: GarbageContext = { engine, accepted, made: 0 };
				for (const item of s.stream) {
					if (item.kind === 'event') {
						const { event, accepted: ok } = feed(driver, item.event);
						if (ok) accepted.push({ event, appliedAt: engine.clock });
						continue;
					}
					// straight to the engine: a Driver would run the timers due by the stamp first
					const before = stateSummary(engine);
					const g = makeGarbage(item.spec, ctx, 'ahead');
					const r = engine.ingest(g);
					if (r.accepted) return fail(`garbage accepted: ${JSON.stringify(g)}`);
					const after = stateSummary(engine);
					if (after !== before) fail(`rejected (${r.reason}) ${JSON.stringify(g)} changed the engine:\nbefore ${before}\nafter  ${after}`);
				}
				const end = endOf(s.events);
				driver.runUntil(end);
				expectSame('logs', driver.log, clean.driver.log);
				expectSame('snapshots', withoutRejected(snapshot(engine, end)), withoutRejected(snapshot(clean.engine, end)));
			}),
			params()
		);
	});

	it('the same stream twice gives byte-identical logs and snapshots', () => {
		fc.assert(
			fc.property(withGarbageArb({ disorder: true }), (s) => {
				const end = endOf(s.events);
				const once = run(s, { mode: 'anywhere', garbageMayApply: true });
				const twice = run(s, { mode: 'anywhere', garbageMayApply: true });
				expectSame('logs', twice.driver.log, once.driver.log);
				expectSame('snapshots', snapshot(twice.engine, end), snapshot(once.engine, end));
			}),
			params(60)
		);
	});

	it('reading snapshots between events changes nothing the engine later reports, to the last bit', () => {
		fc.assert(
			fc.property(scenarioArb({ disorder: true }), (s) => {
				const end = endOf(s.events);
				const quiet = run(s);
				// a wallboard reads whenever it likes; a replay of the journal must still agree byte for byte
				const watched = run(s, { after: (r) => void snapshot(r.engine, r.engine.clock) });
				expectSame('logs', watched.driver.log, quiet.driver.log);
				expectSame('snapshots', snapshot(watched.engine, end), snapshot(quiet.engine, end));
			}),
			params(60)
		);
	});
});

describe('engine properties on focused scenarios', () => {
	const S = 1000;
	const login = (t: number, agentId: string, skills: Record<string, number> = { sales: 1 }): HeatEvent => ({
		type: 'agent.state',
		id: `login-${agentId}-${t}`,
		t,
		agentId,
		state: 'available',
		skills
	});

	it('an agent whose ringing call the ACD gives to another agent is not left busy without a call', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(...STRATEGIES),
				fc.integer({ min: 2, max: 4 }),
				fc.nat(),
				fc.integer(),
				(strategy, agents, pick, seed) => {
					const { engine, driver } = newEngine({ config: { queues: [{ id: 'sales', strategy }] }, seed });
					for (let i = 0; i < agents; i++) driver.push(login(i * S, `a${i}`));
					driver.push({ type: 'call.arrived', id: 'arr', t: 10 * S, callId: 'c1', queue: 'sales' });
					const ringing = engine.calls.get('c1')?.agent?.id ?? fail('c1 not offered');
					const others = Array.from({ length: agents }, (_, i) => `a${i}`).filter((a) => a !== ringing);
					const taker = others[pick % others.length] as string;
					expect(driver.push({ type: 'call.answered', id: 'ans', t: 12 * S, callId: 'c1', agentId: taker }).accepted).toBe(true);
					const left = engine.agents.get(ringing) ?? fail('agent gone');
					if (left.call === null && left.state === 'busy')
						fail(`${ringing} stays busy with no call after ${taker} answered the call ringing at them`);
				}
			),
			params(40)
		);
	});

	it('a caller answered, transferred and then hanging up is not an abandon, and loses no more than value × p(0)', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: 120 }),
				fc.integer({ min: 1, max: 600 }),
				fc.integer({ min: 1, max: 300 }),
				fc.integer({ min: 1, max: 5000 }),
				(wait, talk, hold, value) => {
					const tiers = [{ id: 'all', minHeat: 0, curve: { shape: 'exponential' as const, p0: 0.2, tauSeconds: 300 } }];
					const { engine, driver } = newEngine({
						config: {
							tiers,
							queues: [
								{ id: 'sales', mode: 'observe' },
								{ id: 'support', mode: 'observe' }
							]
						},
						seed: 0
					});
					driver.push(login(0, 'a'));
					driver.push({ type: 'call.arrived', id: 'arr', t: 1 * S, callId: 'c1', queue: 'sales', value });
					driver.push({ type: 'call.answered', id: 'ans', t: (1 + wait) * S, callId: 'c1', agentId: 'a' });
					driver.push({ type: 'call.transferred', id: 'xfer', t: (1 + wait + talk) * S, callId: 'c1', toQueue: 'support' });
					driver.push({ type: 'call.abandoned', id: 'gone', t: (1 + wait + talk + hold) * S, callId: 'c1' });
					const day = snapshot(engine).totals.day;
					// README: abandoned = "callers who hung up before an answer"; a call answered again after a transfer counts once
					expect(day).toMatchObject({ offered: 1, answered: 1, abandoned: 0 });
					expect(day.revenueLost).toBeLessThanOrEqual(value * 0.2 * (1 + 1e-12));
				}
			),
			params(30)
		);
	});

	it('a call that rang unanswered and is back in line still overflows after overflowAfterSeconds of waiting', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 1, max: 240 }), (overflowAfter, ringTimeout) => {
				const { engine, driver } = newEngine({
					config: {
						queues: [{ id: 'sales', ringTimeoutSeconds: ringTimeout, overflowTo: 'ai', overflowAfterSeconds: overflowAfter }],
						overflowTiers: [{ id: 'ai', capacity: 10 }]
					},
					seed: 0
				});
				driver.push(login(0, 'a'));
				driver.push({ type: 'call.arrived', id: 'arr', t: 10 * S, callId: 'c1', queue: 'sales' });
				// it rings at a (who then goes away), comes back in line and waits: by now it has waited long enough
				driver.runUntil((10 + Math.max(overflowAfter, ringTimeout) + 1) * S);
				expect(engine.calls.get('c1')?.status).toBe('ai');
			}),
			params(40)
		);
	});

	it('a call that rang unanswered and is back in line still escalates after afterSeconds of waiting', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 1, max: 240 }), (afterSeconds, ringTimeout) => {
				const { engine, driver } = newEngine({
					config: { queues: [{ id: 'sales', ringTimeoutSeconds: ringTimeout, escalation: { afterSeconds, priorityBoost: 1 } }] },
					seed: 0
				});
				driver.push(login(0, 'a'));
				driver.push({ type: 'call.arrived', id: 'arr', t: 10 * S, callId: 'c1', queue: 'sales' });
				driver.runUntil((10 + Math.max(afterSeconds, ringTimeout) + 1) * S);
				expect(engine.calls.get('c1')).toMatchObject({ status: 'waiting', priority: 1 });
			}),
			params(40)
		);
	});

	it('a call whose escalation fell due while it rang, before or with its overflow, is escalated when the ring goes unanswered', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 120 }),
				fc.integer({ min: 0, max: 120 }),
				fc.integer({ min: 0, max: 60 }),
				(escalateAfter, overflowLater, ringOn) => {
					const overflowAfter = escalateAfter + overflowLater;
					const { engine, driver } = newEngine({
						config: {
							queues: [
								{
									id: 'sales',
									afterRingNoAnswer: 'away',
									overflowTo: 'ai',
									overflowAfterSeconds: overflowAfter,
									escalation: { afterSeconds: escalateAfter, priorityBoost: 1 }
								}
							],
							overflowTiers: [{ id: 'ai', capacity: 10 }]
						},
						seed: 0
					});
					driver.push(login(0, 'a'));
					driver.push({ type: 'call.arrived', id: 'arr', t: 10 * S, callId: 'c1', queue: 'sales' });
					// both wait timers fall due while c1 rings at a; the ring then goes unanswered
					driver.push({ type: 'call.ringNoAnswer', id: 'rna', t: (10 + overflowAfter + ringOn) * S, callId: 'c1', agentId: 'a' });
					// README: a wait timer due during the ring takes effect when the call comes back; had it waited, the
					// escalation would have come first (priority + 1) and the overflow after it
					const c = engine.calls.get('c1') ?? fail('c1 gone');
					expect({ status: c.status, priority: c.priority }).toEqual({ status: 'ai', priority: 1 });
				}
			),
			params(40)
		);
	});

	it('wait timers due during a ring apply at its ring-no-answer in the order they fell due; an overflow is moot once the escalation moved the call or got it an agent', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 60 }),
				fc.integer({ min: 1, max: 60 }),
				fc.integer({ min: 0, max: 30 }),
				fc.boolean(),
				fc.boolean(),
				(escalateAfter, overflowAfter, ringOn, toSupport, spare) => {
					const { engine, driver } = newEngine({
						config: {
							queues: [
								{
									id: 'sales',
									afterRingNoAnswer: 'away',
									overflowTo: 'ai',
									overflowAfterSeconds: overflowAfter,
									escalation: { afterSeconds: escalateAfter, priorityBoost: 1, widen: false, ...(toSupport ? { toQueue: 'support' } : {}) }
								},
								{ id: 'support' }
							],
							overflowTiers: [{ id: 'ai', capacity: 10 }]
						},
						seed: 0
					});
					driver.push(login(0, 'a'));
					// logged in later, so a (idle longest) gets the call first; b can take it from either queue
					if (spare) driver.push(login(1 * S, 'b', { sales: 1, support: 1 }));
					driver.push({ type: 'call.arrived', id: 'arr', t: 10 * S, callId: 'c1', queue: 'sales' });
					expect(engine.calls.get('c1')?.agent?.id).toBe('a');
					// both wait timers fall due while c1 rings at a; then the ring goes unanswered
					const rnaAt = (10 + Math.max(escalateAfter, overflowAfter) + ringOn) * S;
					driver.push({ type: 'call.ringNoAnswer', id: 'rna', t: rnaAt, callId: 'c1', agentId: 'a' });
					const c = engine.calls.get('c1') ?? fail('c1 gone');
					const got = { status: c.status, queue: c.queue.id, agent: c.agent?.id ?? null, priority: c.priority };
					// README: in the order they fell due, an escalation first on a tie
					const want =
						overflowAfter < escalateAfter
							? { status: 'ai', queue: 'sales', agent: null, priority: 0 }
							: spare
								? { status: 'ringing', queue: toSupport ? 'support' : 'sales', agent: 'b', priority: 1 }
								: toSupport
									? { status: 'waiting', queue: 'support', agent: null, priority: 1 }
									: { status: 'ai', queue: 'sales', agent: null, priority: 1 };
					expect(got).toEqual(want);
				}
			),
			params(60)
		);
	});

	it('wait timers due during a ring that was answered are spent: a later ring-no-answer in another queue neither escalates nor overflows', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 120 }),
				fc.integer({ min: 0, max: 60 }),
				fc.integer({ min: 1, max: 300 }),
				fc.integer({ min: 1, max: 60 }),
				(after, answerLater, talk, ring) => {
					const { engine, driver } = newEngine({
						config: {
							queues: [
								{
									id: 'sales',
									overflowTo: 'ai',
									overflowAfterSeconds: after,
									escalation: { afterSeconds: after, priorityBoost: 1, widen: false }
								},
								{ id: 'support' }
							],
							overflowTiers: [{ id: 'ai', capacity: 10 }]
						},
						seed: 0
					});
					driver.push(login(0, 'a', { sales: 1, support: 1 }));
					driver.push({ type: 'call.arrived', id: 'arr', t: 10 * S, callId: 'c1', queue: 'sales' });
					const answeredAt = 10 + after + answerLater;
					driver.push({ type: 'call.answered', id: 'ans', t: answeredAt * S, callId: 'c1', agentId: 'a' });
					// a transfers the caller to support, where the engine offers it to a again
					driver.push({ type: 'call.transferred', id: 'xfer', t: (answeredAt + talk) * S, callId: 'c1', toQueue: 'support' });
					expect(engine.calls.get('c1')?.agent?.id).toBe('a');
					driver.push({ type: 'call.ringNoAnswer', id: 'rna', t: (answeredAt + talk + ring) * S, callId: 'c1', agentId: 'a' });
					// support has no overflow and no escalation; the timers of sales were settled by the answer
					const c = engine.calls.get('c1');
					const got = c === undefined ? 'gone' : `${c.status}/${c.queue.id}/priority ${c.priority}`;
					expect(got).toBe('waiting/support/priority 0');
				}
			),
			params(40)
		);
	});

	it('a wrap-up timer whose wrap-up was cut short by another call does not end a wrap-up the source sets later', () => {
		fc.assert(
			fc.property(fc.integer({ min: 2, max: 120 }), fc.integer({ min: 0, max: 100 }), (wrapSeconds, at) => {
				const { engine, driver } = newEngine({
					config: { queues: [{ id: 'sales', mode: 'observe', wrapUpSeconds: wrapSeconds }] },
					seed: 0
				});
				driver.push(login(0, 'a'));
				driver.push({ type: 'call.arrived', id: 'arr1', t: 1 * S, callId: 'c1', queue: 'sales' });
				driver.push({ type: 'call.answered', id: 'ans1', t: 2 * S, callId: 'c1', agentId: 'a' });
				driver.push({ type: 'call.ended', id: 'end1', t: 10 * S, callId: 'c1' });
				// during that wrap-up the ACD gives a another call, which ends with no wrap-up of its own
				const t = 10 * S + 1 + Math.floor((at / 100) * (wrapSeconds * S - 4));
				driver.push({ type: 'call.arrived', id: 'arr2', t, callId: 'c2', queue: 'sales' });
				driver.push({ type: 'call.answered', id: 'ans2', t: t + 1, callId: 'c2', agentId: 'a' });
				driver.push({ type: 'call.ended', id: 'end2', t: t + 2, callId: 'c2', wrapMs: 0 });
				// then the phone system puts a in wrap-up; the first call's wrap timer is stale (README: a timer whose cause has passed is a no-op)
				driver.push({ type: 'agent.state', id: 'wrap', t: t + 2, agentId: 'a', state: 'wrap-up' });
				driver.runUntil((10 + wrapSeconds + 1) * S);
				expect(engine.agents.get('a')?.state).toBe('wrap-up');
			}),
			params(40)
		);
	});

	it('agent time before the day starts is counted alike in every scope the agent is in (intervals, rolling windows, day)', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 24 * 60 }),
				fc.integer({ min: 1, max: 90 * 60 * S }),
				fc.integer({ min: 0, max: 30 * 60 * S }),
				(dayStartMinute, warmUp, into) => {
					const dayStartMs = dayStartMinute * 60 * S;
					const { engine, driver } = newEngine({
						config: { dayStartMs, defaultMode: 'observe', queues: [{ id: 'sales', mode: 'observe' }] },
						seed: 0
					});
					const t0 = Math.max(0, dayStartMs - warmUp);
					driver.push(login(t0, 'a', { sales: 1, support: 1 }));
					// support is not configured: this arrival makes it at the moment the agent logs in, so the agent is in
					// everything, sales and support from the same instant
					driver.push({ type: 'call.arrived', id: 'arr', t: t0, callId: 'c1', queue: 'support' });
					const end = dayStartMs + into;
					engine.advance(end);
					const scopes: Array<[string, ScopeMetrics]> = [['all', engine.all]];
					for (const q of engine.queues.values()) scopes.push([`queue ${q.id}`, q.scope]);
					const agentTime = (s: ScopeMetrics) => {
						const pick = (c: Counters | undefined) => (c === undefined ? [0, 0, 0, 0] : [c.availableMs, c.busyMs, c.wrapUpMs, c.awayMs]);
						const intervals = Object.fromEntries(
							[...s.intervals].map(([i, c]) => [i, pick(c)]).filter(([, v]) => (v as number[]).some((x) => x > 0))
						);
						return JSON.stringify({
							intervals,
							last15: pick(s.rolling(end, 15)),
							last60: pick(s.rolling(end, 60)),
							day: pick(s.dayAt(end))
						});
					};
					const times = scopes.map(([label, s]) => `${label}: ${agentTime(s)}`);
					if (new Set(times.map((x) => x.slice(x.indexOf(': ')))).size > 1)
						fail(`agent time of one agent, day from ${dayStartMs} ms, logged in at ${t0}:\n${times.join('\n')}`);
				}
			),
			params(40)
		);
	});

	it('the Driver runs no timer for junk it then rejects as invalid, whatever the junk is stamped', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 1e15, 0, 1),
				fc.constantFrom<Record<string, unknown>>(
					{ type: 'call.arrived', id: 'junk' },
					{ type: 'agent.state', id: 'junk', agentId: 'a', state: 'lunch' },
					{ type: 'nonsense' }
				),
				fc.integer({ min: 1, max: 30 }),
				(stamp, junk, wrapSeconds) => {
					const { engine, driver } = newEngine({ config: { queues: [{ id: 'sales', wrapUpSeconds: wrapSeconds }] }, seed: 0 });
					driver.push(login(0, 'a'));
					driver.push({ type: 'call.arrived', id: 'arr', t: 10 * S, callId: 'c1', queue: 'sales' });
					driver.push({ type: 'call.answered', id: 'ans', t: 20 * S, callId: 'c1', agentId: 'a' });
					driver.push({ type: 'call.ended', id: 'end', t: 30 * S, callId: 'c1' });
					// a wrap-up timer is pending until 30 s + wrapSeconds; small stamps are offsets to at or after it
					const wrapEnd = 30 * S + wrapSeconds * S;
					const logged = driver.log.length;
					const r = driver.push({ ...junk, t: stamp > 1 || Number.isNaN(stamp) ? stamp : wrapEnd + stamp });
					expect(r.accepted).toBe(false);
					expect(driver.log.length).toBe(logged);
					expect(driver.pendingTimers).toBe(1);
					expect(engine.agents.get('a')?.state).toBe('wrap-up');
				}
			),
			params(40)
		);
	});

	it("longest-idle: an agent re-sending 'available' (e.g. with new skills) keeps the time they became available", () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 60 }),
				fc.integer({ min: 1, max: 60 }),
				fc.boolean(),
				fc.integer(),
				(gap1, gap2, newSkills, seed) => {
					const { driver } = newEngine({ config: { queues: [{ id: 'sales', strategy: 'longest-idle' }] }, seed });
					driver.push(login(0, 'first'));
					driver.push(login(gap1 * S, 'second'));
					driver.push({
						type: 'agent.state',
						id: 'again',
						t: (gap1 + gap2) * S,
						agentId: 'first',
						state: 'available',
						...(newSkills ? { skills: { sales: 2, spanish: 1 } } : {})
					});
					driver.push({ type: 'call.arrived', id: 'arr', t: (gap1 + gap2 + 1) * S, callId: 'c1', queue: 'sales' });
					const offer = driver.log.find((l) => l.origin === 'decision' && l.event.type === 'call.offered');
					expect(offer?.event).toMatchObject({ callId: 'c1', agentId: 'first' });
				}
			),
			params(30)
		);
	});
});
