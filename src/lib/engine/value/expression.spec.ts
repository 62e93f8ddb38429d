import { describe, expect, it } from 'vitest';
import { loadExpressionSupport } from './expression';
import { compileExpression, EXPRESSION_MAX_LENGTH, EXPRESSION_MAX_NODES, ExpressionError, sampleExpression } from './expression';

// some curves below are built while the suite is collected
await loadExpressionSupport();

function rejection(source: string): string {
	try {
		compileExpression(source);
	} catch (err) {
		expect(err).toBeInstanceOf(ExpressionError);
		return (err as Error).message;
	}
	throw new Error(`expected ${source} to be rejected`);
}

describe('evaluation', () => {
	it('binds w to seconds and m to minutes', () => {
		expect(compileExpression('w').evaluate(90)).toBe(90);
		expect(compileExpression('m').evaluate(90)).toBe(1.5);
	});

	it('knows e and pi', () => {
		expect(compileExpression('e').evaluate(0)).toBe(Math.E);
		expect(compileExpression('pi').evaluate(0)).toBe(Math.PI);
	});

	it.each([
		['exp(-w/120)', 60, Math.exp(-0.5)],
		['log(w + 1)', 9, Math.log(10)],
		['log10(w + 1)', 999, 3],
		['sqrt(w)', 16, 4],
		['pow(w, 2)', 3, 9],
		['min(w, 2)', 3, 2],
		['max(w, 4)', 3, 4],
		['abs(-w)', 3, 3],
		['floor(m)', 90, 1],
		['ceil(m)', 90, 2],
		['round(m)', 150, 3],
		['w^2 - 2*w + 1', 3, 4],
		['w % 7', 10, 3],
		['-w + +w', 5, 0],
		['2w', 3, 6],
		['(w < 60) * 0.3 + (w >= 60) * 0.1', 30, 0.3],
		['w < 60 ? 0.3 : w <= 300 ? 0.2 : 0.1', 300, 0.2],
		['w == 5 ? 1 : 0', 5, 1],
		['w != 5 ? 1 : 0', 5, 0],
		['w > 5 ? 1 : 0', 6, 1]
	])('%s at w = %d', (source, w, expected) => {
		expect(compileExpression(source).evaluate(w)).toBeCloseTo(expected, 12);
	});

	it('names the wait at which a result is not a finite number', () => {
		const c = compileExpression('1/(w - 30)');
		expect(() => c.evaluate(30)).toThrow('expression gave Infinity at w = 30 s, expected a finite number');
		expect(() => compileExpression('sqrt(10 - w)').evaluate(15)).toThrow(/gave a Complex value at w = 15 s/);
		expect(() => compileExpression('log(10 - w)').evaluate(10)).toThrow(/gave -Infinity at w = 10 s/);
	});

	it('checks the value at w = 0 when compiling', () => {
		expect(rejection('log(w)')).toBe('expression gave -Infinity at w = 0 s, expected a finite number');
		expect(rejection('w < 5')).toBe('expression gave true (a comparison; multiply it by a number) at w = 0 s, expected a finite number');
	});

	it('reports a wrong number of arguments with the wait', () => {
		expect(rejection('pow(w)')).toMatch(/^expression failed at w = 0 s: /);
	});
});

