import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBoardConfig } from './board-config';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const paths = { cwd: path.join(repoRoot, 'scenarios'), repoRoot };

describe('parseBoardConfig', () => {
	it('defaults to multi-skill.yaml from the repository, real time, the scenario seed, 10:00', () => {
		expect(parseBoardConfig({}, paths)).toEqual({
			scenarioPath: path.join(repoRoot, 'scenarios/multi-skill.yaml'),
			speed: 1,
			seed: undefined,
			warmStartMs: 10 * 3_600_000,
			replay: null
		});
		expect(parseBoardConfig({ HEATBOARD_SPEED: '  ', HEATBOARD_SEED: '' }, paths).speed).toBe(1);
	});

	it('reads each variable; a relative scenario is taken from the working directory', () => {
		const config = parseBoardConfig(
			{ HEATBOARD_SCENARIO: 'law-firm.yaml', HEATBOARD_SPEED: '2.5', HEATBOARD_SEED: '4294967295', HEATBOARD_WARM_START: '9:05' },
			paths
		);
		expect(config).toEqual({
			scenarioPath: path.join(repoRoot, 'scenarios/law-firm.yaml'),
			speed: 2.5,
			seed: 4294967295,
			warmStartMs: (9 * 60 + 5) * 60_000,
			replay: null
		});
		expect(parseBoardConfig({ HEATBOARD_SCENARIO: path.join(repoRoot, 'scenarios/reference.yaml') }, paths).scenarioPath).toBe(
			path.join(repoRoot, 'scenarios/reference.yaml')
		);
	});

	it('names every bad value at once, with what was expected', () => {
		let message = '';
		try {
			parseBoardConfig(
				{ HEATBOARD_SCENARIO: 'nope.yaml', HEATBOARD_SPEED: 'fast', HEATBOARD_SEED: '-3', HEATBOARD_WARM_START: '25:00' },
				paths
			);
		} catch (err) {
			message = err instanceof Error ? err.message : String(err);
		}
		expect(message).toContain(`HEATBOARD_SCENARIO: no such file: ${path.join(repoRoot, 'scenarios/nope.yaml')}`);
		expect(message).toContain('HEATBOARD_SPEED must be a number above 0 and at most 10000, got "fast"');
		expect(message).toContain('HEATBOARD_SEED must be an integer from 0 to 4294967295, got "-3"');
		expect(message).toContain('HEATBOARD_WARM_START must be a time of day like "10:00", got "25:00"');
	});

	it.each([['0'], ['10001'], ['1e3'], ['0x10'], ['-1']])('refuses HEATBOARD_SPEED=%s', (speed) => {
		expect(() => parseBoardConfig({ HEATBOARD_SPEED: speed }, paths)).toThrow(/HEATBOARD_SPEED/);
	});

	it('refuses a scenario path that is a directory, and a seed past 32 bits or with a fraction', () => {
		expect(() => parseBoardConfig({ HEATBOARD_SCENARIO: '.' }, paths)).toThrow(/HEATBOARD_SCENARIO: not a file/);
		expect(() => parseBoardConfig({ HEATBOARD_SEED: '4294967296' }, paths)).toThrow(/HEATBOARD_SEED/);
		expect(() => parseBoardConfig({ HEATBOARD_SEED: '1.5' }, paths)).toThrow(/HEATBOARD_SEED/);
	});

	it('HEATBOARD_REPLAY names a journal (taken from the working directory) to replay, with its start time and paused flag', () => {
		expect(parseBoardConfig({ HEATBOARD_REPLAY: 'law-firm.yaml' }, paths).replay).toEqual({
			path: path.join(repoRoot, 'scenarios/law-firm.yaml'),
			fromMs: undefined,
			paused: false
		});
		const config = parseBoardConfig(
			{ HEATBOARD_REPLAY: '../README.md', HEATBOARD_REPLAY_FROM: '9:30', HEATBOARD_REPLAY_PAUSED: 'true', HEATBOARD_SPEED: '30' },
			paths
		);
		expect(config.replay).toEqual({ path: path.join(repoRoot, 'README.md'), fromMs: (9 * 60 + 30) * 60_000, paused: true });
		expect(config.speed).toBe(30);
		expect(parseBoardConfig({ HEATBOARD_REPLAY: '../README.md', HEATBOARD_REPLAY_PAUSED: '0' }, paths).replay?.paused).toBe(false);
	});

	it('names every bad replay setting at once', () => {
		let message = '';
		try {
			parseBoardConfig({ HEATBOARD_REPLAY: 'day.ndjson', HEATBOARD_REPLAY_FROM: '9am', HEATBOARD_REPLAY_PAUSED: 'yes' }, paths);
		} catch (err) {
			message = err instanceof Error ? err.message : String(err);
		}
		expect(message).toContain(`HEATBOARD_REPLAY: no such file: ${path.join(repoRoot, 'scenarios/day.ndjson')}`);
		expect(message).toContain('HEATBOARD_REPLAY_FROM must be a time of day like "09:00", got "9am"');
		expect(message).toContain('HEATBOARD_REPLAY_PAUSED must be 1, 0, true or false, got "yes"');
		expect(() => parseBoardConfig({ HEATBOARD_REPLAY_FROM: '09:00' }, paths)).toThrow(
			/HEATBOARD_REPLAY_FROM is set but HEATBOARD_REPLAY \(the journal to replay\) is not/
		);
	});
});
