/**
 * What the status line says. A wallboard must never look live when it is not: every state other
 * than "live" names itself, and the age of the figures is always shown.
 */
import { formatAge } from './format';

export type StatusKind = 'loading' | 'live' | 'paused' | 'stale' | 'resyncing' | 'reconnecting';

export interface StatusInput {
	ready: boolean;
	phase: 'connecting' | 'connected' | 'reconnecting';
	reconnectAttempt: number;
	connectionError: string | null;
	awaitingResync: boolean;
	/** local wall clock of the last message */
	receivedAtMs: number;
	paused: boolean;
	staleAfterMs: number;
}

export interface BoardStatus {
	kind: StatusKind;
	text: string;
	/** the figures on screen may be out of date: dim them */
	degraded: boolean;
}

export function boardStatus(s: StatusInput, wallNowMs: number): BoardStatus {
	const age = `updated ${formatAge(wallNowMs - s.receivedAtMs)} ago`;
	if (!s.ready) {
		if (s.phase === 'connected') return { kind: 'loading', text: 'connected, waiting for the first figures…', degraded: true };
		const tail = s.connectionError === null ? '' : ` (${s.connectionError})`;
		const attempt = s.reconnectAttempt > 0 ? `, attempt ${s.reconnectAttempt}` : '';
		return { kind: 'loading', text: `connecting to the server${attempt}…${tail}`, degraded: true };
	}
	if (s.phase !== 'connected') {
		const attempt = s.reconnectAttempt > 0 ? ` (attempt ${s.reconnectAttempt})` : '';
		return { kind: 'reconnecting', text: `reconnecting…${attempt} · ${age}`, degraded: true };
	}
	if (s.awaitingResync) return { kind: 'resyncing', text: `resyncing… · ${age}`, degraded: true };
	const stale = wallNowMs - s.receivedAtMs > s.staleAfterMs;
	// A paused replay sends nothing new, and that is not a fault.
	if (s.paused) return { kind: 'paused', text: `paused · ${age}`, degraded: false };
	if (stale) return { kind: 'stale', text: `STALE · no update for ${formatAge(wallNowMs - s.receivedAtMs)}`, degraded: true };
	return { kind: 'live', text: age, degraded: false };
}
