import { engineConfigSchema, type EngineConfigInput, type QueueConfigInput } from '../../src/lib/engine/config';
import type { TierConfig } from '../../src/lib/engine/value';
import { mean as distMean } from '../random/distributions';
import { formatDuration } from './duration';
import { closest, type PathIssue, type PathSegment } from './issues';
import type { AgentFile, ArrivalFile, ScenarioFile, Validation } from './schema';
import { WEEKDAYS } from './fields';
import { expandDailyShift, shiftsFromCounts, type RunWindow } from './shifts';
import type { AgentGroup, ArrivalStream, Dist, OverflowTierSim, QueueSim, Scenario, Share, Shift } from './types';

/** Heat of calls whose arrival stream does not say (the engine's default heat). */
const DEFAULT_HEAT: Dist = { dist: 'constant', value: 0.5 };
const DEFAULT_SEED = 1;
/** Source of calls whose stream names none: marketing's word for "no tracked referrer". */
export const DEFAULT_SOURCE = 'direct';

/* ------------------------------------------------------------------------------------------ */
/* references: checked on the raw file too, so they are reported alongside structural errors   */

function list(x: unknown): unknown[] {
	return Array.isArray(x) ? x : [];
}

function record(x: unknown): Record<string, unknown> | undefined {
	return x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : undefined;
}

function text(x: unknown): string | undefined {
	return typeof x === 'string' && x !== '' ? x : undefined;
}

/** Ids of a list section, by index; reports duplicates. */
function idsOf(items: unknown[], section: string, key: string, what: string, issues: PathIssue[]): string[] {
	const first = new Map<string, number>();
	items.forEach((item, i) => {
		const id = text(record(item)?.[key]);
		if (id === undefined) return;
		const prev = first.get(id);
		if (prev !== undefined) {
			issues.push({ path: [section, i, key], message: `duplicate ${what} "${id}" (also ${section}[${prev}])` });
		} else first.set(id, i);
	});
	return [...first.keys()];
}

function unknownRef(what: string, ref: string, known: readonly string[], section: string, sectionLength: number): string {
	if (sectionLength === 0) return `no ${what} "${ref}": there are no ${section}`;
	if (known.length === 0) return `no ${what} "${ref}"`;
	const near = closest(ref, known);
	return near !== undefined ? `no ${what} "${ref}" (did you mean "${near}"?)` : `no ${what} "${ref}" (${section}: ${known.join(', ')})`;
}

/** Skill levels of an agent group as the file writes them, or undefined if malformed. */
function skillsOf(x: unknown): Record<string, number> | undefined {
	if (Array.isArray(x)) {
		if (!x.every((s) => typeof s === 'string')) return undefined;
		return Object.fromEntries(x.map((s: string) => [s, 1]));
	}
	const r = record(x);
	if (r === undefined || !Object.values(r).every((v) => typeof v === 'number')) return undefined;
	return r as Record<string, number>;
}

/**
 * Cross-references between sections: arrivals name queues, queues name overflow tiers and
 * escalation queues, overflow tiers name hand-back queues, every queue needs agents with its
 * skill. Works on anything, so it also runs on a file that failed structural validation.
 */
