import type { z } from 'zod';
import type { Levers, ScenarioProblem } from '../../studio/protocol';
import type { Scenario } from '../../../../simulator/scenario/types';
import { parseScenario } from '../../../../simulator/scenario/load';
import { ScenarioError } from '../../../../simulator/scenario/issues';
import { loadExpressionSupport } from '../../engine/value/expression';
import { applyLevers, LeverError } from './levers';

export type StudyParse = { ok: true; scenario: Scenario } | { ok: false; problems: ScenarioProblem[] };

/** The YAML loader's problems, positioned for the editor. */
function problemsOf(err: unknown): ScenarioProblem[] {
	if (err instanceof ScenarioError)
		return err.issues.map((i) => ({
			message: i.message,
			...(i.path !== '' ? { path: i.path } : {}),
			...(i.line !== undefined ? { line: i.line } : {}),
			...(i.column !== undefined ? { column: i.column } : {})
		}));
	if (err instanceof LeverError) return [{ message: err.message, path: err.path }];
	return [{ message: err instanceof Error ? err.message : String(err) }];
}

/** Parses a study's YAML and applies its levers; every problem is returned, never thrown. */
export async function parseStudy(yaml: string, levers: Levers, file: string): Promise<StudyParse> {
	try {
		// mathjs is slow to load: only a scenario that may hold an expression curve pays for it
		if (/\bexpression\b/.test(yaml)) await loadExpressionSupport();
		const scenario = parseScenario(yaml, file);
		return { ok: true, scenario: applyLevers(scenario, levers) };
	} catch (err) {
		return { ok: false, problems: problemsOf(err) };
	}
}

/** A refused message's zod issues as problems whose path names the field ("study.levers.arrivalScale"). */
export function problemsOfMessage(error: z.ZodError): ScenarioProblem[] {
	return error.issues.map((i) => {
		const path = i.path
			.map((seg) => (typeof seg === 'number' ? `[${seg}]` : `.${String(seg)}`))
			.join('')
			.replace(/^\./, '');
		return { message: i.message, ...(path !== '' ? { path } : {}) };
	});
}
