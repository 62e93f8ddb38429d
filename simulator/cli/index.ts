import { simulateCommand, SIMULATE_USAGE } from './simulate';
import { erlangCommand, ERLANG_USAGE } from './erlang';
import { checkCommand, CHECK_USAGE } from './check';
import { importCommand, IMPORT_USAGE } from '../import/command';
import { sweepCommand, SWEEP_USAGE } from './sweep';
import { replayCommand, REPLAY_USAGE } from './replay';
import { UsageError, type CliIo } from './io';

const COMMANDS: Record<string, { run: (argv: string[], io: CliIo) => Promise<number>; usage: string }> = {
	simulate: { run: simulateCommand, usage: SIMULATE_USAGE },
	erlang: { run: erlangCommand, usage: ERLANG_USAGE },
	check: { run: checkCommand, usage: CHECK_USAGE },
	sweep: { run: sweepCommand, usage: SWEEP_USAGE },
	import: { run: importCommand, usage: IMPORT_USAGE },
	replay: { run: replayCommand, usage: REPLAY_USAGE }
};

export const USAGE = `Heatboard: a wallboard and simulation harness for contact centers that live on hot calls.

Usage:
  ${Object.values(COMMANDS)
		.map((c) => c.usage)
		.join('\n  ')}
`;

/** Runs a command; returns the exit code (2 for bad input, with the reason on stderr). */
export async function main(argv: string[], io: CliIo): Promise<number> {
	const [name, ...rest] = argv;
	if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
		io.out(USAGE);
		return name === undefined ? 2 : 0;
	}
	const cmd = COMMANDS[name];
	if (cmd === undefined) {
		io.err(`heatboard: unknown command "${name}"\n\n${USAGE}`);
		return 2;
	}
	if (rest.includes('--help') || rest.includes('-h')) {
		io.out(`usage: ${cmd.usage}\n`);
		return 0;
	}
	try {
		return await cmd.run(rest, io);
	} catch (err) {
		// bad arguments and bad scenario files are the user's to fix: say what and where, exit 2
		const message = err instanceof Error ? err.message : String(err);
		const isInput =
			err instanceof UsageError ||
			(err instanceof Error &&
				(err.name === 'ScenarioError' ||
					(err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ||
					(err as { code?: string }).code === 'ENOENT'));
		io.err(`heatboard ${name}: ${message}\n${isInput ? `usage: ${cmd.usage}\n` : ''}`);
		return isInput ? 2 : 1;
	}
}
