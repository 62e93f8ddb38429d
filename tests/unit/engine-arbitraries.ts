import fc from 'fast-check';
import type { EngineConfigInput, QueueConfigInput } from '../../src/lib/engine/config';
import { STRATEGIES, FALLBACKS } from '../../src/lib/engine/config';
import type { AgentStateName, HeatEvent } from '../../src/lib/engine/events';
import { Engine } from '../../src/lib/engine/engine';
import { Driver } from '../../src/lib/engine/driver';

/*
 * Random but realistic event streams for the engine: a handful of agents logging in and out with
 * random skills, calls on one to three queues with their follow-ups (offers, answers, ends,
 * abandons, callbacks, transfers, ring-no-answers, overflows) at random later times, and configs
 * that vary everything the engine has a setting for. Streams come out mostly time-ordered; with
 * `disorder` some events are stamped a little (late) or a lot (stale) earlier than their place. Some
 * start before the day does (a warm-up), and some calls go to a queue named like an Object method.
 *
 * Garbage is described as data (`GarbageSpec`) and turned into an event only when it is pushed
 * (`makeGarbage`), because the nastiest garbage is made from the engine's state at that moment
 * (an impossible transition for a call that is live now, a duplicate of an id it still remembers).
 */

const S = 1000;
const M = 60 * S;

export const QUEUE_IDS = ['sales', 'support', 'vip'] as const;
/** never configured: created on first use, or rejected with autoQueues off */
export const UNCONFIGURED_QUEUE = 'extra';
/** also never configured, and named like an Object method: only an agent given that skill serves it */
export const OBJECT_METHOD_QUEUE = 'constructor';
export const AGENT_IDS = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'] as const;
/** 'toString': a skill named like an Object method is had only by the agents given it */
export const EXTRA_SKILLS = ['spanish', 'tech', 'toString'] as const;
export const SOURCES = ['web-form', 'pricing-page', 'campaign', 'after-hours'] as const;
export const AI_TIER = 'ai';
/** stands for the agent the call rings at when the event is pushed (see resolveEvent) */
export const RINGING_AGENT = '@ringing';
/** events further ahead of the engine clock than this are rejected as 'future' (README, bad input) */
export const MAX_AHEAD_MS = 86_400_000;

export interface Scenario {
	config: EngineConfigInput;
	/** seeds the stream the random strategy draws from */
	seed: number;
	/** the source's events, mostly in time order; push them with `feed` (they may name RINGING_AGENT) */
	events: HeatEvent[];
}

export interface ScenarioOptions {
	/** stamp some events earlier than their place in the stream (late within the window, or stale) */
	disorder?: boolean;
	/** value order only with exponential tiers, where the README promises the exact order */
	exponentialTiersForValueOrder?: boolean;
	maxCalls?: number;
	maxAgentActions?: number;
	/** chance that a call reuses the id of an earlier one (default 0.12) */
	callIdReuse?: number;
}

/** A small seeded uniform [0,1) stream (mulberry32) for the random strategy. */
export function seededRandom(seed: number): () => number {
	let s = seed >>> 0;
	return () => {
		s = (s + 0x6d2b79f5) >>> 0;
		let x = s;
		x = Math.imul(x ^ (x >>> 15), x | 1);
		x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
		return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
	};
}

export function newEngine(s: Pick<Scenario, 'config' | 'seed'>): { engine: Engine; driver: Driver } {
	const engine = new Engine(s.config, { random: seededRandom(s.seed) });
	return { engine, driver: new Driver(engine) };
}

