import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { dayEvents, journalHeader, parseAnonymousBankFile } from '../../simulator/import/anonymous-bank';
import { writeJournal } from '../../simulator/import/journal';
import { liveJournal } from '../../src/lib/server/replay/test-journals';
import { fitProblems, readTile, statusLine } from '../support/board-reading';
import { startBoardServer, type BoardServer } from '../support/board-server';

/**
 * A trainer replays a real 1999 day of the bank on the board: the server replays a journal made
 * here from the fixture with the importer, and the test drives the replay bar like a person would
 * (buttons, slider, keys), reading the board's own figures.
 */

const FIXTURE = fileURLToPath(new URL('../fixtures/anonymous-bank/990505.txt', import.meta.url));
const H = 3_600_000;
const M = 60_000;

/** H:MM:SS -> ms after midnight */
function clockMs(s: string | undefined): number {
	const m = /^(\d{1,2}):(\d\d):(\d\d)$/.exec(s ?? '');
	if (m === null) return Number.NaN;
	return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000;
}

/**
 * When each call of the day reached the agents' queues, read straight from the TSV: PHANTOM records
 * and callers who hung up in the VRU never did; a queued call arrives at q_start, one that went
 * straight from the VRU to an agent at ser_start (at vru_exit when the record has no service clock).
 */
function arrivalsFromTsv(date: string): number[] {
	const out: number[] = [];
	for (const line of readFileSync(FIXTURE, 'latin1').split('\n').slice(1)) {
		const f = line.replace(/\r$/, '').split('\t');
		if (f.length !== 17 || f[5] !== date) continue;
		const [, , , , , , , vruExit, , qStart, , , outcome, serStart] = f;
		if (outcome === 'PHANTOM' || (outcome === 'HANG' && qStart === '0:00:00')) continue;
		if (qStart !== '0:00:00') out.push(clockMs(qStart));
		else out.push(serStart !== '0:00:00' ? clockMs(serStart) : clockMs(vruExit));
	}
	return out;
}

let dir: string;
let server: BoardServer;
let arrivals: number[];
const offeredBefore = (t: number) => arrivals.filter((a) => a < t).length;

test.beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'hb-e2e-replay-'));
	const parsed = await parseAnonymousBankFile(FIXTURE);
	const events = dayEvents(parsed.days.get('990505') ?? []);
	const journal = join(dir, 'bank-990505.ndjson');
	await writeJournal(journal, journalHeader('990505', events, '990505.txt'), events);
	arrivals = arrivalsFromTsv('990505');
	expect(arrivals.length).toBeGreaterThan(400);
	server = await startBoardServer({ env: { HEATBOARD_REPLAY: journal, HEATBOARD_REPLAY_PAUSED: '1', HEATBOARD_SPEED: '1' } });
});

test.afterAll(async () => {
	await server?.stop();
	rmSync(dir, { recursive: true, force: true });
});

const bar = (page: Page) => page.getByRole('toolbar', { name: 'Replay controls' });
const replayTime = (page: Page) => bar(page).getByLabel('Replay time');

async function shownTime(page: Page): Promise<number> {
	return clockMs((await replayTime(page).innerText()).trim());
}

/** The calls offered today, from the small print of the "Answered / abandoned" tile ("today · 1,234 offered"). */
async function shownOffered(page: Page): Promise<number> {
	const sub = (await readTile(page, 'Answered / abandoned')).sub;
	const m = /today · ([\d,]+) offered/.exec(sub);
	if (m === null) throw new Error(`no offered count in ${JSON.stringify(sub)}`);
	return Number((m[1] ?? '').replace(/,/g, ''));
}

