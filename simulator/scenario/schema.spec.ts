import { beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/lib/engine/engine';
import { mean as distMean } from '../random/distributions';
import { ScenarioError } from './issues';
import { resolveScenario, validateScenario } from './schema';
import type { Scenario } from './types';

const S = 1000;
const M = 60 * S;
const H = 60 * M;

/** The simple form from the scenario documentation, as a parsed YAML document. */
function simple(): Record<string, unknown> {
	return {
		name: 'single queue',
		horizon: '8h',
		warmup: '30m',
		queues: [{ id: 'sales', serviceLevel: { seconds: 20, target: 0.8 } }],
		arrivals: [{ queue: 'sales', perHour: 2880 }],
		handleTime: { dist: 'exponential', mean: '4m' },
		patience: { dist: 'exponential', mean: '3m' },
		agents: [{ group: 'team', count: 200, skills: ['sales'] }]
	};
}

function with_(patch: Record<string, unknown>): Record<string, unknown> {
	return { ...simple(), ...patch };
}

function issuesOf(raw: unknown): Array<{ path: string; message: string }> {
	const r = validateScenario(raw);
	if (r.ok) throw new Error('expected the scenario to be rejected');
	return r.issues.map((i) => ({
		path: i.path
			.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
			.join('')
			.replace(/^\./, ''),
		message: i.message
	}));
}

describe('resolveScenario: the simple form', () => {
	const s: Scenario = resolveScenario(simple(), 'reference.yaml');

	it('fills the run settings', () => {
		expect(s).toMatchObject({
			name: 'single queue',
			description: '',
			file: 'reference.yaml',
			startMs: 0,
			horizonMs: 8 * H,
			warmupMs: 30 * M,
			weekday: 1,
			seed: 1,
			costPerAgentHour: 0,
			overflowTiers: []
		});
	});

	it('gives the engine a closed, trusted, auto-answering configuration', () => {
		expect(s.engine).toEqual({
			queues: [
				{
					id: 'sales',
					mode: 'route',
					strategy: 'longest-idle',
					serviceLevel: { seconds: 20, target: 0.8 },
					shortAbandonSeconds: 5,
					whenFull: 'voicemail',
					whenClosed: 'voicemail',
					autoAnswer: true,
					wrapUpSeconds: 0,
					defaultValue: 0,
					defaultHandleSeconds: 240
				}
			],
			autoQueues: false,
			overflowTiers: [],
			order: 'fifo',
			reorderWindowMs: 0,
			dedupeWindowMs: 0,
			intervalMinutes: 15,
			dayStartMs: 30 * M
		});
		expect(() => new Engine(s.engine)).not.toThrow();
	});

	it('resolves the queue, the arrival stream and the agents in ms', () => {
		expect(s.queues).toEqual([
			{
				id: 'sales',
				handleTime: { dist: 'exponential', mean: 4 * M },
				wrapUp: { dist: 'constant', value: 0 },
				patience: { dist: 'exponential', mean: 3 * M },
				callbackShare: 0
			}
		]);
		expect(s.arrivals).toEqual([
			{
				queue: 'sales',
				ratesPerHour: [2880],
				intervalMs: 8 * H,
				weekdayFactors: [1, 1, 1, 1, 1, 1, 1],
				scale: 1,
				sources: [{ value: 'direct', share: 1 }],
				heat: { dist: 'constant', value: 0.5 },
				value: { dist: 'constant', value: 0 },
				skills: [],
				priority: 0
			}
		]);
		expect(s.agents).toEqual([{ id: 'team', skills: { sales: 1 }, shifts: [{ startMs: 0, endMs: 8 * H, count: 200, breaks: [] }] }]);
	});
});

describe('resolveScenario: the full form', () => {
	const full = {
		name: 'full',
		description: 'everything',
		start: '08:00',
		weekday: 'fri',
		horizon: '10h',
		warmup: '15m',
		seed: 42,
		order: 'value',
		costPerAgentHour: 30,
		tiers: [
			{ id: 'hot', minHeat: 0.6, curve: { shape: 'exponential', p0: 0.3, tauSeconds: 120 } },
			{
				id: 'cold',
				minHeat: 0,
				curve: {
					shape: 'piecewise',
					points: [
						[0, 0.05],
						[600, 0.02]
					]
				}
			}
		],
		handleTime: '5m',
		wrapUp: { dist: 'uniform', min: '30s', max: '90s' },
		patience: { dist: 'weibull', shape: 1.5, scale: '4m' },
		callbackShare: 0.1,
		queues: [
			{
				id: 'sales',
				strategy: 'best-skill',
				serviceLevel: { seconds: '30s' },
				maxWaiting: 10,
				whenFull: 'overflow',
				hours: '09:00-17:00',
				whenClosed: 'callback',
				overflowTo: 'ai',
				overflowAfter: '2m',
				ringTimeout: 15,
				escalation: { after: '60s', priorityBoost: 2 },
				shortAbandon: '8s',
				defaultValue: 900,
				handleTime: { dist: 'gamma', mean: '6m', cv: 0.5 },
				callbackShare: 0.3
			},
			{
				id: 'support',
				skill: 'helpdesk',
				hours: ['08:00-12:00', '13:00-18:00'],
				escalation: { after: '3m', widen: false, toQueue: 'sales' },
				wrapUp: '1m',
				patience: { dist: 'empirical', values: ['30s', '1m', 90] }
			}
		],
		arrivals: [
			{
				queue: 'sales',
				profile: { interval: '30m', rates: [60, 120, 90] },
				weekdays: { fri: 1.2, sat: 0.5 },
				scale: 1.5,
				sources: { 'web-form': 0.6, 'pricing-page': 0.4 },
				heat: { dist: 'beta', a: 5, b: 2 },
				value: { dist: 'lognormal', mean: 3500, sd: 1000 },
				skills: { spanish: 0.1, german: { share: 0.05, level: 2 } },
				priority: 1
			},
			{ queue: 'support', perHour: 30, source: 'existing-customer', heat: 0.1, value: 50 }
		],
		agents: [
			{ group: 'closers', skills: { sales: 3, spanish: 1, german: 2 }, count: 4 },
			{
				group: 'helpdesk',
				skills: ['helpdesk'],
				shifts: [
					{ start: '08:00', end: '16:00', count: 3, breaks: [{ at: '12:00', duration: '30m' }] },
					{ start: '12:00', end: '20:00', count: 2 }
				]
			},
			{ group: 'juniors', skills: { sales: 1, helpdesk: 1 }, perInterval: { interval: '2h', counts: [1, 2, 2, 0] } }
		],
		overflowTiers: [{ id: 'ai', capacity: 20, conversionFactor: 0.4, handBack: 0.3, handBackQueue: 'support' }]
	};
	const s = resolveScenario(full);

	it('resolves the run settings', () => {
		expect(s).toMatchObject({
			description: 'everything',
			startMs: 8 * H,
			horizonMs: 10 * H,
			warmupMs: 15 * M,
			weekday: 5,
			seed: 42,
			costPerAgentHour: 30
		});
		expect(s.engine).toMatchObject({ order: 'value', dayStartMs: 8 * H + 15 * M, autoQueues: false });
		expect(s.engine.tiers).toEqual(full.tiers);
	});

	it('converts the queue settings to the engine (durations to seconds)', () => {
		const [sales, support] = s.engine.queues ?? [];
		expect(sales).toEqual({
			id: 'sales',
			mode: 'route',
			strategy: 'best-skill',
			serviceLevel: { seconds: 30, target: 0.8 },
			shortAbandonSeconds: 8,
			maxWaiting: 10,
			whenFull: 'overflow',
			hours: ['09:00-17:00'],
			whenClosed: 'callback',
			overflowTo: 'ai',
			overflowAfterSeconds: 120,
			ringTimeoutSeconds: 15,
			autoAnswer: true,
			wrapUpSeconds: 60,
			escalation: { afterSeconds: 60, widen: true, priorityBoost: 2 },
			defaultValue: 900,
			defaultHandleSeconds: 360
		});
		expect(support).toMatchObject({
			id: 'support',
			skill: 'helpdesk',
			hours: ['08:00-12:00', '13:00-18:00'],
			escalation: { afterSeconds: 180, widen: false, priorityBoost: 0, toQueue: 'sales' },
			wrapUpSeconds: 60,
			defaultHandleSeconds: 300
		});
		expect(s.engine.overflowTiers).toEqual([{ id: 'ai', capacity: 20, conversionFactor: 0.4 }]);
		expect(() => new Engine(s.engine)).not.toThrow();
	});

	it('applies per-queue overrides over the scenario-wide settings', () => {
		expect(s.queues).toEqual([
			{
				id: 'sales',
				handleTime: { dist: 'gamma', shape: 4, scale: 1.5 * M },
				wrapUp: { dist: 'uniform', min: 30 * S, max: 90 * S },
				patience: { dist: 'weibull', shape: 1.5, scale: 4 * M },
				callbackShare: 0.3
			},
			{
				id: 'support',
				handleTime: { dist: 'constant', value: 5 * M },
				wrapUp: { dist: 'constant', value: M },
				patience: { dist: 'empirical', values: [30 * S, M, 90 * S] },
				callbackShare: 0.1
			}
		]);
		expect(distMean(s.queues[0]!.handleTime)).toBeCloseTo(6 * M, 6);
	});

	it('resolves arrival streams: profile, weekdays, mixes', () => {
		const [sales, support] = s.arrivals;
		expect(sales).toEqual({
			queue: 'sales',
			ratesPerHour: [60, 120, 90],
			intervalMs: 30 * M,
			weekdayFactors: [1, 1, 1, 1, 1, 1.2, 0.5],
			scale: 1.5,
			sources: [
				{ value: 'web-form', share: 0.6 },
				{ value: 'pricing-page', share: 0.4 }
			],
			heat: { dist: 'beta', a: 5, b: 2 },
			value: { dist: 'lognormal', mean: 3500, sd: 1000 },
			skills: [
				{ value: { spanish: 1 }, share: 0.1 },
				{ value: { german: 2 }, share: 0.05 },
				{ value: {}, share: expect.closeTo(0.85, 12) as number }
			],
			priority: 1
		});
		expect(support).toMatchObject({
			ratesPerHour: [30],
			intervalMs: 10 * H,
			sources: [{ value: 'existing-customer', share: 1 }],
			heat: { dist: 'constant', value: 0.1 },
			value: { dist: 'constant', value: 50 },
			skills: []
		});
	});

	it('turns counts, daily shifts and per-interval counts into shifts inside the run', () => {
		const [closers, helpdesk, juniors] = s.agents;
		expect(closers).toEqual({
			id: 'closers',
			skills: { sales: 3, spanish: 1, german: 2 },
			shifts: [{ startMs: 8 * H, endMs: 18 * H, count: 4, breaks: [] }]
		});
		expect(helpdesk).toEqual({
			id: 'helpdesk',
			skills: { helpdesk: 1 },
			shifts: [
				{ startMs: 8 * H, endMs: 16 * H, count: 3, breaks: [{ atMs: 12 * H, durationMs: 30 * M }] },
				// clipped at the end of the run (18:00)
				{ startMs: 12 * H, endMs: 18 * H, count: 2, breaks: [] }
			]
		});
		// [1, 2, 2, 0] every 2 hours from 08:00; the 0 holds to the end
		expect(juniors?.shifts).toEqual([
			{ startMs: 8 * H, endMs: 14 * H, count: 1, breaks: [] },
			{ startMs: 10 * H, endMs: 14 * H, count: 1, breaks: [] }
		]);
	});

	it('fills overflow tiers, falling back to the scenario handle time', () => {
		expect(s.overflowTiers).toEqual([
			{
				id: 'ai',
				capacity: 20,
				conversionFactor: 0.4,
				handleTime: { dist: 'constant', value: 5 * M },
				handBack: 0.3,
				handBackQueue: 'support'
			}
		]);
	});
});

describe('resolveScenario: forms and defaults', () => {
	it('ignores top-level keys starting with x- (a home for YAML anchors)', () => {
		expect(resolveScenario(with_({ 'x-defaults': { anything: true } })).name).toBe('single queue');
	});

	it('takes bare numbers as seconds and bare durations as constant distributions', () => {
		const s = resolveScenario(with_({ handleTime: 240, wrapUp: '15s', warmup: 0 }));
		expect(s.queues[0]).toMatchObject({
			handleTime: { dist: 'constant', value: 240 * S },
			wrapUp: { dist: 'constant', value: 15 * S }
		});
		expect(s.warmupMs).toBe(0);
	});

	it('lets every queue set its own handle time and patience instead', () => {
		const raw = simple();
		delete raw.handleTime;
		delete raw.patience;
		raw.queues = [{ id: 'sales', handleTime: '3m', patience: '1m' }];
		expect(resolveScenario(raw).queues[0]?.handleTime).toEqual({ dist: 'constant', value: 3 * M });
	});

	it('takes `patience: never` for callers who never hang up (Erlang C), scenario-wide or per queue', () => {
		expect(resolveScenario(with_({ patience: 'never' })).queues[0]?.patience).toBeNull();
		const s = resolveScenario(
			with_({
				queues: [{ id: 'sales', patience: 'never' }, { id: 'support' }],
				agents: [{ group: 'team', count: 2, skills: ['sales', 'support'] }]
			})
		);
		expect(s.queues.map((q) => q.patience)).toEqual([null, { dist: 'exponential', mean: 3 * M }]);
		expect(issuesOf(with_({ patience: 'forever' }))).toEqual([
			{ path: 'patience', message: 'expected a duration like "20s", "4m" or "1h30m", got "forever"' }
		]);
		expect(issuesOf(with_({ patience: false }))).toEqual([
			{
				path: 'patience',
				message: 'expected a duration like "3m", a distribution like { dist: exponential, mean: 3m }, or never, got false'
			}
		]);
	});

	it('throws a ScenarioError listing each problem with its path', () => {
		let error: unknown;
		try {
			resolveScenario(with_({ horizon: 'soon', seed: -1 }), 'x.yaml');
		} catch (err) {
			error = err;
		}
		expect(error).toBeInstanceOf(ScenarioError);
		const e = error as ScenarioError;
		expect(e.issues).toEqual([
			{
				file: 'x.yaml',
				line: undefined,
				column: undefined,
				path: 'horizon',
				message: 'expected a duration like "20s", "4m" or "1h30m", got "soon"'
			},
			{ file: 'x.yaml', line: undefined, column: undefined, path: 'seed', message: 'expected a number >= 0, got -1' }
		]);
		expect(e.message).toBe(
			[
				'2 problems in x.yaml:',
				'  x.yaml: horizon: expected a duration like "20s", "4m" or "1h30m", got "soon"',
				'  x.yaml: seed: expected a number >= 0, got -1'
			].join('\n')
		);
	});
});

describe('validateScenario: problems', () => {
	beforeAll(async () => {
		// Expression curves need mathjs, which the engine may load on demand (loadExpressionSupport);
		// load it as a scenario loader's caller would, whichever way the engine provides it.
		const value: Record<string, unknown> = await import('../../src/lib/engine/value');
		const load = value.loadExpressionSupport;
		if (typeof load === 'function') await (load as () => Promise<void>)();
	});

	it.each<[string, Record<string, unknown>, string, string]>([
		['a wrong type', { name: 42 }, 'name', 'expected text, got 42'],
		['an unknown top-level key', { horizn: '8h' }, 'horizn', 'unknown top-level key "horizn" (did you mean "horizon"?)'],
		[
			'an unknown nested field',
			{ queues: [{ id: 'sales', colour: 'red' }] },
			'queues[0].colour',
			'unknown field "colour" (expected one of id, skill,'
		],
		[
			'an unknown dist',
			{ patience: { dist: 'normal', mean: '3m' } },
			'patience.dist',
			'unknown dist "normal" (expected one of constant, exponential, lognormal, gamma, weibull, uniform, empirical)'
		],
		['a missing dist', { patience: { mean: '3m' } }, 'patience.dist', 'missing "dist" (expected one of constant,'],
		[
			'a bad duration inside a dist',
			{ patience: { dist: 'exponential', mean: 'long' } },
			'patience.mean',
			'expected a duration like "20s", "4m" or "1h30m", got "long"'
		],
		['a zero mean', { patience: { dist: 'exponential', mean: 0 } }, 'patience.mean', 'expected a duration longer than 0, got 0'],
		[
			'neither a duration nor a dist',
			{ handleTime: true },
			'handleTime',
			'expected a duration like "4m" or a distribution like { dist: exponential, mean: 4m }, got true'
		],
		['beta for a duration', { handleTime: { dist: 'beta', a: 1, b: 2 } }, 'handleTime.dist', 'unknown dist "beta"'],
		['half a gamma', { handleTime: { dist: 'gamma', mean: '4m' } }, 'handleTime.cv', 'missing required field "cv" (expected mean and cv)'],
		[
			'both gamma forms',
			{ handleTime: { dist: 'gamma', mean: '4m', cv: 1, shape: 1 } },
			'handleTime',
			'give either shape and scale, or mean and cv, not both'
		],
		[
			'an upside-down uniform',
			{ handleTime: { dist: 'uniform', min: '5m', max: '1m' } },
			'handleTime.max',
			'expected max to be at least min'
		],
		['an empty empirical', { handleTime: { dist: 'empirical', values: [] } }, 'handleTime.values', 'expected at least 1 item, got 0'],
		['a missing required field', { arrivals: [{ perHour: 5 }] }, 'arrivals[0].queue', 'missing required field "queue" (expected text)'],
		[
			'a negative count',
			{ agents: [{ group: 'team', count: -3, skills: ['sales'] }] },
			'agents[0].count',
			'expected a number >= 0, got -3'
		],
		[
			'a fractional count',
			{ agents: [{ group: 'team', count: 2.5, skills: ['sales'] }] },
			'agents[0].count',
			'expected a whole number, got 2.5'
		],
		[
			'an unknown strategy',
			{ queues: [{ id: 'sales', strategy: 'lifo' }] },
			'queues[0].strategy',
			'expected one of longest-idle, fewest-calls, round-robin, best-skill, random, got "lifo"'
		],
		[
			'bad open hours',
			{ queues: [{ id: 'sales', hours: '9-5' }] },
			'queues[0].hours',
			'expected opening hours like "09:00-17:30", got "9-5"'
		],
		['a bad time of day', { start: '8am' }, 'start', 'expected a time of day like "08:00" or "17:30:00", got "8am"'],
		['an unknown weekday', { weekday: 'monday' }, 'weekday', 'expected one of sun, mon, tue, wed, thu, fri, sat, got "monday"'],
		['a heat above 1', { arrivals: [{ queue: 'sales', perHour: 5, heat: 1.5 }] }, 'arrivals[0].heat', 'expected a heat in [0, 1], got 1.5'],
		[
			'an unbounded heat',
			{ arrivals: [{ queue: 'sales', perHour: 5, heat: { dist: 'exponential', mean: 0.5 } }] },
			'arrivals[0].heat',
			'heat drawn from exponential can fall outside [0, 1]'
		],
		[
			'a zero share',
			{ arrivals: [{ queue: 'sales', perHour: 5, sources: { web: 0 } }] },
			'arrivals[0].sources.web',
			'expected a number > 0, got 0'
		],
		[
			'skill shares above 1',
			{ arrivals: [{ queue: 'sales', perHour: 5, skills: { a: 0.7, b: 0.6 } }] },
			'arrivals[0].skills',
			'expected shares adding up to at most 1'
		],
		[
			'no rate',
			{ arrivals: [{ queue: 'sales' }] },
			'arrivals[0].perHour',
			'missing required field "perHour" (expected perHour, or a profile: { interval, rates })'
		],
		[
			'two rates',
			{ arrivals: [{ queue: 'sales', perHour: 5, profile: { interval: '1h', rates: [5] } }] },
			'arrivals[0].profile',
			'give perHour or profile, not both'
		],
		[
			'no staffing',
			{ agents: [{ group: 'team', skills: ['sales'] }] },
			'agents[0].count',
			'missing required field "count" (expected count, shifts or perInterval)'
		],
		[
			'two staffing forms',
			{ agents: [{ group: 'team', skills: ['sales'], count: 1, perInterval: { interval: '1h', counts: [1] } }] },
			'agents[0].perInterval',
			'give one of count, shifts or perInterval, not count and perInterval'
		],
		[
			'a break outside its shift',
			{
				agents: [
					{
						group: 'team',
						skills: ['sales'],
						shifts: [{ start: '08:00', end: '12:00', count: 1, breaks: [{ at: '11:50', duration: '15m' }] }]
					}
				]
			},
			'agents[0].shifts[0].breaks[0].at',
			'expected a break inside the shift 08:00-12:00, got 11:50 for 15m'
		],
		[
			'an empty shift',
			{ agents: [{ group: 'team', skills: ['sales'], shifts: [{ start: '08:00', end: '08:00', count: 1 }] }] },
			'agents[0].shifts[0].end',
			'expected an end different from the start'
		],
		[
			'overflow without a tier',
			{ queues: [{ id: 'sales', whenClosed: 'overflow', hours: '09:00-17:00' }] },
			'queues[0].whenClosed',
			'overflow needs overflowTo'
		],
		['a horizon too long', { horizon: '400d' }, 'horizon', 'expected at most 366d, got "400d"'],
		[
			'a tier table without minHeat 0',
			{ tiers: [{ id: 'hot', minHeat: 0.5, curve: { shape: 'exponential', p0: 0.3, tauSeconds: 60 } }] },
			'tiers',
			'expected a tier with minHeat 0'
		],
		[
			'a bad curve',
			{ tiers: [{ id: 'cold', minHeat: 0, curve: { shape: 'exponential', p0: 2, tauSeconds: 60 } }] },
			'tiers[0].curve.p0',
			'expected a probability in [0, 1], got 2'
		],
		[
			'a sandbox escape in a curve',
			{ tiers: [{ id: 'cold', minHeat: 0, curve: { shape: 'expression', expr: 'import({})' } }] },
			'tiers[0].curve.expr',
			"function 'import' is not allowed"
		]
	])('%s', (_, patch, path, message) => {
		const issues = issuesOf(with_(patch));
		const hit = issues.find((i) => i.path === path);
		expect(hit, JSON.stringify(issues)).toBeDefined();
		expect(hit?.message).toContain(message);
	});

	it.each<[string, Record<string, unknown>, string, string]>([
		[
			'an arrival for an unknown queue',
			{ arrivals: [{ queue: 'sale', perHour: 5 }] },
			'arrivals[0].queue',
			'no queue "sale" (did you mean "sales"?)'
		],
		[
			'an unknown overflow tier',
			{ queues: [{ id: 'sales', overflowTo: 'ai' }] },
			'queues[0].overflowTo',
			'no overflow tier "ai": there are no overflowTiers'
		],
		[
			'an unknown escalation queue',
			{ queues: [{ id: 'sales', escalation: { after: '1m', toQueue: 'vip' } }] },
			'queues[0].escalation.toQueue',
			'no queue "vip" (queues: sales)'
		],
		[
			'a queue escalating to itself',
			{ queues: [{ id: 'sales', escalation: { after: '1m', toQueue: 'sales' } }] },
			'queues[0].escalation.toQueue',
			'a queue cannot escalate to itself'
		],
		[
			'an unknown hand-back queue',
			{ overflowTiers: [{ id: 'ai', capacity: 1, handBackQueue: 'nope' }] },
			'overflowTiers[0].handBackQueue',
			'no queue "nope"'
		],
		[
			'a queue nobody can answer',
			{ queues: [{ id: 'sales' }, { id: 'support' }] },
			'queues[1].id',
			'no agent group has skill "support", so nobody can answer queue "support"'
		],
		['a duplicate queue', { queues: [{ id: 'sales' }, { id: 'sales' }] }, 'queues[1].id', 'duplicate queue id "sales" (also queues[0])'],
		[
			'a duplicate group',
			{
				agents: [
					{ group: 'a', count: 1, skills: ['sales'] },
					{ group: 'a', count: 1, skills: ['sales'] }
				]
			},
			'agents[1].group',
			'duplicate agent group "a"'
		],
		[
			'an extra skill nobody has',
			{ arrivals: [{ queue: 'sales', perHour: 5, skills: { spanish: 0.1 } }] },
			'arrivals[0].skills.spanish',
			'no agent group has both "sales" and "spanish" at level 1 or above'
		],
		['a warm-up as long as the run', { warmup: '8h' }, 'warmup', 'expected a warm-up shorter than the horizon (8h), got 8h'],
		[
			'no handle time anywhere',
			{ handleTime: undefined },
			'queues[0].handleTime',
			'missing required field "handleTime" (set it on this queue or at the top level)'
		],
		[
			'duplicate heat tiers',
			{
				tiers: [
					{ id: 'a', minHeat: 0, curve: { shape: 'exponential', p0: 0.3, tauSeconds: 60 } },
					{ id: 'a', minHeat: 0, curve: { shape: 'exponential', p0: 0.3, tauSeconds: 60 } }
				]
			},
			'tiers[1].minHeat',
			'duplicate minHeat 0 (also tiers[0])'
		]
	])('cross-check: %s', (_, patch, path, message) => {
		const issues = issuesOf(with_(patch));
		const hit = issues.find((i) => i.path === path);
		expect(hit, JSON.stringify(issues)).toBeDefined();
		expect(hit?.message).toContain(message);
	});

	it('accepts an extra skill when escalation widens the call', () => {
		const s = resolveScenario(
			with_({
				queues: [{ id: 'sales', escalation: { after: '30s' } }],
				arrivals: [{ queue: 'sales', perHour: 5, skills: { spanish: 0.1 } }]
			})
		);
		expect(s.arrivals[0]?.skills.map((m) => m.value)).toEqual([{ spanish: 1 }, {}]);
	});

	it('reports structural and reference problems together', () => {
		const issues = issuesOf(
			with_({
				horizon: 'all day',
				queues: [{ id: 'sales', strategy: 'lifo', overflowTo: 'ai' }],
				arrivals: [{ queue: 'billing', perHour: -1 }],
				agents: [{ group: 'team', count: -1, skills: ['sales'] }]
			})
		);
		expect(issues.map((i) => i.path)).toEqual([
			'horizon',
			'queues[0].strategy',
			'arrivals[0].perHour',
			'agents[0].count',
			'arrivals[0].queue',
			'queues[0].overflowTo'
		]);
	});

	it('rejects a document that is not a mapping', () => {
		expect(issuesOf(['a', 'b'])).toEqual([{ path: '', message: 'expected a mapping (key: value lines), got an array of 2' }]);
		expect(issuesOf(null)[0]?.message).toBe('expected a mapping (key: value lines), got null');
	});
});
