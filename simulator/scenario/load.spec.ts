import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatIssue, ScenarioError, type ScenarioIssue } from './issues';
import { loadScenario, MAX_SCENARIO_BYTES, parseScenario } from './load';

const FILE = 'scenarios/x.yaml';

/** A valid scenario; tests replace one line at a time, so line numbers stay put. */
const LINES = [
	'name: single queue', //                               1
	'horizon: 8h', //                                      2
	'warmup: 30m', //                                      3
	'queues:', //                                          4
	'  - id: sales', //                                    5
	'    serviceLevel: { seconds: 20, target: 0.8 }', //   6
	'arrivals:', //                                        7
	'  - queue: sales', //                                 8
	'    perHour: 2880', //                                9
	'handleTime: { dist: exponential, mean: 4m }', //      10
	'patience: { dist: exponential, mean: 3m }', //        11
	'agents:', //                                          12
	'  - group: team', //                                  13
	'    count: 200', //                                   14
	'    skills: [sales]' //                               15
];

function text(replace: Record<number, string> = {}): string {
	return LINES.map((line, i) => replace[i + 1] ?? line).join('\n') + '\n';
}

function problems(source: string): ScenarioIssue[] {
	try {
		parseScenario(source, FILE);
	} catch (err) {
		if (err instanceof ScenarioError) return [...err.issues];
		throw err;
	}
	throw new Error('expected the scenario to be rejected');
}

function lines(source: string): string[] {
	return problems(source).map(formatIssue);
}

