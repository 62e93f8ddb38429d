import path from 'node:path';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
	STUDIO_NAMESPACE,
	type PlanOutcome,
	type RunResult,
	type StudioClientToServer,
	type StudioError,
	type StudioServerToClient,
	type SweepOutcome
} from '../../src/lib/studio/protocol';
import { createHeatboardServer, type HeatboardServer } from '../../src/lib/server/http';
import { attachStudio, type CurrentSource, type Studio, type StudioOptions } from '../../src/lib/server/studio/attach';
import { PROGRESS_INTERVAL_MS } from '../../src/lib/server/studio/runs';
import { requiredAgents } from '../../src/lib/engine/analytics/erlang';
import { parseScenario } from '../../simulator/scenario/load';
import { parse as parseYaml } from 'yaml';
import type { HeatEvent } from '../../src/lib/engine/events';
import { observedDay } from '../../src/lib/server/studio/from-observed';
import { readReplayJournal } from '../../src/lib/server/replay/journal';
import { ReplaySource } from '../../src/lib/server/replay/replay-source';
import { bankJournal } from '../../src/lib/server/replay/test-journals';
import { TelephonySource } from '../../src/lib/server/live/telephony-source';
import { callScript } from '../../src/lib/server/live/test-support/call-script';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
type StudioClient = Socket<StudioServerToClient, StudioClientToServer>;
type Event = {
	[K in keyof StudioServerToClient]: { kind: K; at: number; msg: Parameters<StudioServerToClient[K]>[0] };
}[keyof StudioServerToClient];

const servers: HeatboardServer[] = [];
const studios: Studio[] = [];
const sockets: StudioClient[] = [];
const temp = mkdtempSync(path.join(tmpdir(), 'studio-spec-'));

afterEach(async () => {
	for (const s of sockets.splice(0)) s.disconnect();
	await Promise.all(studios.splice(0).map((s) => s.close()));
	await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(() => rmSync(temp, { recursive: true, force: true }));

async function startStudio(options: Partial<Omit<StudioOptions, 'io'>> = {}) {
	const logs: string[] = [];
	const server = createHeatboardServer({ handler: (_req, res) => res.end('app'), version: 'test', log: (l) => logs.push(l) });
	servers.push(server);
	const studio = attachStudio({
		io: server.io,
		scenariosDir: path.join(ROOT, 'scenarios'),
		workers: 2,
		log: (l) => logs.push(l),
		...options
	});
	studios.push(studio);
	const address = await server.listen(0, '127.0.0.1');
	return { studio, base: `http://127.0.0.1:${address.port}`, logs };
}

/** A studio page: every server event kept in order with its arrival time. */
async function client(base: string) {
	const socket: StudioClient = connect(`${base}${STUDIO_NAMESPACE}`, { transports: ['websocket'], reconnection: false, timeout: 5_000 });
	sockets.push(socket);
	const events: Event[] = [];
	const waiters: Array<() => void> = [];
	const push = (e: Event) => {
		events.push(e);
		for (const w of waiters.splice(0)) w();
	};
	socket.on('progress', (msg) => push({ kind: 'progress', at: Date.now(), msg }));
	socket.on('runResult', (msg) => push({ kind: 'runResult', at: Date.now(), msg }));
	socket.on('sweepResult', (msg) => push({ kind: 'sweepResult', at: Date.now(), msg }));
	socket.on('planResult', (msg) => push({ kind: 'planResult', at: Date.now(), msg }));
	socket.on('cancelled', (msg) => push({ kind: 'cancelled', at: Date.now(), msg }));
	socket.on('studioError', (msg) => push({ kind: 'studioError', at: Date.now(), msg }));
	await new Promise<void>((resolve, reject) => {
		socket.once('connect', resolve);
		socket.once('connect_error', reject);
	});
	/** resolves with the first event (from `from` on) matching, or fails after `ms` */
	const next = <K extends Event['kind']>(kind: K, runId?: string, ms = 60_000, from = 0): Promise<Extract<Event, { kind: K }>> =>
		new Promise((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`no ${kind} within ${ms} ms; got ${events.map((e) => e.kind).join(', ')}`)), ms);
			const look = () => {
				const hit = events
					.slice(from)
					.find((e) => e.kind === kind && (runId === undefined || (e.msg as { runId?: string }).runId === runId));
				if (hit !== undefined) {
					clearTimeout(timer);
					resolve(hit as Extract<Event, { kind: K }>);
				} else waiters.push(look);
			};
			look();
		});
	const of = (runId: string) => events.filter((e) => (e.msg as { runId?: string }).runId === runId);
	return { socket, events, next, of };
}

