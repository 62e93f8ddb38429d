import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundle, importBundled } from './bundle.mjs';

/** Real files in a temp root, real esbuild, real child processes. */

const REPO = fileURLToPath(new URL('../', import.meta.url));
const BUNDLE_MJS = fileURLToPath(new URL('./bundle.mjs', import.meta.url));

let root: string;
let cacheDir: string;
const extraDirs: string[] = [];

beforeAll(() => {
	root = mkdtempSync(path.join(tmpdir(), 'heatboard-bundle-'));
	cacheDir = path.join(root, 'cache');
	writeFileSync(path.join(root, 'tsconfig.json'), '{ "compilerOptions": { "strict": true } }\n');
	// packages stay external: the bundle must find them from wherever it is written
	symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'), 'dir');
});
afterAll(() => {
	rmSync(root, { recursive: true, force: true });
	for (const d of extraDirs) rmSync(d, { recursive: true, force: true });
});

/**
 * Written a while ago, as far as the cache can tell: a file changed just before or while a bundle
 * is built is recorded as unknown, and the next call rebuilds (tested below).
 */
function write(rel: string, text: string, ageSeconds = 5): void {
	const file = path.join(root, rel);
	mkdirSync(path.dirname(file), { recursive: true });
	writeFileSync(file, text);
	const t = Date.now() / 1000 - ageSeconds;
	utimesSync(file, t, t);
}

type Manifest = { hash: string; builtAt: string; inputs: Array<[string, number, number]> };
const manifest = (name: string) => JSON.parse(readFileSync(path.join(cacheDir, `${name}.json`), 'utf8')) as Manifest;