describe('sandbox', () => {
	it.each([
		['import({}, {})', "function 'import' is not allowed"],
		['createUnit("foo")', "function 'createUnit' is not allowed"],
		['evaluate("1")', "function 'evaluate' is not allowed"],
		['parse("1")', "function 'parse' is not allowed"],
		['simplify("w")', "function 'simplify' is not allowed"],
		['sin(w)', "function 'sin' is not allowed"],
		['f(x) = x', 'function definitions (f(x) = ...) are not allowed'],
		['[1, 2]', 'matrices and arrays ([...]) are not allowed'],
		['1:10', 'ranges (a:b) are not allowed'],
		['"a"', 'strings ("a") are not allowed'],
		['a.b', 'property or index access (a.b, a[1]) is not allowed'],
		['exp[1]', 'property or index access (a.b, a[1]) is not allowed'],
		['x = 1', 'assignment (x = ...) is not allowed'],
		['{a: 1}', 'objects ({...}) are not allowed'],
		['1; 2', 'more than one statement (separated by ; or a new line) is not allowed'],
		['0 < w < 5', 'chained comparisons (a < b < c) are not allowed; nest conditions with ?: instead'],
		['5 cm', "units ('cm') are not allowed; w is the wait in seconds, m in minutes"],
		['w kg', "units ('kg') are not allowed; w is the wait in seconds, m in minutes"],
		['x + 1', "unknown symbol 'x'; use w (wait in seconds), m (wait in minutes), e or pi"],
		['exp', "'exp' is a function; call it, e.g. exp(...)"],
		['true', 'constant true is not allowed; only numbers are'],
		['null', 'constant null is not allowed; only numbers are'],
		['Infinity', 'constant Infinity is not allowed; only finite numbers are'],
		['1e400', 'constant Infinity is not allowed; only finite numbers are'],
		['w!', "operator '!' (factorial) is not allowed"],
		["w'", "operator ''' (ctranspose) is not allowed"],
		['w and 1', "operator 'and' (and) is not allowed"],
		['5 to 6', "operator 'to' (to) is not allowed"],
		['(exp)(w)', "'exp' is a function; call it, e.g. exp(...)"],
		['a.b(1)', 'only named functions may be called, e.g. exp(-w/60)']
	])('rejects %s', (source, message) => {
		expect(rejection(source)).toContain(message);
	});

	it('rejects unparseable text with the parser message', () => {
		expect(rejection('w +')).toMatch(/^cannot parse expression: /);
	});

	it('rejects empty and over-long expressions', () => {
		expect(rejection('  ')).toBe('expected an expression, got an empty string');
		const long = `w${'+1'.repeat(EXPRESSION_MAX_LENGTH)}`;
		expect(rejection(long)).toBe(`expression is ${long.length} characters long, the limit is ${EXPRESSION_MAX_LENGTH}`);
	});

	it('rejects expressions with too many nodes', () => {
		const terms = Math.ceil(EXPRESSION_MAX_NODES / 2) + 1;
		const source = Array.from({ length: terms }, () => 'w').join('+');
		expect(source.length).toBeLessThanOrEqual(EXPRESSION_MAX_LENGTH);
		expect(rejection(source)).toMatch(new RegExp(`^expression has \\d+ nodes, the limit is ${EXPRESSION_MAX_NODES}$`));
	});

	it('accepts an expression right at the node limit', () => {
		// n terms joined by + make 2n - 1 nodes, and the parentheses one more
		const terms = EXPRESSION_MAX_NODES / 2;
		const source = `(${Array.from({ length: terms }, () => '1').join('+')})`;
		expect(compileExpression(source).evaluate(0)).toBe(terms);
	});
});

describe('sampleExpression', () => {
	const waits = Float64Array.from({ length: 1000 }, (_, i) => i);

	it('evaluates at each wait', () => {
		const out = sampleExpression(compileExpression('0.5*exp(-m)'), waits);
		expect(out).toHaveLength(1000);
		expect(out[0]).toBe(0.5);
		expect(out[120]).toBeCloseTo(0.5 * Math.exp(-2), 15);
	});

	it('aborts once the injected clock passes the time limit', () => {
		let calls = 0;
		const clock = () => calls++; // one millisecond per reading
		expect(() => sampleExpression(compileExpression('w'), waits, { clock, timeLimitMs: 100 })).toThrow(
			'expression took longer than 100 ms to tabulate (101 ms after 101 of 1000 samples, at w = 100 s)'
		);
		expect(calls).toBe(102);
	});

	it('defaults to a 1 s limit', () => {
		let now = 0;
		const clock = () => (now += 2);
		expect(() => sampleExpression(compileExpression('w'), waits, { clock })).toThrow(/took longer than 1000 ms/);
	});

	it('finishes when the clock stays within the limit', () => {
		let now = 0;
		const clock = () => (now += 0.05);
		expect(sampleExpression(compileExpression('w'), waits, { clock, timeLimitMs: 100 })[999]).toBe(999);
	});

	it('has no limit without a clock', () => {
		expect(sampleExpression(compileExpression('w'), waits, { timeLimitMs: 1e-9 })[999]).toBe(999);
	});

	it('rejects a bad time limit', () => {
		expect(() => sampleExpression(compileExpression('w'), waits, { timeLimitMs: -1 })).toThrow(
			'timeLimitMs: expected a positive number of milliseconds, got -1'
		);
	});

	it('names the wait at which sampling failed', () => {
		expect(() => sampleExpression(compileExpression('0.1 + 1/(w - 30)'), waits)).toThrow(
			'expression gave Infinity at w = 30 s, expected a finite number'
		);
	});
});
