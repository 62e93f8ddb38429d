import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, levelOf } from '../protocol';
import { fixtureSnapshot } from './fixtures';
import { figureLevels, liveLongestWait, scopeFigures, staffed } from './figures';

const totals = fixtureSnapshot().totals;
const ctx = { thresholds: DEFAULT_THRESHOLDS, elapsedSeconds: 0, serviceLevel: { seconds: 20, target: 0.8 } };

describe('scopeFigures', () => {
	it('formats the figures of a scope', () => {
		const f = scopeFigures(totals, ctx);
		expect(f.waiting.value).toBe('7');
		expect(f.waiting.sub).toBe('+ 1 callback');
		expect(f.longestWait.value).toBe('3:24');
		expect(f.asa.value).toBe('0:20');
		expect(f.serviceLevel.value).toBe('79%');
		expect(f.serviceLevel.sub).toBe('target 80/20 s · 15 min 74%');
		expect(f.abandonRate.value).toBe('4.5%');
		expect(f.handled.value).toBe('631 / 37');
		expect(f.revenue.value).toBe('$114k');
		expect(f.revenueAtRisk.value).toBe('$2.97k');
		expect(f.projected.value).toBe('$15k');
	});

	it('levels each figure with the protocol thresholds', () => {
		const f = scopeFigures(totals, ctx);
		expect(f.waiting.level).toBe('warn');
		expect(f.longestWait.level).toBe('alarm');
		expect(f.asa.level).toBe('warn');
		expect(f.serviceLevel.level).toBe(levelOf(0.79, DEFAULT_THRESHOLDS.serviceLevel));
		expect(f.abandonRate.level).toBe('ok');
		expect(f.revenueAtRisk.level).toBe('warn');
		expect(f.handled.level).toBeNull();
	});

	it('uses overridden thresholds', () => {
		const f = scopeFigures(totals, { ...ctx, thresholds: { ...DEFAULT_THRESHOLDS, waiting: { warn: 3, alarm: 6, direction: 'above' } } });
		expect(f.waiting.level).toBe('alarm');
	});

	it('lets the longest wait tick while someone is on hold, and only then', () => {
		expect(liveLongestWait(totals, 16)).toBe(220);
		const f = scopeFigures(totals, { ...ctx, elapsedSeconds: 16 });
		expect(f.longestWait.value).toBe('3:40');
		const empty = { ...totals, now: { ...totals.now, waiting: 0, longestWaitSeconds: 0 } };
		expect(liveLongestWait(empty, 30)).toBe(0);
		expect(scopeFigures(empty, { ...ctx, elapsedSeconds: 30 }).longestWait.value).toBe('0:00');
	});

	it('says when service-level goals differ between queues, and dashes missing figures', () => {
		const fresh = { ...totals, day: { ...totals.day, asa: null, slOffered: null, abandonRate: null } };
		const f = scopeFigures(fresh, { ...ctx, serviceLevel: null });
		expect(f.serviceLevel.sub).toContain('targets per queue');
		expect(f.asa.value).toBe('—');
		expect(f.serviceLevel.level).toBe('ok');
	});

	it('keys levels by scope and figure, leaving out figures without thresholds', () => {
		const levels = figureLevels('all', scopeFigures(totals, ctx));
		expect(levels.get('all:longestWait')).toBe('alarm');
		expect(levels.has('all:handled')).toBe(false);
		expect(levels.size).toBe(6);
	});

	it('counts agents staffed', () => {
		expect(staffed(totals)).toBe(12);
	});
});