/** Drops undefined fields so counterexamples print short and configs hold only what was chosen. */
function compact<T extends object>(o: T): T {
	return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** `arb` with probability `p`, else undefined (which is also what it shrinks towards). */
const opt = <T>(arb: fc.Arbitrary<T>, p = 0.5): fc.Arbitrary<T | undefined> =>
	fc.oneof({ weight: Math.round((1 - p) * 100), arbitrary: fc.constant(undefined) }, { weight: Math.round(p * 100), arbitrary: arb });

// ---------------------------------------------------------------------------- configs

const seconds = (min: number, max: number) => fc.integer({ min, max });

function hhmm(minuteOfDay: number): string {
	const m = ((minuteOfDay % 1440) + 1440) % 1440;
	return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

interface QueuePlan {
	mode: 'route' | 'observe';
	sharedSkill: boolean;
	strategy: (typeof STRATEGIES)[number];
	slSeconds: number;
	shortAbandonSeconds: number;
	maxWaiting: number | undefined;
	whenFull: (typeof FALLBACKS)[number];
	/** open windows as [start, length] in minutes after the stream's start */
	hours: Array<[number, number]> | undefined;
	whenClosed: (typeof FALLBACKS)[number];
	overflow: boolean;
	overflowAfterSeconds: number | undefined;
	/** the overflow timer falls due with the escalation (both set): the README's tie, escalation first */
	overflowWithEscalation: boolean;
	ringTimeoutSeconds: number | undefined;
	autoAnswer: boolean;
	afterRingNoAnswer: 'away' | 'available';
	wrapUpSeconds: number;
	/** toQueue: how many places further along the configured queues (wrapping round; none if that is the queue itself) */
	escalation: { afterSeconds: number; widen: boolean; toQueue: number | undefined; priorityBoost: number } | undefined;
	defaultValue: number;
}

const queuePlanArb: fc.Arbitrary<QueuePlan> = fc.record({
	mode: fc.constantFrom<'route' | 'observe'>('route', 'route', 'route', 'observe'),
	sharedSkill: fc.boolean(),
	strategy: fc.constantFrom(...STRATEGIES),
	slSeconds: seconds(5, 60),
	shortAbandonSeconds: seconds(0, 10),
	maxWaiting: opt(fc.integer({ min: 1, max: 4 }), 0.25),
	whenFull: fc.constantFrom(...FALLBACKS),
	hours: opt(fc.array(fc.tuple(fc.integer({ min: -60, max: 240 }), fc.integer({ min: 0, max: 180 })), { minLength: 1, maxLength: 2 }), 0.2),
	whenClosed: fc.constantFrom(...FALLBACKS),
	overflow: fc.constantFrom(true, true, false),
	// timers are never due at once (>= 1 s), so nothing is due at the clock itself: see StampMode; often shorter
	// than a ring, so that both wait timers fall due while the call rings
	overflowAfterSeconds: opt(fc.oneof({ weight: 2, arbitrary: seconds(1, 15) }, { weight: 1, arbitrary: seconds(1, 600) }), 0.75),
	overflowWithEscalation: fc.boolean(),
	ringTimeoutSeconds: opt(fc.oneof({ weight: 4, arbitrary: seconds(5, 30) }, { weight: 1, arbitrary: seconds(1, 60) })),
	autoAnswer: fc.boolean(),
	afterRingNoAnswer: fc.constantFrom<'away' | 'available'>('away', 'available'),
	wrapUpSeconds: fc.oneof(fc.constant(0), seconds(1, 90)),
	escalation: opt(
		fc.record({
			afterSeconds: fc.oneof({ weight: 2, arbitrary: seconds(1, 15) }, { weight: 1, arbitrary: seconds(1, 300) }),
			widen: fc.boolean(),
			toQueue: opt(fc.integer({ min: 1, max: 2 })),
			priorityBoost: fc.integer({ min: 0, max: 3 })
		}),
		0.5
	),
	defaultValue: fc.integer({ min: 0, max: 1000 })
});

interface ExpTier {
	p0: number;
	tauSeconds: number;
	floor: number;
}

interface ConfigPlan {
	queues: QueuePlan[];
	autoQueues: boolean;
	defaultMode: 'route' | 'observe';
	aiTier: { capacity: number; conversionFactor: number } | undefined;
	tiers: 'default' | 'exponential';
	expTiers: [ExpTier, ExpTier];
	defaultHeat: number;
	order: 'fifo' | 'value';
	reorderWindowMs: number;
	dedupeWindowMs: number | undefined;
	intervalMinutes: number;
	dayStartMs: number;
	/** first event, ms after dayStartMs (before it: a warm-up, counted only in negative intervals) */
	startOffsetMs: number;
	tzOffsetMinutes: number;
}

const configPlanArb: fc.Arbitrary<ConfigPlan> = fc.record({
	queues: fc.array(queuePlanArb, { minLength: 1, maxLength: 3 }),
	autoQueues: fc.constantFrom(true, true, true, false),
	defaultMode: fc.constantFrom<'route' | 'observe'>('route', 'observe'),
	aiTier: opt(fc.record({ capacity: fc.integer({ min: 0, max: 3 }), conversionFactor: fc.double({ min: 0, max: 1, noNaN: true }) }), 0.65),
	tiers: fc.constantFrom<'default' | 'exponential'>('default', 'exponential'),
	expTiers: fc.tuple(
		fc.record({
			p0: fc.double({ min: 0.1, max: 0.4, noNaN: true }),
			tauSeconds: seconds(30, 900),
			floor: fc.double({ min: 0, max: 0.05, noNaN: true })
		}),
		fc.record({
			p0: fc.double({ min: 0.05, max: 0.1, noNaN: true }),
			tauSeconds: seconds(120, 3600),
			floor: fc.double({ min: 0, max: 0.04, noNaN: true })
		})
	),
	defaultHeat: fc.double({ min: 0, max: 1, noNaN: true }),
	order: fc.constantFrom<'fifo' | 'value'>('fifo', 'value'),
	reorderWindowMs: fc.oneof(fc.constant(0), fc.integer({ min: 500, max: 10_000 }), fc.constant(5000)),
	dedupeWindowMs: fc.constantFrom<number | undefined>(undefined, undefined, 0, 20 * M),
	intervalMinutes: fc.constantFrom(15, 15, 15, 5, 30),
	// the day starts on a whole minute (the metrics require it); a real epoch start in some runs
	dayStartMs: fc.constantFrom(0, 0, 8 * 60 * M, 28_333_333 * M),
	startOffsetMs: fc.oneof(
		{ weight: 5, arbitrary: fc.integer({ min: 0, max: 3 * 60 * M }) },
		{ weight: 1, arbitrary: fc.integer({ min: -90 * M, max: -1 }) }
	),
	tzOffsetMinutes: fc.constantFrom(0, 0, 60, -300, 330)
});

/** Where the stream starts: before the day start only when there is time before it (stamps are never negative). */
function streamStart(p: ConfigPlan): number {
	return Math.max(0, p.dayStartMs + p.startOffsetMs);
}

function buildConfig(p: ConfigPlan, opts: ScenarioOptions): EngineConfigInput {
	const ids = QUEUE_IDS.slice(0, p.queues.length);
	const start = streamStart(p);
	const localStartMinute = Math.floor((start + p.tzOffsetMinutes * M) / M);
	const queues: QueueConfigInput[] = p.queues.map((q, i) => {
		const id = ids[i] as string;
		const esc = q.escalation;
		const target = esc?.toQueue !== undefined ? (i + esc.toQueue) % ids.length : i;
		const toQueue = target !== i ? ids[target] : undefined;
		return compact<QueueConfigInput>({
			id,
			mode: q.mode,
			// vip shares the sales skill when asked: two queues, one pool of agents
			skill: q.sharedSkill && id === 'vip' ? 'sales' : undefined,
			strategy: q.strategy,
			serviceLevel: { seconds: q.slSeconds, target: 0.8 },
			shortAbandonSeconds: q.shortAbandonSeconds,
			maxWaiting: q.maxWaiting,
			whenFull: q.whenFull,
			hours: q.hours?.map(([a, len]) => `${hhmm(localStartMinute + a)}-${hhmm(localStartMinute + a + len)}`),
			whenClosed: q.whenClosed,
			overflowTo: q.overflow && p.aiTier !== undefined ? AI_TIER : undefined,
			overflowAfterSeconds:
				q.overflow && p.aiTier !== undefined
					? q.overflowWithEscalation && q.overflowAfterSeconds !== undefined && esc !== undefined
						? esc.afterSeconds
						: q.overflowAfterSeconds
					: undefined,
			ringTimeoutSeconds: q.ringTimeoutSeconds,
			autoAnswer: q.autoAnswer,
			afterRingNoAnswer: q.afterRingNoAnswer,
			wrapUpSeconds: q.wrapUpSeconds,
			escalation: esc
				? compact({ afterSeconds: esc.afterSeconds, widen: esc.widen, toQueue, priorityBoost: esc.priorityBoost })
				: undefined,
			defaultValue: q.defaultValue
		});
	});
	const exponential = p.tiers === 'exponential' || (opts.exponentialTiersForValueOrder === true && p.order === 'value');
	const [hot, cold] = p.expTiers;
	return compact<EngineConfigInput>({
		queues,
		autoQueues: p.autoQueues,
		defaultMode: p.defaultMode,
		overflowTiers: p.aiTier ? [{ id: AI_TIER, ...p.aiTier }] : undefined,
		tiers: exponential
			? [
					{ id: 'hot', minHeat: 0.6, curve: { shape: 'exponential', ...hot } },
					{ id: 'cold', minHeat: 0, curve: { shape: 'exponential', ...cold } }
				]
			: undefined,
		defaultHeat: p.defaultHeat,
		order: p.order,
		reorderWindowMs: p.reorderWindowMs,
		dedupeWindowMs: p.dedupeWindowMs,
		intervalMinutes: p.intervalMinutes,
		dayStartMs: p.dayStartMs,
		tzOffsetMinutes: p.tzOffsetMinutes
	});
}

// ---------------------------------------------------------------------------- events

const SKILL_NAMES = ['sales', 'support', 'vip', ...EXTRA_SKILLS, OBJECT_METHOD_QUEUE] as const;

const skillsArb: fc.Arbitrary<Record<string, number>> = fc
	.array(fc.tuple(fc.constantFrom(...SKILL_NAMES), fc.integer({ min: 0, max: 3 })), { maxLength: 5 })
	.map((pairs) => Object.fromEntries(pairs));

/** Gaps between things: often simultaneous or seconds apart, sometimes minutes, rarely an hour. */
const gapArb = fc.oneof(
	{ weight: 2, arbitrary: fc.constant(0) },
	{ weight: 5, arbitrary: fc.integer({ min: 1, max: 10 * S }) },
	{ weight: 6, arbitrary: fc.integer({ min: 1, max: 3 * M }) },
	{ weight: 1, arbitrary: fc.integer({ min: 1, max: 40 * M }) },
	{ weight: 1, arbitrary: fc.integer({ min: 60 * M, max: 80 * M }) }
);

const STEP_KINDS = ['offered', 'answered', 'ringNoAnswer', 'abandoned', 'ended', 'transferred', 'callback', 'overflowed'] as const;
type StepKind = (typeof STEP_KINDS)[number];

interface StepPlan {
	kind: StepKind;
	delay: number;
	/** agent index; past the list: an agent the engine has never seen */
	agent: number;
	/** answers and ring-no-answers: by whoever the call is ringing at when the event is pushed */
	ringing: boolean;
	toQueue: number;
	target: 'ai' | 'voicemail' | 'nowhere';
	converted: boolean | undefined;
	revenue: number | undefined;
	wrapMs: number | undefined;
}

const stepArb: fc.Arbitrary<StepPlan> = fc.record({
	kind: fc.oneof(
		{ weight: 6, arbitrary: fc.constant<StepKind>('answered') },
		{ weight: 6, arbitrary: fc.constant<StepKind>('ended') },
		{ weight: 3, arbitrary: fc.constant<StepKind>('abandoned') },
		{ weight: 2, arbitrary: fc.constant<StepKind>('offered') },
		{ weight: 2, arbitrary: fc.constant<StepKind>('callback') },
		{ weight: 2, arbitrary: fc.constant<StepKind>('transferred') },
		{ weight: 2, arbitrary: fc.constant<StepKind>('ringNoAnswer') },
		{ weight: 1, arbitrary: fc.constant<StepKind>('overflowed') }
	),
	delay: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 30 * S }), fc.integer({ min: 1, max: 10 * M })),
	agent: fc.nat({ max: AGENT_IDS.length }),
	ringing: fc.boolean(),
	toQueue: fc.oneof(
		{ weight: 8, arbitrary: fc.nat({ max: 2 }) },
		{ weight: 1, arbitrary: fc.constant(3) },
		{ weight: 1, arbitrary: fc.constant(4) }
	),
	target: fc.constantFrom<'ai' | 'voicemail' | 'nowhere'>('ai', 'ai', 'voicemail', 'nowhere'),
	converted: opt(fc.boolean()),
	revenue: opt(fc.integer({ min: 0, max: 5000 }), 0.25),
	wrapMs: opt(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 60 * S })))
});

