import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { locateJsonError } from './http-ingest-json';

const parses = (s: string) => {
	try {
		JSON.parse(s);
		return true;
	} catch {
		return false;
	}
};

describe('locateJsonError', () => {
	it('agrees with JSON.parse on what is valid, for JSON values and for mangled JSON', () => {
		fc.assert(
			fc.property(fc.json(), fc.nat(), fc.string({ maxLength: 3 }), (json, at, junk) => {
				expect(locateJsonError(json)).toBeNull();
				const cut = at % (json.length + 1);
				const mangled = json.slice(0, cut) + junk + json.slice(cut + (at % 2));
				expect(locateJsonError(mangled) === null).toBe(parses(mangled));
			}),
			{ numRuns: 2000 }
		);
	});

	it('agrees with JSON.parse on arbitrary text', () => {
		fc.assert(
			fc.property(fc.string({ unit: fc.constantFrom(...'{}[]",:0123456789.eE+-tfnrulse \\/u\n'.split('')) }), (s) => {
				expect(locateJsonError(s) === null).toBe(parses(s));
			}),
			{ numRuns: 3000 }
		);
	});

	it('points at the first byte that cannot belong, with line and column', () => {
		expect(locateJsonError('[{"type": "call.arrived",\n  "id": }]')).toEqual({ position: 34, line: 2, column: 9, expected: 'a value' });
		expect(locateJsonError('{"a": 1,}')).toMatchObject({ position: 8, expected: 'a property name in double quotes' });
		expect(locateJsonError('[1 2]')).toMatchObject({ position: 3, expected: '"," or "]"' });
		expect(locateJsonError('{"a": tru}')).toMatchObject({ position: 9, expected: '"true"' });
		expect(locateJsonError('[1] x')).toMatchObject({ position: 4, expected: 'the end of the document' });
		expect(locateJsonError('')).toMatchObject({ position: 0, expected: 'a value' });
	});

	it('handles nesting far deeper than the call stack', () => {
		const deep = '['.repeat(200_000) + ']'.repeat(199_999);
		expect(locateJsonError(deep)).toMatchObject({ position: 399_999, expected: '"," or "]"' });
	});
});
