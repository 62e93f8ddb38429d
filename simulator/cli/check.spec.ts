import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CHECK_USAGE } from './check';
import type { RunSummary, Totals } from '../core/summary';
import { cli, ROOT } from './run-in-process';

const FIXTURES = 'tests/fixtures/scenarios';
const TINY = `${FIXTURES}/tiny.yaml`;

let dir: string;
const tmp = (name: string) => join(dir, name);
const readSummary = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as RunSummary;

/** The run's own figures, so thresholds below come from the run and not from a guess. */
let base: RunSummary;
beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'heatboard-cli-check-'));
	const r = await cli('check', TINY, '--seed', '7', '--assert', 'offered >= 0', '--json', tmp('base.json'));
	expect(r.code, r.err).toBe(0);
	base = readSummary(tmp('base.json'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function value(t: Totals | undefined, k: keyof Totals): number {
	const v = t?.[k];
	if (v === null || v === undefined) throw new Error(`${k} has no value in the base run`);
	return v;
}

/** `PASS`/`FAIL` by assertion text, from the lines check prints. */
function verdicts(out: string): Record<string, string> {
	const v: Record<string, string> = {};
	for (const m of out.matchAll(/^(PASS|FAIL) {2}(.+?) {2}\(/gm)) v[m[2] as string] = m[1] as string;
	return v;
}

describe('heatboard check: exit codes', () => {
	it('exits 0 when every assertion holds, at the run’s own values', async () => {
		const t = base.totals;
		const asserts = [
			`slOffered >= ${value(t, 'slOffered')}`,
			`slOffered <= ${value(t, 'slOffered')}`,
			`offered == ${t.offered}`,
			`queue.sales.conversions == ${value(base.queues.sales, 'conversions')}`,
			`netRevenue > ${t.netRevenue - 1}`,
			`abandonRate != ${value(t, 'abandonRate') + 0.5}`
		];
		const r = await cli('check', TINY, '--seed', '7', ...asserts.flatMap((a) => ['--assert', a]));
		expect(r.code, r.out + r.err).toBe(0);
		expect(verdicts(r.out)).toEqual(Object.fromEntries(asserts.map((a) => [a, 'PASS'])));
		expect(r.out).toContain(`PASS  slOffered >= ${t.slOffered}  (slOffered = ${t.slOffered})`);
		expect(r.out.trimEnd().split('\n').at(-1)).toBe('6 passed, 0 failed');
	});

	it('exits 1 when one fails, and still reports the others', async () => {
		const s = value(base.totals, 'slOffered');
		const r = await cli(
			'check',
			TINY,
			'--seed',
			'7',
			'--assert',
			`slOffered >= ${s}`,
			'--assert',
			`slOffered > ${s}`,
			'--assert',
			'offered > 0'
		);
		expect(r.code, r.err).toBe(1);
		expect(verdicts(r.out)).toEqual({ [`slOffered >= ${s}`]: 'PASS', [`slOffered > ${s}`]: 'FAIL', 'offered > 0': 'PASS' });
		expect(r.out).toContain('2 passed, 1 failed');
		expect(r.err).toBe('');
	});

	it('fails an assertion on a metric with no value: nothing was shown to hold', async () => {
		// no agents: calls arrive, none is answered, so there is no ASA
		const r = await cli('check', TINY, '--agents', '0', '--assert', 'asaAnswered < 1000000', '--assert', 'answered == 0');
		expect(r.code).toBe(1);
		expect(r.out).toContain('FAIL  asaAnswered < 1000000  (asaAnswered = no value)');
		expect(r.out).toContain('PASS  answered == 0');
	});

	it('asserts the mean over replications', async () => {
		const r = await cli('check', TINY, '--seed', '7', '-r', '3', '--assert', 'offered > 0', '--json', tmp('r3.json'));
		expect(r.code, r.err).toBe(0);
		const s = readSummary(tmp('r3.json'));
		expect(s.replications).toBe(3);
		expect(r.out).toContain(`(offered = ${s.totals.offered})`);
	});
});

describe('heatboard check: queue assertions and percentages', () => {
	it('reads queue.<id>.<metric> from that queue, and N% as N/100', async () => {
		const v = value(base.queues.support, 'abandonRate');
		// the fixture loses a fair share of support calls, and not at the total rate
		expect(v).toBeGreaterThan(0.02);
		expect(v).not.toBe(base.totals.abandonRate);
		const below = Math.floor(v * 100) - 1;
		const above = Math.ceil(v * 100) + 1;
		const asserts = [
			`queue.support.abandonRate < ${above}%`,
			`queue.support.abandonRate > ${below}%`,
			`queue.support.abandonRate>${below} %`,
			`queue.support.abandonRate > ${below}`,
			`queue.support.abandonRate < ${below}%`
		];
		const r = await cli('check', TINY, '--seed', '7', ...asserts.flatMap((a) => ['--assert', a]));
		expect(r.code, r.err).toBe(1);
		expect(verdicts(r.out)).toEqual({
			[asserts[0] as string]: 'PASS',
			[asserts[1] as string]: 'PASS',
			[asserts[2] as string]: 'PASS',
			[asserts[3] as string]: 'FAIL',
			[asserts[4] as string]: 'FAIL'
		});
		expect(r.out).toContain(`(abandonRate = ${v})`);
	});

	it('exits 2 on an unknown queue, listing the queues there are', async () => {
		const r = await cli('check', TINY, '--assert', 'offered > 0', '--assert', 'queue.nope.offered > 1');
		expect(r.code).toBe(2);
		expect(r.err).toContain('no queue "nope"');
		expect(r.err).toContain('sales, support');
	});

	// Queue ids are any text up to 128 characters (simulator/scenario/fields.ts), but the assertion
	// pattern only takes [A-Za-z0-9_-]: a queue named "support.eu" cannot be asserted on.
	it('takes a queue whose id has a dot', async () => {
		const file = tmp('dotted.yaml');
		writeFileSync(file, readFileSync(resolve(ROOT, TINY), 'utf8').replaceAll('support', 'support.eu'));
		expect((await cli('simulate', file)).code).toBe(0);
		const r = await cli('check', file, '--assert', 'queue.support.eu.offered > 0');
		expect(r.err).toBe('');
		expect(r.code).toBe(0);
		expect(r.out).toContain('PASS  queue.support.eu.offered > 0');
	});
});

describe('heatboard check: bad input exits 2', () => {
	it.each([
		['bogus > 1', 'unknown metric "bogus"'],
		['queue.sales.bogus > 1', 'unknown metric "bogus"'],
		['slOffered >> 0.8', 'expected "[queue.<id>.]<metric> <op> <number>"'],
		['slOffered >= ', 'expected "[queue.<id>.]<metric> <op> <number>"'],
		['>= 0.8', 'expected "[queue.<id>.]<metric> <op> <number>"'],
		['slOffered >= high', 'expected "[queue.<id>.]<metric> <op> <number>"'],
		['queue..offered > 1', 'expected "[queue.<id>.]<metric> <op> <number>"']
	])('--assert %j', async (assertion, message) => {
		const r = await cli('check', TINY, '--assert', 'offered > 0', '--assert', assertion);
		expect(r.code).toBe(2);
		expect(r.err).toContain(`--assert "${assertion}"`);
		expect(r.err).toContain(message);
		expect(r.err).toContain(CHECK_USAGE);
		expect(r.out).toBe('');
	});

	it('without an --assert', async () => {
		const r = await cli('check', TINY);
		expect(r.code).toBe(2);
		expect(r.err).toContain('--assert');
	});

	it('a missing scenario file', async () => {
		const r = await cli('check', `${FIXTURES}/no-such-scenario.yaml`, '--assert', 'offered > 0');
		expect(r.code).toBe(2);
		expect(r.err).toContain('no-such-scenario.yaml');
	});

	it.each([
		['wrong-type.yaml', 'plenty', 'queues[0].maxWaiting: expected a number'],
		['unknown-queue.yaml', 'salse', 'arrivals[0].queue: no queue "salse"']
	])('a scenario with errors (%s): file:line:column and the field', async (name, token, message) => {
		const file = `${FIXTURES}/${name}`;
		const lines = readFileSync(resolve(ROOT, file), 'utf8').split('\n');
		const line = lines.findIndex((l) => l.includes(token));
		const column = (lines[line] as string).indexOf(token) + 1;
		const r = await cli('check', file, '--assert', 'offered > 0');
		expect(r.code).toBe(2);
		expect(r.err).toContain(`${resolve(ROOT, file)}:${line + 1}:${column}: ${message}`);
		expect(r.out).toBe('');
	});
});

interface XmlElement {
	name: string;
	attrs: Record<string, string>;
	children: XmlElement[];
	text: string;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };

/** Text or an attribute value: `<` and `&` only as references (XML), and `>` escaped too (what we promise). */
function decode(raw: string, where: string): string {
	const refs = /&(?:amp|lt|gt|quot|apos|#\d+);/g;
	if (/[<>&]/.test(raw.replace(refs, ''))) throw new Error(`unescaped <, > or & in ${where}: ${raw}`);
	return raw.replace(refs, (e) => ENTITIES[e] ?? String.fromCodePoint(Number(e.slice(2, -1))));
}

/** A strict reader for the subset of XML the JUnit writer emits: prolog, elements, attributes, text. */
function parseXml(xml: string): XmlElement {
	const prolog = '<?xml version="1.0" encoding="UTF-8"?>\n';
	if (!xml.startsWith(prolog)) throw new Error('no XML prolog');
	const body = xml.slice(prolog.length);
	const token = /<\/([A-Za-z_][\w.-]*)>|<([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"]*")*)\s*(\/?)>|([^<]+)/y;
	const doc: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
	const stack = [doc];
	let pos = 0;
	while (pos < body.length) {
		token.lastIndex = pos;
		const m = token.exec(body);
		if (m === null) throw new Error(`malformed XML at ${pos}: ${body.slice(pos, pos + 60)}`);
		pos = token.lastIndex;
		const top = stack[stack.length - 1] as XmlElement;
		const [, close, open, attrText = '', selfClosing, text] = m;
		if (close !== undefined) {
			if (top.name !== close) throw new Error(`</${close}> closes <${top.name}>`);
			stack.pop();
		} else if (open !== undefined) {
			const el: XmlElement = { name: open, attrs: {}, children: [], text: '' };
			for (const a of attrText.matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)) {
				const key = a[1] as string;
				if (key in el.attrs) throw new Error(`<${open}> repeats ${key}`);
				el.attrs[key] = decode(a[2] as string, `${open}@${key}`);
			}
			if (top === doc && doc.children.length > 0) throw new Error('more than one root element');
			top.children.push(el);
			if (selfClosing !== '/') stack.push(el);
		} else if (text !== undefined) {
			if (top === doc && text.trim() !== '') throw new Error('text outside the root element');
			top.text += decode(text, `<${top.name}> text`);
		}
	}
	if (stack.length !== 1) throw new Error(`<${(stack[stack.length - 1] as XmlElement).name}> is not closed`);
	const root = doc.children[0];
	if (root === undefined) throw new Error('no root element');
	return root;
}

const childrenNamed = (el: XmlElement, name: string) => el.children.filter((c) => c.name === name);

describe('heatboard check --junit', () => {
	it('the reader above refuses what it should', () => {
		expect(() => parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<a name="x < y"></a>')).toThrow(/unescaped/);
		expect(() => parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<a>fish & chips</a>')).toThrow(/unescaped/);
		expect(() => parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<a><b></a>')).toThrow(/closes/);
		expect(() => parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<a>')).toThrow(/not closed/);
		expect(parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<a n="&lt;&amp;&gt;"><b/></a>')).toEqual({
			name: 'a',
			attrs: { n: '<&>' },
			children: [{ name: 'b', attrs: {}, children: [], text: '' }],
			text: ''
		});
	});

	it('writes one testcase per assertion, the failures counted and explained, everything escaped', async () => {
		const t = base.totals;
		const asserts = [`slOffered >= ${value(t, 'slOffered')}`, `abandonRate < ${value(t, 'abandonRate')}`, 'queue.sales.offered > 0'];
		const file = tmp('junit.xml');
		const r = await cli('check', TINY, '--seed', '7', ...asserts.flatMap((a) => ['--assert', a]), '--junit', file);
		expect(r.code, r.err).toBe(1);
		const raw = readFileSync(file, 'utf8');
		const suites = parseXml(raw);
		expect(suites.name).toBe('testsuites');
		expect(suites.attrs).toMatchObject({ tests: '3', failures: '1' });
		const [suite, ...more] = childrenNamed(suites, 'testsuite');
		expect(more).toEqual([]);
		if (suite === undefined) throw new Error('no testsuite');
		expect(suite.attrs).toMatchObject({ name: 'tiny <sales & support>', tests: '3', failures: '1', errors: '0' });
		expect(Number(suite.attrs.time)).toBeGreaterThanOrEqual(0);
		const props = childrenNamed(childrenNamed(suite, 'properties')[0] as XmlElement, 'property');
		expect(Object.fromEntries(props.map((p) => [p.attrs.name, p.attrs.value]))).toEqual({ seed: '7', replications: '1' });

		const cases = childrenNamed(suite, 'testcase');
		expect(cases.map((c) => c.attrs.name)).toEqual(asserts);
		for (const c of cases) expect(c.attrs.classname).toBe('heatboard.check.tiny <sales & support>');
		expect(cases.map((c) => childrenNamed(c, 'failure').length)).toEqual([0, 1, 0]);
		const failure = childrenNamed(cases[1] as XmlElement, 'failure')[0] as XmlElement;
		expect(failure.attrs.message).toBe(`${asserts[1]} failed: abandonRate = ${t.abandonRate}`);
		expect(failure.text).toBe(failure.attrs.message);

		// the special characters are there, as references
		expect(raw).toContain('name="tiny &lt;sales &amp; support&gt;"');
		expect(raw).toContain(`name="abandonRate &lt; ${t.abandonRate}"`);
		expect(raw).toContain(`name="slOffered &gt;= ${t.slOffered}"`);
	});

	it('writes a passing report when every assertion holds', async () => {
		const file = tmp('junit-pass.xml');
		const r = await cli('check', TINY, '--assert', 'offered > 0', '--assert', 'answered > 0', '--junit', file);
		expect(r.code, r.err).toBe(0);
		const suites = parseXml(readFileSync(file, 'utf8'));
		expect(suites.attrs).toMatchObject({ tests: '2', failures: '0' });
		const cases = childrenNamed(childrenNamed(suites, 'testsuite')[0] as XmlElement, 'testcase');
		expect(cases).toHaveLength(2);
		for (const c of cases) expect(c.children).toEqual([]);
	});
});