/** A call's life as sources report it, or (one time in six) any follow-ups in any order. */
const scripted = (kinds: readonly StepKind[], ringing = true): fc.Arbitrary<StepPlan[]> =>
	fc
		.tuple(...kinds.map(() => stepArb))
		.map((steps) => steps.map((st, i) => ({ ...st, kind: kinds[i] as StepKind, ringing, agent: (steps[0] as StepPlan).agent })));

const stepsArb: fc.Arbitrary<StepPlan[]> = fc.oneof(
	{ weight: 6, arbitrary: scripted(['answered', 'ended']) },
	{ weight: 2, arbitrary: scripted(['abandoned']) },
	{ weight: 2, arbitrary: scripted(['offered', 'answered', 'ended'], false) },
	{ weight: 1, arbitrary: scripted(['callback', 'answered', 'ended']) },
	{ weight: 1, arbitrary: scripted(['answered', 'transferred', 'answered', 'ended']) },
	// answered, transferred and hanging up in the new queue: an end, not an abandon (README, Engine rules)
	{ weight: 1, arbitrary: scripted(['answered', 'transferred', 'abandoned']) },
	// a ring in the new queue that goes unanswered: wait timers due during the first ring are settled by its answer
	{ weight: 1, arbitrary: scripted(['answered', 'transferred', 'ringNoAnswer', 'answered', 'ended']) },
	{ weight: 1, arbitrary: scripted(['ringNoAnswer', 'answered', 'ended']) },
	// moved while waiting or ringing: the old queue's wait timers stop, the new queue's run from the move
	{ weight: 1, arbitrary: scripted(['transferred', 'answered', 'ended']) },
	{ weight: 1, arbitrary: scripted(['transferred', 'ringNoAnswer', 'transferred', 'abandoned']) },
	{ weight: 1, arbitrary: scripted(['ringNoAnswer', 'transferred', 'ringNoAnswer', 'answered', 'ended']) },
	{ weight: 1, arbitrary: scripted(['overflowed', 'ended']) },
	{ weight: 1, arbitrary: scripted(['overflowed', 'transferred', 'answered', 'ended']) },
	{ weight: 3, arbitrary: fc.array(stepArb, { maxLength: 4 }) }
);

