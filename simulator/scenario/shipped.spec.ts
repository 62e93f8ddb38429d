import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/lib/engine/engine';
import { mean as distMean } from '../random/distributions';
import { loadScenario } from './load';
import { resolveScenario } from './schema';
import type { Scenario } from './types';

const DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));
const M = 60_000;
const H = 60 * M;

function load(name: string): Scenario {
	return loadScenario(`${DIR}${name}.yaml`);
}

/** Agents on at time t over all groups. */
function onAt(s: Scenario, t: number): number {
	let n = 0;
	for (const g of s.agents) for (const sh of g.shifts) if (sh.startMs <= t && t < sh.endMs) n += sh.count;
	return n;
}

/** Expected calls of a stream over the run, before weekday factors. */
function expectedCalls(s: Scenario, i: number): number {
	const a = s.arrivals[i]!;
	let total = 0;
	for (let t = 0; t < s.horizonMs; t += a.intervalMs) {
		const k = Math.min(Math.floor(t / a.intervalMs), a.ratesPerHour.length - 1);
		total += (a.ratesPerHour[k]! * Math.min(a.intervalMs, s.horizonMs - t)) / H;
	}
	return total * a.scale;
}

describe('shipped scenarios', () => {
	const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));

	it('ships the four documented scenarios', () => {
		expect(files.sort()).toEqual(['ecommerce-peak.yaml', 'law-firm.yaml', 'multi-skill.yaml', 'reference.yaml']);
	});

	it.each(files)('%s loads, names its schema for editors, and builds an engine', (file) => {
		const text = readFileSync(`${DIR}${file}`, 'utf8');
		expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./scenario.schema.json');
		const s = loadScenario(`${DIR}${file}`);
		expect(s.file).toBe(`${DIR}${file}`);
		expect(() => new Engine(s.engine)).not.toThrow();
	});

	it('reference.yaml is exactly the simple form', () => {
		const s = load('reference');
		const inline = resolveScenario(
			{
				name: 'single queue',
				horizon: '8h',
				warmup: '30m',
				queues: [{ id: 'sales', serviceLevel: { seconds: 20, target: 0.8 } }],
				arrivals: [{ queue: 'sales', perHour: 2880 }],
				handleTime: { dist: 'exponential', mean: '4m' },
				patience: { dist: 'exponential', mean: '3m' },
				agents: [{ group: 'team', count: 200, skills: ['sales'] }]
			},
			s.file
		);
		expect(s).toEqual(inline);
		expect(s.arrivals[0]?.ratesPerHour).toEqual([48 * 60]);
		expect(s.queues[0]?.handleTime).toEqual({ dist: 'exponential', mean: 4 * M });
		expect(s.queues[0]?.patience).toEqual({ dist: 'exponential', mean: 3 * M });
		expect(onAt(s, 0)).toBe(200);
	});

	it('law-firm.yaml: a few specialists, ~100 hot $3,500 calls a month, callbacks after hours', () => {
		const s = load('law-firm');
		const peak = Math.max(...Array.from({ length: 48 }, (_, i) => onAt(s, i * 30 * M)));
		expect(peak).toBeGreaterThanOrEqual(2);
		expect(peak).toBeLessThanOrEqual(4);
		const perDay = expectedCalls(s, 0);
		expect(perDay).toBeGreaterThan(5);
		expect(perDay).toBeLessThan(8);
		expect(distMean(s.arrivals[0]!.value)).toBe(3500);
		// beta(a, b) mean a/(a+b): mostly hot
		expect(distMean(s.arrivals[0]!.heat)).toBeGreaterThan(0.7);
		expect(s.engine.queues?.[0]).toMatchObject({ hours: ['08:30-17:30'], whenClosed: 'callback' });
		expect(s.horizonMs).toBe(24 * H);
	});

	it('ecommerce-peak.yaml: a 15-minute profile over the day, shifts with breaks, several sources', () => {
		const s = load('ecommerce-peak');
		const rates = s.arrivals[0]!.ratesPerHour;
		expect(s.arrivals[0]?.intervalMs).toBe(15 * M);
		expect(rates).toHaveLength(s.horizonMs / (15 * M));
		const hourly = (h: number) => rates.slice((h - 7) * 4, (h - 6) * 4).reduce((a, b) => a + b, 0) / 4;
		expect(hourly(10)).toBeGreaterThan(hourly(7)); // morning ramp
		expect(hourly(12)).toBeLessThan(hourly(11)); // lunch dip
		expect(Math.max(...rates)).toBe(Math.max(...rates.slice(12 * 4, 14 * 4))); // evening peak 19:00-21:00
		expect(s.agents.every((g) => g.shifts.every((sh) => sh.breaks.length > 0))).toBe(true);
		expect(s.arrivals[0]?.sources.length).toBeGreaterThanOrEqual(3);
		expect(distMean(s.arrivals[0]!.value)).toBeLessThan(500);
	});

	it('multi-skill.yaml: two queues, skill levels, value order, escalation, AI overflow with hand-back', () => {
		const s = load('multi-skill');
		expect(s.queues.map((q) => q.id)).toEqual(['sales', 'support']);
		expect(s.engine.order).toBe('value');
		expect(new Set(s.agents.flatMap((g) => Object.values(g.skills))).size).toBeGreaterThan(1);
		const [sales, support] = s.engine.queues ?? [];
		expect(sales).toMatchObject({ overflowTo: 'ai-receptionist', whenClosed: 'overflow', escalation: { afterSeconds: 45 } });
		expect(support).toMatchObject({ escalation: { afterSeconds: 240, toQueue: 'sales' } });
		expect(s.overflowTiers).toEqual([expect.objectContaining({ id: 'ai-receptionist', handBack: 0.3, handBackQueue: 'sales' })]);
		// the merged queue defaults arrived
		expect(s.queues.map((q) => q.callbackShare)).toEqual([0.2, 0.2]);
	});
});
