import { describe, expect, it } from 'vitest';
import { BoardState } from './board-state.svelte';
import { BoardConnection, type BoardLink } from './connection';
import { FIXTURE_T, fixtureDelta, fixtureSnapshot } from './fixtures';

function setup(queues: string[] = ['sales']) {
	const sent: Array<[string, unknown]> = [];
	const link: BoardLink = {
		subscribe: (q) => sent.push(['subscribe', { queues: q }]),
		resync: (lastSeq) => sent.push(['resync', { lastSeq }])
	};
	let now = 10_000;
	const board = new BoardState();
	const conn = new BoardConnection(board, { queues, link, now: () => now, resyncRetryMs: 3_000 });
	return { board, conn, sent, advance: (ms: number) => (now += ms) };
}

describe('BoardConnection', () => {
	it('subscribes on connect, and again on every reconnect', () => {
		const { board, conn, sent } = setup(['sales', 'support']);
		expect(board.phase).toBe('connecting');
		conn.onConnect();
		expect(board.phase).toBe('connected');
		conn.onDisconnect();
		expect(board.phase).toBe('reconnecting');
		conn.onReconnectAttempt(3);
		expect(board.reconnectAttempt).toBe(3);
		conn.onConnect();
		expect(board.reconnectAttempt).toBe(0);
		expect(sent).toEqual([
			['subscribe', { queues: ['sales', 'support'] }],
			['subscribe', { queues: ['sales', 'support'] }]
		]);
	});

	it('stamps messages with the local clock', () => {
		const { board, conn, advance } = setup();
		conn.onConnect();
		conn.onSnapshot(fixtureSnapshot());
		expect(board.receivedAtMs).toBe(10_000);
		advance(250);
		conn.onDelta(fixtureDelta({ seq: 41, t: FIXTURE_T }));
		expect(board.receivedAtMs).toBe(10_250);
	});

	it('asks for a resync once per gap, again only if no snapshot came for a while', () => {
		const { conn, sent, advance } = setup();
		conn.onConnect();
		conn.onSnapshot(fixtureSnapshot());
		conn.onDelta(fixtureDelta({ seq: 42, t: FIXTURE_T }));
		conn.onDelta(fixtureDelta({ seq: 43, t: FIXTURE_T }));
		expect(sent.filter(([e]) => e === 'resync')).toEqual([['resync', { lastSeq: 41 }]]);
		advance(3_000);
		conn.onDelta(fixtureDelta({ seq: 44, t: FIXTURE_T }));
		expect(sent.filter(([e]) => e === 'resync')).toHaveLength(2);
		conn.onSnapshot(fixtureSnapshot({ seq: 45 }));
		conn.onDelta(fixtureDelta({ seq: 45, t: FIXTURE_T }));
		conn.onDelta(fixtureDelta({ seq: 47, t: FIXTURE_T }));
		expect(sent.filter(([e]) => e === 'resync').at(-1)).toEqual(['resync', { lastSeq: 46 }]);
	});

	it('does not ask for a resync for duplicates or deltas before the first snapshot', () => {
		const { conn, sent } = setup();
		conn.onConnect();
		conn.onDelta(fixtureDelta({ seq: 1, t: FIXTURE_T }));
		conn.onSnapshot(fixtureSnapshot());
		conn.onDelta(fixtureDelta({ seq: 30, t: FIXTURE_T }));
		expect(sent.filter(([e]) => e === 'resync')).toEqual([]);
	});

	it('keeps the connection error until a connect succeeds', () => {
		const { board, conn } = setup();
		conn.onConnectError('xhr poll error');
		expect(board.connectionError).toBe('xhr poll error');
		expect(board.phase).toBe('connecting');
		conn.onConnect();
		conn.onSnapshot(fixtureSnapshot());
		conn.onDisconnect();
		conn.onConnectError('websocket error');
		expect(board.phase).toBe('reconnecting');
		conn.onConnect();
		expect(board.connectionError).toBeNull();
	});

	it('reports unknown queues from the subscription', () => {
		const { board, conn } = setup(['sales', 'nope']);
		conn.onConnect();
		conn.onSnapshot(fixtureSnapshot({ queueIds: ['sales'] }));
		expect(board.unknownQueues).toEqual(['nope']);
	});

	it('shows the server warnings: unknown queues apart, the rest as a message', () => {
		const { board, conn } = setup(['sales', 'nope']);
		conn.onConnect();
		conn.onWarning({ code: 'unknown-queues', message: 'unknown queues: nope', queues: ['nope'] });
		expect(board.unknownQueues).toEqual(['nope']);
		conn.onWarning({ code: 'invalid-message', message: 'resync: lastSeq must be a number' });
		expect(board.serverWarning).toBe('resync: lastSeq must be a number');
	});
});
