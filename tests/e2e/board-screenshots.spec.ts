import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { fitProblems, statusLine } from '../support/board-reading';
import { RUSH_HOUR, startPausedBoard, type BoardServer } from '../support/board-server';

// Every view in both themes on a 1080p and a 4K TV, from the fullest paused board of the early
// seeds (the same picture on every run), each checked for anything that scrolls or is cut off.
// The pictures go to test-results/screenshots/ for a person to look at.

const SCREENS = [
	{ width: 1920, height: 1080 },
	{ width: 3840, height: 2160 }
] as const;
const VIEWS = ['overview', 'agents', 'trends'] as const;
const THEMES = ['dark', 'light'] as const;

let server: BoardServer;

test.beforeAll(async () => {
	({ server } = await startPausedBoard(RUSH_HOUR));
});

test.afterAll(async () => {
	await server?.stop();
});

/** Until the view has drawn what it draws: figures, charts, cards. */
async function viewDrawn(page: Page, view: (typeof VIEWS)[number]): Promise<void> {
	await expect(statusLine(page)).toContainText('paused · updated');
	if (view === 'overview') {
		await expect(page.getByRole('region', { name: /^Calls waiting: / })).toBeVisible();
		await expect(page.locator('canvas')).toHaveCount(1);
		await expect(page.getByRole('table')).toBeVisible();
	} else if (view === 'agents') {
		await expect(page.getByRole('region', { name: 'Agents', exact: true }).getByRole('article').first()).toBeVisible();
	} else {
		await expect(page.locator('canvas')).toHaveCount(3);
		await expect(page.getByRole('img', { name: 'heat map of arrivals' }).locator('rect').first()).toBeVisible();
	}
	await page.evaluate(async () => {
		await document.fonts.ready;
		// the grids fit themselves to their measured size: let that second layout land
		await new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));
	});
}

for (const screen of SCREENS) {
	for (const view of VIEWS) {
		for (const theme of THEMES) {
			const name = `${view}-${theme}-${screen.width}x${screen.height}`;
			test(`${name}: fits the screen, nothing scrolls, no figure cut off`, async ({ page }, testInfo) => {
				await page.setViewportSize(screen);
				await page.goto(`${server.url}/?views=${view}&theme=${theme}`);
				await viewDrawn(page, view);
				await expect(page.locator('.board')).toHaveAttribute('data-theme', theme);

				const problems = await fitProblems(page);
				const file = path.join(testInfo.project.outputDir, 'screenshots', name);
				await page.screenshot({ path: `${file}.png`, animations: 'disabled' });
				// beside the picture, what the check found, including text cut outside the tiles (not a failure here)
				await writeFile(`${file}.fit.json`, JSON.stringify(problems, null, '\t'));
				if (problems.elsewhere.length > 0)
					testInfo.annotations.push({ type: 'text cut outside tiles', description: problems.elsewhere.join('\n') });

				expect(problems.page, 'the page or the board scrolls').toEqual([]);
				expect(problems.tiles, 'figures or words cut off inside tiles').toEqual([]);
			});
		}
	}
}
