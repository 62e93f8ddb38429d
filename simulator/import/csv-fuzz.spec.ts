import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCsv } from './csv-read';
import { importCsvText, resolveCsvMapping, type CsvImport } from './csv';

/** Bad CSV never throws, is counted, and never costs the good rows around it their events. */

const MAPPING = resolveCsvMapping({
	timeFormat: 'iso',
	columns: { callId: 'id', queue: 'queue', arrival: 'start', waitSeconds: 'wait', talkSeconds: 'talk', agent: 'agent', outcome: 'outcome' },
	outcomes: { answered: ['answered'], abandoned: ['abandoned'] }
});
const HEADER = 'id,queue,start,wait,talk,agent,outcome';

const quote = (f: string) => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f);

const goodRow = fc.record({
	queue: fc.constantFrom('sales', 'support', 'a "quoted", queue'),
	minute: fc.integer({ min: 0, max: 600 }),
	wait: fc.integer({ min: 0, max: 300 }),
	talk: fc.integer({ min: 1, max: 900 }),
	answered: fc.boolean()
});
type GoodRow = typeof goodRow extends fc.Arbitrary<infer T> ? T : never;

function goodRows(rows: GoodRow[]): string[] {
	// one agent per call: rows may overlap in time, and overlap is not what is under test
	return rows.map((r, i) => {
		const start = new Date(Date.parse('2026-03-10T08:00:00Z') + r.minute * 60_000).toISOString().slice(0, 19);
		return [
			`call-${i}`,
			r.queue,
			start,
			String(r.wait),
			String(r.talk),
			r.answered ? `agent ${i}` : '',
			r.answered ? 'answered' : 'abandoned'
		]
			.map(quote)
			.join(',');
	});
}

function accounted(r: CsvImport): number {
	const c = r.counts;
	return c.byOutcome.answered + c.byOutcome.abandoned + Object.values(c.rejected).reduce((a, b) => a + b, 0) + c.quirks.otherDay;
}

/**
 * One physical line of junk. Not a stray quote: by RFC 4180 an opened quote runs on over the next
 * lines until one closes it, so a junk quote may rightly join good rows to it (readCsv's own spec
 * shows an unclosed quote costing only its line).
 */
const oneLine = (s: string) => s.replace(/["\r\n]/g, '');
const junkRow = fc.oneof(
	fc.string({ maxLength: 60 }).map(oneLine),
	fc.array(fc.string({ maxLength: 10 }), { maxLength: 9 }).map((f) => oneLine(f.join(','))),
	fc.array(fc.string({ maxLength: 10 }).map(oneLine), { minLength: 7, maxLength: 7 }).map((f) => f.join(',')),
	fc
		.tuple(
			fc.constantFrom('x', 'call-0', ''),
			fc.constantFrom('sales', ''),
			fc.constantFrom('2026-13-10T09:00:00', '2026-02-30T09:00:00', 'soon', ''),
			fc.string({ maxLength: 4 }).map(oneLine)
		)
		.map(([id, q, start, n]) => [id, q, start, n, n, 'someone', 'answered'].join(','))
);

describe('CSV: bad input (property tests)', () => {
	it('any fields written with RFC 4180 quoting read back the same, whatever the line ends and BOM', () => {
		fc.assert(
			fc.property(
				fc.array(fc.array(fc.string({ maxLength: 12 }), { minLength: 2, maxLength: 6 }), { maxLength: 20 }),
				fc.constantFrom('\r\n', '\n'),
				fc.boolean(),
				(rows, eol, bom) => {
					const text = (bom ? '\uFEFF' : '') + rows.map((r) => r.map(quote).join(',')).join(eol) + eol;
					const read = readCsv(text);
					expect(read.problems).toEqual([]);
					expect(read.records.map((r) => r.fields)).toEqual(rows);
				}
			),
			{ numRuns: 300 }
		);
	});

	it('any text never throws: readCsv and the importer account for every record', () => {
		fc.assert(
			fc.property(fc.string({ maxLength: 400 }), (body) => {
				const read = readCsv(body);
				expect(read.records.every((r) => r.line >= 1)).toBe(true);
				const r = importCsvText(`${HEADER}\n${body}`, MAPPING);
				const again = readCsv(`${HEADER}\n${body}`);
				expect(r.counts.rows).toBe(again.records.length - 1 + again.problems.length);
				expect(accounted(r)).toBe(r.counts.rows);
			}),
			{ numRuns: 500 }
		);
	});

	it('junk rows between good rows cost the good rows nothing', () => {
		fc.assert(
			fc.property(
				fc.array(goodRow, { minLength: 1, maxLength: 15 }),
				fc.array(fc.tuple(fc.nat(), junkRow), { maxLength: 12 }),
				(rows, junk) => {
					const good = goodRows(rows);
					const mixed = [...good];
					for (const [at, j] of junk) mixed.splice(at % (mixed.length + 1), 0, j);
					const clean = importCsvText([HEADER, ...good].join('\r\n'), MAPPING);
					const dirty = importCsvText([HEADER, ...mixed].join('\r\n'), MAPPING);
					expect(dirty.days.get('2026-03-10')).toEqual(clean.days.get('2026-03-10'));
					expect(dirty.counts.byOutcome).toEqual(clean.counts.byOutcome);
					expect(accounted(dirty)).toBe(dirty.counts.rows);
				}
			),
			{ numRuns: 200 }
		);
	});

	it('a file cut at any byte after its header never throws and keeps every row before the cut', () => {
		fc.assert(
			fc.property(fc.array(goodRow, { minLength: 1, maxLength: 12 }), fc.nat(), (rows, cutAt) => {
				const lines = goodRows(rows);
				const text = [HEADER, ...lines].join('\n') + '\n';
				// cut inside the header, the file names no columns: a clear error, not a row count
				const at = cutAt % (text.length + 1);
				if (at === 0) {
					expect(importCsvText('', MAPPING).days.size).toBe(0);
					return;
				}
				if (at < HEADER.length) {
					expect(() => importCsvText(text.slice(0, at), MAPPING)).toThrow(/mapping: columns\.\w+: no column/);
					return;
				}
				const cut = text.slice(0, at);
				const r = importCsvText(cut, MAPPING);
				const complete = cut.split('\n').length - 2; // whole rows after the header
				expect(r.counts.byOutcome.answered + r.counts.byOutcome.abandoned).toBeGreaterThanOrEqual(Math.max(0, complete));
				expect(accounted(r)).toBe(r.counts.rows);
			}),
			{ numRuns: 300 }
		);
	});
});
