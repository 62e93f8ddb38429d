import type { z } from 'zod';
import { describeValue } from '../../src/lib/engine/value/curves';

export type PathSegment = string | number;

/** A problem found before positions are known: where in the scenario tree, and what is wrong. */
export interface PathIssue {
	path: PathSegment[];
	message: string;
	/** `key`: the problem is the key itself (an unknown field), so point at the key, not its value */
	at?: 'key' | 'value';
}

export interface ScenarioIssue {
	file: string | undefined;
	/** 1-based; undefined when the scenario did not come from text */
	line: number | undefined;
	/** 1-based */
	column: number | undefined;
	/** e.g. `queues[0].serviceLevel.seconds`; empty for the file as a whole */
	path: string;
	message: string;
}

/** Every problem of one scenario, not just the first. */
export class ScenarioError extends Error {
	override readonly name = 'ScenarioError';
	constructor(readonly issues: readonly ScenarioIssue[]) {
		super(formatIssues(issues));
	}
}

/** `queues[0].serviceLevel.seconds` */
export function formatPath(path: readonly PathSegment[]): string {
	let out = '';
	for (const seg of path) {
		if (typeof seg === 'number') out += `[${seg}]`;
		else out += out === '' ? seg : `.${seg}`;
	}
	return out;
}

/** `scenarios/x.yaml:12:7: queues[0].serviceLevel.seconds: expected ...` */
export function formatIssue(issue: ScenarioIssue): string {
	let where = issue.file ?? '';
	if (issue.line !== undefined) {
		where += `${where === '' ? 'line ' : ':'}${issue.line}`;
		if (issue.column !== undefined) where += `:${issue.column}`;
	}
	const parts = [where, issue.path, issue.message].filter((p) => p !== '');
	return parts.join(': ');
}

function formatIssues(issues: readonly ScenarioIssue[]): string {
	const file = issues[0]?.file;
	const head = issues.length === 1 ? `1 problem in ${file ?? 'the scenario'}:` : `${issues.length} problems in ${file ?? 'the scenario'}:`;
	return [head, ...issues.map((i) => `  ${formatIssue(i)}`)].join('\n');
}

/* ------------------------------------------------------------------------------------------ */
/* zod issues → path issues                                                                    */

/** A finalized zod issue, parsed with `reportInput: true`. */
type ZodIssue = z.core.$ZodIssue & { input?: unknown };

/** Field names of the object that raised an `unrecognized_keys` issue; set by `scenarioErrorMap`. */
interface KnownKeys {
	known?: readonly string[];
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
	string: 'text',
	number: 'a number',
	int: 'a whole number',
	boolean: 'true or false',
	object: 'a mapping (key: value lines)',
	array: 'a list',
	null: 'nothing'
};

function typeName(expected: string): string {
	return TYPE_NAMES[expected] ?? expected;
}

function show(value: unknown): string {
	return describeValue(value);
}

/** "expected X, got Y", or "missing (expected X)" for an absent field (which `issuesFromZod` names). */
export function expectation(what: string, input: unknown): string {
	return input === undefined ? `missing (expected ${what})` : `expected ${what}, got ${show(input)}`;
}

/**
 * Per-parse error map: plain "expected X, got Y" messages. Schemas that know better (durations,
 * distributions, curves) carry their own messages, which take precedence.
 */
