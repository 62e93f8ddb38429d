import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBoardConfig } from './board-config';
import { createBoardSource } from './source-select';
import { bankJournal } from './replay/test-journals';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const H = 3_600_000;

describe('createBoardSource', () => {
	it('simulates the scenario when no journal is named', async () => {
		const config = parseBoardConfig({ HEATBOARD_SCENARIO: 'scenarios/law-firm.yaml', HEATBOARD_SPEED: '5' }, { cwd: repoRoot, repoRoot });
		const source = await createBoardSource(config, () => {});
		expect(source.info()).toMatchObject({ kind: 'simulator', speed: 5, paused: false });
	});

	it('replays HEATBOARD_REPLAY from HEATBOARD_REPLAY_FROM, and logs the bad lines once with file:line', async () => {
		const { path: journal } = await bankJournal('990507');
		// two broken lines in the middle of a real day: logged once, never fatal
		const lines = readFileSync(journal, 'utf8').split('\n');
		lines.splice(5, 0, '{"type":"call.arrived"', JSON.stringify({ type: 'call.arrived', id: 'x', t: 1 }));
		writeFileSync(journal, lines.join('\n'));
		const config = parseBoardConfig(
			{ HEATBOARD_REPLAY: journal, HEATBOARD_REPLAY_FROM: '10:00', HEATBOARD_SPEED: '20', HEATBOARD_REPLAY_PAUSED: '1' },
			{ cwd: repoRoot, repoRoot }
		);
		const logs: string[] = [];
		const source = await createBoardSource(config, (l) => logs.push(l));
		source.advance();
		expect(source.info()).toMatchObject({ kind: 'replay', name: path.basename(journal), speed: 20, paused: true });
		expect(source.now()).toBe(10 * H);
		const bad = logs.filter((l) => l.includes('bad line'));
		expect(bad).toHaveLength(1);
		expect(bad[0]).toContain(`journal ${journal}: 2 bad lines left out (notJson 1, invalid 1); first at ${journal}:6: `);
		expect(logs.some((l) => l.startsWith(`replaying ${path.basename(journal)}: `) && l.includes('starting paused at 10:00'))).toBe(true);
	});
});