interface CallPlan {
	queue: number;
	heat: number | undefined;
	tier: string | undefined;
	value: number | undefined;
	priority: number | undefined;
	skills: Record<string, number> | undefined;
	source: string | undefined;
	caller: string | undefined;
	/** reuse the id of an earlier call (after it is over, or while it is live: duplicateCall) */
	reuse: number | undefined;
	steps: StepPlan[];
}

const callArb = (opts: ScenarioOptions): fc.Arbitrary<CallPlan> =>
	fc.record({
		queue: fc.oneof(
			{ weight: 24, arbitrary: fc.nat({ max: 2 }) },
			{ weight: 2, arbitrary: fc.constant(3) },
			{ weight: 1, arbitrary: fc.constant(4) }
		),
		heat: opt(fc.double({ min: 0, max: 1, noNaN: true }), 0.8),
		tier: opt(fc.constantFrom('hot', 'cold', 'lukewarm'), 0.1),
		value: opt(fc.integer({ min: 0, max: 5000 }), 0.8),
		priority: opt(fc.integer({ min: -1, max: 3 }), 0.35),
		skills: opt(fc.dictionary(fc.constantFrom(...EXTRA_SKILLS), fc.integer({ min: 0, max: 3 }), { minKeys: 1, maxKeys: 2 }), 0.2),
		source: opt(fc.constantFrom(...SOURCES), 0.8),
		caller: opt(fc.constantFrom('+1 555 0100', '0044 20 7946 0958', '7')),
		reuse: opt(fc.nat(), opts.callIdReuse ?? 0.12),
		steps: stepsArb
	});

