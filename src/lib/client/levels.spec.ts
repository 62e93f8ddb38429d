import { describe, expect, it } from 'vitest';
import type { Level } from '../protocol';
import { LEVEL_BADGE, newlyAlarmed, worstLevel } from './levels';

describe('levels', () => {
	it('gives every level a distinct shape and word, not only a colour', () => {
		const icons = new Set(Object.values(LEVEL_BADGE).map((b) => b.icon));
		const words = new Set(Object.values(LEVEL_BADGE).map((b) => b.word));
		expect(icons.size).toBe(3);
		expect(words.size).toBe(3);
	});
	it('finds the worst level', () => {
		expect(worstLevel([])).toBe('ok');
		expect(worstLevel(['ok', null, 'warn', 'ok'])).toBe('warn');
		expect(worstLevel(['warn', 'alarm', 'ok'])).toBe('alarm');
	});
	it('reports only crossings into alarm', () => {
		const m = (e: Array<[string, Level]>) => new Map(e);
		expect(newlyAlarmed(m([]), m([['a', 'alarm']]))).toEqual(['a']);
		expect(newlyAlarmed(m([['a', 'alarm']]), m([['a', 'alarm']]))).toEqual([]);
		expect(newlyAlarmed(m([['a', 'warn'], ['b', 'ok']]), m([['a', 'alarm'], ['b', 'warn']]))).toEqual(['a']);
		expect(newlyAlarmed(m([['a', 'alarm']]), m([['a', 'ok']]))).toEqual([]);
	});
});