describe('parseScenario', () => {
	it('parses the simple form', () => {
		const s = parseScenario(text(), FILE);
		expect(s.file).toBe(FILE);
		expect(s.horizonMs).toBe(8 * 3_600_000);
		expect(s.queues[0]?.handleTime).toEqual({ dist: 'exponential', mean: 240_000 });
	});

	it('points a bad duration at its value', () => {
		expect(lines(text({ 6: '    serviceLevel: { seconds: abc, target: 0.8 }' }))).toEqual([
			'scenarios/x.yaml:6:30: queues[0].serviceLevel.seconds: expected a duration like "20s", "4m" or "1h30m", got "abc"'
		]);
	});

	it('points a wrong type at its value', () => {
		expect(lines(text({ 2: 'horizon: [8h]' }))).toEqual([
			'scenarios/x.yaml:2:10: horizon: expected a duration like "20s", "4m" or "1h30m", got an array of 1'
		]);
		expect(lines(text({ 15: '    skills: sales' }))).toEqual([
			'scenarios/x.yaml:15:13: agents[0].skills: expected a list of skills like [sales] or skill levels like { sales: 3 }, got "sales"'
		]);
	});

	it('points an unknown queue reference at the reference', () => {
		expect(lines(text({ 8: '  - queue: sale' }))).toEqual([
			'scenarios/x.yaml:8:12: arrivals[0].queue: no queue "sale" (did you mean "sales"?)'
		]);
	});

	it('points a negative count at the number', () => {
		expect(lines(text({ 14: '    count: -4' }))).toEqual(['scenarios/x.yaml:14:12: agents[0].count: expected a number >= 0, got -4']);
	});

	it('points an unknown dist at the dist', () => {
		expect(lines(text({ 11: 'patience: { dist: normal, mean: 3m }' }))).toEqual([
			'scenarios/x.yaml:11:19: patience.dist: unknown dist "normal" (expected one of constant, exponential, lognormal, gamma, weibull, uniform, empirical)'
		]);
	});

	it('points a missing field at the mapping that should hold it', () => {
		expect(lines(text({ 1: '# no name' }))).toEqual(['scenarios/x.yaml:2:1: name: missing required field "name" (expected text)']);
		expect(lines(text({ 9: '    # no rate' }))).toEqual([
			'scenarios/x.yaml:8:5: arrivals[0].perHour: missing required field "perHour" (expected perHour, or a profile: { interval, rates })'
		]);
	});

	it('names an unknown top-level key at the key', () => {
		expect(lines(text({ 3: 'warmpu: 30m' }))).toEqual([
			'scenarios/x.yaml:3:1: warmpu: unknown top-level key "warmpu" (did you mean "warmup"?)'
		]);
		expect(lines(text({ 3: 'colour: blue' }))[0]).toMatch(
			/^scenarios\/x\.yaml:3:1: colour: unknown top-level key "colour" \(expected one of name, description, .*, overflowTiers; keys starting with x- are ignored\)$/
		);
	});

	it('names an unknown nested field at the key', () => {
		expect(lines(text({ 5: '  - id: sales', 6: '    servicelevel: { seconds: 20 }' }))).toEqual([
			'scenarios/x.yaml:6:5: queues[0].servicelevel: unknown field "servicelevel" (did you mean "serviceLevel"?)'
		]);
	});

	it('reports YAML syntax errors with their position', () => {
		const issues = problems(text({ 6: '    serviceLevel: { seconds: 20, target: 0.8' }));
		expect(issues.length).toBeGreaterThan(0);
		expect(issues[0]).toMatchObject({ file: FILE, path: '', line: 7, column: 1 });
		expect(issues[0]?.message).toMatch(/^YAML syntax: /);
		expect(lines('name: a\nname: b\n')).toEqual(['scenarios/x.yaml:2:1: YAML syntax: Map keys must be unique']);
		expect(lines('name: a\n  horizon: 8h\n')).toEqual([
			'scenarios/x.yaml:1:7: YAML syntax: Nested mappings are not allowed in compact mappings',
			'scenarios/x.yaml:1:7: YAML syntax: Implicit keys need to be on a single line'
		]);
	});

	it('collects every problem, in file order', () => {
		const source = text({
			2: 'horizon: 8 hours',
			3: 'warmpu: 30m',
			6: '    serviceLevel: { seconds: 20, target: 1.5 }',
			8: '  - queue: support',
			11: 'patience: { dist: exponential, mean: -3m }',
			14: '    count: many'
		});
		expect(lines(source)).toEqual([
			'scenarios/x.yaml:2:10: horizon: expected a duration like "20s", "4m" or "1h30m", got "8 hours": unknown unit "hours" (units: ms, s, m, h, d; a plain number is seconds)',
			'scenarios/x.yaml:3:1: warmpu: unknown top-level key "warmpu" (did you mean "warmup"?)',
			'scenarios/x.yaml:6:42: queues[0].serviceLevel.target: expected a number <= 1, got 1.5',
			'scenarios/x.yaml:8:12: arrivals[0].queue: no queue "support" (queues: sales)',
			'scenarios/x.yaml:11:38: patience.mean: expected a duration like "20s", "4m" or "1h30m", got "-3m": durations cannot be negative',
			'scenarios/x.yaml:14:12: agents[0].count: expected a number, got "many"'
		]);
	});

	it('throws one ScenarioError whose message lists every problem', () => {
		let error: unknown;
		try {
			parseScenario(text({ 8: '  - queue: sale', 14: '    count: -1' }), FILE);
		} catch (err) {
			error = err;
		}
		expect(error).toBeInstanceOf(ScenarioError);
		expect((error as Error).name).toBe('ScenarioError');
		expect((error as Error).message).toBe(
			[
				'2 problems in scenarios/x.yaml:',
				'  scenarios/x.yaml:8:12: arrivals[0].queue: no queue "sale" (did you mean "sales"?)',
				'  scenarios/x.yaml:14:12: agents[0].count: expected a number >= 0, got -1'
			].join('\n')
		);
	});

	it('follows merge keys to where a merged setting is written', () => {
		const source = [
			'x-defaults: &defaults', //                              1
			'  handleTime: { dist: exponential, mean: soon }', //    2
			'name: merged', //                                       3
			'horizon: 1h', //                                        4
			'patience: 2m', //                                       5
			'queues:', //                                            6
			'  - id: sales', //                                      7
			'    <<: *defaults', //                                  8
			'arrivals: [{ queue: sales, perHour: 10 }]', //          9
			'agents: [{ group: team, count: 1, skills: [sales] }]' // 10
		].join('\n');
		expect(lines(source)).toEqual([
			'scenarios/x.yaml:2:42: queues[0].handleTime.mean: expected a duration like "20s", "4m" or "1h30m", got "soon"'
		]);
		const fixed = source.replace('mean: soon', 'mean: 4m');
		expect(parseScenario(fixed, FILE).queues[0]?.handleTime).toEqual({ dist: 'exponential', mean: 240_000 });
	});

	it('rejects an empty file and a document that is not a mapping', () => {
		expect(lines('# nothing here\n')).toEqual([
			'scenarios/x.yaml:1:1: the file is empty: expected a scenario (name, horizon, queues, arrivals, agents)'
		]);
		expect(lines('- a\n- b\n')).toEqual(['scenarios/x.yaml:1:1: expected a mapping (key: value lines), got an array of 2']);
	});

	it('refuses alias bombs', () => {
		const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
		for (let i = 0; i < 8; i++) bomb.push(`${'bcdefghi'[i]}: &${'bcdefghi'[i]} [${Array(10).fill(`*${'abcdefgh'[i]}`).join(', ')}]`);
		const issues = problems(bomb.join('\n'));
		expect(issues).toHaveLength(1);
		expect(issues[0]?.message).toMatch(/^YAML: .*alias/i);
	});

	it('refuses text over 1 MB', () => {
		const big = `${text()}# ${'x'.repeat(MAX_SCENARIO_BYTES)}\n`;
		expect(lines(big)).toEqual(['scenarios/x.yaml: the file is 1.0 MB; scenario files are limited to 1 MB']);
	});
});

describe('loadScenario', () => {
	const dir = mkdtempSync(join(tmpdir(), 'heatboard-scenario-'));
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it('loads a file and names it in the scenario', () => {
		const path = join(dir, 'ok.yaml');
		writeFileSync(path, text());
		expect(loadScenario(path)).toMatchObject({ name: 'single queue', file: path });
	});

	it('names the file in every problem', () => {
		const path = join(dir, 'bad.yaml');
		writeFileSync(path, text({ 14: '    count: -1' }));
		expect(() => loadScenario(path)).toThrow(`${path}:14:12: agents[0].count: expected a number >= 0, got -1`);
	});

	it('refuses a file over 1 MB before reading it', () => {
		const path = join(dir, 'big.yaml');
		writeFileSync(path, `${text()}# ${'x'.repeat(2 * MAX_SCENARIO_BYTES)}\n`);
		expect(() => loadScenario(path)).toThrow(`${path}: the file is 2.0 MB; scenario files are limited to 1 MB`);
	});
});
