/**
 * Reading a wallboard the way a person does: tiles by their names, figures by their text. The
 * figures are decoded here on their own terms (a count, m:ss, a rounded percent, money to three
 * significant figures) rather than by calling the board's formatters, so a test that compares them
 * with the engine's numbers checks the formatting too.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import type { Level } from '../../src/lib/protocol';

export interface TileReading {
	/** the tile's accessible name: "Calls waiting: 6 (warn)" */
	name: string;
	/** the big figure as shown ('' for tiles with a body of their own, like Agents) */
	value: string;
	level: Level | null;
	/** the lines the tile shows, top to bottom (label, badge, figure, small print) */
	lines: string[];
	/** the small print under the figure */
	sub: string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** A tile by its label: its accessible name is "<label>: <value>[ (<level>)]" ("Agents:" has no value). */
export function tile(page: Page, label: string): Locator {
	return page.getByRole('region', { name: new RegExp(`^${escape(label)}:( |$)`) });
}

export async function readTile(page: Page, label: string): Promise<TileReading> {
	const t = tile(page, label);
	const name = (await t.getAttribute('aria-label')) ?? '';
	const m = new RegExp(`^${escape(label)}: (.*?)(?: \\((ok|warn|alarm)\\))?$`).exec(name);
	if (m === null) throw new Error(`tile "${label}" has an unexpected name: ${JSON.stringify(name)}`);
	const lines = (await t.innerText())
		.split('\n')
		.map((l) => l.trim())
		.filter((l) => l !== '');
	const level = (m[2] as Level | undefined) ?? null;
	return { name, value: m[1] ?? '', level, lines, sub: lines[lines.length - 1] ?? '' };
}

/** The shape and word of each level, as LevelBadge shows them (colour is never the only cue). */
export const BADGE: Readonly<Record<Level, { icon: string; word: string }>> = {
	ok: { icon: '●', word: 'OK' },
	warn: { icon: '◆', word: 'WARN' },
	alarm: { icon: '▲', word: 'ALARM' }
};

/** A closed range of true values a displayed figure stands for. */
export interface Shown {
	low: number;
	high: number;
}

/** "1,234" (or "12.5" for expected conversions: one decimal) */
export function shownCount(text: string): Shown {
	const m = /^(\d{1,3}(?:,\d{3})*|\d+)(?:\.(\d))?$/.exec(text.trim());
	if (m === null || m[1] === undefined) throw new Error(`not a count: ${JSON.stringify(text)}`);
	const whole = Number(m[1].replace(/,/g, ''));
	if (m[2] === undefined) return { low: whole, high: whole };
	const v = whole + Number(m[2]) / 10;
	return { low: v - 0.05, high: v + 0.05 };
}

/** "m:ss" or "h:mm:ss", whole seconds cut down (a wait of 7:01.8 shows 7:01) */
export function shownDuration(text: string): Shown {
	const m = /^(?:(\d+):)?(\d+):([0-5]\d)$/.exec(text.trim());
	if (m === null) throw new Error(`not a duration: ${JSON.stringify(text)}`);
	const s = Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]);
	return { low: s, high: s + 1 - 1e-9 };
}

/**
 * "61%" or "4.9%" as a ratio: whole percents, or tenths below 10% for the figures shown that way
 * (abandons, conversions; not the service level).
 */
export function shownPercent(text: string, tenthsBelowTen = true): Shown {
	const m = /^(\d+)(?:\.(\d))?%$/.exec(text.trim());
	if (m === null) throw new Error(`not a percent: ${JSON.stringify(text)}`);
	const pct = Number(m[1]) + Number(m[2] ?? 0) / 10;
	// "5%" there may be 5.0 with its zero trimmed, so a tenth is the step below ten whatever is written
	const half = tenthsBelowTen && pct < 10 ? 0.05 : 0.5;
	return { low: (pct - half) / 100, high: (pct + half) / 100 };
}

