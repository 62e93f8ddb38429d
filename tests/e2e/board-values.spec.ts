import { expect, test, type Page } from '@playwright/test';
import type { BoardSnapshot, QueueBoard, SeriesColumns } from '../../src/lib/protocol';
import {
	clockOf,
	expectShown,
	readTile,
	shownCount,
	shownDuration,
	shownMoney,
	shownPercent,
	statusLine,
	tile,
	type Shown
} from '../support/board-reading';
import { BUSY_MORNING, fetchSnapshot, startPausedBoard, type BoardServer } from '../support/board-server';

// The simulator is paused at its warm start before anything reads it, so the board and
// /api/snapshot are read from one unmoving engine: equal figures, not "close in time" ones.
let server: BoardServer;
let first: BoardSnapshot;

test.beforeAll(async () => {
	({ server, snapshot: first } = await startPausedBoard(BUSY_MORNING));
});

test.afterAll(async () => {
	await server?.stop();
});

async function openPaused(page: Page, query = ''): Promise<BoardSnapshot> {
	await page.goto(`${server.url}/${query}`);
	await expect(statusLine(page)).toContainText('paused · updated');
	const snap = await fetchSnapshot(server.url);
	expect(snap.source.paused).toBe(true);
	expect(snap.t, 'the source moved while paused').toBe(first.t);
	return snap;
}

/** The figures of a snapshot without what changes with every message. */
function figuresOf(s: BoardSnapshot): unknown {
	return { t: s.t, totals: s.totals, queues: s.queues, agents: s.agents, series: s.series, heatmap: s.heatmap };
}

const STATE_OF_SHORT: Record<string, 'available' | 'busy' | 'wrap-up' | 'away'> = {
	Avail: 'available',
	'On call': 'busy',
	Wrap: 'wrap-up',
	Away: 'away'
};

test('the fixed seed opens on the known morning: both queues have callers in line', () => {
	// guards the tests below against comparing empty boards
	expect(first.t).toBe(10 * 3_600_000);
	expect(first.queueIds).toEqual(['sales', 'support']);
	for (const q of first.queues) expect(q.waitingCalls.length, q.id).toBeGreaterThan(0);
	expect(first.totals.now.waiting + first.totals.now.callbacksWaiting).toBeGreaterThan(7);
});