interface AgentActionPlan {
	agent: number;
	state: AgentStateName;
	skills: Record<string, number> | undefined;
	reason: string | undefined;
}

const agentActionArb: fc.Arbitrary<AgentActionPlan> = fc.record({
	agent: fc.nat({ max: AGENT_IDS.length - 1 }),
	state: fc.oneof(
		{ weight: 6, arbitrary: fc.constant<AgentStateName>('available') },
		{ weight: 3, arbitrary: fc.constant<AgentStateName>('away') },
		{ weight: 2, arbitrary: fc.constant<AgentStateName>('offline') },
		{ weight: 1, arbitrary: fc.constant<AgentStateName>('busy') },
		{ weight: 1, arbitrary: fc.constant<AgentStateName>('wrap-up') }
	),
	skills: opt(skillsArb, 0.25),
	reason: opt(fc.constantFrom('lunch', 'training', 'meeting'), 0.3)
});

type Action = { gap: number; call: CallPlan } | { gap: number; agent: AgentActionPlan };

interface StreamPlan {
	logins: Array<{ skills: Record<string, number> } | null>;
	actions: Action[];
	/** per event: 0 keeps its stamp; otherwise stamped earlier by this much */
	jitter: Array<number>;
}

function streamPlanArb(opts: ScenarioOptions): fc.Arbitrary<StreamPlan> {
	const action: fc.Arbitrary<Action> = fc.oneof(
		{ weight: 3, arbitrary: fc.record({ gap: gapArb, call: callArb(opts) }) },
		{ weight: 1, arbitrary: fc.record({ gap: gapArb, agent: agentActionArb }) }
	);
	const login = fc.option(
		fc.record({
			skills: fc
				.tuple(skillsArb, fc.subarray([...QUEUE_IDS], { minLength: 1 }))
				.map(([s, qs]) => ({ ...Object.fromEntries(qs.map((q) => [q, 1])), ...s }))
		}),
		{ nil: null, freq: 4 }
	);
	const maxActions = (opts.maxCalls ?? 24) + (opts.maxAgentActions ?? 10);
	return fc.record({
		logins: fc.array(login, { minLength: 1, maxLength: AGENT_IDS.length }),
		actions: fc.array(action, { maxLength: maxActions }),
		jitter: opts.disorder
			? fc.array(
					fc.oneof(
						{ weight: 12, arbitrary: fc.constant(0) },
						{ weight: 2, arbitrary: fc.integer({ min: 1, max: 6 * S }) },
						{ weight: 1, arbitrary: fc.integer({ min: 1, max: 20 * M }) }
					),
					{ maxLength: 200 }
				)
			: fc.constant([])
	});
}

