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
});
