import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { BoardSnapshot, QueueBoard } from '../../src/lib/protocol';
import { SIGNATURE_HEADER, signBody, TIMESTAMP_HEADER } from '../../src/lib/server/adapters/http-ingest-auth';
import { startBoardServer, type BoardServer } from '../support/board-server';

/**
 * A supervisor's board on a phone system: the real server in live mode follows an Asterisk
 * queue_log and takes signed HTTP events, journals what it accepts, shows it, and after a crash
 * (SIGKILL) comes back with the same figures rebuilt from the journal, caught up on the queue_log
 * lines written while it was down.
 */

const SECRET = 'e2e-ingest-secret-0123456789';

let dir: string;
let server: BoardServer | undefined;

test.beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'heatboard-live-'));
	writeFileSync(join(dir, 'queue_log'), '');
});

test.afterEach(async () => {
	await server?.kill();
	server = undefined;
	rmSync(dir, { recursive: true, force: true });
});

function liveEnv(): Record<string, string> {
	return {
		HEATBOARD_SOURCE: 'live',
		HEATBOARD_LIVE_NAME: 'pbx-e2e',
		HEATBOARD_JOURNAL_DIR: join(dir, 'journal'),
		HEATBOARD_QUEUE_LOG: join(dir, 'queue_log'),
		HEATBOARD_INGEST_SECRET: SECRET
	};
}

async function snapshot(url: string): Promise<BoardSnapshot> {
	const res = await fetch(`${url}/api/snapshot`);
	expect(res.status).toBe(200);
	return (await res.json()) as BoardSnapshot;
}

function queue(s: BoardSnapshot, id: string): QueueBoard | undefined {
	return s.queues.find((q) => q.id === id);
}

async function postSigned(url: string, body: unknown): Promise<Response> {
	const text = JSON.stringify(body);
	const ts = Math.floor(Date.now() / 1000);
	return fetch(`${url}/api/events`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', [TIMESTAMP_HEADER]: String(ts), [SIGNATURE_HEADER]: signBody(SECRET, ts, text) },
		body: text
	});
}

