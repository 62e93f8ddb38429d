import { expect, test, type Locator, type Page } from '@playwright/test';
import type { Level } from '../../src/lib/protocol';
import { BADGE, readTile, statusLine, tile } from '../support/board-reading';
import { BUSY_MORNING, controlSource, startPausedBoard, type BoardServer } from '../support/board-server';

// BUSY_MORNING paused: 9 on hold, the longest for 373.2 s, a day's abandon rate of 13%, ASA 0:46.
let server: BoardServer;

test.beforeEach(async () => {
	// each test its own paused source: the last one plays it
	({ server } = await startPausedBoard(BUSY_MORNING));
});

test.afterEach(async () => {
	await server?.stop();
});

declare global {
	interface Window {
		/** names of the tiles that started flashing, in order, recorded from the first render */
		__flashed?: string[];
	}
}

/** Records every element that gains the `flashing` class, so a flash of any length is seen. */
async function recordFlashes(page: Page): Promise<void> {
	await page.addInitScript(() => {
		window.__flashed = [];
		// one batch may hold several records for one element (Svelte sets the class, then adds
		// `flashing`): compare each element's state now with the last one seen
		const seen = new WeakMap<Element, boolean>();
		new MutationObserver((records) => {
			for (const el of new Set(records.map((r) => r.target as Element))) {
				const now = el.classList.contains('flashing');
				if (now && seen.get(el) !== true) window.__flashed?.push((el.getAttribute('aria-label') ?? '').split(':')[0] ?? '');
				seen.set(el, now);
			}
		}).observe(document, { subtree: true, attributes: true, attributeFilter: ['class'] });
	});
}

const flashed = (page: Page) => page.evaluate(() => window.__flashed ?? []);

/** A theme colour of the board as the rgb() string computed styles use. */
async function themeColour(page: Page, name: string): Promise<string> {
	return page.locator('.board').evaluate((board, prop) => {
		const probe = document.createElement('div');
		probe.style.color = `var(${prop})`;
		board.appendChild(probe);
		const rgb = getComputedStyle(probe).color;
		probe.remove();
		return rgb;
	}, name);
}

async function expectLevel(page: Page, label: string, level: Level): Promise<Locator> {
	const t = tile(page, label);
	await expect(t).toHaveAccessibleName(new RegExp(`\\(${level}\\)$`));
	await expect(t).toHaveClass(new RegExp(`\\blv-${level}\\b`));
	// the shape and the word, not only a colour
	const badge = t.getByLabel(BADGE[level].word, { exact: true });
	await expect(badge).toHaveText(`${BADGE[level].icon}${BADGE[level].word}`);
	const { lines } = await readTile(page, label);
	for (const other of ['ok', 'warn', 'alarm'] as const) if (other !== level) expect(lines, label).not.toContain(BADGE[other].word);
	return t;
}

test('URL thresholds put tiles in ok, warn and alarm: outline, filled tile, and a shape and word for each', async ({ page }) => {
	await recordFlashes(page);
	// waiting 9: warn from 0; ASA 46 s: alarm from 0; abandon rate 13%: ok below 90%
	await page.goto(`${server.url}/?th.waiting=0,1000&th.asa=0,0&th.abandonRate=90%,95%`);
	await expect(statusLine(page)).toContainText('paused');

	const warn = await expectLevel(page, 'Calls waiting', 'warn');
	const alarm = await expectLevel(page, 'ASA today', 'alarm');
	const ok = await expectLevel(page, 'Abandon rate', 'ok');

	const [warnColour, alarmColour, panel, onAlarm] = await Promise.all(
		['--warn', '--alarm', '--panel', '--on-alarm'].map((v) => themeColour(page, v))
	);
	expect(new Set([warnColour, alarmColour, panel]).size, 'warn, alarm and panel colours differ').toBe(3);
	// warn: an outline in the warn colour on the usual panel
	await expect(warn).toHaveCSS('border-top-color', warnColour as string);
	await expect(warn).toHaveCSS('background-color', panel as string);
	// alarm: the whole tile filled, its text in the colour made for it
	await expect(alarm).toHaveCSS('background-color', alarmColour as string);
	await expect(alarm).toHaveCSS('color', onAlarm as string);
	// ok: no outline at all
	await expect(ok).toHaveCSS('border-top-color', 'rgba(0, 0, 0, 0)');
	await expect(ok).toHaveCSS('background-color', panel as string);

	// the default thresholds still apply where the URL sets none: 6:13 on hold is past 3:00
	await expectLevel(page, 'Longest wait', 'alarm');
	// figures without a threshold have no badge
	await expect(tile(page, 'Revenue today')).toHaveAccessibleName(/^Revenue today: \S+$/);

	// a board that opens in alarm is already red: nothing flashes for it
	expect(await flashed(page)).toEqual([]);
});

test('a high threshold keeps a tile ok, and the queue table marks its cells with the same shapes', async ({ page }) => {
	await page.goto(`${server.url}/?th.waiting=100,200&th.longestWait=1000,2000&th.serviceLevel=50,40`);
	await expect(statusLine(page)).toContainText('paused');
	await expectLevel(page, 'Calls waiting', 'ok');
	await expectLevel(page, 'Longest wait', 'ok');
	await expectLevel(page, 'Service level', 'ok');
	// ASA keeps its default (warn 20 s, alarm 60 s): 46 s is a warning
	await expectLevel(page, 'ASA today', 'warn');

	// the queue table: sales' ASA (1:20) is past the default 60 s, its service level (47%) under the URL's 50%
	const salesRow = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'sales' }) });
	await expect(salesRow).toHaveCount(1);
	const cells = salesRow.getByRole('cell');
	const [longestCell, asaCell, slCell] = [cells.nth(1), cells.nth(2), cells.nth(3)];
	await expect(asaCell.getByLabel('ALARM', { exact: true })).toHaveText(BADGE.alarm.icon);
	await expect(slCell.getByLabel('WARN', { exact: true })).toHaveText(BADGE.warn.icon);
	await expect(longestCell.getByLabel(/^(WARN|ALARM)$/)).toHaveCount(0);
	const [warnColour, alarmColour] = await Promise.all(['--warn', '--alarm'].map((v) => themeColour(page, v)));
	await expect(asaCell).toHaveCSS('background-color', alarmColour as string);
	await expect(slCell).toHaveCSS('color', warnColour as string);
});

test('crossing into alarm flashes the tile once; it stops flashing and stays filled', async ({ page }) => {
	await recordFlashes(page);
	// the longest wait is 373.2 s and only grows once the source plays: ok now, warn at 375, alarm at 376
	await page.goto(`${server.url}/?th.longestWait=375,376`);
	await expect(statusLine(page)).toContainText('paused');
	const longest = await expectLevel(page, 'Longest wait', 'ok');
	await expect(longest).not.toHaveClass(/flashing/);

	await controlSource(server.url, { action: 'play' });
	await expect(statusLine(page)).not.toContainText('paused');
	await expect(longest).toHaveAccessibleName(/\(alarm\)$/, { timeout: 10_000 });
	await expect(longest).toHaveClass(/\bflashing\b/);
	// an animation that runs, not only a class (reduced motion would draw an outline instead)
	expect(await longest.evaluate((el) => getComputedStyle(el).animationName)).toMatch(/flash/);
	await expectLevel(page, 'Longest wait', 'alarm');

	// the flash is a few pulses long, the alarm fill stays
	await expect(longest).not.toHaveClass(/flashing/, { timeout: 6_000 });
	await expectLevel(page, 'Longest wait', 'alarm');
	expect(await flashed(page)).toEqual(['Longest wait']);
});