export function referenceIssues(input: unknown): PathIssue[] {
	const issues: PathIssue[] = [];
	const root = record(input);
	if (root === undefined) return issues;
	const queues = list(root.queues);
	const tiers = list(root.overflowTiers);
	const queueIds = idsOf(queues, 'queues', 'id', 'queue id', issues);
	const tierIds = idsOf(tiers, 'overflowTiers', 'id', 'overflow tier id', issues);
	idsOf(list(root.agents), 'agents', 'group', 'agent group', issues);

	list(root.arrivals).forEach((a, i) => {
		const ref = text(record(a)?.queue);
		if (ref !== undefined && !queueIds.includes(ref)) {
			issues.push({ path: ['arrivals', i, 'queue'], message: unknownRef('queue', ref, queueIds, 'queues', queues.length) });
		}
	});
	queues.forEach((q, i) => {
		const r = record(q);
		const overflowTo = text(r?.overflowTo);
		if (overflowTo !== undefined && !tierIds.includes(overflowTo)) {
			issues.push({
				path: ['queues', i, 'overflowTo'],
				message: unknownRef('overflow tier', overflowTo, tierIds, 'overflowTiers', tiers.length)
			});
		}
		const toQueue = text(record(r?.escalation)?.toQueue);
		if (toQueue !== undefined) {
			if (toQueue === text(r?.id)) {
				issues.push({ path: ['queues', i, 'escalation', 'toQueue'], message: `a queue cannot escalate to itself ("${toQueue}")` });
			} else if (!queueIds.includes(toQueue)) {
				issues.push({
					path: ['queues', i, 'escalation', 'toQueue'],
					message: unknownRef('queue', toQueue, queueIds, 'queues', queues.length)
				});
			}
		}
	});
	tiers.forEach((t, i) => {
		const ref = text(record(t)?.handBackQueue);
		if (ref !== undefined && !queueIds.includes(ref)) {
			issues.push({ path: ['overflowTiers', i, 'handBackQueue'], message: unknownRef('queue', ref, queueIds, 'queues', queues.length) });
		}
	});

	// Only when every group's skills are readable: a malformed group is reported on its own.
	const groups = list(root.agents).map((g) => skillsOf(record(g)?.skills));
	if (groups.length > 0 && groups.every((g) => g !== undefined)) {
		queues.forEach((q, i) => {
			const r = record(q);
			if (r?.skill !== undefined && text(r.skill) === undefined) return;
			const skill = text(r?.skill) ?? text(r?.id);
			if (skill === undefined) return;
			if (!groups.some((g) => (g?.[skill] ?? 0) >= 1)) {
				issues.push({
					path: ['queues', i, 'id'],
					message: `no agent group has skill "${skill}", so nobody can answer queue "${text(r?.id) ?? skill}"`
				});
			}
		});
	}
	return issues;
}

/* ------------------------------------------------------------------------------------------ */
/* semantic checks and resolution of a structurally valid file                                 */

class Checker {
	readonly issues: PathIssue[] = [];
	add(path: PathSegment[], message: string): void {
		this.issues.push({ path, message });
	}
}

function skillMap(skills: AgentFile['skills']): Record<string, number> {
	return Array.isArray(skills) ? Object.fromEntries(skills.map((s) => [s, 1])) : { ...skills };
}

function weekdayFactors(w: ArrivalFile['weekdays']): number[] {
	return WEEKDAYS.map((d) => w?.[d] ?? 1);
}

function sourceMix(a: ArrivalFile): Share<string>[] {
	if (a.source !== undefined) return [{ value: a.source, share: 1 }];
	if (a.sources === undefined) return [{ value: DEFAULT_SOURCE, share: 1 }];
	return Object.entries(a.sources).map(([value, share]) => ({ value, share }));
}

function skillMix(a: ArrivalFile): Share<Record<string, number>>[] {
	const mix = Object.entries(a.skills ?? {}).map(([skill, s]) =>
		typeof s === 'number' ? { value: { [skill]: 1 }, share: s } : { value: { [skill]: s.level ?? 1 }, share: s.share }
	);
	const rest = 1 - mix.reduce((sum, m) => sum + m.share, 0);
	if (mix.length > 0 && rest > 1e-9) mix.push({ value: {}, share: rest });
	return mix;
}

function rates(a: ArrivalFile, horizonMs: number): { ratesPerHour: number[]; intervalMs: number } {
	if (a.profile !== undefined) return { ratesPerHour: [...a.profile.rates], intervalMs: a.profile.interval };
	return { ratesPerHour: [a.perHour ?? 0], intervalMs: horizonMs };
}

function agentShifts(g: AgentFile, run: RunWindow): Shift[] {
	if (g.count !== undefined) return [{ startMs: run.startMs, endMs: run.endMs, count: g.count, breaks: [] }];
	if (g.perInterval !== undefined) return shiftsFromCounts(g.perInterval.counts, g.perInterval.interval, run);
	const out = (g.shifts ?? []).flatMap((s) =>
		expandDailyShift(
			{
				startMs: s.start,
				endMs: s.end,
				count: s.count,
				breaks: (s.breaks ?? []).map((b) => ({ atMs: b.at, durationMs: b.duration }))
			},
			run
		)
	);
	return out.sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
}

