import { expect, test, type Page } from '@playwright/test';
import { readTile, statusLine } from '../support/board-reading';
import { fetchSnapshot } from '../support/board-server';

// The kiosk settings of a board's address, against the shared live server (playwright.config.ts).

const formatted = (n: number) => n.toLocaleString('en-US');

async function openLive(page: Page, query: string): Promise<void> {
	await page.goto(`/${query}`);
	await expect(statusLine(page)).toContainText(/● updated [01] s ago/);
}

test('?queues=sales shows the sales queue only: its figures, its calls and its agents', async ({ page, baseURL }) => {
	if (baseURL === undefined) throw new Error('baseURL must be configured');
	await openLive(page, '?queues=sales');
	await expect(page.getByRole('banner')).toContainText('sales');
	await expect(page.getByRole('banner')).not.toContainText(/support|All queues/);
	// one queue: no per-queue table, and the waiting calls need not name their queue
	await expect(page.getByRole('table')).toHaveCount(0);
	const calls = page.getByRole('region', { name: 'Calls waiting, in the order they will be answered' });
	await expect(calls).not.toContainText('support');

	// the tiles are the sales queue's figures, not the whole centre's (the source is live: they agree within a tick)
	await expect
		.poll(async () => {
			const [sales, shown] = await Promise.all([fetchSnapshot(baseURL, ['sales']), readTile(page, 'Answered / abandoned')]);
			return shown.value === `${formatted(sales.totals.day.answered)} / ${formatted(sales.totals.day.abandoned)}`;
		})
		.toBe(true);
	const [sales, all] = await Promise.all([fetchSnapshot(baseURL, ['sales']), fetchSnapshot(baseURL)]);
	expect(sales.queueIds).toEqual(['sales']);
	expect(all.totals.day.answered, 'the day is far enough on for the two scopes to differ').toBeGreaterThan(sales.totals.day.answered);

	// the agents view of the same subscription: agents with the sales skill only
	await openLive(page, '?queues=sales&views=agents');
	const cards = page.getByRole('region', { name: 'Agents', exact: true }).getByRole('article');
	await expect(cards.first()).toBeVisible();
	// a card's first line: a state shape, then the name
	const shownNames = () =>
		cards.evaluateAll((els) => els.map((c) => (c.firstElementChild?.firstElementChild?.textContent ?? '').replace(/^\W+/, '')).sort());
	const salesAgents = async () => (await fetchSnapshot(baseURL, ['sales'])).agents.filter((a) => a.state !== 'offline');
	// live: an agent may log on or off between two reads, so until both reads agree
	await expect
		.poll(async () => {
			const [names, agents] = await Promise.all([shownNames(), salesAgents()]);
			return JSON.stringify(names) === JSON.stringify(agents.map((a) => a.name ?? a.id).sort());
		})
		.toBe(true);
	const names = await shownNames();
	expect(names.length).toBeGreaterThan(0);
	// the support team has no sales skill (multi-skill.yaml): none of them on this board
	expect(names.filter((n) => n.startsWith('support-'))).toEqual([]);
	expect((await salesAgents()).every((a) => a.queues.includes('sales'))).toBe(true);
});

declare global {
	interface Window {
		/** [view tab, performance.now()] each time a view comes up */
		__views?: Array<[string, number]>;
	}
}

test('rotate=5s steps through the views in order, each for five seconds, and wraps around', async ({ page }) => {
	test.setTimeout(45_000);
	// the page's own record of when each view came up: the test's polling would blur the timing
	await page.addInitScript(() => {
		window.__views = [];
		new MutationObserver(() => {
			const on = document.querySelector('nav [aria-current="page"]')?.textContent ?? '';
			const log = window.__views ?? [];
			if (on !== '' && log[log.length - 1]?.[0] !== on) log.push([on, performance.now()]);
		}).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-current'] });
	});
	await openLive(page, '?rotate=5s');
	const current = page.getByRole('navigation', { name: 'views' }).locator('[aria-current="page"]');
	await expect(current).toHaveText('Overview');

	const landmark: Record<string, RegExp | string> = {
		Agents: 'Agents',
		Trends: 'Arrivals today by 15-minute interval and heat',
		Overview: /^Calls waiting: /
	};
	for (const next of ['Agents', 'Trends', 'Overview']) {
		await expect(current).toHaveText(next, { timeout: 8_000 });
		const mark = landmark[next] as RegExp | string;
		await expect(page.getByRole('region', { name: mark, exact: typeof mark === 'string' })).toBeVisible();
		await expect(page.locator('.board')).toHaveAttribute('data-view', next.toLowerCase());
	}
	const log = (await page.evaluate(() => window.__views)) ?? [];
	expect(log.map(([v]) => v)).toEqual(['Overview', 'Agents', 'Trends', 'Overview']);
	for (let i = 2; i < log.length; i++) {
		const gap = (log[i]?.[1] ?? 0) - (log[i - 1]?.[1] ?? 0);
		expect(gap, `${log[i - 1]?.[0]} stayed ${Math.round(gap)} ms`).toBeGreaterThan(4_800);
		expect(gap, `${log[i - 1]?.[0]} stayed ${Math.round(gap)} ms`).toBeLessThan(5_500);
	}
});

test('views= picks the views and their order; without rotate the first stays up, and arrow keys step through them', async ({ page }) => {
	await openLive(page, '?views=trends,agents');
	const nav = page.getByRole('navigation', { name: 'views' });
	await expect(nav.getByText(/./)).toHaveText(['Trends', 'Agents']);
	await expect(nav.locator('[aria-current="page"]')).toHaveText('Trends');
	await expect(page.getByRole('img', { name: 'heat map of arrivals' })).toBeVisible();
	// a remote's arrow keys step through them
	await page.keyboard.press('ArrowRight');
	await expect(nav.locator('[aria-current="page"]')).toHaveText('Agents');
	await expect(page.getByRole('region', { name: 'Agents', exact: true })).toBeVisible();
});

test('theme=light applies the light colours; dark is the default, and a bad theme falls back to it with a warning', async ({ page }) => {
	const look = () =>
		page.locator('.board').evaluate((el) => {
			const s = getComputedStyle(el);
			return { theme: el.getAttribute('data-theme'), background: s.backgroundColor, text: s.color, scheme: s.colorScheme };
		});
	const luminance = (rgb: string) => {
		const [r = 0, g = 0, b = 0] = (rgb.match(/\d+/g) ?? []).map(Number);
		return 0.2126 * r + 0.7152 * g + 0.0722 * b;
	};

	await openLive(page, '?theme=light');
	const light = await look();
	expect(light.theme).toBe('light');
	expect(light.scheme).toBe('light');
	expect(luminance(light.background), `light background ${light.background}`).toBeGreaterThan(200);
	expect(luminance(light.text), `light text ${light.text}`).toBeLessThan(60);

	await openLive(page, '');
	const dark = await look();
	expect(dark.theme).toBe('dark');
	expect(luminance(dark.background), `dark background ${dark.background}`).toBeLessThan(40);
	expect(luminance(dark.text), `dark text ${dark.text}`).toBeGreaterThan(200);

	const warnings: string[] = [];
	page.on('console', (m) => {
		if (m.type() === 'warning') warnings.push(m.text());
	});
	await openLive(page, '?theme=purple');
	expect(await look()).toEqual(dark);
	expect(warnings.some((w) => w.includes('theme') && w.includes('purple'))).toBe(true);
});