test('queue_log lines and signed HTTP events reach the board, are journaled, and survive a crash', async ({ page }) => {
	// two restarts and a downtime longer than the engine's reorder window
	test.setTimeout(60_000);
	server = await startBoardServer({ env: liveEnv() });
	const url = server.url;

	// the phone system writes its queue_log as calls happen: an agent joins, a call queues and is answered
	const s = Math.floor(Date.now() / 1000);
	appendFileSync(
		join(dir, 'queue_log'),
		[
			`${s}|NONE|support|PJSIP/alice|ADDMEMBER|`,
			`${s}|1700000001.1|support|NONE|ENTERQUEUE||5551234|1`,
			`${s}|1700000001.1|support|PJSIP/alice|CONNECT|0|1700000001.2|0`,
			'this line is not queue_log at all'
		].join('\n') + '\n'
	);
	// and a web lead comes in over HTTP: a hot caller waiting in sales
	const t = Date.now();
	const posted = await postSigned(url, [
		{ v: 1, type: 'call.arrived', id: 'web-1', t, callId: 'web-1', queue: 'sales', heat: 0.9, value: 1200 },
		{ v: 1, type: 'call.answered', id: 'web-x', t, callId: 'nobody', agentId: 'ghost' }
	]);
	expect(posted.status).toBe(207);
	const answer = (await posted.json()) as { accepted: number; rejected: Array<{ index: number; reason: string }> };
	expect(answer.accepted).toBe(1);
	expect(answer.rejected.map((r) => r.index)).toEqual([1]);

	// unsigned: refused, and nothing of it reaches the board
	const unsigned = await fetch(`${url}/api/events`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ v: 1, type: 'call.arrived', id: 'evil', t, callId: 'evil', queue: 'sales' })
	});
	expect(unsigned.status).toBe(401);

	await expect
		.poll(
			async () => {
				const snap = await snapshot(url);
				return {
					supportAnswered: queue(snap, 'support')?.day.answered,
					salesWaiting: queue(snap, 'sales')?.now.waiting,
					agents: snap.agents.map((a) => `${a.id}:${a.state}`)
				};
			},
			{ timeout: 15_000 }
		)
		.toEqual({ supportAnswered: 1, salesWaiting: 1, agents: [expect.stringMatching(/alice.*:busy$/)] });

	const before = await snapshot(url);
	expect(before.source.kind).toBe('live');
	expect(before.source.name).toBe('pbx-e2e');

	// what came in and what was refused, by reason
	const stats = (await (await fetch(`${url}/api/live`)).json()) as { accepted: number; rejected: Record<string, number> };
	expect(stats.accepted).toBeGreaterThanOrEqual(4);
	expect(Object.values(stats.rejected).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(2);

	// the journal holds the accepted events, one day per file with its header
	const files = readdirSync(join(dir, 'journal'));
	expect(files).toHaveLength(1);
	const lines = readFileSync(join(dir, 'journal', files[0] as string), 'utf8')
		.trim()
		.split('\n');
	expect(JSON.parse(lines[0] as string)).toMatchObject({ format: 'heatboard-journal', v: 1 });
	expect(lines.some((l) => l.includes('"web-1"'))).toBe(true);
	expect(lines.some((l) => l.includes('"ghost"'))).toBe(false);

	// the board shows it, as live (no REPLAY badge)
	await page.goto(`${url}/`);
	await expect(page.getByText('REPLAY')).toHaveCount(0);
	await expect(page.locator('body')).toContainText('sales');

	// a crash: no graceful shutdown; the restarted server rebuilds today's board from the journal
	const port = server.port;
	await server.kill();
	server = await startBoardServer({ port, env: liveEnv() });
	const after = await snapshot(url);
	expect(queue(after, 'support')?.day.answered).toBe(1);
	expect(queue(after, 'sales')?.now.waiting).toBe(1);
	expect(queue(after, 'sales')?.waitingCalls.map((c) => c.callId)).toEqual(queue(before, 'sales')?.waitingCalls.map((c) => c.callId));
	expect(after.agents.map((a) => `${a.id}:${a.state}`)).toEqual(before.agents.map((a) => `${a.id}:${a.state}`));

	// down again, for longer than the engine's 5 s reorder window: meanwhile the answered call ends,
	// and a new caller queues and gives up
	await server.kill();
	const down = Math.floor(Date.now() / 1000);
	appendFileSync(
		join(dir, 'queue_log'),
		[
			`${down}|1700000001.1|support|PJSIP/alice|COMPLETECALLER|0|${down - s}|1`,
			`${down}|1700000002.1|support|NONE|ENTERQUEUE||5559876|1`
		].join('\n') + '\n'
	);
	await new Promise((r) => setTimeout(r, 6_500));
	const gaveUp = Math.floor(Date.now() / 1000);
	appendFileSync(join(dir, 'queue_log'), `${gaveUp}|1700000002.1|support|NONE|ABANDON|1|1|${gaveUp - down}\n`);
	server = await startBoardServer({ port, env: liveEnv() });
	const caught = await snapshot(url);
	expect(queue(caught, 'support')?.day).toMatchObject({ answered: 1, abandoned: 1 });
	expect(queue(caught, 'support')?.now.waiting).toBe(0);
	expect(caught.agents.map((a) => `${a.id}:${a.state}`)).toEqual([expect.stringMatching(/alice.*:available$/)]);
	expect(queue(caught, 'sales')?.now.waiting).toBe(1);
	// caught up at the lines' own times: nothing refused as stale
	const live = (await (await fetch(`${url}/api/live`)).json()) as { rejected: Record<string, number> };
	expect(live.rejected.stale ?? 0).toBe(0);
});

test('a live mode with nothing to listen to refuses to start, saying why', async () => {
	await expect(
		startBoardServer({ env: { HEATBOARD_SOURCE: 'live', HEATBOARD_JOURNAL_DIR: join(dir, 'journal') }, readyTimeoutMs: 10_000 })
	).rejects.toThrow(/HEATBOARD_QUEUE_LOG|HEATBOARD_AMI|HEATBOARD_INGEST_SECRET/);
});

test('live mode and a replay at once is refused, naming both settings', async () => {
	const journal = join(dir, 'day.ndjson');
	writeFileSync(journal, JSON.stringify({ format: 'heatboard-journal', v: 1, source: 'test' }) + '\n');
	await expect(startBoardServer({ env: { ...liveEnv(), HEATBOARD_REPLAY: journal }, readyTimeoutMs: 10_000 })).rejects.toThrow(
		/HEATBOARD_SOURCE=live and HEATBOARD_REPLAY/
	);
});