describe('importBundled', () => {
	it('bundles a TypeScript entry and its imports into one cached module and imports it', async () => {
		write('a/b.ts', 'export const base: number = 40;\n');
		write('a/entry.ts', "import { base } from './b';\nexport const value: number = base + 2;\n");
		const m = await importBundled<{ value: number }>('a/entry.ts', { root, cacheDir });
		expect(m.value).toBe(42);
		expect(
			manifest('a-entry')
				.inputs.map(([f]) => f)
				.sort()
		).toEqual(['a/b.ts', 'a/entry.ts']);
		expect(readFileSync(path.join(cacheDir, 'a-entry.mjs'), 'utf8')).not.toContain('import { base }');
	});

	it('reuses the cache while the inputs are unchanged, and rebuilds when one changes', async () => {
		write('r/b.ts', 'export const n: number = 1;\n');
		write('r/entry.ts', "export { n as value } from './b';\n");
		const first = await bundle('r/entry.ts', { root, cacheDir });
		expect(first.built).toBe(true);
		const builtAt = manifest('r-entry').builtAt;

		const again = await bundle('r/entry.ts', { root, cacheDir });
		expect(again).toEqual({ ...first, built: false });
		expect(manifest('r-entry').builtAt).toBe(builtAt);
		expect((await importBundled<{ value: number }>('r/entry.ts', { root, cacheDir })).value).toBe(1);

		// a different size, so the change shows even within the file system's mtime resolution
		write('r/b.ts', 'export const n: number = 1000;\n');
		expect((await importBundled<{ value: number }>('r/entry.ts', { root, cacheDir })).value).toBe(1000);
		expect(manifest('r-entry').hash).not.toBe(first.hash);
		expect((await bundle('r/entry.ts', { root, cacheDir })).built).toBe(false);
	});

	it('a file changed just before the build is not trusted: the next call builds again', async () => {
		write('j/entry.ts', 'export const value: number = 1;\n', 0);
		expect((await bundle('j/entry.ts', { root, cacheDir })).built).toBe(true);
		expect(manifest('j-entry').inputs).toEqual([['j/entry.ts', -1, -1]]);
		expect((await bundle('j/entry.ts', { root, cacheDir })).built).toBe(true);
	});

	it('rejects a syntax error naming the file and line', async () => {
		write('bad/broken.ts', 'export const ok = 1;\nexport const nope = (;\n');
		write('bad/entry.ts', "export { ok } from './broken';\n");
		await expect(importBundled('bad/entry.ts', { root, cacheDir })).rejects.toThrow(
			/could not bundle bad\/entry\.ts:\n.*bad\/broken\.ts:2:\d+: /
		);
	});

	it('keeps each module’s own import.meta.url, so files next to the sources are still found', async () => {
		write('u/deep/where.ts', 'export const here: string = import.meta.url;\n');
		write('u/entry.ts', "export { here } from './deep/where';\n");
		const m = await importBundled<{ here: string }>('u/entry.ts', { root, cacheDir });
		expect(m.here).toBe(pathToFileURL(path.join(root, 'u/deep/where.ts')).href);
	});

	it('falls back to a temp dir when the cache dir cannot be written, packages still found', async () => {
		write('f/entry.ts', "import { stringify } from 'yaml';\nexport const text: string = stringify({ a: 1 });\n");
		const blocked = path.join(root, 'a-file');
		writeFileSync(blocked, 'not a directory\n');
		const opts = { root, cacheDir: path.join(blocked, 'cache') };
		const b = await bundle('f/entry.ts', opts);
		extraDirs.push(path.dirname(b.file));
		expect(path.dirname(b.file).startsWith(tmpdir())).toBe(true);
		expect((await importBundled<{ text: string }>('f/entry.ts', opts)).text).toBe('a: 1\n');
		expect((await bundle('f/entry.ts', opts)).built).toBe(false);
	});

	it('two processes building at once both get a whole bundle', async () => {
		// big enough that writing it takes a while
		const lines = Array.from({ length: 20_000 }, (_, i) => `export const v${i}: number = ${i};`);
		write('c/big.ts', `${lines.join('\n')}\n`);
		write('c/entry.ts', "import * as big from './big';\nexport const count: number = Object.keys(big).length;\n");
		const script = `const { bundle, importBundled } = await import(${JSON.stringify(pathToFileURL(BUNDLE_MJS).href)});
const opts = { root: ${JSON.stringify(root)}, cacheDir: ${JSON.stringify(cacheDir)} };
const b = await bundle('c/entry.ts', opts);
const m = await importBundled('c/entry.ts', opts);
process.stdout.write(JSON.stringify({ built: b.built, count: m.count }));`;
		const child = () =>
			new Promise<{ code: number | null; out: string; err: string }>((resolve, reject) => {
				const p = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
				let out = '';
				let err = '';
				p.stdout.on('data', (d: Buffer) => (out += d.toString()));
				p.stderr.on('data', (d: Buffer) => (err += d.toString()));
				p.on('error', reject);
				p.on('close', (code) => resolve({ code, out, err }));
			});
		const runs = await Promise.all([child(), child()]);
		for (const r of runs) {
			expect(r.code, r.err).toBe(0);
			expect(JSON.parse(r.out)).toMatchObject({ count: 20_000 });
		}
		const text = readFileSync(path.join(cacheDir, 'c-entry.mjs'), 'utf8');
		expect(text.endsWith(`\n//# heatboard-bundle ${manifest('c-entry').hash}\n`)).toBe(true);
		expect((await bundle('c/entry.ts', { root, cacheDir })).built).toBe(false);
		expect((await importBundled<{ count: number }>('c/entry.ts', { root, cacheDir })).count).toBe(20_000);
	});
});

describe('the bundled CLI', () => {
	it('node bin/heatboard.js erlang --json prints the measures', () => {
		const args = ['erlang', '--model', 'c', '--arrivals-per-hour', '100', '--aht', '180', '--agents', '6', '--target', '20', '--json'];
		const r = spawnSync(process.execPath, [path.join(REPO, 'bin/heatboard.js'), ...args], { cwd: REPO, encoding: 'utf8', timeout: 30_000 });
		expect(r.status, r.stderr).toBe(0);
		expect(r.stderr).toBe('');
		const out = JSON.parse(r.stdout) as { model: string; agents: number; stable: boolean; occupancy: number };
		expect(out).toMatchObject({ model: 'c', agents: 6, stable: true });
		expect(out.occupancy).toBeCloseTo(100 / 120, 12);
	});
});
