import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { startBoardServer, type BoardServer } from '../support/board-server';

/**
 * The what-if studio against the real server (playwright.config.ts's webServer): the tiny fixture
 * day (two hours, eight agents) keeps each run to a fraction of a second, so the whole manager's
 * path fits in one test: upload, edit, break and fix the YAML, compare, sweep, export, share.
 */

const TINY = fileURLToPath(new URL('../fixtures/scenarios/tiny.yaml', import.meta.url));

const yamlEditor = (page: Page) => page.getByLabel('Scenario YAML');
const compare = (page: Page) => page.getByRole('region', { name: 'Compare' });
const sweep = (page: Page) => page.getByRole('region', { name: 'Staffing sweep' });
const runButton = (page: Page) => compare(page).getByRole('button', { name: /^▶ Run / });
const editorStatus = (page: Page) => page.locator('.yaml-editor .status');

async function openStudio(page: Page, path = '/what-if'): Promise<void> {
	await page.goto(path);
	await expect(page.getByRole('status').filter({ hasText: 'connected' }).first()).toBeVisible();
	await expect(yamlEditor(page)).toBeVisible();
}

/** The comparison as a person reads it: the table's text, row by row. */
async function comparisonText(table: Locator): Promise<string[]> {
	return table.locator('tbody tr').allInnerTexts();
}

