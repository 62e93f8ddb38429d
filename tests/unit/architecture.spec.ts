import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/*
 * src/lib/engine must stay pure (see notes: no I/O, no wall clock, no ambient randomness) so the same
 * engine runs in the server, the simulator and replays with identical results. This spec enforces it.
 * It parses with the TypeScript compiler instead of grepping, so comments, strings and method calls
 * such as `math.import(...)` cannot cause false alarms, and every import form is seen.
 */

interface Violation {
	file: string;
	line: number;
	message: string;
}

const ENGINE_DIR = 'src/lib/engine';
const SERVER_DIR = 'src/lib/server';
const FORBIDDEN_PACKAGES = ['socket.io', 'socket.io-client', 'ioredis'];
const NODE_BUILTINS = new Set(builtinModules);

function importViolation(file: string, specifier: string): string | undefined {
	if (specifier.startsWith('node:')) return `imports Node builtin '${specifier}'`;
	const [first = '', second] = specifier.split('/');
	const packageName = first.startsWith('@') && second !== undefined ? `${first}/${second}` : first;
	if (NODE_BUILTINS.has(specifier) || NODE_BUILTINS.has(packageName)) return `imports Node builtin '${specifier}'`;
	if (FORBIDDEN_PACKAGES.includes(packageName)) return `imports I/O package '${specifier}'`;
	if (specifier === '$lib/server' || specifier.startsWith('$lib/server/')) return `imports server code '${specifier}'`;
	if (specifier.startsWith('.')) {
		const target = path.posix.join(path.posix.dirname(file), specifier);
		if (target === SERVER_DIR || target.startsWith(`${SERVER_DIR}/`)) return `imports server code '${specifier}'`;
	}
	return undefined;
}

/** `Date.now`, `globalThis.performance.now`, `Math['random']`...: the name an access is made on. */
function accessedOn(node: ts.Expression): string | undefined {
	if (ts.isIdentifier(node)) return node.text;
	if (ts.isPropertyAccessExpression(node)) return node.name.text;
	return undefined;
}

function memberName(node: ts.PropertyAccessExpression | ts.ElementAccessExpression): string | undefined {
	if (ts.isPropertyAccessExpression(node)) return node.name.text;
	return ts.isStringLiteralLike(node.argumentExpression) ? node.argumentExpression.text : undefined;
}

// A Map, not an object literal: owners like `constructor` must not hit Object.prototype.
const NONDETERMINISTIC: ReadonlyMap<string, readonly string[]> = new Map([
	['Date', ['now']],
	['performance', ['now']],
	['Math', ['random']],
	['crypto', ['randomUUID', 'getRandomValues']]
]);

function timeOrRandomViolation(node: ts.Node): string | undefined {
	if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
		const owner = accessedOn(node.expression);
		const member = memberName(node);
		if (owner !== undefined && member !== undefined && NONDETERMINISTIC.get(owner)?.includes(member)) {
			return `uses ${owner}.${member}; take time and random streams as parameters`;
		}
	}
	if (ts.isNewExpression(node) && accessedOn(node.expression) === 'Date' && (node.arguments?.length ?? 0) === 0) {
		return 'uses new Date() (reads the wall clock); take time as a parameter';
	}
	return undefined;
}

function moduleSpecifierOf(node: ts.Node): ts.Expression | undefined {
	if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return node.moduleSpecifier;
	if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
		return node.moduleReference.expression;
	}
	if (ts.isCallExpression(node)) {
		const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
		const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
		if (isDynamicImport || isRequire) return node.arguments[0];
	}
	return undefined;
}

/** Scans one file; `file` is repo-relative with forward slashes (it decides spec-ness and resolves `../`). */
function scanSource(file: string, source: string): Violation[] {
	const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
	const checkTimeAndRandom = !file.endsWith('.spec.ts');
	const violations: Violation[] = [];
	const report = (node: ts.Node, message: string) => {
		const line = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
		violations.push({ file, line, message });
	};

	const visit = (node: ts.Node): void => {
		const specifier = moduleSpecifierOf(node);
		if (specifier !== undefined) {
			if (ts.isStringLiteralLike(specifier)) {
				const message = importViolation(file, specifier.text);
				if (message !== undefined) report(node, message);
			} else if (ts.isCallExpression(node)) {
				report(node, 'loads a module from a computed specifier, which cannot be checked');
			}
		}
		if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
			const message = importViolation(file, node.argument.literal.text);
			if (message !== undefined) report(node, message);
		}
		if (checkTimeAndRandom) {
			const message = timeOrRandomViolation(node);
			if (message !== undefined) report(node, message);
		}
		ts.forEachChild(node, visit);
	};
	visit(sourceFile);
	return violations;
}

function listTypeScriptFiles(repoRoot: string, dir: string): string[] {
	const entries = readdirSync(path.join(repoRoot, dir), { recursive: true, encoding: 'utf8' });
	return entries
		.filter((entry) => entry.endsWith('.ts'))
		.map((entry) => path.posix.join(dir, entry.split(path.sep).join('/')))
		.sort();
}

function scanTree(repoRoot: string, dir: string): { files: string[]; violations: Violation[] } {
	const files = listTypeScriptFiles(repoRoot, dir);
	const violations = files.flatMap((file) => scanSource(file, readFileSync(path.join(repoRoot, file), 'utf8')));
	return { files, violations };
}

const format = (v: Violation) => `${v.file}:${v.line}: ${v.message}`;
const messagesFor = (file: string, source: string) => scanSource(file, source).map((v) => v.message);

describe('engine purity (src/lib/engine)', () => {
	it('has no I/O imports, wall-clock reads or ambient randomness', () => {
		const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
		const { files, violations } = scanTree(repoRoot, ENGINE_DIR);
		// Guards against a wrong root silently scanning nothing.
		expect(files.length).toBeGreaterThan(0);
		expect(violations.map(format)).toEqual([]);
	});
});

