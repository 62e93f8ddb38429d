import { describe, expect, it } from 'vitest';
import { freshLabel, fromShared, settingsProblem, sweepLevels, toShared, type Study } from './study';

const SHIPPED: Record<string, string> = { 'reference.yaml': 'name: single queue\n' };
let n = 0;
const newId = () => `v${++n}`;

const study: Study = {
	variants: [
		{
			id: 'a',
			label: 'base',
			origin: { kind: 'shipped', name: 'reference.yaml' },
			yaml: SHIPPED['reference.yaml'] ?? '',
			edited: false,
			levers: {},
			seed: 1,
			replications: 5
		},
		{
			id: 'b',
			label: 'edited',
			origin: { kind: 'shipped', name: 'reference.yaml' },
			yaml: 'name: changed\n',
			edited: true,
			levers: { agents: 203 },
			seed: 2,
			replications: 3
		},
		{ id: 'c', label: 'now', origin: { kind: 'now' }, yaml: 'name: from now\n', edited: false, levers: {}, seed: 3, replications: 1 }
	],
	sweep: { from: 190, to: 210, step: 5 }
};

describe('toShared and fromShared', () => {
	it('carries the YAML only where the shipped file would not give it back', () => {
		const shared = toShared(study);
		expect(shared.variants.map((v) => v.yaml)).toEqual([undefined, 'name: changed\n', 'name: from now\n']);
		expect(JSON.stringify(shared)).not.toContain('"id"');
	});

	it('restores the same inputs, shipped text looked up by name', () => {
		const back = fromShared(toShared(study), (name) => SHIPPED[name], newId);
		expect(back.ok).toBe(true);
		if (!back.ok) return;
		const strip = (s: Study) => ({ ...s, variants: s.variants.map(({ id: _id, ...v }) => v) });
		expect(strip(back.study)).toEqual(strip(study));
		expect(new Set(back.study.variants.map((v) => v.id)).size).toBe(3);
	});

	it('says so when a shipped scenario named by the link is gone', () => {
		const back = fromShared(toShared(study), () => undefined, newId);
		expect(back).toEqual({ ok: false, message: expect.stringContaining('reference.yaml') });
	});
});

describe('freshLabel', () => {
	it('numbers after the variants there are and skips labels in use', () => {
		expect(freshLabel(['base'])).toBe('variant 2');
		expect(freshLabel(['base', 'variant 3'])).toBe('variant 4');
	});
});

describe('sweepLevels', () => {
	it('lists the agent counts from, from+step, … up to to', () => {
		expect(sweepLevels({ from: 190, to: 210, step: 5 })).toEqual({ ok: true, levels: [190, 195, 200, 205, 210] });
		expect(sweepLevels({ from: 5, to: 12, step: 3 })).toEqual({ ok: true, levels: [5, 8, 11] });
		expect(sweepLevels({ from: 7, to: 7, step: 1 })).toEqual({ ok: true, levels: [7] });
	});

	it('refuses a backwards, fractional or oversized range with a reason', () => {
		expect(sweepLevels({ from: 10, to: 5, step: 1 })).toMatchObject({ ok: false, reason: expect.stringContaining('below') });
		expect(sweepLevels({ from: 1.5, to: 5, step: 1 }).ok).toBe(false);
		expect(sweepLevels({ from: 1, to: 1000, step: 1 })).toMatchObject({ ok: false, reason: expect.stringContaining('larger step') });
	});
});

describe('settingsProblem', () => {
	it('accepts whole replications and seeds in range, and names the field that is not', () => {
		expect(settingsProblem({ seed: 0, replications: 1 })).toBeNull();
		expect(settingsProblem({ seed: 4_294_967_295, replications: 100 })).toBeNull();
		expect(settingsProblem({ seed: 1, replications: 0 })).toMatch(/^replications/);
		expect(settingsProblem({ seed: 1, replications: 2.5 })).toMatch(/^replications/);
		// a cleared number field binds to null
		expect(settingsProblem({ seed: null as unknown as number, replications: 5 })).toMatch(/seed/);
		expect(settingsProblem({ seed: -1, replications: 5 })).toMatch(/seed/);
	});
});