test('a manager compares two staffings, sweeps, exports and shares the study', async ({ page, context, baseURL }) => {
	test.setTimeout(90_000);
	await page.setViewportSize({ width: 1366, height: 768 });
	await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
	await openStudio(page);

	// a fresh study starts from the shipped reference day
	await expect(yamlEditor(page)).toHaveValue(/name: single queue/);
	await expect(page.getByLabel('Shipped scenario')).toHaveValue('reference.yaml');
	await expect(editorStatus(page)).toContainText('✓ valid');

	// the tiny day, uploaded from disk
	await page.getByLabel(/Upload a scenario file/).setInputFiles(TINY);
	await expect(yamlEditor(page)).toHaveValue(/name: tiny <sales & support>/);
	await expect(page.getByRole('group', { name: /Scenario/ }).first()).toContainText('uploaded: tiny.yaml');
	await expect(editorStatus(page)).toContainText('✓ valid · tiny <sales & support>');
	await page.getByLabel('Replications').fill('3');

	// a mistake in the YAML: shown at its line, and running is off with the reason
	const good = await yamlEditor(page).inputValue();
	await yamlEditor(page).fill(good.replace('horizon: 2h', 'horizon: banana'));
	const callout = page.locator('[data-problem-line="5"]');
	await expect(callout).toBeVisible();
	await expect(callout).toContainText(/horizon|duration/i);
	await expect(page.locator('.ln.bad[data-line="5"]')).toContainText('▲');
	await expect(page.getByRole('button', { name: /line 5/ })).toBeVisible();
	await expect(yamlEditor(page)).toHaveAttribute('aria-invalid', 'true');
	await expect(runButton(page)).toBeDisabled();
	await expect(compare(page)).toContainText(/Cannot run: “base”: the scenario has a problem to fix/);
	// fixed again
	await yamlEditor(page).fill(good);
	await expect(callout).toHaveCount(0);
	await expect(editorStatus(page)).toContainText('✓ valid');
	await expect(runButton(page)).toBeEnabled();

	// a second variant with two more agents, named after its lever
	await page.getByRole('button', { name: '+ Add variant' }).click();
	await expect(page.getByRole('button', { name: 'variant 2', pressed: true })).toBeVisible();
	await expect(editorStatus(page)).toContainText('✓ valid');
	await page.getByRole('radio', { name: 'total' }).check();
	await page.getByLabel('Agents in total').fill('10');
	await expect(page.getByRole('button', { name: '+2 agents', pressed: true })).toBeVisible();
	await expect(page.getByLabel('Label')).toHaveValue('+2 agents');

	await expect(runButton(page)).toBeEnabled();
	await runButton(page).click();
	const table = compare(page).getByRole('table');
	await expect(table).toBeVisible({ timeout: 30_000 });
	await expect(table.locator('thead')).toContainText('base');
	await expect(table.locator('thead')).toContainText('+2 agents');
	await expect(compare(page).locator('[data-status="done"]')).toHaveCount(2);
	for (const figure of [
		'Service level',
		'ASA',
		'Abandon rate',
		'Occupancy',
		'Conversions',
		'Revenue',
		'Revenue lost',
		'Staffing cost',
		'Net revenue'
	]) {
		await expect(table.getByRole('rowheader', { name: figure, exact: true })).toBeVisible();
	}
	// two more agents cost more on a fixed roster: a difference called out in colour and in words
	const judged = table.locator('[data-verdict="better"], [data-verdict="worse"]');
	await expect(judged.first()).toBeVisible();
	await expect(judged.first()).toContainText(/[+−].*(better|worse)/);
	await expect(table.locator('tr[data-metric="staffingCost"] [data-verdict]')).toContainText('worse');
	await expect(compare(page).locator('canvas').first()).toBeVisible();
	const firstReading = await comparisonText(table);

	// the sweep, on the base variant
	await sweep(page).getByLabel('Agents from').fill('6');
	await sweep(page).getByLabel('to', { exact: true }).fill('10');
	await sweep(page).getByLabel('step', { exact: true }).fill('2');
	await expect(sweep(page)).toContainText('3 staffing levels × 3 replications');
	await sweep(page).getByRole('button', { name: '▶ Run sweep' }).click();
	await expect(sweep(page).locator('[data-answer="meets-target"]')).toBeVisible({ timeout: 30_000 });
	await expect(sweep(page).locator('[data-answer="meets-target"]')).toContainText(
		/agents are the fewest that meet the target|No staffing level in 6–10 agents meets the target/
	);
	await expect(sweep(page).locator('[data-answer="max-net-revenue"]')).toContainText(/agents give the highest net revenue/);
	await expect(sweep(page).locator('canvas')).toBeVisible();
	// results, charts and all, still fit 1366 px across
	expect(await page.locator('.studio').evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);

	// the comparison as CSV, downloaded
	const [csv] = await Promise.all([page.waitForEvent('download'), compare(page).getByRole('button', { name: '⤓ Comparison CSV' }).click()]);
	expect(csv.suggestedFilename()).toMatch(/^what-if-comparison-\d{4}-\d\d-\d\d\.csv$/);
	const csvText = await readFile(await csv.path(), 'utf8');
	expect(csvText.split('\r\n')[0]).toBe('variant,metric,value,halfWidth95,diffToFirst,verdict');
	expect(csvText).toContain("'+2 agents,staffingCost,");

	// the share link: copied, and opened elsewhere it brings back the same inputs
	await page.getByRole('button', { name: 'Copy share link' }).click();
	const shareField = page.getByLabel('Share link');
	await expect(shareField).toHaveValue(/\/what-if#s=[A-Za-z0-9_-]+$/);
	const url = await shareField.inputValue();
	expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);

	const other = await context.newPage();
	await other.setViewportSize({ width: 1920, height: 1080 });
	await openStudio(other, url);
	await expect(other.getByRole('button', { name: 'base', pressed: true })).toBeVisible();
	await expect(yamlEditor(other)).toHaveValue(good);
	await expect(other.getByLabel('Replications')).toHaveValue('3');
	await expect(other.getByLabel('Seed')).toHaveValue('1');
	await expect(sweep(other).getByLabel('Agents from')).toHaveValue('6');
	await expect(sweep(other).getByLabel('to', { exact: true })).toHaveValue('10');
	await expect(sweep(other).getByLabel('step', { exact: true })).toHaveValue('2');
	await other.getByRole('button', { name: '+2 agents' }).click();
	await expect(other.getByRole('radio', { name: 'total' })).toBeChecked();
	await expect(other.getByLabel('Agents in total')).toHaveValue('10');
	await expect(other.getByRole('group', { name: /Scenario/ }).first()).toContainText('uploaded: tiny.yaml');

	// and running it again gives the very same figures
	await expect(runButton(other)).toBeEnabled();
	await runButton(other).click();
	await expect(compare(other).locator('[data-status="done"]')).toHaveCount(2, { timeout: 30_000 });
	expect(await comparisonText(compare(other).getByRole('table'))).toEqual(firstReading);
	await other.close();
});

test('a damaged share link says so and still opens a study, never a blank page', async ({ page }) => {
	await openStudio(page, '/what-if#s=@@not-a-study@@');
	await expect(page.getByRole('alert').filter({ hasText: 'This share link could not be opened' })).toContainText('not valid base64url');
	await expect(yamlEditor(page)).toHaveValue(/name: single queue/);

	// well-formed text that is no compressed study
	await openStudio(page, '/what-if#s=SGVsbG8sIHdvcmxk');
	await expect(page.getByRole('alert').filter({ hasText: 'This share link could not be opened' })).toContainText(/damaged|cut short/);
	await expect(page.getByRole('button', { name: 'base', pressed: true })).toBeVisible();
});

