import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { bundleThreadExecArgv } from './thread-argv';
import type { Scenario } from '../scenario/types';
import { oneQueueScenario } from '../../tests/support/one-queue';

const run = promisify(execFile);
const H = 3_600_000;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** the execArgv `npm run bench` (the tsx CLI) gives its process */
const TSX_CLI = ['--require', '/repo/node_modules/tsx/dist/preflight.cjs', '--import', 'file:///repo/node_modules/tsx/dist/loader.mjs'];

describe('bundleThreadExecArgv', () => {
	it('leaves tsx out, however it was loaded', () => {
		expect(bundleThreadExecArgv(TSX_CLI)).toEqual([]);
		expect(bundleThreadExecArgv(['--import', 'tsx'])).toEqual([]);
		expect(bundleThreadExecArgv(['--import=tsx', '--loader', 'tsx/esm', '-r', 'tsx/cjs'])).toEqual([]);
	});

	it('keeps source maps and package conditions, and nothing a Worker refuses', () => {
		const parent = [
			'--max-old-space-size=4096',
			'--enable-source-maps',
			'--conditions',
			'development',
			'--expose-gc',
			'-C=x',
			'--import',
			'tsx'
		];
		expect(bundleThreadExecArgv(parent)).toEqual(['--enable-source-maps', '--conditions', 'development', '-C=x']);
	});

	it('under `node --import tsx`, pool workers run jobs and a thread started with these options has no tsx', async () => {
		const scenario: Scenario = oneQueueScenario({ name: 'argv', hours: 1, perHour: 200, ahtS: 180, agents: 10, intervalMs: H });
		const here = (f: string) => JSON.stringify(new URL(f, import.meta.url).href);
		const tsFile = JSON.stringify(fileURLToPath(new URL('./thread-argv.ts', import.meta.url)));
		// require() of a .ts file works only where tsx's hooks were loaded: the probe tells a thread with tsx from one without
		// (dynamic imports: the thread that inherits --input-type=module reads it as a module, the other as a script)
		const probe = `(async () => {
			const { parentPort } = await import('node:worker_threads');
			const { createRequire } = await import('node:module');
			let tsx = false;
			try { tsx = typeof createRequire(${tsFile})(${tsFile}).bundleThreadExecArgv === 'function'; } catch {}
			parentPort.postMessage({ execArgv: process.execArgv, tsx });
		})();`;
		const script = `
			import { Worker } from 'node:worker_threads';
			const { WorkerPool } = await import(${here('./pool.ts')});
			const { bundleThreadExecArgv } = await import(${here('./thread-argv.ts')});
			const pool = new WorkerPool(1);
			const summary = await pool.run({ scenario: ${JSON.stringify(scenario)}, seed: 3, agents: undefined });
			await pool.close();
			const ask = async (options) => {
				const w = new Worker(${JSON.stringify(probe)}, { eval: true, ...options });
				const m = await new Promise((resolve, reject) => { w.once('message', resolve); w.once('error', reject); });
				await w.terminate();
				return m;
			};
			const inherited = await ask({});
			const bundle = await ask({ execArgv: bundleThreadExecArgv() });
			process.stdout.write(JSON.stringify({ offered: summary.totals.offered, inherited, bundle }));`;
		const { stdout } = await run(
			process.execPath,
			['--max-old-space-size=1024', '--enable-source-maps', '--import', 'tsx', '--input-type=module', '-e', script],
			{ cwd: ROOT, timeout: 60_000 }
		);
		const out = JSON.parse(stdout) as {
			offered: number;
			inherited: { execArgv: string[]; tsx: boolean };
			bundle: { execArgv: string[]; tsx: boolean };
		};
		// a V8 flag passed on explicitly would have made every worker fail to start
		expect(out.offered).toBeGreaterThan(0);
		expect(out.inherited.tsx).toBe(true);
		expect(out.bundle).toEqual({ execArgv: ['--enable-source-maps'], tsx: false });
	}, 60_000);
});