test('the overview tiles show the engine figures of /api/snapshot', async ({ page }) => {
	const snap = await openPaused(page);
	const { day, now } = snap.totals;

	await expect(statusLine(page)).toContainText(`source clock ${clockOf(snap.t)}`);

	const waiting = await readTile(page, 'Calls waiting');
	expectShown('calls waiting', shownCount(waiting.value), now.waiting);
	expect(waiting.lines).toContain(waiting.value);
	expect(waiting.sub).toBe(
		now.callbacksWaiting > 0 ? `+ ${now.callbacksWaiting} callback${now.callbacksWaiting === 1 ? '' : 's'}` : 'on hold now'
	);

	// paused: the waits do not run on between updates, the board shows the engine's exactly
	const longest = await readTile(page, 'Longest wait');
	expectShown('longest wait', shownDuration(longest.value), now.longestWaitSeconds);

	const handled = await readTile(page, 'Answered / abandoned');
	const [answered, abandoned] = handled.value.split(' / ');
	expectShown('answered today', shownCount(answered ?? ''), day.answered);
	expectShown('abandoned today', shownCount(abandoned ?? ''), day.abandoned);
	expect(handled.sub).toBe(`today · ${day.offered.toLocaleString('en-US')} offered`);

	const sl = await readTile(page, 'Service level');
	expectShown('service level today', shownPercent(sl.value, false), day.slOffered);
	const goal = snap.queues[0]?.serviceLevel;
	expect(sl.sub).toMatch(new RegExp(`^target ${Math.round((goal?.target ?? 0) * 100)}/${goal?.seconds} s · 15 min \\d+%$`));
	expectShown('service level, last 15 min', shownPercent(/15 min (\d+%)$/.exec(sl.sub)?.[1] ?? '', false), snap.totals.last15.slOffered);

	expectShown('ASA today', shownDuration((await readTile(page, 'ASA today')).value), day.asa);
	expectShown('abandon rate today', shownPercent((await readTile(page, 'Abandon rate')).value), day.abandonRate);

	const revenue = await readTile(page, 'Revenue today');
	expectShown('revenue today', shownMoney(revenue.value), day.revenue);
	const conv = /^(\S+) conversions · (\S+)$/.exec(revenue.sub);
	expect(conv, revenue.sub).not.toBeNull();
	expectShown('conversions today', shownCount(conv?.[1] ?? ''), day.conversions);
	expectShown('conversion rate today', shownPercent(conv?.[2] ?? ''), day.conversionRate);

	const risk = await readTile(page, 'At risk now');
	expectShown('revenue at risk now', shownMoney(risk.value), now.revenueAtRisk);
	expectShown('revenue lost today', shownMoney(risk.sub.replace(/^lost today /, '')), day.revenueLost);
	expectShown(
		'projected at risk next hour',
		shownMoney((await readTile(page, 'At risk next hour')).value),
		now.projectedRevenueAtRiskNextHour
	);

	// agents by state: one list item per state, "<shape><count> <word>"
	const agentsTile = tile(page, 'Agents');
	const items = await agentsTile.getByRole('listitem').allInnerTexts();
	const shownStates: Record<string, number> = {};
	for (const text of items) {
		const m = /(\d+)\s*\n\s*(.+)$/.exec(text.trim());
		expect(m, `agent state item ${JSON.stringify(text)}`).not.toBeNull();
		const state = STATE_OF_SHORT[m?.[2] ?? ''];
		expect(state, `unknown agent state word in ${JSON.stringify(text)}`).toBeDefined();
		if (state !== undefined) shownStates[state] = Number(m?.[1]);
	}
	expect(shownStates).toEqual({
		available: now.agents.available,
		busy: now.agents.busy,
		'wrap-up': now.agents['wrap-up'],
		away: now.agents.away
	});
	expect((await readTile(page, 'Agents')).sub).toBe(`${now.agents.offline} offline`);

	await expectQueueTable(page, snap.queues);
	await expectWaitingCalls(page, snap.queues, 7);

	// read a second time at the end: nothing moved while the board was being read
	expect(figuresOf(await fetchSnapshot(server.url))).toEqual(figuresOf(snap));
});