function buildEvents(plan: StreamPlan, config: EngineConfigInput, start: number): HeatEvent[] {
	const configured = (config.queues ?? []).map((q) => q.id);
	// 3 and 4: queues the config does not have
	const queueAt = (i: number) =>
		i === 3 ? UNCONFIGURED_QUEUE : i === 4 ? OBJECT_METHOD_QUEUE : ((configured[i % configured.length] ?? UNCONFIGURED_QUEUE) as string);
	const agentAt = (i: number) => (i < AGENT_IDS.length ? (AGENT_IDS[i] as string) : `ghost-agent-${i}`);
	const timed: Array<{ t: number; order: number; e: Omit<HeatEvent, 'id'> }> = [];
	const push = (t: number, e: Record<string, unknown>) => timed.push({ t, order: timed.length, e: { ...e, t } as Omit<HeatEvent, 'id'> });

	plan.logins.forEach((l, i) => {
		if (l !== null) push(start, { type: 'agent.state', agentId: agentAt(i), state: 'available', skills: l.skills });
	});
	let t = start;
	let calls = 0;
	const callIds: string[] = [];
	for (const a of plan.actions) {
		t += a.gap;
		if ('agent' in a) {
			const p = a.agent;
			push(t, compact({ type: 'agent.state', agentId: agentAt(p.agent), state: p.state, skills: p.skills, reason: p.reason }));
			continue;
		}
		const c = a.call;
		const callId = c.reuse !== undefined && callIds.length > 0 ? (callIds[c.reuse % callIds.length] as string) : `c${++calls}`;
		callIds.push(callId);
		push(
			t,
			compact({
				type: 'call.arrived',
				callId,
				queue: queueAt(c.queue),
				heat: c.heat,
				tier: c.tier,
				value: c.value,
				priority: c.priority,
				skills: c.skills,
				source: c.source,
				caller: c.caller
			})
		);
		let at = t;
		// one agent follows a call through offer, answer and ring-no-answer, as an ACD would report it
		const agent = agentAt(c.steps[0]?.agent ?? 0);
		for (const s of c.steps) {
			at += s.delay;
			const named = s.agent % 3 === 0 ? agentAt(s.agent) : agent;
			const who = s.ringing ? RINGING_AGENT : named;
			switch (s.kind) {
				case 'offered':
					push(at, { type: 'call.offered', callId, agentId: named });
					break;
				case 'answered':
					push(at, { type: 'call.answered', callId, agentId: who });
					break;
				case 'ringNoAnswer':
					push(at, { type: 'call.ringNoAnswer', callId, agentId: who });
					break;
				case 'abandoned':
					push(at, { type: 'call.abandoned', callId });
					break;
				case 'ended':
					push(at, compact({ type: 'call.ended', callId, converted: s.converted, revenue: s.revenue, wrapMs: s.wrapMs }));
					break;
				case 'transferred':
					push(at, { type: 'call.transferred', callId, toQueue: queueAt(s.toQueue) });
					break;
				case 'callback':
					push(at, { type: 'call.callback.requested', callId });
					break;
				case 'overflowed':
					push(at, { type: 'call.overflowed', callId, target: s.target, reason: 'no-agents' });
					break;
			}
		}
	}
	timed.sort((x, y) => x.t - y.t || x.order - y.order);
	return timed.map(({ e }, i) => {
		const jitter = plan.jitter[i] ?? 0;
		return { ...e, id: `e${i + 1}`, t: Math.max(0, e.t - jitter) } as HeatEvent;
	});
}

export function scenarioArb(opts: ScenarioOptions = {}): fc.Arbitrary<Scenario> {
	return fc.record({ config: configPlanArb, stream: streamPlanArb(opts), seed: fc.integer() }).map(({ config: cp, stream, seed }) => {
		const config = buildConfig(cp, opts);
		return { config, seed, events: buildEvents(stream, config, streamStart(cp)) };
	});
}

/**
 * A phone system reports the answer (or the ring-no-answer) of the agent its call was ringing at;
 * a generated stream cannot know who that is, so it says RINGING_AGENT and this fills it in from
 * the engine's state when the event is pushed (the first agent if the call rings at nobody).
 */
export function resolveEvent(e: HeatEvent, engine: Engine): HeatEvent {
	if ((e.type !== 'call.answered' && e.type !== 'call.ringNoAnswer') || e.agentId !== RINGING_AGENT) return e;
	return { ...e, agentId: engine.calls.get(e.callId)?.agent?.id ?? (AGENT_IDS[0] as string) };
}

/** Resolves and pushes one event of the source's stream. */
export function feed(driver: Driver, e: HeatEvent): { event: HeatEvent; accepted: boolean } {
	const event = resolveEvent(e, driver.engine);
	return { event, accepted: driver.push(event).accepted };
}

// ---------------------------------------------------------------------------- garbage

export const GHOST_TYPES = [
	'call.offered',
	'call.answered',
	'call.ringNoAnswer',
	'call.abandoned',
	'call.ended',
	'call.transferred',
	'call.callback.requested',
	'call.overflowed'
] as const;

/** Where garbage is stamped relative to the engine clock; every kind carries both offsets. */
interface Stamp {
	back: number;
	ahead: number;
}

export type GarbageSpec = Stamp &
	(
		| /** fails the schema */
		  { kind: 'invalid'; variant: number } /** a well-formed event about a call that never existed */
		| { kind: 'ghost'; type: (typeof GHOST_TYPES)[number] } /** an accepted event again, same id */
		| { kind: 'duplicate'; pick: number } /** an accepted event again under a new id, older than the reorder window allows */
		| { kind: 'stale'; pick: number } /** a transition the call's current status does not allow */
		| { kind: 'badTransition'; pick: number } /** an answer by an agent who is on another call */
		| { kind: 'contradiction'; pick: number; agent: number } /** a second arrival of a call in progress */
		| { kind: 'duplicateCall'; pick: number } /** an overflow to a tier that does not exist */
		| { kind: 'unknownTarget'; pick: number } /** an event stamped more than a day ahead of the clock, whatever the mode */
		| { kind: 'future'; pick: number }
	);

export const GARBAGE_KINDS: ReadonlyArray<GarbageSpec['kind']> = [
	'invalid',
	'ghost',
	'duplicate',
	'stale',
	'badTransition',
	'contradiction',
	'duplicateCall',
	'unknownTarget',
	'future'
];

const stamp = { back: fc.nat({ max: 12_000 }), ahead: fc.nat({ max: 10 * M }) };

