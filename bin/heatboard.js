#!/usr/bin/env node
// The CLI is TypeScript: it runs bundled into one module by esbuild (cached under node_modules/.cache,
// rebuilt when a source changes), so users need no build step and the simulator runs faster than
// loaded file by file through tsx.
import { importBundled } from '../simulator/bundle.mjs';

const { main } = await importBundled('simulator/cli/index.ts');
const code = await main(process.argv.slice(2), {
	out: (s) => process.stdout.write(s),
	err: (s) => process.stderr.write(s),
	tty: Boolean(process.stderr.isTTY),
	cwd: process.cwd()
});
process.exitCode = code;
