import { describe, expect, it } from 'vitest';
import { ERLANG_USAGE } from './erlang';
import { erlangAMeasures, erlangCMeasures, requiredAgents } from '../../src/lib/engine/analytics/erlang';
import { cli, type Run } from './run-in-process';

/** The one JSON object `--json` prints, on one line. */
function json(r: Run): unknown {
	expect(r.code, r.err).toBe(0);
	expect(r.err).toBe('');
	expect(r.out.endsWith('\n')).toBe(true);
	const lines = r.out.trimEnd().split('\n');
	expect(lines).toHaveLength(1);
	return JSON.parse(lines[0] as string);
}

describe('heatboard erlang --json', () => {
	it('model c: the fields of erlangCMeasures for the same input, target 20 s by default', async () => {
		const r = await cli('erlang', '--model', 'c', '--arrivals-per-hour', '120', '--aht', '240', '--agents', '10', '--json');
		expect(json(r)).toEqual({
			model: 'c',
			agents: 10,
			stable: true,
			...erlangCMeasures({ arrivalsPerHour: 120, ahtSeconds: 240, agents: 10, targetSeconds: 20 })
		});
	});

	it('model c is the default model, and --target sets the threshold', async () => {
		const r = await cli('erlang', '--arrivals-per-hour', '120', '--aht', '240', '--agents', '10', '--target', '45', '--json');
		const got = json(r);
		expect(got).toEqual({
			model: 'c',
			agents: 10,
			stable: true,
			...erlangCMeasures({ arrivalsPerHour: 120, ahtSeconds: 240, agents: 10, targetSeconds: 45 })
		});
		// a longer threshold is easier to meet: the option reached the model
		const at20 = erlangCMeasures({ arrivalsPerHour: 120, ahtSeconds: 240, agents: 10, targetSeconds: 20 });
		expect((got as { slAnswered: number }).slAnswered).toBeGreaterThan(at20.slAnswered);
	});

	it('model a: the fields of erlangAMeasures, with patience', async () => {
		const r = await cli(
			'erlang',
			'--model',
			'a',
			'--arrivals-per-hour',
			'600',
			'--aht',
			'180',
			'--agents',
			'28',
			'--patience',
			'90',
			'--target',
			'30',
			'--json'
		);
		expect(json(r)).toEqual({
			model: 'a',
			agents: 28,
			stable: true,
			...erlangAMeasures({ arrivalsPerHour: 600, ahtSeconds: 180, agents: 28, targetSeconds: 30, patienceSeconds: 90 })
		});
	});

	it('--sl without --agents solves the staffing (model c): the fewest agents that reach it', async () => {
		const base = { arrivalsPerHour: 300, ahtSeconds: 200, targetSeconds: 20 };
		const r = await cli('erlang', '--model', 'c', '--arrivals-per-hour', '300', '--aht', '200', '--sl', '0.8', '--json');
		const solved = requiredAgents('c', base, { sl: 0.8, slSeconds: 20 });
		expect(json(r)).toEqual({ model: 'c', agents: solved.agents, stable: true, ...solved.measures });
		// checked against the model directly, not only against requiredAgents
		expect(erlangCMeasures({ ...base, agents: solved.agents }).slOffered).toBeGreaterThanOrEqual(0.8);
		expect(erlangCMeasures({ ...base, agents: solved.agents - 1 }).slOffered).toBeLessThan(0.8);
	});

	it('--sl without --agents solves the staffing (model a)', async () => {
		const base = { arrivalsPerHour: 600, ahtSeconds: 180, targetSeconds: 30, patienceSeconds: 90 };
		const r = await cli(
			'erlang',
			'--model',
			'a',
			'--arrivals-per-hour',
			'600',
			'--aht',
			'180',
			'--patience',
			'90',
			'--target',
			'30',
			'--sl',
			'0.9',
			'--json'
		);
		const solved = requiredAgents('a', base, { sl: 0.9, slSeconds: 30 });
		expect(json(r)).toEqual({ model: 'a', agents: solved.agents, stable: true, ...solved.measures });
		expect(erlangAMeasures({ ...base, agents: solved.agents }).slOffered).toBeGreaterThanOrEqual(0.9);
		expect(erlangAMeasures({ ...base, agents: solved.agents - 1 }).slOffered).toBeLessThan(0.9);
	});

	it('prints a table without --json, from the same measures', async () => {
		const r = await cli('erlang', '--arrivals-per-hour', '120', '--aht', '240', '--agents', '10');
		expect(r.code, r.err).toBe(0);
		const m = erlangCMeasures({ arrivalsPerHour: 120, ahtSeconds: 240, agents: 10, targetSeconds: 20 });
		expect(r.out).toMatch(new RegExp(`^agents\\s+10$`, 'm'));
		expect(r.out).toMatch(new RegExp(`^P\\(wait\\)\\s+${m.pWait.toFixed(4)}$`, 'm'));
		expect(r.out).toMatch(new RegExp(`^SL 20s \\(offered\\)\\s+${m.slOffered.toFixed(4)}$`, 'm'));
		expect(() => JSON.parse(r.out)).toThrow();
	});
});

