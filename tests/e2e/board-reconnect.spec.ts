import { expect, test } from '@playwright/test';
import { statusLine } from '../support/board-reading';
import { startBoardServer, type BoardServer } from '../support/board-server';

declare global {
	interface Window {
		__sameBoard?: string;
	}
}

const SOURCE_CLOCK = /source clock (\d\d:\d\d:\d\d)/;

let servers: BoardServer[] = [];

test.afterEach(async () => {
	await Promise.all(servers.map((s) => s.stop()));
	servers = [];
});

test('a board whose server is killed says so, stops its clocks, and recovers on its own when the server is back', async ({ page }) => {
	test.setTimeout(60_000);
	const env = { HEATBOARD_SEED: '19', HEATBOARD_WARM_START: '10:15' };
	const first = await startBoardServer({ env });
	servers.push(first);

	let loads = 0;
	page.on('load', () => loads++);
	// stale=2s: the clocks stop two seconds after the last update instead of five
	await page.goto(`${first.url}/?stale=2s`);
	const status = statusLine(page);
	const alert = page.getByRole('alert');
	await expect(status).toContainText(/● updated [01] s ago/);
	await expect(alert).toHaveCount(0);
	const marker = `board-${Date.now()}`;
	await page.evaluate((m) => (window.__sameBoard = m), marker);
	const waitingBefore = await page.getByRole('region', { name: /^Calls waiting: / }).getAttribute('aria-label');

	await first.kill();

	// what a supervisor sees: a red status, a banner over dimmed figures, and the age of the figures
	await expect(status).toContainText(/reconnecting….* · updated \d+ s ago/);
	await expect(status).toHaveClass(/st-reconnecting/);
	await expect(alert).toContainText(/RECONNECTING… .*— figures below may be out of date/);
	await expect(page.getByRole('main')).toHaveCSS('opacity', '0.45');
	// the last figures stay up (dimmed), not a spinner
	await expect(page.getByRole('region', { name: /^Calls waiting: / })).toBeVisible();
	expect(waitingBefore).toMatch(/^Calls waiting: \d+/);
	// the age keeps counting while it is down
	await expect(status).toContainText(/updated [2-9] s ago/, { timeout: 10_000 });
	// and past stale=2s the source clock no longer runs on: it does not pretend to know the time there
	const downText = await status.innerText();
	const frozen = SOURCE_CLOCK.exec(downText)?.[1];
	const age = Number(/updated (\d+) s ago/.exec(downText)?.[1]);
	expect(frozen).toBeDefined();
	// the board's clock ticks once more (the age goes up by one), and the source clock still has not moved
	await expect(status).toContainText(`updated ${age + 1} s ago`);
	expect(SOURCE_CLOCK.exec(await status.innerText())?.[1]).toBe(frozen);

	const second = await startBoardServer({ env, port: first.port });
	servers.push(second);

	// attempts come 0.5-1.5, 1-3, 2-6, 4-12 s apart: the fourth may be ~18 s after the restart
	await expect(alert).toHaveCount(0, { timeout: 25_000 });
	await expect(status).toContainText(/● updated [01] s ago/);
	await expect(status).toHaveClass(/st-live/);
	await expect(page.getByRole('main')).toHaveCSS('opacity', '1');
	// figures flow again: the source clock moves on from one second to the next
	const resumed = SOURCE_CLOCK.exec(await status.innerText())?.[1];
	await expect.poll(async () => SOURCE_CLOCK.exec(await status.innerText())?.[1], { timeout: 5_000 }).not.toBe(resumed);
	await expect(status).toContainText(/● updated [01] s ago/);

	// the same page all along: no reload, no navigation
	expect(await page.evaluate(() => window.__sameBoard)).toBe(marker);
	expect(loads).toBe(1);
});