test('a trainer replays a recorded day: play at 60×, pause, seek to 14:00 and back, change speed', async ({ page }) => {
	test.setTimeout(90_000);
	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.goto(server.url);

	// never mistaken for live: the badge, and the bar with the day's ends
	await expect(page.locator('.badge.replay')).toContainText('REPLAY');
	await expect(bar(page)).toBeVisible();
	await expect(bar(page).getByLabel('Day starts')).toHaveText('07:01');
	await expect(bar(page).getByLabel('Day ends')).toHaveText('24:01');
	await expect(statusLine(page)).toContainText('paused');
	await expect(bar(page).getByRole('button', { name: 'Play' })).toBeVisible();
	const start = await shownTime(page);
	expect(start).toBe(7 * H + M + 51_000);
	expect(await shownOffered(page)).toBe(0);

	// the bar sits under the tiles, never over them, and the board still fits the screen
	const barBox = await bar(page).boundingBox();
	for (const label of ['Calls waiting', 'Agents', 'At risk now', 'At risk next hour']) {
		const box = await page.getByRole('region', { name: new RegExp(`^${label}:`) }).boundingBox();
		expect(box && barBox && box.y + box.height <= barBox.y, `${label} is above the bar`).toBe(true);
	}
	expect((await fitProblems(page)).page).toEqual([]);
	expect((await fitProblems(page)).tiles).toEqual([]);

	// 60×: a minute of the day per second
	await bar(page).getByRole('button', { name: '60×' }).click();
	await expect(bar(page).getByRole('button', { name: '60×' })).toHaveAttribute('aria-pressed', 'true');
	await expect(page.locator('.badge.replay')).toContainText('60×');
	await bar(page).getByRole('button', { name: 'Play' }).click();
	await expect(bar(page).getByRole('button', { name: 'Pause' })).toBeVisible();
	await expect.poll(() => shownTime(page), { timeout: 15_000 }).toBeGreaterThan(start + 3 * M);
	await expect.poll(() => shownOffered(page), { timeout: 15_000 }).toBeGreaterThan(0);

	await bar(page).getByRole('button', { name: 'Pause' }).click();
	await expect(statusLine(page)).toContainText('paused');
	const pausedAt = await shownTime(page);
	await page.waitForTimeout(1500);
	expect(await shownTime(page)).toBe(pausedAt);
	// the clock shows whole seconds of a time somewhere in the second after pausedAt
	const offered = await shownOffered(page);
	expect(offered).toBeGreaterThanOrEqual(offeredBefore(pausedAt));
	expect(offered).toBeLessThanOrEqual(offeredBefore(pausedAt + 1000));

	// seek to 14:00 with the slider: the board shows the day exactly as it stood then
	await bar(page)
		.getByRole('slider', { name: 'Seek' })
		.fill(String(14 * H));
	await expect(replayTime(page)).toHaveText('14:00:00');
	await expect(bar(page).getByText('seeking to')).toHaveCount(0);
	await expect.poll(() => shownOffered(page)).toBe(offeredBefore(14 * H));
	expect(offeredBefore(14 * H)).toBeGreaterThan(200);

	// speed with the keys: - steps down from 60× to 30×, + back up
	await page.keyboard.press('-');
	await expect(bar(page).getByRole('button', { name: '30×' })).toHaveAttribute('aria-pressed', 'true');
	await expect(page.locator('.badge.replay')).toContainText('30×');
	await page.keyboard.press('+');
	await expect(bar(page).getByRole('button', { name: '60×' })).toHaveAttribute('aria-pressed', 'true');
	await bar(page).getByRole('button', { name: '5×' }).click();
	await expect(bar(page).getByRole('button', { name: '5×' })).toHaveAttribute('aria-pressed', 'true');

	// backwards: ← is five minutes back, and the slider goes anywhere earlier
	await page.keyboard.press('ArrowLeft');
	await expect(replayTime(page)).toHaveText('13:55:00');
	await expect.poll(() => shownOffered(page)).toBe(offeredBefore(13 * H + 55 * M));
	await bar(page)
		.getByRole('slider', { name: 'Seek' })
		.fill(String(9 * H + 30 * M));
	await expect(replayTime(page)).toHaveText('09:30:00');
	await expect.poll(() => shownOffered(page)).toBe(offeredBefore(9 * H + 30 * M));

	// Space plays on from there at 5×
	await page.keyboard.press(' ');
	await expect(bar(page).getByRole('button', { name: 'Pause' })).toBeVisible();
	await expect.poll(() => shownTime(page), { timeout: 10_000 }).toBeGreaterThan(9 * H + 30 * M + 4_000);
	await expect(page.locator('.badge.replay')).toContainText('REPLAY 5×');

	// on a 4K TV too, the bar leaves the board whole
	await page.setViewportSize({ width: 3840, height: 2160 });
	await expect(bar(page)).toBeVisible();
	const problems = await fitProblems(page);
	expect(problems.page).toEqual([]);
	expect(problems.tiles).toEqual([]);
});

test('a live journal (epoch times, UTC+5:30) replays on its local clock from HEATBOARD_REPLAY_FROM', async ({ page }) => {
	const live = liveJournal(330, []);
	const own = await startBoardServer({
		env: { HEATBOARD_REPLAY: live.path, HEATBOARD_REPLAY_FROM: '08:45', HEATBOARD_REPLAY_PAUSED: '1', HEATBOARD_SPEED: '1' }
	});
	try {
		await page.goto(own.url);
		await expect(page.locator('.badge.replay')).toContainText('REPLAY');
		await expect(replayTime(page)).toHaveText('08:45:00');
		await expect(bar(page).getByLabel('Day starts')).toHaveText('08:29');
		await expect(statusLine(page)).toContainText('source clock 08:45:00');
		await bar(page)
			.getByRole('slider', { name: 'Seek' })
			.fill(String(8 * H + 50 * M));
		await expect(replayTime(page)).toHaveText('08:50:00');
		await expect(statusLine(page)).toContainText('source clock 08:50:00');
	} finally {
		await own.stop();
		rmSync(dirname(live.path), { recursive: true, force: true });
	}
});