export function scenarioErrorMap(iss: z.core.$ZodRawIssue): string | undefined {
	switch (iss.code) {
		case 'invalid_type':
			return expectation(typeName(iss.expected), iss.input);
		case 'too_small': {
			const min = Number(iss.minimum);
			if (iss.origin === 'array' || iss.origin === 'set') {
				return `expected at least ${min} item${min === 1 ? '' : 's'}, got ${Array.isArray(iss.input) ? iss.input.length : show(iss.input)}`;
			}
			if (iss.origin === 'string') return min === 1 ? 'expected non-empty text' : `expected at least ${min} characters`;
			return `expected a number ${iss.inclusive ? '>=' : '>'} ${min}, got ${show(iss.input)}`;
		}
		case 'too_big': {
			const max = Number(iss.maximum);
			if (iss.origin === 'array' || iss.origin === 'set') {
				return `expected at most ${max} items, got ${Array.isArray(iss.input) ? iss.input.length : show(iss.input)}`;
			}
			if (iss.origin === 'string') return `expected at most ${max} characters`;
			return `expected a number ${iss.inclusive ? '<=' : '<'} ${max}, got ${show(iss.input)}`;
		}
		case 'invalid_value':
			return `expected ${oneOf(iss.values.map((v) => String(v)))}, got ${show(iss.input)}`;
		case 'unrecognized_keys': {
			// Only the map sees which schema raised the issue; carry its field names to `issuesFromZod`.
			const shape = (iss.inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
			if (shape) (iss as KnownKeys).known = Object.keys(shape);
			return `unknown field${iss.keys.length === 1 ? '' : 's'} ${iss.keys.map((k) => JSON.stringify(k)).join(', ')}`;
		}
		case 'invalid_union': {
			const d = iss as { note?: string; discriminator?: string; options?: unknown[]; input?: unknown };
			if (d.discriminator !== undefined && d.options !== undefined) {
				const got = d.input !== null && typeof d.input === 'object' ? (d.input as Record<string, unknown>)[d.discriminator] : undefined;
				const choices = oneOf(d.options.map(String));
				return got === undefined
					? `missing "${d.discriminator}" (expected ${choices})`
					: `unknown ${d.discriminator} ${show(got)} (expected ${choices})`;
			}
			return `${show(iss.input)} fits none of the allowed forms`;
		}
		default:
			return undefined;
	}
}

function oneOf(values: readonly string[]): string {
	if (values.length === 1) return values[0]!;
	return `one of ${values.join(', ')}`;
}

/**
 * True when an option of a union rejected the input outright: the wrong type, or not the one
 * literal it stands for (`never`). Such an option was not a candidate for what the user meant.
 */
function typeMismatch(issues: readonly ZodIssue[]): boolean {
	return (
		issues.length > 0 &&
		issues.every(
			(i) =>
				i.path.length === 0 &&
				(i.code === 'invalid_type' ||
					i.code === 'invalid_value' ||
					(i.code === 'invalid_union' && !('discriminator' in i) && i.errors.every((e) => typeMismatch(e as ZodIssue[]))))
		)
	);
}

/**
 * Turns zod issues into path issues. A union whose input had the right type for exactly one of its
 * options reports that option's own issues (a bad `mean` inside `{ dist: exponential }`, not
 * "invalid input"); unknown fields become one issue per field, pointing at the key.
 */
export function issuesFromZod(issues: readonly ZodIssue[], prefix: readonly PathSegment[] = []): PathIssue[] {
	const out: PathIssue[] = [];
	for (const issue of issues) {
		const path = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
		if (issue.code === 'unrecognized_keys') {
			const known = (issue as KnownKeys).known ?? [];
			for (const key of issue.keys) {
				out.push({ path: [...path, key], message: unknownKeyMessage(key, known, path.length === 0), at: 'key' });
			}
			continue;
		}
		if (issue.code === 'invalid_union' && issue.errors.length > 0) {
			const candidates = issue.errors.filter((branch) => !typeMismatch(branch as ZodIssue[]));
			if (candidates.length === 1) {
				out.push(...issuesFromZod(candidates[0] as ZodIssue[], path));
				continue;
			}
		}
		const key = path[path.length - 1];
		if (issue.message.startsWith('missing (') && typeof key === 'string') {
			out.push({ path, message: `missing required field "${key}" ${issue.message.slice('missing '.length)}` });
			continue;
		}
		out.push({ path, message: issue.message });
	}
	return out;
}

function unknownKeyMessage(key: string, known: readonly string[], topLevel: boolean): string {
	const what = topLevel ? 'unknown top-level key' : 'unknown field';
	const near = closest(key, known);
	if (near !== undefined) return `${what} "${key}" (did you mean "${near}"?)`;
	const extensions = topLevel ? '; keys starting with x- are ignored' : '';
	return known.length > 0 ? `${what} "${key}" (expected one of ${known.join(', ')}${extensions})` : `${what} "${key}"`;
}

/** The candidate within a small edit distance of `word`, if there is one. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
	let best: string | undefined;
	let bestDistance = Infinity;
	const w = word.toLowerCase();
	for (const c of candidates) {
		const d = editDistance(w, c.toLowerCase());
		if (d < bestDistance) {
			best = c;
			bestDistance = d;
		}
	}
	const allowed = Math.max(1, Math.floor(Math.min(word.length, best?.length ?? 0) / 3));
	return bestDistance <= allowed ? best : undefined;
}

function editDistance(a: string, b: string): number {
	let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const cur = [i];
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
		}
		prev = cur;
	}
	return prev[b.length]!;
}
