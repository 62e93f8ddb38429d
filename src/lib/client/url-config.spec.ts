import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../protocol';
import { DEFAULT_STALE_AFTER_MS, parseDuration, parseKioskConfig, thresholdsFor, VIEWS } from './url-config';

function parse(query: string) {
	const warnings: string[] = [];
	const config = parseKioskConfig(new URLSearchParams(query), (m) => warnings.push(m));
	return { config, warnings };
}

describe('parseKioskConfig', () => {
	it('has defaults for an empty address', () => {
		const { config, warnings } = parse('');
		expect(config).toEqual({
			queues: [],
			theme: 'dark',
			rotateMs: null,
			views: [...VIEWS],
			sound: false,
			thresholds: DEFAULT_THRESHOLDS,
			queueThresholds: {},
			staleAfterMs: DEFAULT_STALE_AFTER_MS
		});
		expect(warnings).toEqual([]);
	});

	it('reads the kiosk example from the issue', () => {
		const { config, warnings } = parse('queues=sales,support&theme=light&rotate=30s&sound=on');
		expect(config.queues).toEqual(['sales', 'support']);
		expect(config.theme).toBe('light');
		expect(config.rotateMs).toBe(30_000);
		expect(config.sound).toBe(true);
		expect(warnings).toEqual([]);
	});

	it('trims, de-duplicates and drops malformed queue ids with a warning', () => {
		const { config, warnings } = parse('queues=' + encodeURIComponent(' sales, ,support,sales,<script>'));
		expect(config.queues).toEqual(['sales', 'support']);
		expect(warnings).toHaveLength(1);
		expect(warnings[0]).toContain('<script>');
	});

	it('falls back with a warning on a bad theme, rotation, sound or stale value', () => {
		const { config, warnings } = parse('theme=neon&rotate=2s&sound=maybe&stale=abc');
		expect(config.theme).toBe('dark');
		expect(config.rotateMs).toBeNull();
		expect(config.sound).toBe(false);
		expect(config.staleAfterMs).toBe(DEFAULT_STALE_AFTER_MS);
		expect(warnings).toHaveLength(4);
		expect(warnings.every((w) => w.startsWith('heatboard: '))).toBe(true);
	});

	it('reads rotation in seconds, minutes, or bare seconds; off and 0 turn it off', () => {
		expect(parse('rotate=2m').config.rotateMs).toBe(120_000);
		expect(parse('rotate=45').config.rotateMs).toBe(45_000);
		expect(parse('rotate=off').config.rotateMs).toBeNull();
		expect(parse('rotate=0').config.rotateMs).toBeNull();
		expect(parse('rotate=2h').config.rotateMs).toBeNull();
	});

	it('reads the views to rotate through, in order, ignoring unknown ones', () => {
		const { config, warnings } = parse('views=trends,overview,bogus,trends');
		expect(config.views).toEqual(['trends', 'overview']);
		expect(warnings).toHaveLength(1);
		expect(parse('views=nope').config.views).toEqual([...VIEWS]);
	});

	it('overrides thresholds per metric, keeping the direction', () => {
		const { config, warnings } = parse('th.waiting=3,8&th.serviceLevel=85%,70%&th.abandonRate=0.03,0.08');
		expect(config.thresholds.waiting).toEqual({ warn: 3, alarm: 8, direction: 'above' });
		expect(config.thresholds.serviceLevel).toEqual({ warn: 0.85, alarm: 0.7, direction: 'below' });
		expect(config.thresholds.abandonRate).toEqual({ warn: 0.03, alarm: 0.08, direction: 'above' });
		expect(config.thresholds.asa).toEqual(DEFAULT_THRESHOLDS.asa);
		expect(warnings).toEqual([]);
	});

	it('overrides thresholds for one queue; service level follows each queue’s own target unless the URL sets it', () => {
		const { config, warnings } = parse('th.sales.waiting=1,2&th.support.eu.asa=5,10&th.sales.nope=1,2');
		expect(warnings).toHaveLength(1);
		const sales = thresholdsFor(config, 'sales', { target: 0.9 });
		expect(sales.waiting).toEqual({ warn: 1, alarm: 2, direction: 'above' });
		expect(sales.asa).toEqual(DEFAULT_THRESHOLDS.asa);
		expect(sales.serviceLevel).toEqual({ warn: 0.9, alarm: 0.7, direction: 'below' });
		expect(thresholdsFor(config, 'support.eu', null).asa).toEqual({ warn: 5, alarm: 10, direction: 'above' });
		expect(thresholdsFor(config, 'support.eu', null).serviceLevel).toBe(DEFAULT_THRESHOLDS.serviceLevel);
		const fixed = parse('th.serviceLevel=85%,70%').config;
		expect(thresholdsFor(fixed, 'sales', { target: 0.9 }).serviceLevel).toEqual({ warn: 0.85, alarm: 0.7, direction: 'below' });
	});

	it('reads a bare number above 1 as a percent for ratio metrics', () => {
		expect(parse('th.serviceLevel=80,60').config.thresholds.serviceLevel).toEqual({ warn: 0.8, alarm: 0.6, direction: 'below' });
	});

	it('rejects thresholds in the wrong order, malformed or for unknown metrics', () => {
		const { config, warnings } = parse(
			'th.waiting=8,3&th.serviceLevel=60%,80%&th.asa=abc&th.longestWait=1,2,3&th.bogus=1,2&th.revenueAtRisk=5%,10%'
		);
		expect(config.thresholds).toEqual(DEFAULT_THRESHOLDS);
		expect(warnings).toHaveLength(6);
		expect(warnings.find((w) => w.includes('th.waiting'))).toContain('higher is worse');
		expect(warnings.find((w) => w.includes('th.serviceLevel'))).toContain('lower is worse');
		expect(warnings.find((w) => w.includes('th.bogus'))).toContain('unknown metric');
	});

	it('does not let a URL change the defaults it falls back to', () => {
		parse('th.waiting=1,2');
		expect(DEFAULT_THRESHOLDS.waiting).toEqual({ warn: 5, alarm: 15, direction: 'above' });
	});
});

describe('parseDuration', () => {
	it('reads ms, s, m, min and h, and bare seconds', () => {
		expect(parseDuration('250ms')).toBe(250);
		expect(parseDuration('1.5s')).toBe(1500);
		expect(parseDuration('2min')).toBe(120_000);
		expect(parseDuration('1h')).toBe(3_600_000);
		expect(parseDuration('10')).toBe(10_000);
		expect(parseDuration('ten')).toBeNull();
		expect(parseDuration('-5s')).toBeNull();
	});
});
