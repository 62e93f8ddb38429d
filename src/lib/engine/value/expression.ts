import type { MathJsInstance, MathNode } from 'mathjs';

type MathJs = typeof import('mathjs');
let mathjs: MathJs | undefined;

/**
 * mathjs is large and takes seconds to load on a busy machine, and most scenarios never use an
 * expression curve: whoever builds one (a scenario loader, the server) awaits this first, and the
 * engine stays synchronous and out of the browser bundle's way.
 */
export async function loadExpressionSupport(): Promise<void> {
	mathjs ??= await import('mathjs');
}

/**
 * Expression curves come from scenario files and admin forms, so they are untrusted text.
 * mathjs can do far more than arithmetic (import, createUnit, evaluate, property access...);
 * instead of trying to block the dangerous parts we walk the parsed tree and accept only
 * a small whitelist, then compile that validated tree.
 */

export interface ExpressionOptions {
	/** Milliseconds from any origin; only differences are used. Without a clock there is no time limit. */
	clock?: () => number;
	/** Budget for sampling one expression, checked against `clock`. Default 1 s: generous, since a first mathjs run warms up slowly on a busy machine. */
	timeLimitMs?: number;
}

export const EXPRESSION_MAX_LENGTH = 500;
export const EXPRESSION_MAX_NODES = 200;
export const DEFAULT_EXPRESSION_TIME_LIMIT_MS = 1000;

export const EXPRESSION_FUNCTIONS: readonly string[] = Object.freeze([
	'exp',
	'log',
	'log10',
	'sqrt',
	'pow',
	'min',
	'max',
	'abs',
	'floor',
	'ceil',
	'round'
]);

const VARIABLES = new Set(['w', 'm']);
const CONSTANTS = new Set(['e', 'pi']);
const FUNCTIONS = new Set(EXPRESSION_FUNCTIONS);
const OPERATORS = new Set([
	'add',
	'subtract',
	'multiply',
	'divide',
	'mod',
	'pow',
	'unaryMinus',
	'unaryPlus',
	'smaller',
	'smallerEq',
	'larger',
	'largerEq',
	'equal',
	'unequal'
]);

const REJECTED_NODES: Readonly<Record<string, string>> = {
	AccessorNode: 'property or index access (a.b, a[1]) is not allowed',
	ArrayNode: 'matrices and arrays ([...]) are not allowed',
	AssignmentNode: 'assignment (x = ...) is not allowed',
	BlockNode: 'more than one statement (separated by ; or a new line) is not allowed',
	FunctionAssignmentNode: 'function definitions (f(x) = ...) are not allowed',
	IndexNode: 'indexing is not allowed',
	ObjectNode: 'objects ({...}) are not allowed',
	RangeNode: 'ranges (a:b) are not allowed',
	RelationalNode: 'chained comparisons (a < b < c) are not allowed; nest conditions with ?: instead'
};

export class ExpressionError extends Error {
	override readonly name = 'ExpressionError';
}

export interface CompiledExpression {
	readonly source: string;
	/** Value of the expression after waiting `waitSeconds`; throws ExpressionError unless it is a finite number. */
	evaluate(waitSeconds: number): number;
}

interface Sandbox {
	readonly math: MathJsInstance;
	readonly parse: (expr: string) => MathNode;
}

let sandbox: Sandbox | undefined;

/** Created on first use: most scenarios never use expression curves, and create(all) is not free. */
function getSandbox(): Sandbox {
	if (sandbox) return sandbox;
	if (mathjs === undefined) throw new ExpressionError('expression curves need mathjs: await loadExpressionSupport() before building one');
	const { all, create } = mathjs;
	// mathjs types `all` as possibly undefined (it is read from an index signature).
	if (!all) throw new Error('mathjs: the `all` factory set is missing');
	const math = create(all);
	const parse = math.parse;
	// Defence in depth behind the tree whitelist: even if a node slipped through, these stay dead.
	const disabled = (name: string) => () => {
		throw new ExpressionError(`function ${name} is disabled`);
	};
	math.import(
		{
			import: disabled('import'),
			createUnit: disabled('createUnit'),
			evaluate: disabled('evaluate'),
			parse: disabled('parse'),
			simplify: disabled('simplify'),
			derivative: disabled('derivative'),
			compile: disabled('compile'),
			resolve: disabled('resolve')
		},
		{ override: true }
	);
	sandbox = { math, parse: (expr) => parse(expr) };
	return sandbox;
}

