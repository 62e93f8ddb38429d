import { describe, expect, it } from 'vitest';
import { describeProblem, lineAt, lineCount, offsetOf, placeProblems } from './problems';

const TEXT = 'name: x\nhorizon: 8h\nqueues:\n  - id: sales\n';

describe('placeProblems', () => {
	it('groups problems by line and keeps the ones without a usable line for the list', () => {
		const placed = placeProblems(
			[
				{ message: 'a', line: 2 },
				{ message: 'b' },
				{ message: 'c', line: 2, column: 5 },
				{ message: 'd', line: 99 },
				{ message: 'e', line: 0 },
				{ message: 'f', line: 4 }
			],
			lineCount(TEXT)
		);
		expect([...placed.byLine.entries()].map(([l, ps]) => [l, ps.map((p) => p.message)])).toEqual([
			[2, ['a', 'c']],
			[4, ['f']]
		]);
		expect(placed.unplaced.map((p) => p.message)).toEqual(['b', 'd', 'e']);
	});
});

describe('lines and offsets', () => {
	it('counts the line after a final newline, as an editor shows it', () => {
		expect(lineCount('')).toBe(1);
		expect(lineCount('a')).toBe(1);
		expect(lineCount(TEXT)).toBe(5);
	});

	it('finds the line of a caret and the caret of a line and column', () => {
		expect(lineAt(TEXT, 0)).toBe(1);
		expect(lineAt(TEXT, TEXT.indexOf('horizon'))).toBe(2);
		expect(lineAt(TEXT, 10_000)).toBe(5);
		expect(offsetOf(TEXT, 2)).toBe(TEXT.indexOf('horizon'));
		expect(offsetOf(TEXT, 4, 5)).toBe(TEXT.indexOf('id: sales'));
		// a column past the end of its line stays on that line
		expect(offsetOf(TEXT, 1, 80)).toBe(TEXT.indexOf('\n'));
		expect(offsetOf(TEXT, 50)).toBe(TEXT.length);
	});

	it('describes a problem with where it is', () => {
		expect(describeProblem({ message: 'must be a duration', line: 2, column: 10, path: 'horizon' })).toBe(
			'line 2, column 10: must be a duration (horizon)'
		);
		expect(describeProblem({ message: 'no queues' })).toBe('no queues');
	});
});
