import { TOTAL_KEYS, type RunSummary, type Totals } from '../core/summary';
import { UsageError } from './io';

export type Op = '>=' | '<=' | '>' | '<' | '==' | '!=';

export interface Assertion {
	text: string;
	/** a queue id, or undefined for the totals */
	queue: string | undefined;
	metric: keyof Totals;
	op: Op;
	value: number;
}

export interface AssertionResult {
	assertion: Assertion;
	actual: number | null;
	ok: boolean;
}

const PATTERN = /^\s*(?:queue\.(.+)\.)?([A-Za-z]+)\s*(>=|<=|==|!=|>|<)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)\s*(%?)\s*$/;

/** Parses `[queue.<id>.]<metric> <op> <number>[%]`, e.g. `slOffered >= 0.8` or `queue.sales.abandonRate < 5%`. */
export function parseAssertion(text: string): Assertion {
	const m = PATTERN.exec(text);
	if (m === null) throw new UsageError(`--assert "${text}": expected "[queue.<id>.]<metric> <op> <number>", e.g. "slOffered >= 0.8"`);
	const [, queue, metric = '', op = '', num = '', percent] = m;
	if (!(TOTAL_KEYS as readonly string[]).includes(metric))
		throw new UsageError(`--assert "${text}": unknown metric "${metric}"; one of ${TOTAL_KEYS.join(', ')}`);
	return { text: text.trim(), queue, metric: metric as keyof Totals, op: op as Op, value: Number(num) / (percent ? 100 : 1) };
}

function holds(actual: number, op: Op, v: number): boolean {
	switch (op) {
		case '>=':
			return actual >= v;
		case '<=':
			return actual <= v;
		case '>':
			return actual > v;
		case '<':
			return actual < v;
		case '==':
			return actual === v;
		case '!=':
			return actual !== v;
	}
}

/** A metric with no value (no answered calls for an ASA) fails every assertion: nothing was shown to hold. */
export function evaluate(assertions: Assertion[], s: RunSummary): AssertionResult[] {
	return assertions.map((a) => {
		let totals: Totals | undefined = s.totals;
		if (a.queue !== undefined) {
			totals = s.queues[a.queue];
			if (totals === undefined)
				throw new UsageError(`--assert "${a.text}": no queue "${a.queue}" in the scenario (${Object.keys(s.queues).join(', ')})`);
		}
		const actual = totals[a.metric];
		return { assertion: a, actual, ok: actual !== null && holds(actual, a.op, a.value) };
	});
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** JUnit XML, one test case per assertion, for CI systems. */
export function junit(results: AssertionResult[], s: RunSummary, seconds: number): string {
	const failures = results.filter((r) => !r.ok).length;
	const cases = results
		.map((r) => {
			const name = xml(r.assertion.text);
			const head = `    <testcase classname="heatboard.check.${xml(s.scenario)}" name="${name}" time="${(seconds / Math.max(1, results.length)).toFixed(3)}">`;
			if (r.ok) return `${head}</testcase>`;
			const msg = xml(`${r.assertion.text} failed: ${r.assertion.metric} = ${r.actual ?? 'no value'}`);
			return `${head}\n      <failure message="${msg}" type="AssertionFailed">${msg}</failure>\n    </testcase>`;
		})
		.join('\n');
	return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="heatboard check" tests="${results.length}" failures="${failures}" time="${seconds.toFixed(3)}">
  <testsuite name="${xml(s.scenario)}" tests="${results.length}" failures="${failures}" errors="0" time="${seconds.toFixed(3)}">
    <properties>
      <property name="seed" value="${s.seed}"/>
      <property name="replications" value="${s.replications}"/>
    </properties>
${cases}
  </testsuite>
</testsuites>
`;
}
