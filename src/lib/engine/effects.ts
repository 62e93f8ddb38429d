import type { EngineTimer, HeatEvent, OverflowReason } from './events';
import type { Agent, Call } from './state';

/** What a step asks its caller to do; the engine itself executes nothing. */
export type Effect =
	/** a decision the engine made (route mode): journal it; a telephony adapter may act on it */
	| { kind: 'emit'; event: HeatEvent }
	/** deliver `event` back through step() when the clock reaches `at` */
	| { kind: 'schedule'; at: number; event: EngineTimer };

export type TimerKind = EngineTimer['kind'];

/**
 * Receives the engine's decisions and timers as they are made. `Engine.step` collects them into
 * effect objects; a source that runs millions of events (the simulator) implements this itself and
 * builds events only when it keeps a log. The ids built here are the ones documented for journals.
 */
export interface DecisionSink {
	// each decision also names the engine's call object, for a source that holds its own state on
	// it (Call.tag) rather than looking the id up
	offered(t: number, callId: string, agentId: string, seq: number, call: Call): void;
	answered(t: number, callId: string, agentId: string, seq: number, call: Call): void;
	ringNoAnswer(t: number, callId: string, agentId: string, seq: number, call: Call): void;
	/** target: an overflow tier id or 'voicemail' */
	overflowed(t: number, callId: string, target: string, reason: OverflowReason, call: Call): void;
	callbackRequested(t: number, callId: string, call: Call): void;
	schedule(at: number, timer: EngineTimer): void;
	/**
	 * Optional, for a source that delivers timers itself through Engine.timerInto: takes the timer
	 * as handles instead of an event (call for ring, escalation and overflow timers, agent for
	 * wrap-up ends), so a million timers make no objects. When present, schedule() is not called.
	 */
	scheduleTimer?(at: number, kind: TimerKind, call: Call | null, agent: Agent | null, seq: number): void;
}

/** The journal form of each decision: event ids derive from the call, so a replay recognises them. */
export const decisionEvents = {
	offered: (t: number, callId: string, agentId: string, seq: number): HeatEvent => ({
		type: 'call.offered',
		id: `${callId}/offer${seq}`,
		t,
		callId,
		agentId
	}),
	answered: (t: number, callId: string, agentId: string, seq: number): HeatEvent => ({
		type: 'call.answered',
		id: `${callId}/answer${seq}`,
		t,
		callId,
		agentId
	}),
	ringNoAnswer: (t: number, callId: string, agentId: string, seq: number): HeatEvent => ({
		type: 'call.ringNoAnswer',
		id: `${callId}/rna${seq}`,
		t,
		callId,
		agentId
	}),
	overflowed: (t: number, callId: string, target: string, reason: OverflowReason): HeatEvent => ({
		type: 'call.overflowed',
		id: `${callId}/overflow`,
		t,
		callId,
		target,
		reason
	}),
	callbackRequested: (t: number, callId: string): HeatEvent => ({ type: 'call.callback.requested', id: `${callId}/callback`, t, callId })
};

/** Timer events; ids derive from the call or agent and the sequence they belong to. */
export function timerEvent(
	kind: TimerKind,
	at: number,
	callId: string | undefined,
	agentId: string | undefined,
	seq: number | undefined
): EngineTimer {
	const owner = callId ?? agentId ?? '';
	const e: EngineTimer = { type: 'timer', kind, id: `${owner}/${kind}-timer${seq ?? ''}`, t: at };
	if (callId !== undefined) e.callId = callId;
	if (agentId !== undefined) e.agentId = agentId;
	if (seq !== undefined) e.seq = seq;
	return e;
}

/** Collects decisions and timers as effect objects, in the order made. */
export class EffectCollector implements DecisionSink {
	readonly effects: Effect[] = [];
	offered(t: number, callId: string, agentId: string, seq: number): void {
		this.effects.push({ kind: 'emit', event: decisionEvents.offered(t, callId, agentId, seq) });
	}
	answered(t: number, callId: string, agentId: string, seq: number): void {
		this.effects.push({ kind: 'emit', event: decisionEvents.answered(t, callId, agentId, seq) });
	}
	ringNoAnswer(t: number, callId: string, agentId: string, seq: number): void {
		this.effects.push({ kind: 'emit', event: decisionEvents.ringNoAnswer(t, callId, agentId, seq) });
	}
	overflowed(t: number, callId: string, target: string, reason: OverflowReason): void {
		this.effects.push({ kind: 'emit', event: decisionEvents.overflowed(t, callId, target, reason) });
	}
	callbackRequested(t: number, callId: string): void {
		this.effects.push({ kind: 'emit', event: decisionEvents.callbackRequested(t, callId) });
	}
	schedule(at: number, timer: EngineTimer): void {
		this.effects.push({ kind: 'schedule', at, event: timer });
	}
}