export const garbageSpecArb: fc.Arbitrary<GarbageSpec> = fc.oneof(
	fc.record({ kind: fc.constant('invalid' as const), variant: fc.nat(), ...stamp }),
	fc.record({ kind: fc.constant('ghost' as const), type: fc.constantFrom(...GHOST_TYPES), ...stamp }),
	fc.record({ kind: fc.constant('duplicate' as const), pick: fc.nat(), ...stamp }),
	fc.record({ kind: fc.constant('stale' as const), pick: fc.nat(), ...stamp }),
	fc.record({ kind: fc.constant('badTransition' as const), pick: fc.nat(), ...stamp }),
	fc.record({ kind: fc.constant('contradiction' as const), pick: fc.nat(), agent: fc.nat(), ...stamp }),
	fc.record({ kind: fc.constant('duplicateCall' as const), pick: fc.nat(), ...stamp }),
	fc.record({ kind: fc.constant('unknownTarget' as const), pick: fc.nat(), ...stamp }),
	fc.record({ kind: fc.constant('future' as const), pick: fc.nat(), ...stamp })
);

export interface GarbageContext {
	engine: Engine;
	/** the source's events the engine accepted so far, with the time each was applied at */
	accepted: ReadonlyArray<{ event: HeatEvent; appliedAt: number }>;
	/** garbage made so far in this run; numbers the garbage ids, so that a run repeats exactly */
	made: number;
}

/**
 * - `behind`: 1 ms to past the reorder window before the engine clock. A Driver has already run every
 *   timer due by then (configs schedule none due at once), so such garbage could change things only
 *   by being applied, which is what a rejection must not do.
 * - `ahead`: after the clock. The engine must not let a rejected event move its clock either; a
 *   Driver, though, runs the timers due by a well-formed event's stamp before the engine judges it
 *   (junk that fails the schema it rejects before running any timer).
 * - `anywhere`: either side (finite stamps; only some schema-invalid junk carries non-finite ones).
 */
export type StampMode = 'behind' | 'ahead' | 'anywhere';