for (const size of [
	{ width: 1366, height: 768 },
	{ width: 1920, height: 1080 }
]) {
	test(`the studio fits ${size.width}×${size.height} in both themes, without sideways scrolling`, async ({ page }) => {
		await page.setViewportSize(size);
		for (const theme of ['dark', 'light'] as const) {
			await openStudio(page, `/what-if?theme=${theme}`);
			await expect(page.locator('.studio')).toHaveAttribute('data-theme', theme);
			const overflow = await page.locator('.studio').evaluate((el) => el.scrollWidth - el.clientWidth);
			expect(overflow).toBeLessThanOrEqual(0);
			// the editor and the run button are both on the first screen
			await expect(yamlEditor(page)).toBeInViewport();
			await expect(runButton(page)).toBeInViewport();
		}
	});
}

test('a long run shows its progress and can be cancelled from the keyboard', async ({ page }) => {
	await openStudio(page);
	// the reference day (23,000 calls) twenty times over: long enough to be caught running
	await expect(editorStatus(page)).toContainText('✓ valid · single queue');
	await page.getByLabel('Replications').fill('20');
	// the new setting is checked before Run comes back on: pressing Enter earlier would do nothing
	await expect(runButton(page)).toBeEnabled();
	await runButton(page).focus();
	await page.keyboard.press('Enter');
	const row = compare(page).locator('[data-status]');
	await expect(row).toHaveAttribute('data-status', 'running');
	await expect(row.getByRole('progressbar')).toBeVisible();
	await row.getByRole('button', { name: /^Cancel Run of “base”/ }).focus();
	await page.keyboard.press('Enter');
	await expect(row).toHaveAttribute('data-status', 'cancelled');
	await expect(row).toContainText('✕ cancelled');
	// a cancelled run leaves no figures behind, and running is possible again
	await expect(compare(page).getByRole('table')).toHaveCount(0);
	await expect(runButton(page)).toBeEnabled();
});

test('"from now" starts from the board\'s own source and says what it took; a plan per interval exports as CSV', async ({ page }) => {
	await openStudio(page);
	await page.getByRole('button', { name: 'From now' }).click();
	await expect(page.getByRole('group', { name: /Scenario/ }).first()).toContainText('from now');
	await expect(page.getByRole('note')).not.toBeEmpty();
	await expect(editorStatus(page)).toContainText('✓ valid');

	// the plan of the tiny day: Erlang A per interval, checked by simulation
	await page.getByLabel(/Upload a scenario file/).setInputFiles(TINY);
	await expect(editorStatus(page)).toContainText('✓ valid · tiny');
	await page.getByLabel('Replications').fill('2');
	const plan = page.getByRole('region', { name: 'Staffing plan per interval' });
	await plan.getByRole('button', { name: '▶ Make the plan' }).click();
	const table = plan.getByRole('table');
	await expect(table).toBeVisible({ timeout: 30_000 });
	await expect(table.locator('thead')).toContainText('Agents (Erlang A)');
	await expect(table.locator('tbody tr').first()).toContainText(/^09:\d\d/);
	await expect(plan.locator('canvas')).toBeVisible();
	const [csv] = await Promise.all([page.waitForEvent('download'), plan.getByRole('button', { name: '⤓ Plan CSV' }).click()]);
	const text = await readFile(await csv.path(), 'utf8');
	const rows = text.trimEnd().split('\r\n');
	expect(rows[0]).toMatch(/^start,arrivalsPerHour,ahtSeconds,patienceSeconds,agentsErlangA,/);
	expect(rows.length - 1).toBe(await table.locator('tbody tr').count());
});

test.describe('when the server goes away', () => {
	let server: BoardServer | undefined;
	test.afterEach(async () => {
		await server?.stop();
		server = undefined;
	});

	test('the studio says it is reconnecting, turns running off, and comes back on its own', async ({ page }) => {
		test.setTimeout(60_000);
		server = await startBoardServer();
		const port = server.port;
		await openStudio(page, `${server.url}/what-if`);
		await expect(runButton(page)).toBeEnabled();

		await server.kill();
		await expect(page.getByRole('alert').filter({ hasText: 'The connection to the server is lost' })).toContainText('reconnecting');
		await expect(page.locator('.conn')).toContainText('reconnecting…');
		await expect(runButton(page)).toBeDisabled();
		await expect(compare(page)).toContainText('Cannot run: not connected to the server');
		// what was typed is still there, and an edit meanwhile waits to be checked
		const text = await yamlEditor(page).inputValue();
		await yamlEditor(page).fill(text.replace('name: single queue', 'name: single queue, offline edit'));
		await expect(editorStatus(page)).toContainText('▲ could not check the scenario: not connected to the server');

		server = await startBoardServer({ port });
		await expect(page.locator('.conn')).toHaveText(/connected$/, { timeout: 25_000 });
		await expect(page.getByRole('alert').filter({ hasText: 'The connection to the server is lost' })).toHaveCount(0);
		await expect(editorStatus(page)).toContainText('✓ valid · single queue, offline edit');
		await expect(runButton(page)).toBeEnabled();
	});
});
