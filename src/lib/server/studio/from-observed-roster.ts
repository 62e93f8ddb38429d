import type { Engine } from '../../engine/engine';
import type { HeatEvent } from '../../engine/events';

/** agent groups of a scenario file, and how many agents are on duty now */
export interface Roster {
	groups: Array<Record<string, unknown>>;
	onDutyNow: number;
}

/** An agent's skills as a scenario writes them: only skills some queue needs, whole levels 1..100, sorted so equal sets share a key. */
function fileSkills(skills: Readonly<Record<string, number>>, needed: ReadonlySet<string>): Record<string, number> {
	return Object.fromEntries(
		Object.entries(skills)
			.filter(([s, level]) => needed.has(s) && level > 0)
			.map(([s, level]): [string, number] => [s, Math.min(100, Math.max(1, Math.round(level)))])
			.sort(([x], [y]) => (x < y ? -1 : 1))
	);
}

/** a queue nobody can answer still needs a group for the file to be valid: one of 0 agents */
function withUnstaffed(
	groups: Array<Record<string, unknown>>,
	staffed: ReadonlySet<string>,
	needed: ReadonlySet<string>
): Array<Record<string, unknown>> {
	const unstaffed = [...needed].filter((s) => !staffed.has(s));
	return unstaffed.length > 0 ? [...groups, { group: 'nobody-on-duty', count: 0, skills: unstaffed }] : groups;
}

/** The agents on duty now (not offline), one group per skill set, on for the whole run. */
export function rosterNow(engine: Engine, needed: ReadonlySet<string>): Roster {
	const onDuty = [...engine.agents.values()].filter((a) => a.state !== 'offline');
	const groups = new Map<string, { skills: Record<string, number>; count: number }>();
	for (const a of onDuty) {
		const skills = fileSkills(a.skills, needed);
		if (Object.keys(skills).length === 0) continue;
		const key = JSON.stringify(skills);
		const g = groups.get(key) ?? { skills, count: 0 };
		g.count++;
		groups.set(key, g);
	}
	const files = [...groups.values()].map((g, i) => ({ group: `on-duty-${i + 1}`, count: g.count, skills: g.skills }));
	const staffed = new Set([...groups.values()].flatMap((g) => Object.keys(g.skills)));
	return { groups: withUnstaffed(files, staffed, needed), onDutyNow: onDuty.length };
}

/**
 * A recorded day's head count per interval from `start` (on the events' clock), one group per skill
 * set: an agent counts in an interval if on duty (not offline) at any moment of it, so one who logs
 * on mid-interval is there for all of it and breaks shorter than an interval do not show.
 */
export function recordedRoster(
	events: readonly HeatEvent[],
	start: number,
	intervals: number,
	intervalMs: number,
	needed: ReadonlySet<string>,
	nowAt: number
): Roster {
	const agents = new Map<string, { onDuty: boolean; skills: Record<string, number> }>();
	const counts = new Map<string, { skills: Record<string, number>; counts: number[] }>();
	/** agents counted in the interval so far, by id */
	let seen = new Set<string>();
	let onDutyNow = -1;
	const count = (i: number, id: string) => {
		const a = agents.get(id);
		if (a === undefined || !a.onDuty || seen.has(id)) return;
		const skills = fileSkills(a.skills, needed);
		if (Object.keys(skills).length === 0) return;
		seen.add(id);
		const key = JSON.stringify(skills);
		const g = counts.get(key) ?? { skills, counts: new Array<number>(intervals).fill(0) };
		g.counts[i] = (g.counts[i] ?? 0) + 1;
		counts.set(key, g);
	};
	let i = -1;
	const enter = (next: number) => {
		for (; i < next;) {
			i++;
			seen = new Set();
			for (const id of agents.keys()) count(i, id);
		}
	};
	for (const e of events) {
		if (e.t >= nowAt && onDutyNow < 0) onDutyNow = [...agents.values()].filter((a) => a.onDuty).length;
		if (e.t >= start + intervals * intervalMs) break;
		if (e.type !== 'agent.state') continue;
		if (e.t >= start) enter(Math.floor((e.t - start) / intervalMs));
		const a = agents.get(e.agentId) ?? { onDuty: false, skills: {} };
		a.onDuty = e.state !== 'offline';
		if (e.skills !== undefined) a.skills = e.skills;
		agents.set(e.agentId, a);
		if (i >= 0) count(i, e.agentId);
	}
	if (onDutyNow < 0) onDutyNow = [...agents.values()].filter((a) => a.onDuty).length;
	enter(intervals - 1);
	const groups = [...counts.values()].map((g, k) => ({
		group: `rostered-${k + 1}`,
		perInterval: { interval: `${intervalMs / 60_000}m`, counts: g.counts },
		skills: g.skills
	}));
	const staffed = new Set([...counts.values()].flatMap((g) => Object.keys(g.skills)));
	return { groups: withUnstaffed(groups, staffed, needed), onDutyNow };
}
