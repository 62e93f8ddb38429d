import type { ErlangPoint, Levers, PlanInterval, ScenarioBrief, ScenarioProblem } from '../../studio/protocol';
import type { Scenario } from '../../../../simulator/scenario/types';
import { briefOf } from './brief';
import { erlangCurve } from './erlang';
import { applyLevers } from './levers';
import { limitProblems, STUDIO_LIMITS, workRefusal } from './limits';
import { erlangPlan, PlanTooLarge } from './plan';
import { planIntervalMinutes } from './profile';
import { parseStudy } from './study';

/**
 * Everything the studio does with a client's scenario before simulating it: parse, levers, the
 * studio's limits, the work estimate, and the analytic parts (brief, Erlang curve, Erlang plan).
 * Its cost grows with what the client sends, so it runs in the prep thread (prep-worker.ts), never
 * on the server's main thread.
 */
interface TaskBase {
	yaml: string;
	levers: Levers;
	/** the scenario's name for messages */
	file: string;
}
export type PrepTask =
	| (TaskBase & { kind: 'validate' })
	| (TaskBase & { kind: 'run'; replications: number })
	| (TaskBase & { kind: 'sweep'; replications: number; levels: number[] })
	| (TaskBase & { kind: 'plan'; replications: number; simulate: boolean });

export interface PreparedPlan {
	minutes: number;
	intervals: PlanInterval[];
	/** the scenario staffed with the plan, to simulate (when asked) */
	staffed?: Scenario;
}

export type Prepared =
	| { ok: true; scenario: Scenario; brief?: ScenarioBrief; erlang?: ErlangPoint[]; plan?: PreparedPlan }
	/** `message` alone: the request refused as a whole (too much work); `problems`: the scenario's */
	| { ok: false; message?: string; problems: ScenarioProblem[] };

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export async function prepare(task: PrepTask): Promise<Prepared> {
	const p = await parseStudy(task.yaml, task.levers, task.file);
	if (!p.ok) return p;
	const sc = p.scenario;
	const limits = limitProblems(sc);
	if (limits.length > 0) return { ok: false, problems: limits };
	const refused = (message: string): Prepared => ({ ok: false, message, problems: [] });
	try {
		switch (task.kind) {
			case 'validate':
				return { ok: true, scenario: sc, brief: briefOf(sc) };
			case 'run': {
				const why = workRefusal(sc, task.replications);
				return why !== null ? refused(why) : { ok: true, scenario: sc };
			}
			case 'sweep': {
				const why = workRefusal(sc, task.replications, task.levels.length);
				return why !== null ? refused(why) : { ok: true, scenario: sc, erlang: erlangCurve(sc, task.levels) };
			}
			case 'plan': {
				const minutes = task.levers.agentsIntervalMinutes ?? planIntervalMinutes(sc);
				const intervals = erlangPlan(sc, minutes, STUDIO_LIMITS.planErlangWork);
				if (!task.simulate) return { ok: true, scenario: sc, plan: { minutes, intervals } };
				const staffed = applyLevers(sc, { agentsPerInterval: intervals.map((iv) => iv.agents), agentsIntervalMinutes: minutes });
				const why = workRefusal(staffed, task.replications);
				return why !== null ? refused(why) : { ok: true, scenario: sc, plan: { minutes, intervals, staffed } };
			}
		}
	} catch (err) {
		if (err instanceof PlanTooLarge) return refused(err.message);
		return { ok: false, problems: [{ message: messageOf(err) }] };
	}
}
