import { readFileSync, statSync } from 'node:fs';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { formatPath, ScenarioError, type PathIssue, type PathSegment, type ScenarioIssue } from './issues';
import { validateScenario } from './schema';
import type { Scenario } from './types';
import { loadExpressionSupport } from '../../src/lib/engine/value/expression';

/** Scenario files are small; anything bigger is a mistake (or an attack on the parser). */
export const MAX_SCENARIO_BYTES = 1024 * 1024;

/** Reads, parses, validates and resolves a scenario file; throws ScenarioError listing every problem. */
export function loadScenario(path: string): Scenario {
	const size = statSync(path).size;
	if (size > MAX_SCENARIO_BYTES) throw tooBig(path, size);
	return parseScenario(readFileSync(path, 'utf8'), path);
}

/**
 * Like loadScenario, and first loads mathjs when the file may hold an expression curve (mathjs is
 * slow to load, so the plain path never pays for it).
 */
export async function loadScenarioFile(path: string): Promise<Scenario> {
	const size = statSync(path).size;
	if (size > MAX_SCENARIO_BYTES) throw tooBig(path, size);
	const text = readFileSync(path, 'utf8');
	if (/\bexpression\b/.test(text)) await loadExpressionSupport();
	return parseScenario(text, path);
}

/** Parses scenario YAML; `file` names it in messages. Throws ScenarioError listing every problem. */
export function parseScenario(text: string, file: string): Scenario {
	const bytes = Buffer.byteLength(text, 'utf8');
	if (bytes > MAX_SCENARIO_BYTES) throw tooBig(file, bytes);

	const lineCounter = new LineCounter();
	// merge: `<<: *defaults` is the natural way to share settings between queues in YAML.
	const doc = parseDocument(text, { lineCounter, merge: true, prettyErrors: false });
	if (doc.errors.length > 0) {
		throw new ScenarioError(
			doc.errors.map((e) => {
				const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
				return { file, line: pos.line, column: pos.col, path: '', message: `YAML syntax: ${firstLine(e.message)}` };
			})
		);
	}

	let raw: unknown;
	try {
		raw = doc.toJS({ maxAliasCount: 100 });
	} catch (err) {
		// e.g. an alias bomb: "Excessive alias count indicates a resource exhaustion attack"
		throw new ScenarioError([
			{ file, line: undefined, column: undefined, path: '', message: `YAML: ${err instanceof Error ? err.message : String(err)}` }
		]);
	}
	if (raw === null || raw === undefined) {
		throw new ScenarioError([
			{ file, line: 1, column: 1, path: '', message: 'the file is empty: expected a scenario (name, horizon, queues, arrivals, agents)' }
		]);
	}

	const r = validateScenario(raw, file);
	if (r.ok) return r.scenario;
	throw new ScenarioError(locate(r.issues, doc, lineCounter, file));
}

function tooBig(file: string, bytes: number): ScenarioError {
	const mb = (bytes / (1024 * 1024)).toFixed(1);
	return new ScenarioError([
		{ file, line: undefined, column: undefined, path: '', message: `the file is ${mb} MB; scenario files are limited to 1 MB` }
	]);
}

function firstLine(message: string): string {
	return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/** Line and column of each issue, sorted by position (file order reads best). */
function locate(issues: PathIssue[], doc: Document, lineCounter: LineCounter, file: string): ScenarioIssue[] {
	const located = issues.map((issue, i) => {
		const offset = offsetOf(doc, issue.path, issue.at ?? 'value');
		const pos = offset === undefined ? undefined : lineCounter.linePos(offset);
		return {
			order: i,
			issue: {
				file,
				line: pos?.line,
				column: pos?.col,
				path: formatPath(issue.path),
				message: issue.message
			} satisfies ScenarioIssue
		};
	});
	located.sort((a, b) => (a.issue.line ?? 0) - (b.issue.line ?? 0) || (a.issue.column ?? 0) - (b.issue.column ?? 0) || a.order - b.order);
	return located.map((l) => l.issue);
}

/**
 * Where `path` is in the document: the value's start, or the key's for `at: 'key'`. A path that
 * does not exist (a missing field) points at the deepest part that does, i.e. the mapping that
 * should hold it.
 */
function offsetOf(doc: Document, path: readonly PathSegment[], at: 'key' | 'value'): number | undefined {
	let node: Node | null = doc.contents;
	let keyNode: Node | null = null;
	let best = node?.range?.[0];
	for (const seg of path) {
		node = resolve(doc, node);
		const next = child(doc, node, seg);
		if (next === undefined) return best;
		({ key: keyNode, value: node } = next);
		best = node?.range?.[0] ?? keyNode?.range?.[0] ?? best;
	}
	if (at === 'key' && keyNode?.range) return keyNode.range[0];
	return best;
}

function resolve(doc: Document, node: Node | null): Node | null {
	return isAlias(node) ? ((node.resolve(doc) as Node | undefined) ?? null) : node;
}

function child(doc: Document, node: Node | null, seg: PathSegment): { key: Node | null; value: Node | null } | undefined {
	if (isSeq(node) && typeof seg === 'number') {
		const item = node.items[seg];
		return item === undefined ? undefined : { key: null, value: item as Node | null };
	}
	if (!isMap(node)) return undefined;
	for (const pair of node.items) {
		const key = pair.key as Node | null;
		if (isScalar(key) && String(key.value) === String(seg)) return { key, value: pair.value as Node | null };
	}
	// a field that came in through `<<: *defaults`
	for (const pair of node.items) {
		if (isScalar(pair.key) && typeof pair.key.value === 'symbol' && pair.key.source === '<<') {
			const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
			for (const source of sources) {
				const found = child(doc, resolve(doc, source as Node | null), seg);
				if (found !== undefined) return found;
			}
		}
	}
	return undefined;
}