/** Semantic checks, cross-references and defaults; turns a parsed file into the simulator's Scenario. */
export function buildScenario(f: ScenarioFile, file: string | undefined): Validation {
	const c = new Checker();
	c.issues.push(...referenceIssues(f));

	const startMs = f.start ?? 0;
	const horizonMs = f.horizon;
	const warmupMs = f.warmup ?? 0;
	// the engine's intervals (and so the measured period) are made of whole minutes
	if (warmupMs % 60_000 !== 0) c.add(['warmup'], `expected whole minutes (results are kept per minute), got ${formatDuration(warmupMs)}`);
	if (startMs % 60_000 !== 0) c.add(['start'], `expected a time of day in whole minutes, got ${formatDuration(startMs)}`);
	if (warmupMs >= horizonMs) {
		c.add(['warmup'], `expected a warm-up shorter than the horizon (${formatDuration(horizonMs)}), got ${formatDuration(warmupMs)}`);
	}
	const run: RunWindow = { startMs, endMs: startMs + horizonMs };

	const queueSims: QueueSim[] = [];
	const engineQueues: QueueConfigInput[] = [];
	f.queues.forEach((q, i) => {
		const at: PathSegment[] = ['queues', i];
		const handleTime = q.handleTime ?? f.handleTime;
		// null is `never`, a setting of its own, so only a missing queue setting falls back
		const patience = q.patience !== undefined ? q.patience : f.patience;
		if (handleTime === undefined) {
			c.add([...at, 'handleTime'], 'missing required field "handleTime" (set it on this queue or at the top level)');
		}
		if (patience === undefined) {
			c.add([...at, 'patience'], 'missing required field "patience" (set it on this queue or at the top level)');
		}
		const wrapUp = q.wrapUp ?? f.wrapUp ?? { dist: 'constant', value: 0 };
		const handle = handleTime ?? { dist: 'constant', value: 0 };
		queueSims.push({
			id: q.id,
			handleTime: handle,
			wrapUp,
			patience: patience === undefined ? null : patience,
			callbackShare: q.callbackShare ?? f.callbackShare ?? 0
		});
		engineQueues.push(engineQueue(q, wrapUp, handle));
	});
	const queueById = new Map(f.queues.map((q) => [q.id, q]));

	const groups: AgentGroup[] = f.agents.map((g) => ({
		id: g.group,
		skills: skillMap(g.skills),
		shifts: agentShifts(g, run)
	}));

	const arrivals: ArrivalStream[] = f.arrivals.map((a, i) => {
		const at: PathSegment[] = ['arrivals', i];
		const queue = queueById.get(a.queue);
		const skills = skillMix(a);
		if (queue !== undefined) checkExtraSkills(a, queue, skills, groups, at, c);
		return {
			queue: a.queue,
			...rates(a, horizonMs),
			weekdayFactors: weekdayFactors(a.weekdays),
			scale: a.scale ?? 1,
			sources: sourceMix(a),
			heat: a.heat ?? DEFAULT_HEAT,
			value: a.value ?? { dist: 'constant', value: queue?.defaultValue ?? 0 },
			skills,
			priority: a.priority ?? 0
		};
	});

	const overflowTiers: OverflowTierSim[] = (f.overflowTiers ?? []).map((t, i) => {
		const handleTime = t.handleTime ?? f.handleTime;
		if (handleTime === undefined) {
			c.add(['overflowTiers', i, 'handleTime'], 'missing required field "handleTime" (set it on this tier or at the top level)');
		}
		return {
			id: t.id,
			capacity: t.capacity,
			conversionFactor: t.conversionFactor ?? 0.5,
			handleTime: handleTime ?? { dist: 'constant', value: 0 },
			handBack: t.handBack ?? 0,
			handBackQueue: t.handBackQueue
		};
	});

	const tiers: TierConfig[] | undefined = f.tiers?.map((t) => ({ id: t.id, minHeat: t.minHeat, curve: t.curve }));
	const engine: EngineConfigInput = {
		queues: engineQueues,
		autoQueues: false,
		overflowTiers: overflowTiers.map((t) => ({ id: t.id, capacity: t.capacity, conversionFactor: t.conversionFactor })),
		...(tiers !== undefined ? { tiers } : {}),
		order: f.order ?? 'fifo',
		// The simulator is a trusted, in-order source.
		reorderWindowMs: 0,
		dedupeWindowMs: 0,
		intervalMinutes: 15,
		// Interval 0 and the day's totals start when the warm-up ends.
		dayStartMs: startMs + warmupMs
	};

	if (c.issues.length > 0) return { ok: false, issues: dedupe(c.issues) };
	const checked = engineConfigSchema.safeParse(engine);
	if (!checked.success) {
		// Everything the engine checks is checked above with file paths; this is a safety net.
		return {
			ok: false,
			issues: checked.error.issues.map((iss) => ({
				path: [],
				message: `the engine rejects the resolved configuration: ${iss.path.join('.')}: ${iss.message}`
			}))
		};
	}

	const scenario: Scenario = {
		name: f.name,
		description: f.description ?? '',
		file,
		startMs,
		horizonMs,
		warmupMs,
		weekday: WEEKDAYS.indexOf(f.weekday ?? 'mon'),
		seed: f.seed ?? DEFAULT_SEED,
		engine,
		queues: queueSims,
		arrivals,
		agents: groups,
		overflowTiers,
		costPerAgentHour: f.costPerAgentHour ?? 0
	};
	return { ok: true, scenario };
}