/** what a broken or hostile page could send: anything, under any event name */
const raw = (socket: StudioClient, event: string, ...args: unknown[]) =>
	(socket as unknown as { emit(event: string, ...args: unknown[]): void }).emit(event, ...args);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `work`'s result and the longest the main thread went without running a timer meanwhile */
async function stallDuring<T>(work: () => Promise<T>): Promise<{ result: T; stallMs: number }> {
	let last = performance.now();
	let worst = 0;
	const tick = () => {
		const t = performance.now();
		worst = Math.max(worst, t - last);
		last = t;
	};
	const timer = setInterval(tick, 10);
	try {
		const result = await work();
		tick();
		return { result, stallMs: worst };
	} finally {
		clearInterval(timer);
	}
}

/** One queue at a steady load: 600 calls an hour, AHT 3 min (30 erlangs), patience 2 min, 80/20. */
const steadyYaml = (opts: { agents?: number; horizon?: string; warmup?: string; profile?: string } = {}) => `
name: steady
horizon: ${opts.horizon ?? '6h'}
warmup: ${opts.warmup ?? '1h'}
seed: 3
costPerAgentHour: 40
handleTime: { dist: exponential, mean: 3m }
patience: { dist: exponential, mean: 2m }
queues:
  - id: q
    serviceLevel: { seconds: 20, target: 0.8 }
arrivals:
  - queue: q
    ${opts.profile ?? 'perHour: 600'}
    heat: 0.9
    value: 2000
agents:
  - group: team
    count: ${opts.agents ?? 30}
    skills: [q]
`;

const study = (yaml: string, extra: Record<string, unknown> = {}) => ({
	label: 'base',
	origin: { kind: 'upload' as const, name: 'steady.yaml' },
	yaml,
	...extra
});

/** long enough to be stopped halfway: the reference day, many times */
const longStudy = () => ({ ...study(readShipped('reference.yaml')), replications: 100 });

function readShipped(name: string): string {
	return readFileSync(path.join(ROOT, 'scenarios', name), 'utf8');
}