/** Parses and whitelists `source`, then checks that it yields a finite number at w = 0. */
export function compileExpression(source: string): CompiledExpression {
	if (typeof source !== 'string') {
		throw new ExpressionError(`expected an expression string, got ${typeof source}`);
	}
	if (source.trim() === '') throw new ExpressionError('expected an expression, got an empty string');
	if (source.length > EXPRESSION_MAX_LENGTH) {
		throw new ExpressionError(`expression is ${source.length} characters long, the limit is ${EXPRESSION_MAX_LENGTH}`);
	}
	const { math, parse } = getSandbox();
	let root: MathNode;
	try {
		root = parse(source);
	} catch (err) {
		throw new ExpressionError(`cannot parse expression: ${errorMessage(err)}`);
	}
	const nodes = checkTree(math, root);
	if (nodes > EXPRESSION_MAX_NODES) {
		throw new ExpressionError(`expression has ${nodes} nodes, the limit is ${EXPRESSION_MAX_NODES}`);
	}
	const code = root.compile();
	const scope = new Map<string, number>([
		['w', 0],
		['m', 0]
	]);
	const compiled: CompiledExpression = {
		source,
		evaluate(waitSeconds: number): number {
			scope.set('w', waitSeconds);
			scope.set('m', waitSeconds / 60);
			let value: unknown;
			try {
				value = code.evaluate(scope);
			} catch (err) {
				throw new ExpressionError(`expression failed at w = ${waitSeconds} s: ${errorMessage(err)}`);
			}
			if (typeof value !== 'number' || !Number.isFinite(value)) {
				throw new ExpressionError(`expression gave ${describeResult(value)} at w = ${waitSeconds} s, expected a finite number`);
			}
			return value;
		}
	};
	compiled.evaluate(0);
	return compiled;
}

/**
 * Evaluates `expr` at each wait (seconds). With a clock, aborts once sampling has taken longer
 * than the time limit, so a pathological expression cannot stall scenario loading.
 */
export function sampleExpression(expr: CompiledExpression, waitsSeconds: ArrayLike<number>, opts: ExpressionOptions = {}): Float64Array {
	const limit = opts.timeLimitMs ?? DEFAULT_EXPRESSION_TIME_LIMIT_MS;
	if (!(limit > 0) || !Number.isFinite(limit)) {
		throw new ExpressionError(`timeLimitMs: expected a positive number of milliseconds, got ${limit}`);
	}
	const clock = opts.clock;
	const start = clock ? clock() : 0;
	const n = waitsSeconds.length;
	const out = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		const w = waitsSeconds[i] ?? 0;
		out[i] = expr.evaluate(w);
		if (clock) {
			const elapsed = clock() - start;
			if (elapsed > limit) {
				throw new ExpressionError(
					`expression took longer than ${limit} ms to tabulate (${elapsed} ms after ${i + 1} of ${n} samples, at w = ${w} s)`
				);
			}
		}
	}
	return out;
}

/** Throws on the first construct outside the whitelist; returns the node count. */
function checkTree(math: MathJsInstance, root: MathNode): number {
	let count = 0;
	const visit = (node: MathNode): void => {
		count++;
		if (count > EXPRESSION_MAX_NODES) return;
		if (math.isConstantNode(node)) {
			const value: unknown = node.value;
			if (typeof value === 'string') {
				throw new ExpressionError(`strings (${JSON.stringify(value)}) are not allowed`);
			}
			if (typeof value !== 'number') {
				throw new ExpressionError(`constant ${String(value)} is not allowed; only numbers are`);
			}
			if (!Number.isFinite(value)) {
				throw new ExpressionError(`constant ${value} is not allowed; only finite numbers are`);
			}
			return;
		}
		if (math.isSymbolNode(node)) {
			checkSymbol(math, node.name);
			return;
		}
		if (math.isOperatorNode(node)) {
			if (!OPERATORS.has(node.fn)) {
				throw new ExpressionError(`operator '${node.op}' (${node.fn}) is not allowed; allowed: + - * / ^ % unary -, < <= > >= == !=`);
			}
			for (const arg of node.args) visit(arg);
			return;
		}
		if (math.isParenthesisNode(node)) {
			visit(node.content);
			return;
		}
		if (math.isConditionalNode(node)) {
			visit(node.condition);
			visit(node.trueExpr);
			visit(node.falseExpr);
			return;
		}
		if (math.isFunctionNode(node)) {
			const callee: unknown = node.fn;
			if (!math.isSymbolNode(callee)) {
				throw new ExpressionError('only named functions may be called, e.g. exp(-w/60)');
			}
			if (!FUNCTIONS.has(callee.name)) {
				throw new ExpressionError(`function '${callee.name}' is not allowed; allowed functions: ${EXPRESSION_FUNCTIONS.join(', ')}`);
			}
			count++;
			for (const arg of node.args) visit(arg);
			return;
		}
		throw new ExpressionError(REJECTED_NODES[node.type] ?? `'${node.type}' is not allowed`);
	};
	visit(root);
	return count;
}

function checkSymbol(math: MathJsInstance, name: string): void {
	if (VARIABLES.has(name) || CONSTANTS.has(name)) return;
	if (FUNCTIONS.has(name)) {
		throw new ExpressionError(`'${name}' is a function; call it, e.g. ${name}(...)`);
	}
	if (math.Unit.isValuelessUnit(name)) {
		throw new ExpressionError(`units ('${name}') are not allowed; w is the wait in seconds, m in minutes`);
	}
	throw new ExpressionError(`unknown symbol '${name}'; use w (wait in seconds), m (wait in minutes), e or pi`);
}

function describeResult(value: unknown): string {
	if (typeof value === 'number') return String(value);
	if (typeof value === 'boolean') return `${value} (a comparison; multiply it by a number)`;
	if (value === null || value === undefined) return String(value);
	if (typeof value === 'object') return `a ${value.constructor?.name ?? 'non-number'} value`;
	return `a ${typeof value}`;
}

function errorMessage(err: unknown): string {
	return err instanceof Error ? err.message : String(err);
}
