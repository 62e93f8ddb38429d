/**
 * Event vocabulary v1. Every source (simulator, recorded day, live telephony) speaks this, and the
 * engine's own decisions and timers are written in it too, so one journal replays any run.
 * Times are milliseconds on the source's clock (simulated or wall).
 */

export const EVENT_VERSION = 1;

export type AgentStateName = 'available' | 'busy' | 'wrap-up' | 'away' | 'offline';
export const AGENT_STATES: readonly AgentStateName[] = ['available', 'busy', 'wrap-up', 'away', 'offline'];

interface Base {
	/** source-unique id, used to drop duplicates */
	id: string;
	/** ms on the source's clock */
	t: number;
	v?: 1;
}

export interface CallArrived extends Base {
	type: 'call.arrived';
	callId: string;
	queue: string;
	/** skills the call needs beyond the queue's own, with a minimum level (1 when omitted) */
	skills?: Record<string, number>;
	/** lead score 0..1; mapped to a heat tier */
	heat?: number;
	/** a tier id, overriding heat */
	tier?: string;
	/** revenue if the lead converts */
	value?: number;
	/** priority class; higher is served first (default 0) */
	priority?: number;
	/** lead source: web form, pricing page, campaign, after-hours... */
	source?: string;
	/** caller number; shown masked */
	caller?: string;
}

/** A call rings at an agent. In route mode the engine emits it; in observe mode the ACD reports it. */
export interface CallOffered extends Base {
	type: 'call.offered';
	callId: string;
	agentId: string;
}

export interface CallAnswered extends Base {
	type: 'call.answered';
	callId: string;
	agentId: string;
}

/** The agent did not pick up: the call goes back to its place in the queue. */
export interface CallRingNoAnswer extends Base {
	type: 'call.ringNoAnswer';
	callId: string;
	agentId: string;
}

export interface CallAbandoned extends Base {
	type: 'call.abandoned';
	callId: string;
}

export interface CallEnded extends Base {
	type: 'call.ended';
	callId: string;
	/** the sale happened (when the source knows); otherwise the engine uses the expected value */
	converted?: boolean;
	/** revenue booked; defaults to the call's value when converted */
	revenue?: number;
	/** wrap-up the agent does after this call; the queue's default when omitted */
	wrapMs?: number;
}

/** Moves a call to another queue, keeping its original arrival time (e.g. a hand-off from the AI tier back to humans). */
export interface CallTransferred extends Base {
	type: 'call.transferred';
	callId: string;
	toQueue: string;
}

/** The caller leaves the line but keeps their place; an agent calls back when one is free. */
export interface CallCallbackRequested extends Base {
	type: 'call.callback.requested';
	callId: string;
}

/** The call leaves the human queue for an overflow tier (e.g. an AI receptionist), or for voicemail. */
export interface CallOverflowed extends Base {
	type: 'call.overflowed';
	callId: string;
	/** a tier id, or 'voicemail' */
	target: string;
	reason: OverflowReason;
}
export type OverflowReason = 'queue-full' | 'closed' | 'wait' | 'no-agents';

export interface AgentState extends Base {
	type: 'agent.state';
	agentId: string;
	state: AgentStateName;
	/** skill name -> level (1..); replaces the agent's skills when present */
	skills?: Record<string, number>;
	reason?: string;
	name?: string;
}

/**
 * Timers the engine schedules for itself (effect `schedule`) and receives back when due. They are
 * journaled like any event; a timer whose cause has passed is a counted no-op.
 */
export interface EngineTimer extends Base {
	type: 'timer';
	kind: 'wrap.end' | 'ring.timeout' | 'escalate' | 'overflow';
	callId?: string;
	agentId?: string;
	/** the offer/wrap sequence the timer belongs to, to tell a stale timer from a live one */
	seq?: number;
}

export type HeatEvent =
	| CallArrived
	| CallOffered
	| CallAnswered
	| CallRingNoAnswer
	| CallAbandoned
	| CallEnded
	| CallTransferred
	| CallCallbackRequested
	| CallOverflowed
	| AgentState
	| EngineTimer;

export type HeatEventType = HeatEvent['type'];
