import { fileURLToPath } from 'node:url';
import { main } from './index';
import type { CliIo } from './io';

/** The repository root: CLI specs run commands from here, as a user in a clone would. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Run {
	code: number;
	out: string;
	err: string;
}

/** The real CLI in-process, with buffers for its streams (for specs). */
export async function cli(...argv: string[]): Promise<Run> {
	let out = '';
	let err = '';
	const io: CliIo = { out: (s) => void (out += s), err: (s) => void (err += s), tty: false, cwd: ROOT };
	const code = await main(argv, io);
	return { code, out, err };
}
