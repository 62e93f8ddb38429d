import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../../simulator/scenario/load';
import { scenarioFromNow } from './from-now';
import { onDutyAt, rateAt } from './profile';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const M = 60_000;

describe('scenarioFromNow', () => {
	it('keeps every arrival rate and head count at its time of day for the rest of the day', () => {
		const file = path.join(ROOT, 'scenarios/multi-skill.yaml');
		const text = readFileSync(file, 'utf8');
		const day = parseScenario(text, file);
		// 10:20 is inside a 30-minute sales interval and a 60-minute support and juniors interval
		const r = scenarioFromNow(text, day, (10 * 60 + 20) * M + 30_000);
		if ('error' in r) throw new Error(r.error);
		const now = parseScenario(r.yaml, 'now.yaml');
		expect(now.startMs).toBe((10 * 60 + 5) * M);
		expect(now.warmupMs).toBe(15 * M);
		expect(now.startMs + now.horizonMs).toBe(day.startMs + day.horizonMs);
		expect(now.weekday).toBe(day.weekday);
		for (let t = now.startMs; t < now.startMs + now.horizonMs; t += 5 * M) {
			day.arrivals.forEach((a, i) => expect(rateAt(now, now.arrivals[i]!, t)).toBe(rateAt(day, a, t)));
			expect(onDutyAt(now, t)).toBe(onDutyAt(day, t));
		}
		// comments and everything not tied to the start are kept
		expect(r.yaml).toContain('# A software company');
		expect(now.engine.queues).toEqual(day.engine.queues?.map((q) => ({ ...q })));
		expect(r.note).toMatch(/from 10:20/);
	});

	it('starts at the scenario’s start when it has not begun, and refuses a day that is over', () => {
		const file = path.join(ROOT, 'scenarios/reference.yaml');
		const text = readFileSync(file, 'utf8');
		const day = parseScenario(text, file);
		const early = scenarioFromNow(text, day, 0);
		if ('error' in early) throw new Error(early.error);
		const sc = parseScenario(early.yaml, 'now.yaml');
		expect([sc.startMs, sc.warmupMs, sc.horizonMs]).toEqual([0, 0, day.horizonMs]);
		expect(scenarioFromNow(text, day, day.horizonMs)).toEqual({ error: expect.stringMatching(/is over/) });
	});
});
