/**
 * Where the YAML editor shows each problem: at its line when the server could place it, in the
 * list only otherwise. A line past the end (the text changed since it was checked) counts as
 * unplaced rather than pointing at a line that is not there.
 */
import type { ScenarioProblem } from '../protocol';

export interface PlacedProblems {
	/** 1-based line → its problems, in the server's order */
	byLine: Map<number, ScenarioProblem[]>;
	unplaced: ScenarioProblem[];
}

export function lineCount(text: string): number {
	let n = 1;
	for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
	return n;
}

export function placeProblems(problems: readonly ScenarioProblem[], lines: number): PlacedProblems {
	const byLine = new Map<number, ScenarioProblem[]>();
	const unplaced: ScenarioProblem[] = [];
	for (const p of problems) {
		const line = p.line;
		if (line === undefined || !Number.isInteger(line) || line < 1 || line > lines) {
			unplaced.push(p);
			continue;
		}
		const list = byLine.get(line);
		if (list) list.push(p);
		else byLine.set(line, [p]);
	}
	return { byLine, unplaced };
}

/** The 1-based line a caret offset is on. */
export function lineAt(text: string, offset: number): number {
	let n = 1;
	const end = Math.min(Math.max(0, offset), text.length);
	for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) n++;
	return n;
}

/** The offset where a 1-based line (and column) begins, to put the caret on a problem from the list. */
export function offsetOf(text: string, line: number, column = 1): number {
	let at = 0;
	for (let l = 1; l < line; l++) {
		const next = text.indexOf('\n', at);
		if (next < 0) return text.length;
		at = next + 1;
	}
	const end = text.indexOf('\n', at);
	const lineEnd = end < 0 ? text.length : end;
	return Math.min(at + Math.max(0, column - 1), lineEnd);
}

/** "line 12, column 5: …" for the list and for screen readers. */
export function describeProblem(p: ScenarioProblem): string {
	const where = p.line === undefined ? '' : p.column === undefined ? `line ${p.line}: ` : `line ${p.line}, column ${p.column}: `;
	const path = p.path ? ` (${p.path})` : '';
	return `${where}${p.message}${path}`;
}
