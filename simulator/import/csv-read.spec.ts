import { describe, expect, it } from 'vitest';
import { readCsv } from './csv-read';

const fields = (text: string, d?: string) => readCsv(text, d).records.map((r) => r.fields);

describe('readCsv (RFC 4180)', () => {
	it('quoted fields hold delimiters, doubled quotes and line breaks; CRLF, LF and a BOM are all fine', () => {
		expect(fields('\uFEFFa,b\r\n"x, y","say ""hi"""\r\n"two\r\nlines",z\r\n')).toEqual([
			['a', 'b'],
			['x, y', 'say "hi"'],
			['two\r\nlines', 'z']
		]);
		expect(fields('a;b\n1;2')).toEqual([['a;b'], ['1;2']]);
		expect(fields('a;b\n1;2', ';')).toEqual([
			['a', 'b'],
			['1', '2']
		]);
		expect(fields('a,,""\n')).toEqual([['a', '', '']]);
	});

	it('records carry the line they start on; blank lines are no records', () => {
		const r = readCsv('h1,h2\n\n"a\nb",c\nd,e\n');
		expect(r.records.map((x) => x.line)).toEqual([1, 3, 5]);
		expect(r.problems).toEqual([]);
	});

	it('a stray quote or an unclosed quote is reported with its line; the records around it are kept', () => {
		const r = readCsv('a,b\nx"y,1\n"open,2\nc,d\n');
		expect(r.problems.map((p) => p.line)).toEqual([2, 3]);
		expect(r.records.map((x) => x.fields)).toEqual([
			['a', 'b'],
			['c', 'd']
		]);
		expect(readCsv('"never closed').problems).toHaveLength(1);
		expect(() => readCsv('a', '"')).toThrow(/delimiter/);
	});

	it('an unclosed quote costs one more read of the file at most, however many lines it could be blamed on', () => {
		// every line closes the quote the line before opened and opens another: a record to the end
		// of the file from any line it is read from
		const text = 'a","\n'.repeat(40_000);
		const t0 = performance.now();
		const r = readCsv(text);
		expect(performance.now() - t0).toBeLessThan(1_500);
		expect(r.problems).toEqual([{ line: 1, detail: 'a quoted field opened on line 40000 is not closed (lines 1 to 40000 are dropped)' }]);
		expect(r.records).toEqual([]);
		// the record goes up to the line its open quote is on; what follows is read again, as records
		const some = readCsv('h,i\nx,"a\nb",c,"d\ne,f\ng,h\n');
		expect(some.problems).toEqual([{ line: 2, detail: 'a quoted field opened on line 3 is not closed (lines 2 to 3 are dropped)' }]);
		expect(some.records.map((x) => x.fields)).toEqual([
			['h', 'i'],
			['e', 'f'],
			['g', 'h']
		]);
	});
});