describe('purity scanner', () => {
	const engineFile = 'src/lib/engine/queue.ts';

	it.each([
		["import fs from 'fs';", "imports Node builtin 'fs'"],
		["import { readFile } from 'node:fs/promises';", "imports Node builtin 'node:fs/promises'"],
		["import { join } from 'path/posix';", "imports Node builtin 'path/posix'"],
		["import 'crypto';", "imports Node builtin 'crypto'"],
		["export { EventEmitter } from 'events';", "imports Node builtin 'events'"],
		["export * from 'node:os';", "imports Node builtin 'node:os'"],
		["const fs = await import('fs');", "imports Node builtin 'fs'"],
		["const cp = require('child_process');", "imports Node builtin 'child_process'"],
		["import net = require('net');", "imports Node builtin 'net'"],
		["type Fs = typeof import('node:fs');", "imports Node builtin 'node:fs'"],
		["import { Server } from 'socket.io';", "imports I/O package 'socket.io'"],
		["import type { Socket } from 'socket.io-client';", "imports I/O package 'socket.io-client'"],
		["import Redis from 'ioredis';", "imports I/O package 'ioredis'"],
		["import { hub } from '$lib/server/hub';", "imports server code '$lib/server/hub'"],
		["import * as server from '$lib/server';", "imports server code '$lib/server'"],
		["import { io } from '../server';", "imports server code '../server'"],
		["import { io } from '../server/http';", "imports server code '../server/http'"],
		['const name = "fs"; await import(name);', 'loads a module from a computed specifier, which cannot be checked']
	])('flags %s', (source, expected) => {
		expect(messagesFor(engineFile, source)).toEqual([expected]);
	});

	it('resolves relative imports from the importing file, so a deeper ../../server is caught too', () => {
		expect(messagesFor('src/lib/engine/util/heap.ts', "import { io } from '../../server';")).toEqual([
			"imports server code '../../server'"
		]);
		// From a subfolder, ../server is a sibling inside the engine, which is fine.
		expect(messagesFor('src/lib/engine/util/heap.ts', "import { x } from '../server';")).toEqual([]);
	});

	it.each([
		['Date.now()', 'uses Date.now; take time and random streams as parameters'],
		['performance.now()', 'uses performance.now; take time and random streams as parameters'],
		['Math.random()', 'uses Math.random; take time and random streams as parameters'],
		["Math['random']()", 'uses Math.random; take time and random streams as parameters'],
		['globalThis.Date.now()', 'uses Date.now; take time and random streams as parameters'],
		['const clock = { now: Date.now };', 'uses Date.now; take time and random streams as parameters'],
		['crypto.randomUUID()', 'uses crypto.randomUUID; take time and random streams as parameters'],
		['new Date()', 'uses new Date() (reads the wall clock); take time as a parameter']
	])('flags %s outside specs', (source, expected) => {
		expect(messagesFor(engineFile, source)).toEqual([expected]);
		expect(messagesFor('src/lib/engine/queue.spec.ts', source)).toEqual([]);
	});

	it('still applies the import rules to spec files', () => {
		expect(messagesFor('src/lib/engine/queue.spec.ts', "import { readFileSync } from 'node:fs';")).toEqual([
			"imports Node builtin 'node:fs'"
		]);
	});

	it('accepts pure code, including look-alikes in comments, strings and method names', () => {
		const source = [
			"import { z } from 'zod';",
			"import { create, all } from 'mathjs';",
			"import { KeyedHeap } from './util/heap';",
			"import type { HeatEvent } from './events';",
			"import path from './path';",
			"import { pathe } from 'pathe';",
			'// Date.now() and Math.random() are injected instead, so replays are deterministic.',
			'const doc = "import fs from \'fs\'; Math.random()";',
			'const math = create(all);',
			'const kind = math.constructor.name;',
			"math.import({ import: () => { throw new Error('disabled'); } }, { override: true });",
			'export function advance(nowMs: number, rng: () => number) { return new Date(nowMs).getTime() + rng(); }'
		].join('\n');
		expect(scanSource(engineFile, source)).toEqual([]);
	});

	it('reports file and line for every violation', () => {
		const source = ["import { z } from 'zod';", '', "import fs from 'node:fs';", 'export const t = Date.now();'].join('\n');
		expect(scanSource(engineFile, source).map(format)).toEqual([
			"src/lib/engine/queue.ts:3: imports Node builtin 'node:fs'",
			'src/lib/engine/queue.ts:4: uses Date.now; take time and random streams as parameters'
		]);
	});

	it('finds a violation planted in a nested file on disk', () => {
		const root = mkdtempSync(path.join(tmpdir(), 'heatboard-arch-'));
		try {
			mkdirSync(path.join(root, ENGINE_DIR, 'deep/er'), { recursive: true });
			writeFileSync(path.join(root, ENGINE_DIR, 'clean.ts'), 'export const one = 1;\n');
			writeFileSync(path.join(root, ENGINE_DIR, 'deep/er/leak.ts'), "export const x = 1;\nimport 'node:net';\n");
			writeFileSync(path.join(root, ENGINE_DIR, 'deep/notes.md'), "import 'node:net';\n");
			const { files, violations } = scanTree(root, ENGINE_DIR);
			expect(files).toEqual([`${ENGINE_DIR}/clean.ts`, `${ENGINE_DIR}/deep/er/leak.ts`]);
			expect(violations.map(format)).toEqual([`${ENGINE_DIR}/deep/er/leak.ts:2: imports Node builtin 'node:net'`]);
		} finally {
			rmSync(root, { recursive: true, force: true });
		}
	});
});