function engineQueue(q: ScenarioFile['queues'][number], wrapUp: Dist, handle: Dist): QueueConfigInput {
	const handleSeconds = distMean(handle) / 1000;
	const out: QueueConfigInput = {
		id: q.id,
		mode: 'route',
		strategy: q.strategy ?? 'longest-idle',
		serviceLevel: { seconds: (q.serviceLevel?.seconds ?? 20_000) / 1000, target: q.serviceLevel?.target ?? 0.8 },
		shortAbandonSeconds: (q.shortAbandon ?? 5_000) / 1000,
		whenFull: q.whenFull ?? 'voicemail',
		whenClosed: q.whenClosed ?? 'voicemail',
		// The simulator does not model ringing: an offer is answered at once.
		autoAnswer: true,
		wrapUpSeconds: distMean(wrapUp) / 1000,
		defaultValue: q.defaultValue ?? 0
	};
	if (handleSeconds > 0) out.defaultHandleSeconds = handleSeconds;
	if (q.skill !== undefined) out.skill = q.skill;
	if (q.maxWaiting !== undefined) out.maxWaiting = q.maxWaiting;
	if (q.hours !== undefined) out.hours = typeof q.hours === 'string' ? [q.hours] : [...q.hours];
	if (q.overflowTo !== undefined) out.overflowTo = q.overflowTo;
	if (q.overflowAfter !== undefined) out.overflowAfterSeconds = q.overflowAfter / 1000;
	if (q.ringTimeout !== undefined) out.ringTimeoutSeconds = q.ringTimeout / 1000;
	if (q.escalation !== undefined) {
		const e = q.escalation;
		out.escalation = {
			afterSeconds: e.after / 1000,
			widen: e.widen ?? true,
			priorityBoost: e.priorityBoost ?? 0,
			...(e.toQueue !== undefined ? { toQueue: e.toQueue } : {})
		};
	}
	return out;
}

/** A call that needs an extra skill nobody on the queue has would wait until it gives up. */
function checkExtraSkills(
	a: ArrivalFile,
	queue: ScenarioFile['queues'][number],
	mix: Share<Record<string, number>>[],
	groups: AgentGroup[],
	at: PathSegment[],
	c: Checker
): void {
	// Widening escalation drops the extra skills, so such calls are answered in the end.
	if (queue.escalation !== undefined && queue.escalation.widen !== false) return;
	const base = queue.skill ?? queue.id;
	for (const { value } of mix) {
		for (const [skill, level] of Object.entries(value)) {
			const served = groups.some((g) => (g.skills[base] ?? 0) >= 1 && (g.skills[skill] ?? 0) >= level);
			if (!served) {
				c.add(
					[...at, 'skills', skill],
					`no agent group has both "${base}" and "${skill}" at level ${level} or above, so these calls could never be answered (add such agents, or an escalation that widens)`
				);
			}
		}
	}
}

function dedupe(issues: PathIssue[]): PathIssue[] {
	const seen = new Set<string>();
	return issues.filter((i) => {
		const key = `${i.path.join('\u0000')}\u0001${i.message}`;
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
}