/** "$980", "$30.3k", "$1.25M": three significant figures from a thousand on */
export function shownMoney(text: string): Shown {
	const m = /^(−|-)?\$(\d+(?:\.\d+)?)([kM])?$/.exec(text.trim());
	if (m === null || m[2] === undefined) throw new Error(`not money: ${JSON.stringify(text)}`);
	const unit = m[3] === 'k' ? 1e3 : m[3] === 'M' ? 1e6 : 1;
	const mantissa = Number(m[2]);
	const step = unit === 1 ? 1 : mantissa >= 100 ? 1 : mantissa >= 10 ? 0.1 : 0.01;
	const v = (m[1] ? -1 : 1) * mantissa * unit;
	return { low: v - (step * unit) / 2, high: v + (step * unit) / 2 };
}

/** Asserts that a figure as shown stands for the engine's value. */
export function expectShown(what: string, shown: Shown, actual: number | null | undefined): void {
	expect(actual, `${what}: the engine has no value`).toEqual(expect.any(Number));
	const v = actual as number;
	expect(
		v >= shown.low - 1e-9 && v <= shown.high + 1e-9,
		`${what}: the board shows [${shown.low}, ${shown.high}], the engine has ${v}`
	).toBe(true);
}

/** HH:MM:SS of a source time that counts from midnight (the simulator's clock). */
export function clockOf(ms: number): string {
	const total = Math.floor(ms / 1000);
	const p = (n: number) => String(n).padStart(2, '0');
	return `${p(Math.floor(total / 3600) % 24)}:${p(Math.floor((total % 3600) / 60))}:${p(total % 60)}`;
}

/** The status line at the foot of the board ("‖ paused · updated 0 s ago"). */
export function statusLine(page: Page): Locator {
	return page.getByRole('status');
}

/** What went wrong with the fit of a board on its screen: empty when nothing scrolls or is cut. */
export interface FitProblems {
	/** the page or the board is larger than the screen */
	page: string[];
	/** figures and words cut off inside the tiles */
	tiles: string[];
	/** text cut off (often with an ellipsis) anywhere else on the board */
	elsewhere: string[];
}

/**
 * Checks the fit in the page. A text element is cut when its content is wider than its box
 * (scrollWidth > clientWidth), whether it is hidden, ellipsized or spills into a clipping parent.
 */
export async function fitProblems(page: Page): Promise<FitProblems> {
	return page.evaluate(() => {
		const out = { page: [] as string[], tiles: [] as string[], elsewhere: [] as string[] };
		const doc = document.documentElement;
		const vw = window.innerWidth;
		const vh = window.innerHeight;
		if (doc.scrollWidth > vw || doc.scrollHeight > vh)
			out.page.push(`document ${doc.scrollWidth}×${doc.scrollHeight} in a ${vw}×${vh} viewport`);
		const board = document.querySelector<HTMLElement>('.board');
		if (board === null) out.page.push('no .board element');
		else if (board.scrollWidth > board.clientWidth || board.scrollHeight > board.clientHeight)
			out.page.push(`board content ${board.scrollWidth}×${board.scrollHeight} in ${board.clientWidth}×${board.clientHeight}`);

		const describe = (el: Element) => {
			const owner = el.closest('[aria-label]')?.getAttribute('aria-label') ?? el.closest('section,footer,header,table')?.tagName ?? '?';
			const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 60);
			const box = el as HTMLElement;
			return `${owner} › <${el.tagName.toLowerCase()}> "${text}" needs ${box.scrollWidth}px, has ${box.clientWidth}px`;
		};
		const hasOwnText = (el: Element) =>
			Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
		for (const el of Array.from(document.querySelectorAll<HTMLElement>('.board *'))) {
			if (el.closest('svg') !== null || el instanceof HTMLCanvasElement) continue;
			if (!hasOwnText(el) || el.clientWidth === 0) continue;
			// one pixel of slack: subpixel layout rounds scrollWidth up
			if (el.scrollWidth <= el.clientWidth + 1) continue;
			(el.closest('.tile') !== null ? out.tiles : out.elsewhere).push(describe(el));
		}
		for (const t of Array.from(document.querySelectorAll<HTMLElement>('.tile'))) {
			if (t.scrollHeight > t.clientHeight + 1 || t.scrollWidth > t.clientWidth + 1)
				out.tiles.push(
					`tile "${t.getAttribute('aria-label')}" content ${t.scrollWidth}×${t.scrollHeight} in ${t.clientWidth}×${t.clientHeight}`
				);
		}
		return out;
	});
}
