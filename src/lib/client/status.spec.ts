import { describe, expect, it } from 'vitest';
import { boardStatus, type StatusInput } from './status';

const base: StatusInput = {
	ready: true,
	phase: 'connected',
	reconnectAttempt: 0,
	connectionError: null,
	awaitingResync: false,
	receivedAtMs: 100_000,
	paused: false,
	staleAfterMs: 5_000
};

describe('boardStatus', () => {
	it('says how old the figures are while live', () => {
		expect(boardStatus(base, 102_400)).toEqual({ kind: 'live', text: 'updated 2 s ago', degraded: false });
	});
	it('turns stale after the limit', () => {
		expect(boardStatus(base, 105_000).kind).toBe('live');
		const s = boardStatus(base, 112_000);
		expect(s).toEqual({ kind: 'stale', text: 'STALE · no update for 12 s', degraded: true });
	});
	it('does not call a paused source stale', () => {
		expect(boardStatus({ ...base, paused: true }, 160_000)).toEqual({ kind: 'paused', text: 'paused · updated 1 min 0 s ago', degraded: false });
	});
	it('says reconnecting, with the attempt and the age of the figures', () => {
		const s = boardStatus({ ...base, phase: 'reconnecting', reconnectAttempt: 4 }, 130_000);
		expect(s).toEqual({ kind: 'reconnecting', text: 'reconnecting… (attempt 4) · updated 30 s ago', degraded: true });
	});
	it('says resyncing after a gap', () => {
		expect(boardStatus({ ...base, awaitingResync: true }, 101_000).kind).toBe('resyncing');
	});
	it('loads until the first snapshot, naming a connection error', () => {
		expect(boardStatus({ ...base, ready: false, phase: 'connecting' }, 0).text).toBe('connecting to the server…');
		expect(boardStatus({ ...base, ready: false, phase: 'connecting', reconnectAttempt: 2, connectionError: 'xhr poll error' }, 0).text).toBe(
			'connecting to the server, attempt 2… (xhr poll error)'
		);
		expect(boardStatus({ ...base, ready: false }, 0)).toEqual({ kind: 'loading', text: 'connected, waiting for the first figures…', degraded: true });
	});
});
