#!/usr/bin/env node
// The CLI is TypeScript; tsx compiles it on the fly so users need no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../simulator/cli/index.ts');
const code = await main(process.argv.slice(2), {
	out: (s) => process.stdout.write(s),
	err: (s) => process.stderr.write(s),
	tty: Boolean(process.stderr.isTTY),
	cwd: process.cwd()
});
process.exitCode = code;