describe('studio over socket.io', () => {
	it('lists the shipped scenarios with their text and titles', async () => {
		const { base } = await startStudio();
		const c = await client(base);
		const list = await c.socket.emitWithAck('scenarios');
		const names = list.map((s) => s.name);
		expect(names).toEqual(expect.arrayContaining(['ecommerce-peak.yaml', 'law-firm.yaml', 'multi-skill.yaml', 'reference.yaml']));
		expect(names).toEqual([...names].sort());
		expect(names.every((n) => n.endsWith('.yaml'))).toBe(true);
		expect(list.find((s) => s.name === 'reference.yaml')?.title).toBe('single queue');
		for (const s of list) expect(s.yaml).toContain('name:');
	});

	it('validates: a brief for good YAML, positioned problems for bad YAML, the lever’s path for a bad lever', async () => {
		const { base } = await startStudio();
		const c = await client(base);
		const good = await c.socket.emitWithAck('validate', { yaml: steadyYaml(), levers: { arrivalScale: 2 } });
		expect(good.ok).toBe(true);
		if (good.ok) {
			expect(good.brief).toMatchObject({ name: 'steady', totalAgents: 30, meanHandleSeconds: 180, meanPatienceSeconds: 120 });
			expect(good.brief.arrivalsPerInterval[0]).toBeCloseTo(1200, 6);
		}

		const typo = steadyYaml().replace('seconds: 20', 'seconds: soon');
		const bad = await c.socket.emitWithAck('validate', { yaml: typo });
		expect(bad.ok).toBe(false);
		if (!bad.ok) {
			const line = typo.split('\n').findIndex((l) => l.includes('soon')) + 1;
			expect(bad.problems).toHaveLength(1);
			expect(bad.problems[0]).toMatchObject({ path: 'queues[0].serviceLevel.seconds', line });
			expect(bad.problems[0]?.column).toBe(typo.split('\n')[line - 1]!.indexOf('soon') + 1);
		}

		const syntax = await c.socket.emitWithAck('validate', { yaml: 'name: x\nqueues: [\n' });
		expect(syntax.ok).toBe(false);
		if (!syntax.ok) expect(syntax.problems[0]?.line).toBeGreaterThanOrEqual(2);

		const lever = await c.socket.emitWithAck('validate', { yaml: steadyYaml(), levers: { arrivalScale: -1 } });
		expect(lever.ok).toBe(false);
		if (!lever.ok) expect(lever.problems[0]?.path).toBe('levers.arrivalScale');

		const both = await c.socket.emitWithAck('validate', { yaml: steadyYaml(), levers: { agents: 3, agentsPerInterval: [3] } });
		expect(both.ok).toBe(false);
		if (!both.ok) expect(both.problems).toEqual([{ path: 'levers.agentsPerInterval', message: expect.stringContaining('not both') }]);
	});

	it('runs replications on workers: progress at most 5 a second, then the result, then nothing', async () => {
		const { base } = await startStudio();
		const c = await client(base);
		const sent = Date.now();
		c.socket.emit('run', { runId: 'r1', study: { ...study(steadyYaml()), replications: 8, seed: 5, levers: { agents: 32 } } });
		const { msg: result, at: resultAt } = await c.next('runResult', 'r1');
		await sleep(300);
		const mine = c.of('r1');
		const progress = mine.filter((e) => e.kind === 'progress');
		expect(progress.length).toBeGreaterThan(0);
		expect(mine[mine.length - 1]?.kind).toBe('runResult');
		// the server sends them at least PROGRESS_INTERVAL_MS apart, all between the request and the result (and one more, full, at the end)
		expect(progress.length).toBeLessThanOrEqual(Math.floor((resultAt - sent) / PROGRESS_INTERVAL_MS) + 2);
		const fractions = progress.map((p) => (p.msg as { fraction: number }).fraction);
		expect(fractions[0]).toBeGreaterThanOrEqual(0);
		for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1] as number);
		expect(fractions[fractions.length - 1]).toBe(1);
		const r: RunResult = result;
		expect(r).toMatchObject({ runId: 'r1', label: 'base', replications: 8, seed: 5, serviceLevel: { seconds: 20, target: 0.8 } });
		// 5 measured hours of 600 calls an hour
		expect(r.totals.offered).toBeGreaterThan(2700);
		expect(r.totals.offered).toBeLessThan(3300);
		expect(r.halfWidths.slOffered).toBeGreaterThan(0);
		expect(r.intervals).toHaveLength(20);
		expect(r.intervals[0]?.start).toBe('01:00');
		expect(r.intervals.reduce((s, iv) => s + iv.totals.offered, 0)).toBeCloseTo(r.totals.offered, 6);
		expect(Object.keys(r.queues)).toEqual(['q']);
		// the agents lever: 32 agents for the 5 measured hours
		expect(r.totals.agentHours).toBeCloseTo(160, 6);
	});

	it('cancels a run: workers stopped, cancelled sent, no result after it; the studio runs the next one', async () => {
		const { base, studio } = await startStudio();
		const c = await client(base);
		c.socket.emit('run', { runId: 'long', study: longStudy() });
		await c.next('progress', 'long');
		expect(studio.runsInProgress).toBe(1);
		expect(studio.poolJobs).toBeGreaterThan(50);
		c.socket.emit('cancel', { runId: 'long' });
		await c.next('cancelled', 'long', 5_000);
		expect(studio.runsInProgress).toBe(0);
		// every replication out of the pool, the two that ran stopped with their workers, which are replaced
		expect(studio.poolJobs).toBe(0);
		expect(studio.poolWorkers).toBe(2);
		await sleep(1_500);
		expect(studio.poolJobs).toBe(0);
		const after = c.of('long');
		const at = after.findIndex((e) => e.kind === 'cancelled');
		expect(after.slice(at + 1)).toEqual([]);
		expect(after.some((e) => e.kind === 'runResult')).toBe(false);

		c.socket.emit('run', { runId: 'next', study: { ...study(steadyYaml({ horizon: '2h' })), replications: 2 } });
		expect((await c.next('runResult', 'next')).msg.replications).toBe(2);
	});

	it('a client that disconnects cancels its runs', async () => {
		const { base, studio } = await startStudio();
		const c = await client(base);
		c.socket.emit('run', { runId: 'gone', study: longStudy() });
		await c.next('progress', 'gone');
		c.socket.disconnect();
		for (let i = 0; i < 50 && studio.runsInProgress > 0; i++) await sleep(50);
		expect(studio.runsInProgress).toBe(0);
	});

	it('refuses runs beyond the per-client limit, and stops a run past the time limit', async () => {
		const { base } = await startStudio({ limits: { perClient: 1, seconds: 1 } });
		const c = await client(base);
		c.socket.emit('run', { runId: 'a', study: longStudy() });
		c.socket.emit('run', { runId: 'b', study: longStudy() });
		expect((await c.next('studioError', 'b')).msg.message).toMatch(/at most 1 at once/);
		const stopped = await c.next('studioError', 'a', 10_000);
		expect(stopped.msg.message).toMatch(/stopped after 1 s/);
		await sleep(300);
		expect(c.of('a').some((e) => e.kind === 'runResult')).toBe(false);
	});

	it('sweeps with common random numbers: the staffing meeting the target is within one agent of Erlang A', async () => {
		const { base } = await startStudio();
		const c = await client(base);
		c.socket.emit('sweep', { runId: 's', study: { ...study(steadyYaml()), replications: 6 }, from: 26, to: 40, step: 1 });
		const r: SweepOutcome = (await c.next('sweepResult', 's', 120_000)).msg;
		const erlang = requiredAgents(
			'a',
			{ arrivalsPerHour: 600, ahtSeconds: 180, targetSeconds: 20, patienceSeconds: 120 },
			{ sl: 0.8, slSeconds: 20 }
		);
		expect(r.points.map((p) => p.agents)).toEqual(Array.from({ length: 15 }, (_, i) => 26 + i));
		expect(r.meetsTarget).not.toBeNull();
		expect(Math.abs((r.meetsTarget as number) - erlang.agents)).toBeLessThanOrEqual(1);
		expect(new Set(r.points.map((p) => p.totals.offered)).size).toBe(1);
		const best = Math.max(...r.points.map((p) => p.totals.netRevenue));
		expect(r.points.find((p) => p.agents === r.maxNetRevenue)?.totals.netRevenue).toBe(best);
		// the Erlang curve: Erlang A itself at the scenario's load, at every level
		expect(r.erlang.map((e) => e.agents)).toEqual(r.points.map((p) => p.agents));
		const at = (n: number) => r.erlang.find((e) => e.agents === n)!;
		expect(at(erlang.agents).slOffered).toBeCloseTo(erlang.measures.slOffered, 9);
		expect(at(erlang.agents - 1).slOffered).toBeLessThan(0.8);
		expect(at(erlang.agents).abandonRate).toBeCloseTo(erlang.measures.pAbandon, 9);
		// net revenue: 5 h × 600/h × answered share × 2000 × hot conversion at the ASA, minus n × 5 h × 40
		const e30 = at(30);
		expect(e30.netRevenue).toBeLessThan(5 * 600 * 2000 * 0.28 - 30 * 5 * 40);
		expect(e30.netRevenue).toBeGreaterThan(0);
		// simulated and analytic service level agree roughly at every level
		for (const p of r.points) expect(Math.abs((p.totals.slOffered as number) - at(p.agents).slOffered)).toBeLessThan(0.1);
	});

	it('plans per interval with Erlang A and checks the plan by simulation', async () => {
		const { base } = await startStudio();
		const c = await client(base);
		const yaml = steadyYaml({ horizon: '4h', warmup: '0s', profile: 'profile: { interval: 2h, rates: [300, 900] }' });
		c.socket.emit('plan', { runId: 'p', study: { ...study(yaml), replications: 6 } });
		const r: PlanOutcome = (await c.next('planResult', 'p', 120_000)).msg;
		expect(r.intervalMinutes).toBe(120);
		expect(r.intervals.map((iv) => iv.start)).toEqual(['00:00', '02:00']);
		const need = (perHour: number) =>
			requiredAgents(
				'a',
				{ arrivalsPerHour: perHour, ahtSeconds: 180, targetSeconds: 20, patienceSeconds: 120 },
				{ sl: 0.8, slSeconds: 20 }
			);
		expect(r.intervals.map((iv) => iv.agents)).toEqual([need(300).agents, need(900).agents]);
		expect(r.intervals.map((iv) => iv.arrivalsPerHour)).toEqual([300, 900]);
		expect(r.agentHours).toBeCloseTo(2 * need(300).agents + 2 * need(900).agents, 9);
		for (const iv of r.intervals) {
			expect(iv.erlang.slOffered).toBeGreaterThanOrEqual(0.8);
			const sim = iv.simulated;
			expect(sim?.slOffered).toBeGreaterThan(0.65);
			expect(sim?.slHalfWidth).toBeGreaterThan(0);
			expect(sim?.slHalfWidth).toBeLessThan(0.1);
		}
		c.socket.emit('plan', { runId: 'p2', study: study(yaml), simulate: false });
		const quick = (await c.next('planResult', 'p2')).msg;
		expect(quick.intervals.map((iv) => iv.agents)).toEqual(r.intervals.map((iv) => iv.agents));
		expect(quick.intervals.every((iv) => iv.simulated === undefined)).toBe(true);
	});

	it('answers malformed messages with studioError and keeps serving', async () => {
		const { base } = await startStudio();
		const c = await client(base);
		expect(c.events).toEqual([]);
		raw(c.socket, 'run', 'not an object');
		const e1 = await c.next('studioError');
		expect(e1.msg.message).toMatch(/run: the request is not valid/);

		raw(c.socket, 'run', { runId: 'x', study: { label: '', yaml: 1 } });
		const e2: StudioError = (await c.next('studioError', 'x')).msg;
		expect(e2.problems?.map((p) => p.path)).toEqual(expect.arrayContaining(['study.label', 'study.yaml', 'study.origin']));

		c.socket.emit('sweep', { runId: 'y', study: study(steadyYaml()), from: 40, to: 30 });
		expect((await c.next('studioError', 'y')).msg.message).toMatch(/from <= to/);

		c.socket.emit('run', { runId: 'z', study: study(steadyYaml().replace('queue: q', 'queue: nope')) });
		const e4 = (await c.next('studioError', 'z')).msg;
		expect(e4.problems?.[0]).toMatchObject({ path: 'arrivals[0].queue', line: expect.any(Number), column: expect.any(Number) });

		c.socket.emit('cancel', { runId: 'never-started' });
		expect((await c.next('studioError', 'never-started')).msg.message).toMatch(/no run "never-started" in progress/);

		const seen = c.events.length;
		raw(c.socket, 'validate', { yaml: 'name: x' });
		expect((await c.next('studioError', undefined, 5_000, seen)).msg.message).toMatch(/validate needs an acknowledgement/);

		const still = await c.socket.emitWithAck('validate', { yaml: steadyYaml() });
		expect(still.ok).toBe(true);
	});

	it('refuses a plan too large for the Erlang solver, the main thread free meanwhile', async () => {
		const { base } = await startStudio();
		const c = await client(base);
		// 288,000 calls an hour (14,400 erlangs) staffed every 5 minutes for a day: 15 s of solving on the main thread before
		const yaml = steadyYaml({ horizon: '24h', warmup: '0s', profile: 'perHour: 288000' });
		const { result, stallMs } = await stallDuring(async () => {
			c.socket.emit('plan', { runId: 'huge', study: { ...study(yaml), levers: { agentsIntervalMinutes: 5 } }, simulate: false });
			return (await c.next('studioError', 'huge', 20_000)).msg;
		});
		expect(result.message).toMatch(/too much work for the studio/);
		expect(stallMs).toBeLessThan(1_000);
	});

	it('validates a year-long scenario in its own thread: the studio’s limits as problems, the main thread free', async () => {
		const { base } = await startStudio();
		const c = await client(base);
		const counts = Array.from({ length: 30_000 }, (_, i) => 100 + (i % 7)).join(',');
		const yaml = steadyYaml({ horizon: '366d', warmup: '0s', profile: `profile: { interval: 5m, rates: [${counts}] }` }).replace(
			/count: 30\n/,
			`perInterval: { interval: 5m, counts: [${counts}] }\n`
		);
		expect(yaml.length).toBeGreaterThan(200_000);
		const { result, stallMs } = await stallDuring(() => c.socket.timeout(20_000).emitWithAck('validate', { yaml }));
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.problems).toContainEqual({ path: 'horizon', message: expect.stringMatching(/at most 7 days/) });
		expect(stallMs).toBeLessThan(1_000);
	});

	it('stops a scenario check past its time budget and says so', async () => {
		const { base } = await startStudio({ prep: { budgetMs: 300 } });
		const c = await client(base);
		const counts = Array.from({ length: 30_000 }, () => 100).join(',');
		const slow = await c.socket
			.timeout(10_000)
			.emitWithAck('validate', { yaml: steadyYaml({ profile: `profile: { interval: 5m, rates: [${counts}] }` }) });
		expect(slow).toEqual({ ok: false, problems: [{ message: expect.stringMatching(/took longer than 0.3 s/) }] });
	});

	it('refuses a run whose work is over the budget, with the numbers', async () => {
		const { base, studio } = await startStudio();
		const c = await client(base);
		c.socket.emit('run', {
			runId: 'big',
			study: { ...study(steadyYaml({ horizon: '24h', profile: 'perHour: 300000' })), replications: 100 }
		});
		const e = (await c.next('studioError', 'big', 20_000)).msg;
		expect(e.message).toMatch(
			/simulate about 720\.0 million calls \(7\.2 million per replication × 100 replications\); the studio simulates at most 25\.0 million/
		);
		expect(studio.runsInProgress).toBe(0);
		expect(studio.poolJobs).toBe(0);
	});

	it('limits validates and runs per address, however many connections it opens', async () => {
		const { base } = await startStudio({ validateRate: { burst: 3, perSecond: 0.1 }, limits: { perClient: 2, perAddress: 1 } });
		const [c1, c2] = [await client(base), await client(base)];
		for (let i = 0; i < 3; i++) expect((await c1.socket.emitWithAck('validate', { yaml: steadyYaml() })).ok).toBe(true);
		const refused = await c2.socket.emitWithAck('validate', { yaml: steadyYaml() });
		expect(refused).toEqual({ ok: false, problems: [{ message: expect.stringMatching(/too many checks/) }] });

		c1.socket.emit('run', { runId: 'a', study: longStudy() });
		c2.socket.emit('run', { runId: 'b', study: longStudy() });
		expect((await c2.next('studioError', 'b')).msg.message).toMatch(/your address already has 1 run/);
	});

	it('a cancel that comes while the scenario is still being read stops the run', async () => {
		const { base, studio } = await startStudio();
		const c = await client(base);
		// the word makes the server load mathjs first, which takes a while
		c.socket.emit('run', { runId: 'early', study: { ...study(`${steadyYaml()}\n# expression\n`), replications: 4 } });
		c.socket.emit('cancel', { runId: 'early' });
		await c.next('cancelled', 'early', 5_000);
		await sleep(2_000);
		expect(c.of('early').map((e) => e.kind)).toEqual(['cancelled']);
		expect(studio.runsInProgress).toBe(0);
		expect(studio.poolJobs).toBe(0);
	});

	it('fromNow: the simulator’s scenario from its current time to the end of its day, said honestly', async () => {
		const file = path.join(temp, 'day.yaml');
		const yaml = steadyYaml({
			horizon: '8h',
			warmup: '30m',
			profile: 'profile: { interval: 60m, rates: [100, 200, 300, 400, 500, 600, 700, 800] }'
		}).replace('horizon:', 'start: "08:00"\nhorizon:');
		writeFileSync(file, yaml);
		let current: CurrentSource | null = {
			info: { kind: 'simulator', name: 'steady', speed: 1, paused: false },
			nowMs: (10 * 60 + 40) * 60_000 + 12_345,
			scenarioFile: file
		};
		const { base } = await startStudio({ currentSource: () => current });
		const c = await client(base);
		const r = await c.socket.emitWithAck('fromNow');
		expect('yaml' in r).toBe(true);
		if (!('yaml' in r)) return;
		const sc = parseScenario(r.yaml, 'now.yaml');
		expect(sc.startMs).toBe((10 * 60 + 25) * 60_000);
		expect(sc.warmupMs).toBe(15 * 60_000);
		expect(sc.startMs + sc.horizonMs).toBe(16 * 3_600_000);
		// 10:25 falls in the 10:00 hour (300 an hour); every rate stays at its time of day
		expect(sc.arrivals[0]?.ratesPerHour.slice(0, 4)).toEqual([300, 300, 300, 300]);
		expect(r.note).toMatch(/10:40/);
		expect(r.note).toMatch(/Not carried over: the calls waiting/);

		current = { info: { kind: 'replay', name: 'day.jsonl', speed: 1, paused: false }, nowMs: 0 };
		const refused = await c.socket.emitWithAck('fromNow');
		expect(refused).toEqual({ error: expect.stringMatching(/replay source/) });
	});
	it('fromNow on a replay: the recorded rest of the day, handle time and patience measured so far, runnable', async () => {
		const day = await bankJournal('990505');
		const journal = await readReplayJournal(day.path);
		const H = 3_600_000;
		const source = new ReplaySource({ journal, fromMs: 11 * H, paused: true, wallNow: () => 0 });
		source.advance();
		expect(source.now()).toBe(11 * H);
		const { base } = await startStudio({
			currentSource: () => ({ info: source.info(), nowMs: source.now(), observed: observedDay(source) })
		});
		const c = await client(base);
		const r = await c.socket.emitWithAck('fromNow');
		if (!('yaml' in r)) throw new Error(r.error);
		const sc = parseScenario(r.yaml, 'replay-now.yaml');
		expect(sc.startMs).toBe(10.75 * H);
		expect(sc.warmupMs).toBe(15 * 60_000);
		expect(sc.startMs + sc.horizonMs).toBeGreaterThan(source.endMs);

		// arrivals from 11:00 on (the warm-up's first interval left out), counted independently from the imported events
		const queueOf = new Map<string, string>();
		const after = new Map<string, number>();
		for (const e of day.events) {
			if (e.type !== 'call.arrived') continue;
			queueOf.set(e.callId, e.queue);
			if (e.t >= 11 * H) after.set(e.queue, (after.get(e.queue) ?? 0) + 1);
		}
		expect(after.size).toBeGreaterThan(1);
		for (const [queue, n] of after) {
			const a = sc.arrivals.find((x) => x.queue === queue);
			expect(a?.intervalMs).toBe(15 * 60_000);
			const total = (a?.ratesPerHour ?? []).slice(1).reduce((sum, rate) => sum + (rate * (a?.intervalMs ?? 0)) / H, 0);
			expect(total).toBeCloseTo(n, 6);
		}

		// talk time of the calls answered and ended before 11:00, per queue, from the events
		const answeredAt = new Map<string, number>();
		const talk = new Map<string, { ms: number; n: number }>();
		for (const e of day.events as HeatEvent[]) {
			if (e.t >= 11 * H) break;
			if (e.type === 'call.answered') answeredAt.set(e.callId, e.t);
			if (e.type === 'call.ended') {
				const q = queueOf.get(e.callId) ?? '';
				const tq = talk.get(q) ?? { ms: 0, n: 0 };
				tq.ms += e.t - (answeredAt.get(e.callId) ?? e.t);
				tq.n++;
				talk.set(q, tq);
			}
		}
		const file = parseYaml(r.yaml) as {
			queues: Array<{ id: string; handleTime: { dist: string; mean: number }; patience: { dist: string } }>;
		};
		const compared = [...talk].filter(([, { n }]) => n >= 20);
		expect(compared.length).toBeGreaterThan(1);
		for (const [queue, { ms, n }] of compared) {
			const q = file.queues.find((x) => x.id === queue);
			expect(q?.handleTime.dist).toBe('exponential');
			expect(Math.abs((q?.handleTime.mean ?? 0) - ms / n / 1000) / (ms / n / 1000)).toBeLessThan(0.01);
			expect(q?.patience.dist).toBe('exponential');
		}
		expect(r.note).toMatch(/11:00/);
		expect(r.note).toMatch(/recording's own/);
		// the roster per interval from the recording: the importer logs each agent on at their first call and never off
		const firstSeen = new Map<string, number>();
		for (const e of day.events) if (e.type === 'agent.state' && !firstSeen.has(e.agentId)) firstSeen.set(e.agentId, e.t);
		const rostered = (at: number) =>
			sc.agents.flatMap((g) => g.shifts).reduce((n, s) => n + (s.startMs <= at && at < s.endMs ? s.count : 0), 0);
		for (const i of [0, 1, 8, 20]) {
			const from = sc.startMs + i * 15 * 60_000;
			expect(rostered(from)).toBe([...firstSeen.values()].filter((t) => t < from + 15 * 60_000).length);
		}
		expect(r.note).toMatch(/Agents: the recording's, per 15-minute interval/);
		expect(r.note).toMatch(/Not carried over: the calls waiting or talking now/);

		c.socket.emit('run', {
			runId: 'replay-now',
			study: { ...study(r.yaml), origin: { kind: 'upload', name: 'replay-now.yaml' }, replications: 2 }
		});
		const { msg: result } = await c.next('runResult', 'replay-now', 120_000);
		expect(result.replications).toBe(2);
		expect(result.totals.offered).toBeGreaterThan(0);
	}, 180_000);
	it('fromNow on a live source: the last hour’s rate from now to midnight, the agents on duty, said to be estimated', async () => {
		const dir = mkdtempSync(path.join(temp, 'live-'));
		const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);
		let now = T0;
		const src = new TelephonySource({
			name: 'PBX 1',
			journalDir: dir,
			now: () => now,
			engine: { queues: [{ id: 'sales' }, { id: 'support' }] }
		});
		const script = callScript(7, 400, T0);
		for (const { event, at } of script) {
			now = at;
			const res = src.ingest(event, 'test:script');
			if (!res.ok) throw new Error(`${event.id} refused: ${res.reason}`);
		}
		now += 1000;
		src.advance();
		const { base } = await startStudio({ currentSource: () => ({ info: src.info(), nowMs: src.now(), observed: observedDay(src) }) });
		const c = await client(base);
		const r = await c.socket.emitWithAck('fromNow');
		if (!('yaml' in r)) throw new Error(r.error);
		const sc = parseScenario(r.yaml, 'live-now.yaml');
		const nowTod = Math.floor((src.now() % 86_400_000) / 60_000) * 60_000;
		expect(sc.startMs).toBe(nowTod - 15 * 60_000);
		expect(sc.startMs + sc.horizonMs).toBe(86_400_000);
		const onDuty = [...src.engine.agents.values()].filter((a) => a.state !== 'offline').length;
		expect(onDuty).toBeGreaterThan(0);
		expect(sc.agents.reduce((n, g) => n + (g.shifts[0]?.count ?? 0), 0)).toBe(onDuty);
		// the rest of the day at the last hour's arrivals, counted from the script
		for (const queue of ['sales', 'support']) {
			const n = script.filter(({ event: e }) => e.type === 'call.arrived' && e.queue === queue && e.t > src.now() - 3_600_000).length;
			expect(sc.arrivals.find((a) => a.queue === queue)?.ratesPerHour.at(-1)).toBe(n);
		}
		expect(r.note).toMatch(/estimated/);
		expect(r.note).toMatch(/last hour's rate/);
		expect(r.note).toMatch(/on duty to the end of the day/);
		expect(r.note).toMatch(/Not carried over: the calls waiting or talking now/);
	});
});