test('the agents view shows every logged-in agent with its state, time in state and call', async ({ page }) => {
	const snap = await openPaused(page, '?views=agents');
	const grid = page.getByRole('region', { name: 'Agents', exact: true });
	const cards = grid.getByRole('article');
	const loggedIn = snap.agents.filter((a) => a.state !== 'offline');
	await expect(cards).toHaveCount(loggedIn.length);
	expect(loggedIn.length).toBeGreaterThan(0);

	const WORD = { available: 'Available', busy: 'On call', 'wrap-up': 'Wrap-up', away: 'Away' } as const;
	// by name, digits as numbers ("agent 2" before "agent 10"), so people keep their place on the wall
	const byName = [...loggedIn].sort((a, b) => (a.name ?? a.id).localeCompare(b.name ?? b.id, 'en', { numeric: true, sensitivity: 'base' }));
	// a card: name; state word and time in it; the call's heat and wait when on one
	const shown = await cards.evaluateAll((els) =>
		els.map((card) => {
			const [name, state, call] = Array.from(card.firstElementChild?.children ?? []);
			const text = (el: Element | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
			return {
				name: text(name),
				state: Array.from(state?.children ?? []).map(text),
				call: call === undefined ? null : Array.from(call.children).map(text)
			};
		})
	);
	expect(shown.map((c) => c.name.replace(/^\W+/, ''))).toEqual(byName.map((a) => a.name ?? a.id));
	byName.forEach((a, i) => {
		const card = shown[i];
		const who = a.name ?? a.id;
		if (card === undefined) throw new Error(`no card for ${who}`);
		const state = a.state as Exclude<typeof a.state, 'offline'>;
		expect(card.state[0], who).toBe(a.state === 'away' && a.reason ? a.reason : WORD[state]);
		expectShown(`${who} time in state`, shownDuration(card.state[1] ?? ''), (snap.t - a.sinceMs) / 1000);
		if (a.call === undefined) expect(card.call, `${who} has no call`).toBeNull();
		else {
			expect(card.call?.[0], who).toContain(a.call.tier.toUpperCase());
			expectShown(`${who} call waited`, shownDuration((card.call?.[1] ?? '').replace(/^waited /, '')), a.call.waitSeconds);
		}
	});
	// the same tally as the overview's Agents tile
	for (const state of ['available', 'busy', 'wrap-up', 'away'] as const)
		expect(byName.filter((a) => a.state === state).length, state).toBe(snap.totals.now.agents[state]);

	// the view's side panel: the same line of calls, two more rows of it
	await expectWaitingCalls(page, snap.queues, 9);
});

test('the trends view titles its charts with the last trend points, and maps today’s arrivals', async ({ page }) => {
	const snap = await openPaused(page, '?views=trends');
	const all = snap.series.all as SeriesColumns;
	expect(all.t.length).toBeGreaterThan(0);
	const last = <T>(col: readonly T[]): T | undefined => [...col].reverse().find((v) => v !== null);

	const title = async (prefix: string) => {
		const text = await page.getByRole('heading', { level: 2, name: new RegExp(`^${prefix} `) }).innerText();
		return text.slice(prefix.length).trim();
	};
	expectShown('trend: calls waiting', shownCount(await title('Calls waiting')), last(all.waiting));
	expectShown('trend: service level', shownPercent(await title('Service level, last 15 min'), false), last(all.slOffered));
	expectShown('trend: revenue at risk', shownMoney(await title('Revenue at risk')), last(all.revenueAtRisk));

	const heat = page.getByRole('img', { name: 'heat map of arrivals' });
	const { counts, tiers } = snap.heatmap;
	await expect(heat.locator('rect')).toHaveCount(counts.length * tiers.length);
	const labels = await heat.locator('text').allTextContents();
	for (const tier of tiers)
		expect(
			labels.some((l) => l.endsWith(tier.toUpperCase())),
			`tier ${tier} labelled`
		).toBe(true);
});

interface TableRow {
	queue: string;
	cells: Record<string, string>;
	today: string;
}

async function expectQueueTable(page: Page, queues: readonly QueueBoard[]): Promise<void> {
	const rows = await page.getByRole('table').evaluate((table: HTMLTableElement): TableRow[] => {
		const heads = Array.from(table.tHead?.rows[0]?.cells ?? []).map((c) => c.innerText.trim());
		const out: TableRow[] = [];
		for (const tr of Array.from(table.tBodies[0]?.rows ?? [])) {
			const header = tr.querySelector('th[scope="row"]');
			if (header !== null) {
				const cells: Record<string, string> = {};
				Array.from(tr.cells).forEach((c, i) => (cells[heads[i] ?? String(i)] = c.innerText.trim()));
				out.push({ queue: header.textContent?.trim() ?? '', cells, today: '' });
			} else {
				const prev = out[out.length - 1];
				if (prev) prev.today = tr.innerText.trim();
			}
		}
		return out;
	});
	expect(rows.map((r) => r.queue)).toEqual(queues.map((q) => q.id));
	const figure = (text: string | undefined) => (text ?? '').replace(/^[●◆▲]\s*/, '');
	for (const [i, q] of queues.entries()) {
		const r = rows[i] as TableRow;
		const c = r.cells;
		expectShown(`${q.id} waiting`, shownCount(figure(c.Waiting)), q.now.waiting);
		if (q.now.waiting > 0) expectShown(`${q.id} longest`, shownDuration(figure(c.Longest)), q.now.longestWaitSeconds);
		expectShown(`${q.id} ASA`, shownDuration(figure(c.ASA)), q.day.asa);
		expectShown(`${q.id} SL`, shownPercent(figure(c.SL), false), q.day.slOffered);
		expectShown(`${q.id} abandon rate`, shownPercent(figure(c['Aband.'])), q.day.abandonRate);
		const staffed = q.now.agents.available + q.now.agents.busy + q.now.agents['wrap-up'];
		expect(c['Free/on'], `${q.id} free / staffed`).toBe(`${q.now.agents.available} / ${staffed}`);
		expectShown(`${q.id} at risk`, shownMoney(figure(c['At risk'])), q.now.revenueAtRisk);
		expectShown(`${q.id} next hour`, shownMoney(figure(c['Next h'])), q.now.projectedRevenueAtRiskNextHour);

		const m = /^today: (\S+) answered · (\S+) abandoned · (\S+)\s+conversions · (\S+) revenue · (\S+) lost$/.exec(r.today);
		expect(m, `${q.id} today line: ${r.today}`).not.toBeNull();
		expectShown(`${q.id} answered today`, shownCount(m?.[1] ?? ''), q.day.answered);
		expectShown(`${q.id} abandoned today`, shownCount(m?.[2] ?? ''), q.day.abandoned);
		expectShown(`${q.id} conversions today`, shownCount(m?.[3] ?? ''), q.day.conversions);
		expectShown(`${q.id} revenue today`, shownMoney(m?.[4] ?? ''), q.day.revenue);
		expectShown(`${q.id} revenue lost today`, shownMoney(m?.[5] ?? ''), q.day.revenueLost);
	}
}

interface WaitingRow {
	position: string;
	chip: string;
	caller: string;
	wait: string;
	loss: string;
	meta: string;
}

/** "$5.61/min" to the cent below $10 a minute, else money to three figures */
function shownRate(text: string): Shown {
	const body = text.replace(/\/min$/, '');
	const cents = /^\$(\d+\.\d\d)$/.exec(body);
	if (cents) return { low: Number(cents[1]) - 0.005, high: Number(cents[1]) + 0.005 };
	return shownMoney(body);
}

async function expectWaitingCalls(page: Page, queues: readonly QueueBoard[], maxRows: number): Promise<void> {
	const panel = page.getByRole('region', { name: 'Calls waiting, in the order they will be answered' });
	const rows: WaitingRow[] = (
		await panel
			.getByRole('listitem')
			.evaluateAll((lis) => lis.map((li) => Array.from(li.children).map((c) => (c.textContent ?? '').replace(/\s+/g, ' ').trim())))
	).map(([position = '', chip = '', caller = '', wait = '', loss = '', meta = '']) => ({ position, chip, caller, wait, loss, meta }));

	const inLine = queues.reduce((n, q) => n + q.waitingCalls.length, 0);
	expect(rows.length).toBe(Math.min(maxRows, inLine));

	// rows come queue by queue in the board's queue order, each queue's calls in the router's order
	const meta = rows.map((r) => /^(↩ )?(?:(\S+) · )?value (\S+)$/.exec(r.meta));
	const queueOf = meta.map((m) => m?.[2] ?? (queues.length === 1 ? queues[0]?.id : undefined));
	const taken = queues.map((q) => queueOf.filter((id) => id === q.id).length);
	expect(
		taken.reduce((a, b) => a + b, 0),
		'every row names a queue of the board'
	).toBe(rows.length);
	let k = 0;
	queues.forEach((q, qi) => {
		for (let pos = 1; pos <= (taken[qi] ?? 0); pos++, k++) {
			const row = rows[k] as WaitingRow;
			const call = q.waitingCalls[pos - 1];
			const what = `${q.id} #${pos}`;
			expect(queueOf[k], `${what}: rows of one queue together, in queue order`).toBe(q.id);
			if (call === undefined) throw new Error(`${what}: the board shows more calls than the engine has in line`);
			expect(row.position, what).toBe(String(pos));
			expect(row.chip, what).toContain(call.tier.toUpperCase());
			expect(Boolean(meta[k]?.[1]), `${what} callback mark`).toBe(call.status === 'callback');
			expectShown(`${what} value`, shownMoney(meta[k]?.[3] ?? ''), call.value);
			expectShown(`${what} wait`, shownDuration(row.wait), call.waitSeconds);
			expectShown(`${what} loss per minute`, shownRate(row.loss), call.lossPerMinute);
			if (call.caller === undefined) expect(row.caller, what).toBe('—');
			else expect(row.caller, what).toMatch(new RegExp(`^•+${call.caller.replace(/\D/g, '').slice(-2)}$`));
		}
	});
	// the rows are shared out in turns: no queue is cut while another shows two calls more
	queues.forEach((a, ai) =>
		queues.forEach((_b, bi) => {
			if ((taken[ai] ?? 0) < a.waitingCalls.length) expect(taken[bi] ?? 0, `${a.id} cut short`).toBeLessThanOrEqual((taken[ai] ?? 0) + 1);
		})
	);
	const onHold = queues.reduce((n, q) => n + q.now.waiting + q.now.callbacksWaiting, 0);
	const more = panel.getByText(/^\+ \d+ more waiting$/);
	if (onHold > rows.length) await expect(more).toHaveText(`+ ${onHold - rows.length} more waiting`);
	else await expect(more).toHaveCount(0);
}
