/**
 * The levers form and the protocol's Levers, both ways. The form always shows a value (the
 * scenario's own when the lever is untouched), and only what differs from "as written" becomes a
 * lever, so a share link carries the manager's changes and nothing else.
 */
import { leversSchema, STRATEGIES, type Levers, type ScenarioBrief } from '../protocol';

export type Strategy = (typeof STRATEGIES)[number];
export type AgentsMode = 'scenario' | 'total' | 'perInterval';
export type PatienceMode = 'scenario' | 'mean' | 'never';
/** '' leaves the scenario as written */
export type Choice<T extends string> = T | '';

export interface LeverForm {
	agentsMode: AgentsMode;
	agents: number | null;
	agentsPerInterval: (number | null)[];
	agentsIntervalMinutes: number;
	arrivalScale: number | null;
	handleTimeScale: number | null;
	patienceMode: PatienceMode;
	patienceSeconds: number | null;
	strategy: Choice<Strategy>;
	order: Choice<'fifo' | 'value'>;
	aiOverflow: Choice<'on' | 'off'>;
	costPerAgentHour: number | null;
}

/** The form for a variant: its levers where set, the brief's figures elsewhere (empty without a brief). */
export function formFromLevers(levers: Levers, brief: ScenarioBrief | null): LeverForm {
	const perInterval = levers.agentsPerInterval ?? brief?.agentsPerInterval ?? [];
	return {
		agentsMode: levers.agentsPerInterval ? 'perInterval' : levers.agents !== undefined ? 'total' : 'scenario',
		agents: levers.agents ?? brief?.totalAgents ?? null,
		agentsPerInterval: [...perInterval],
		agentsIntervalMinutes: levers.agentsIntervalMinutes ?? brief?.intervalMinutes ?? 30,
		arrivalScale: levers.arrivalScale ?? 1,
		handleTimeScale: levers.handleTimeScale ?? 1,
		patienceMode: levers.patienceSeconds === null ? 'never' : levers.patienceSeconds !== undefined ? 'mean' : 'scenario',
		patienceSeconds: levers.patienceSeconds ?? brief?.meanPatienceSeconds ?? null,
		strategy: levers.strategy ?? '',
		order: levers.order ?? '',
		aiOverflow: levers.aiOverflow === undefined ? '' : levers.aiOverflow ? 'on' : 'off',
		costPerAgentHour: levers.costPerAgentHour ?? brief?.costPerAgentHour ?? null
	};
}

export type LeverField = keyof LeverForm;
export type FormResult = { ok: true; levers: Levers } | { ok: false; errors: Partial<Record<LeverField, string>> };

const present = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * The levers a form asks for. A figure equal to the scenario's own (scale 1, the brief's cost) is
 * no lever: it would change nothing but would pin the value if the YAML is edited later.
 */
export function leversFromForm(form: LeverForm, brief: ScenarioBrief | null): FormResult {
	const errors: Partial<Record<LeverField, string>> = {};
	const levers: Levers = {};
	if (form.agentsMode === 'total') {
		if (!present(form.agents)) errors.agents = 'enter a number of agents';
		else levers.agents = form.agents;
	} else if (form.agentsMode === 'perInterval') {
		if (form.agentsPerInterval.length === 0) errors.agentsPerInterval = 'no intervals to staff';
		else if (!form.agentsPerInterval.every(present)) errors.agentsPerInterval = 'every interval needs a number of agents';
		else {
			levers.agentsPerInterval = form.agentsPerInterval.filter(present);
			levers.agentsIntervalMinutes = form.agentsIntervalMinutes;
		}
	}
	if (!present(form.arrivalScale)) errors.arrivalScale = 'enter a scale (1 = as written)';
	else if (form.arrivalScale !== 1) levers.arrivalScale = form.arrivalScale;
	if (!present(form.handleTimeScale)) errors.handleTimeScale = 'enter a scale (1 = as written)';
	else if (form.handleTimeScale !== 1) levers.handleTimeScale = form.handleTimeScale;
	if (form.patienceMode === 'never') levers.patienceSeconds = null;
	else if (form.patienceMode === 'mean') {
		if (!present(form.patienceSeconds)) errors.patienceSeconds = 'enter a mean patience in seconds';
		else levers.patienceSeconds = form.patienceSeconds;
	}
	if (form.strategy !== '') levers.strategy = form.strategy;
	if (form.order !== '') levers.order = form.order;
	if (form.aiOverflow !== '') levers.aiOverflow = form.aiOverflow === 'on';
	if (present(form.costPerAgentHour) && form.costPerAgentHour !== brief?.costPerAgentHour) levers.costPerAgentHour = form.costPerAgentHour;

	// The protocol's own bounds, worded for the field they belong to.
	const checked = leversSchema.safeParse(levers);
	if (!checked.success) {
		for (const issue of checked.error.issues) {
			const field = issue.path[0];
			if (typeof field === 'string' && isField(field) && errors[field] === undefined) errors[field] = issue.message;
		}
	}
	if (Object.keys(errors).length > 0) return { ok: false, errors };
	return { ok: true, levers };
}

const FIELDS: readonly LeverField[] = [
	'agentsMode',
	'agents',
	'agentsPerInterval',
	'agentsIntervalMinutes',
	'arrivalScale',
	'handleTimeScale',
	'patienceMode',
	'patienceSeconds',
	'strategy',
	'order',
	'aiOverflow',
	'costPerAgentHour'
];
function isField(name: string): name is LeverField {
	return (FIELDS as readonly string[]).includes(name);
}

/** "+3 agents", "arrivals ×1.2": a short label for a new variant from what its levers change. */
export function describeLevers(levers: Levers, brief: ScenarioBrief | null): string {
	const parts: string[] = [];
	if (levers.agents !== undefined) {
		const d = brief ? levers.agents - brief.totalAgents : null;
		parts.push(d === null || d === 0 ? `${levers.agents} agents` : `${d > 0 ? '+' : '−'}${Math.abs(d)} agents`);
	}
	if (levers.agentsPerInterval) parts.push('agents per interval');
	if (levers.arrivalScale !== undefined) parts.push(`arrivals ×${levers.arrivalScale}`);
	if (levers.handleTimeScale !== undefined) parts.push(`handle time ×${levers.handleTimeScale}`);
	if (levers.patienceSeconds === null) parts.push('no abandons');
	else if (levers.patienceSeconds !== undefined) parts.push(`patience ${levers.patienceSeconds} s`);
	if (levers.strategy) parts.push(levers.strategy);
	if (levers.order) parts.push(levers.order === 'value' ? 'value order' : 'FIFO');
	if (levers.aiOverflow !== undefined) parts.push(levers.aiOverflow ? 'AI overflow' : 'no AI overflow');
	if (levers.costPerAgentHour !== undefined) parts.push(`$${levers.costPerAgentHour}/agent-h`);
	return parts.join(', ');
}
