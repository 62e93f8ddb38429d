import type { HeatEvent } from '../../src/lib/engine';
import { Calendar } from './calendar';
import { exponential, mulberry32, pick } from './random';
import { agentSkills, MINUTE_MS as MIN, QUEUES, SOURCES, VALUES } from './workload';

/**
 * A recorded-looking day (or several) from an external ACD, for observe mode: the generator plays
 * the ACD (FIFO per queue, longest-idle agent) so the stream is one the engine must accept whole,
 * with no contradictions. Generated once, before anything is timed.
 */

export interface ObserveStreamOptions {
	seed: number;
	agents: number;
	/** stop once the stream holds this many events */
	events: number;
	arrivalsPerMinute: number;
	handleMinutes: number;
	patienceMinutes: number;
	/** chance that an agent takes a break when a call ends */
	breakChance: number;
	breakMinutes: number;
}

export interface ObserveTally {
	arrived: number;
	answered: number;
	ended: number;
	abandoned: number;
	agentState: number;
}

export interface ObserveStream {
	events: HeatEvent[];
	tally: ObserveTally;
	/** source-clock span of the stream */
	spanMs: number;
}

type Happening =
	{ kind: 'arrive' } | { kind: 'end'; call: number; agent: number } | { kind: 'patience'; call: number } | { kind: 'back'; agent: number };

export function generateObserveStream(o: ObserveStreamOptions): ObserveStream {
	const rnd = mulberry32(o.seed);
	const events: HeatEvent[] = [];
	const tally: ObserveTally = { arrived: 0, answered: 0, ended: 0, abandoned: 0, agentState: 0 };
	let eventSeq = 0;
	const nextId = () => `e${(++eventSeq).toString(36)}`;

	const agentIds: string[] = [];
	const serves: boolean[][] = [];
	/** free agents, longest idle first */
	const idle: number[] = [];
	for (let i = 0; i < o.agents; i++) {
		const skills = agentSkills(i);
		agentIds.push(`agent-${i}`);
		serves.push(QUEUES.map((q) => q in skills));
		idle.push(i);
		events.push({ type: 'agent.state', id: nextId(), t: 0, agentId: `agent-${i}`, state: 'available', skills });
		tally.agentState++;
	}

	const callIds: string[] = [];
	const callQueue: number[] = [];
	/** 0 waiting, 1 answered, 2 abandoned */
	const callState: number[] = [];
	const waiting: number[][] = QUEUES.map(() => []);
	const heads = QUEUES.map(() => 0);

	const cal = new Calendar<Happening>();
	const meanGap = MIN / o.arrivalsPerMinute;
	cal.push(exponential(rnd, meanGap), { kind: 'arrive' });
	let t = 0;

	const answer = (call: number, agent: number) => {
		callState[call] = 1;
		events.push({ type: 'call.answered', id: nextId(), t, callId: callIds[call] as string, agentId: agentIds[agent] as string });
		tally.answered++;
		cal.push(t + exponential(rnd, o.handleMinutes * MIN), { kind: 'end', call, agent });
	};

	/** The oldest waiting call this agent can take, or -1. */
	const oldestFor = (agent: number): number => {
		let best = -1;
		for (let q = 0; q < QUEUES.length; q++) {
			if (!serves[agent]?.[q]) continue;
			const line = waiting[q] as number[];
			let h = heads[q] as number;
			while (h < line.length && callState[line[h] as number] !== 0) h++;
			heads[q] = h;
			const c = line[h];
			if (c !== undefined && (best < 0 || c < best)) best = c;
		}
		return best;
	};

	const agentFree = (agent: number) => {
		const c = oldestFor(agent);
		if (c >= 0) answer(c, agent);
		else idle.push(agent);
	};

	while (events.length < o.events) {
		t = cal.peekTime();
		const h = cal.pop();
		if (h === undefined) break;
		switch (h.kind) {
			case 'arrive': {
				const call = callIds.length;
				const q = rnd() < 0.5 ? 0 : 1;
				callIds.push(`call-${call}`);
				callQueue.push(q);
				callState.push(0);
				events.push({
					type: 'call.arrived',
					id: nextId(),
					t,
					callId: callIds[call] as string,
					queue: QUEUES[q] as string,
					heat: Math.round(rnd() * 100) / 100,
					value: pick(rnd, VALUES),
					source: pick(rnd, SOURCES)
				});
				tally.arrived++;
				const slot = idle.findIndex((a) => serves[a]?.[q]);
				if (slot >= 0) answer(call, idle.splice(slot, 1)[0] as number);
				else {
					(waiting[q] as number[]).push(call);
					cal.push(t + exponential(rnd, o.patienceMinutes * MIN), { kind: 'patience', call });
				}
				cal.push(t + exponential(rnd, meanGap), { kind: 'arrive' });
				break;
			}
			case 'patience':
				if (callState[h.call] === 0) {
					callState[h.call] = 2;
					events.push({ type: 'call.abandoned', id: nextId(), t, callId: callIds[h.call] as string });
					tally.abandoned++;
				}
				break;
			case 'end':
				events.push({ type: 'call.ended', id: nextId(), t, callId: callIds[h.call] as string });
				tally.ended++;
				if (rnd() < o.breakChance) {
					events.push({ type: 'agent.state', id: nextId(), t, agentId: agentIds[h.agent] as string, state: 'away', reason: 'break' });
					tally.agentState++;
					cal.push(t + exponential(rnd, o.breakMinutes * MIN), { kind: 'back', agent: h.agent });
				} else agentFree(h.agent);
				break;
			case 'back':
				events.push({ type: 'agent.state', id: nextId(), t, agentId: agentIds[h.agent] as string, state: 'available' });
				tally.agentState++;
				agentFree(h.agent);
				break;
		}
	}
	return { events, tally, spanMs: t };
}