describe('heatboard erlang: bad input exits 2 naming the option', () => {
	const ok = ['--arrivals-per-hour', '120', '--aht', '240', '--agents', '10'];
	it.each([
		['missing --aht', ['--arrivals-per-hour', '120', '--agents', '10'], '--aht'],
		['--aht 0', ['--arrivals-per-hour', '120', '--aht', '0', '--agents', '10'], '--aht'],
		['negative --aht', ['--arrivals-per-hour', '120', '--aht=-240', '--agents', '10'], '--aht'],
		['--aht not a number', ['--arrivals-per-hour', '120', '--aht', 'long', '--agents', '10'], '--aht'],
		['missing --arrivals-per-hour', ['--aht', '240', '--agents', '10'], '--arrivals-per-hour'],
		['negative --arrivals-per-hour', ['--arrivals-per-hour=-1', '--aht', '240', '--agents', '10'], '--arrivals-per-hour'],
		['--model x', ['--model', 'x', ...ok], '--model'],
		['--model a without --patience', ['--model', 'a', ...ok], '--patience'],
		['--model a with a negative --patience', ['--model', 'a', '--patience=-30', ...ok], '--patience'],
		['negative --agents', ['--arrivals-per-hour', '120', '--aht', '240', '--agents=-3'], '--agents'],
		['negative --agents, space-separated', ['--arrivals-per-hour', '120', '--aht', '240', '--agents', '-3'], '--agents'],
		['fractional --agents', ['--arrivals-per-hour', '120', '--aht', '240', '--agents', '2.5'], '--agents'],
		['negative --target', [...ok, '--target=-5'], '--target'],
		['--sl above 1', ['--arrivals-per-hour', '120', '--aht', '240', '--sl', '1.5'], '--sl'],
		['negative --sl', ['--arrivals-per-hour', '120', '--aht', '240', '--sl=-0.5'], '--sl'],
		['neither --agents nor --sl', ['--arrivals-per-hour', '120', '--aht', '240'], '--sl'],
		['an unknown option', [...ok, '--erlangs', '8'], '--erlangs'],
		['a stray argument', [...ok, 'extra'], 'extra']
	])('%s', async (_what, args, option) => {
		const r = await cli('erlang', ...args, '--json');
		expect(r.code).toBe(2);
		expect(r.out).toBe('');
		expect(r.err).toContain(option);
		expect(r.err).toContain(ERLANG_USAGE);
	});
});

describe('heatboard erlang, unstable queue', () => {
	it('says an overloaded Erlang C queue is unstable, since its infinite waits print as null', async () => {
		const r = await cli('erlang', '--model', 'c', '--arrivals-per-hour', '100', '--aht', '300', '--agents', '5', '--json');
		expect(json(r)).toMatchObject({ stable: false, asaAnswered: null, pWait: 1 });
	});
});