/** Turns a garbage description into a value the engine must reject, given its state now. */
export function makeGarbage(spec: GarbageSpec, ctx: GarbageContext, mode: StampMode = 'behind'): unknown {
	const { engine } = ctx;
	const id = `g${++ctx.made}`;
	const clock = engine.clock;
	const started = Number.isFinite(clock);
	const base = started ? clock : 0;
	const t =
		mode === 'behind' ? (started ? clock - 1 - spec.back : -1) : mode === 'ahead' ? base + 1 + spec.ahead : base + spec.ahead - spec.back;
	const live = [...engine.calls.values()];
	const pickLive = (n: number, ok: (status: string) => boolean) => {
		const xs = live.filter((c) => ok(c.status));
		return xs.length > 0 ? xs[n % xs.length] : undefined;
	};
	const ghost = (type: (typeof GHOST_TYPES)[number]): Record<string, unknown> => {
		const callId = `ghost-call-${id}`;
		switch (type) {
			case 'call.offered':
			case 'call.answered':
			case 'call.ringNoAnswer':
				return { type, id, t, callId, agentId: AGENT_IDS[0] };
			case 'call.transferred':
				return { type, id, t, callId, toQueue: QUEUE_IDS[0] };
			case 'call.overflowed':
				return { type, id, t, callId, target: 'voicemail', reason: 'wait' };
			default:
				return { type, id, t, callId };
		}
	};
	switch (spec.kind) {
		case 'invalid': {
			const variants: unknown[] = [
				null,
				42,
				'call.arrived',
				[],
				{},
				{ type: 'call.arrived', id, t, queue: 'sales' },
				{ type: 'call.arrived', id, t: 'soon', callId: id, queue: 'sales' },
				{ type: 'call.arrived', id, t: -5, callId: id, queue: 'sales' },
				{ type: 'call.arrived', id, t, callId: id, queue: 'sales', heat: 3 },
				{ type: 'call.arrived', id, t, callId: id, queue: 'sales', value: -1 },
				{ type: 'call.arrived', id, t, callId: id, queue: 'sales', priority: 1000 },
				{ type: 'call.arrived', id, t, callId: 'x'.repeat(200), queue: 'sales' },
				{ type: 'call.arrived', id, t, callId: id, queue: '' },
				{
					type: 'call.arrived',
					id,
					t,
					callId: id,
					queue: 'sales',
					skills: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`s${i}`, 1]))
				},
				{ type: 'call.arrived', id, t, callId: id, queue: 'sales', v: 2 },
				{ type: 'call.exploded', id, t, callId: id },
				{ type: 'agent.state', id, t, agentId: AGENT_IDS[0], state: 'lunch' },
				{ type: 'agent.state', id, t, agentId: AGENT_IDS[0], state: 'available', skills: { sales: 1.5 } },
				{ type: 'call.ended', id, t, callId: id, wrapMs: -1 },
				{ type: 'call.overflowed', id, t, callId: id, target: 'ai', reason: 'bored' },
				{ type: 'timer', id, t, kind: 'nap' },
				{ type: 'call.answered', id: '', t, callId: id, agentId: AGENT_IDS[0] },
				// a Driver validates before it runs the timers due by a stamp, so even these run none
				{ type: 'call.arrived', id, t: Number.NaN, callId: id, queue: 'sales' },
				{ type: 'call.ended', id, t: Number.POSITIVE_INFINITY, callId: id },
				// past the latest time a Date can hold, and a wrap-up longer than a day
				{ type: 'call.arrived', id, t: 8.64e15 + 1, callId: id, queue: 'sales' },
				{ type: 'call.ended', id, t, callId: id, wrapMs: 86_400_001 }
			];
			return variants[spec.variant % variants.length];
		}
		case 'ghost':
			return started ? ghost(spec.type) : { ...ghost(spec.type), t: -1 };
		case 'duplicate': {
			const window = engine.config.dedupeWindowMs;
			// only ids the engine must still remember: within its window (and it must be remembering at all)
			const xs = window > 0 ? ctx.accepted.filter((a) => a.appliedAt >= clock - window) : [];
			const x = xs[spec.pick % Math.max(1, xs.length)];
			return x !== undefined ? { ...x.event } : ghost('call.ended');
		}
		case 'stale': {
			const x = ctx.accepted[spec.pick % Math.max(1, ctx.accepted.length)];
			if (x === undefined || !started || mode !== 'behind') return ghost('call.abandoned');
			return { ...x.event, id, t: clock - engine.config.reorderWindowMs - 1 - spec.back };
		}
		case 'badTransition': {
			const c = pickLive(spec.pick, () => true);
			if (c === undefined) return ghost('call.abandoned');
			switch (c.status) {
				case 'waiting':
				case 'callback':
					return { type: 'call.ringNoAnswer', id, t, callId: c.id, agentId: AGENT_IDS[spec.pick % AGENT_IDS.length] };
				case 'ringing':
					return { type: 'call.callback.requested', id, t, callId: c.id };
				default:
					return { type: 'call.abandoned', id, t, callId: c.id };
			}
		}
		case 'contradiction': {
			const c = pickLive(spec.pick, (s) => s === 'waiting' || s === 'callback' || s === 'ringing');
			const onOtherCall = [...engine.agents.values()].filter((a) => a.call !== null && a.call !== c);
			const a = onOtherCall[spec.agent % Math.max(1, onOtherCall.length)];
			if (c === undefined || a === undefined) return ghost('call.answered');
			return { type: 'call.answered', id, t, callId: c.id, agentId: a.id };
		}
		case 'duplicateCall': {
			const c = pickLive(spec.pick, () => true);
			if (c === undefined) return ghost('call.ended');
			return { type: 'call.arrived', id, t, callId: c.id, queue: c.queue.id };
		}
		case 'unknownTarget': {
			const c = pickLive(spec.pick, (s) => s === 'waiting' || s === 'callback');
			if (c === undefined) return ghost('call.overflowed');
			return { type: 'call.overflowed', id, t, callId: c.id, target: 'nowhere', reason: 'wait' };
		}
		case 'future': {
			// what would be accepted at the clock (a new call, an event the engine took, again under a new id)
			const far = base + MAX_AHEAD_MS + 1 + spec.ahead;
			const x = ctx.accepted[spec.pick % Math.max(1, ctx.accepted.length)];
			if (!started) return ghost('call.ended');
			if (x === undefined || spec.pick % 3 === 0)
				return { type: 'call.arrived', id, t: far, callId: `future-call-${id}`, queue: QUEUE_IDS[0] };
			return { ...x.event, id, t: far };
		}
	}
}

export type StreamItem = { kind: 'event'; event: HeatEvent } | { kind: 'garbage'; spec: GarbageSpec };

/** The scenario's events with garbage slipped in between them (each garbage before the event at its position). */
export function withGarbageArb(
	opts: ScenarioOptions & { kinds?: ReadonlyArray<GarbageSpec['kind']> } = {}
): fc.Arbitrary<Scenario & { stream: StreamItem[] }> {
	const kinds = opts.kinds;
	const specs = kinds ? garbageSpecArb.filter((g) => kinds.includes(g.kind)) : garbageSpecArb;
	return scenarioArb(opts).chain((s) =>
		fc.array(fc.tuple(fc.nat({ max: s.events.length }), specs), { minLength: 1, maxLength: 25 }).map((garbage) => {
			const stream: StreamItem[] = [];
			const sorted = [...garbage].sort((a, b) => a[0] - b[0]);
			let g = 0;
			for (let i = 0; i <= s.events.length; i++) {
				while (g < sorted.length && (sorted[g] as [number, GarbageSpec])[0] === i)
					stream.push({ kind: 'garbage', spec: (sorted[g++] as [number, GarbageSpec])[1] });
				const e = s.events[i];
				if (e !== undefined) stream.push({ kind: 'event', event: e });
			}
			return { ...s, stream };
		})
	);
}

/** How long after the last event a run is read, so pending wrap-ups, rings and escalations play out. */
export const TAIL_MS = 20 * M;

export function endOf(events: readonly HeatEvent[]): number {
	let t = 0;
	for (const e of events) t = Math.max(t, e.t);
	return t + TAIL_MS;
}
