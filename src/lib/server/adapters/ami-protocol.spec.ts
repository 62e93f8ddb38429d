import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AmiParser, formatAmiMessage, type AmiMessage, type AmiProblem } from './ami-protocol';

const fixture = (name: string) => readFileSync(new URL(`../../../../tests/fixtures/ami/${name}`, import.meta.url), 'utf8');

function parseAll(chunks: Uint8Array[], max?: number) {
	const messages: AmiMessage[] = [];
	const problems: AmiProblem[] = [];
	const banners: string[] = [];
	const p = new AmiParser(
		{ banner: (v) => banners.push(v), message: (m) => messages.push(m), problem: (x) => problems.push(x) },
		max === undefined ? {} : { maxMessageBytes: max }
	);
	for (const c of chunks) p.push(c);
	return { messages, problems, banners, parser: p };
}

const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');
const fields = (ms: AmiMessage[]) => ms.map((m) => m.fields.map(([k, v]) => `${k}=${v}`).join('|'));

describe('AmiParser', () => {
	it('reads the banner, then CRLF messages ended by a blank line', () => {
		const wire = crlf(
			'Asterisk Call Manager/5.0.1\nResponse: Success\nActionID: 1\nMessage: Authentication accepted\n\nEvent: FullyBooted\nPrivilege: system,all\n\n'
		);
		const { messages, banners, problems } = parseAll([Buffer.from(wire)]);
		expect(banners).toEqual(['5.0.1']);
		expect(messages.map((m) => m.response ?? m.event)).toEqual(['Success', 'FullyBooted']);
		expect(messages[0]?.actionId).toBe('1');
		expect(problems).toEqual([]);
	});

	it('reads LF-only input the same as CRLF, keys case-insensitively, values with colons and empty values', () => {
		const text = 'Event: X\nUniqueID: 1.2\nAppData: a:b: c\nAccountCode: \n\n';
		const a = parseAll([Buffer.from(text)]);
		const b = parseAll([Buffer.from(crlf(text))]);
		expect(fields(a.messages)).toEqual(fields(b.messages));
		const m = a.messages[0];
		expect(m?.get('uniqueid')).toBe('1.2');
		expect(m?.get('AppData')).toBe('a:b: c');
		expect(m?.get('AccountCode')).toBe('');
		expect(m?.pick('AccountCode', 'AppData')).toBe('a:b: c');
	});

	it('gives the same messages whatever the chunk boundaries (every split of a real capture)', () => {
		const wire = Buffer.from(crlf(`Asterisk Call Manager/2.10.4\n${fixture('asterisk16-queue-calls.txt')}\n`));
		const whole = fields(parseAll([wire]).messages);
		expect(whole).toHaveLength(34);
		fc.assert(
			fc.property(fc.uniqueArray(fc.integer({ min: 1, max: wire.length - 1 }), { maxLength: 40 }), (cuts) => {
				const at = [0, ...cuts.sort((x, y) => x - y), wire.length];
				const chunks = at.slice(1).map((end, i) => wire.subarray(at[i], end));
				expect(fields(parseAll(chunks).messages)).toEqual(whole);
			}),
			{ numRuns: 200 }
		);
	});

	it('splits one message at every byte boundary, including inside a multi-byte character', () => {
		const wire = Buffer.from(crlf('Event: QueueCallerJoin\nCallerIDName: José Müller 日本\nUniqueid: 1.5\n\n'));
		for (let i = 1; i < wire.length; i++) {
			const r = parseAll([wire.subarray(0, i), wire.subarray(i)]);
			expect(r.messages.map((m) => m.get('CallerIDName'))).toEqual(['José Müller 日本']);
			expect(r.problems).toEqual([]);
		}
		// and one byte at a time
		const single = parseAll([...wire].map((b) => Uint8Array.of(b)));
		expect(single.messages[0]?.get('Uniqueid')).toBe('1.5');
	});

	it('keeps a message with bytes that are not UTF-8 (replaced, counted)', () => {
		const bad = Buffer.concat([
			Buffer.from('Event: Join\r\nCallerIDName: '),
			Buffer.from([0xff, 0xfe, 0x41]),
			Buffer.from('\r\nUniqueid: 9\r\n\r\n')
		]);
		const { messages, problems } = parseAll([bad]);
		expect(messages[0]?.get('Uniqueid')).toBe('9');
		expect(messages[0]?.get('CallerIDName')).toBe('\uFFFD\uFFFDA');
		expect(problems.map((p) => p.reason)).toEqual(['invalid-utf8']);
	});

	it('drops an oversized message (counted) and reads the next one', () => {
		const big = `Event: Big\r\n${'Variable: x\r\n'.repeat(200)}\r\n`;
		const { messages, problems } = parseAll([Buffer.from(`${big}Event: Small\r\n\r\n`)], 1024);
		expect(messages.map((m) => m.event)).toEqual(['Small']);
		expect(problems.map((p) => p.reason)).toEqual(['oversized']);
	});

	it('drops a line that never ends instead of buffering it, then recovers at the next blank line', () => {
		const r = parseAll(
			[
				Buffer.from('Event: A\r\nValue: '),
				Buffer.alloc(3000, 0x61),
				Buffer.alloc(3000, 0x62),
				Buffer.from('\r\nMore: 1\r\n\r\nEvent: B\r\n\r\n')
			],
			1024
		);
		expect(r.messages.map((m) => m.event)).toEqual(['B']);
		expect(r.problems.map((p) => p.reason)).toEqual(['oversized']);
	});

	it('counts lines that are not "Key: Value" and a message cut off by the end of the connection', () => {
		const r = parseAll([Buffer.from('Event: A\r\nno colon here\r\nX: 1\r\n\r\nEvent: Half\r\nUnique')]);
		expect(r.messages.map((m) => m.event)).toEqual(['A']);
		r.parser.end();
		expect(r.problems.map((p) => p.reason)).toEqual(['malformed-line', 'truncated']);
	});

	it('never throws on garbage, and a valid message after garbage and a blank line is read', () => {
		fc.assert(
			fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }), (chunks) => {
				const r = parseAll([...chunks, Buffer.from('\r\n\r\nEvent: After\r\nK: v\r\n\r\n')], 4096);
				expect(r.messages.at(-1)?.event).toBe('After');
				r.parser.end();
			}),
			{ numRuns: 300 }
		);
	});
});

describe('formatAmiMessage', () => {
	it('writes CRLF lines and a blank line, and a value cannot inject a field', () => {
		expect(formatAmiMessage({ Action: 'Login', Secret: 'a\r\nAction: Originate' })).toBe(
			'Action: Login\r\nSecret: a Action: Originate\r\n\r\n'
		);
		const { messages } = parseAll([
			Buffer.from(
				formatAmiMessage([
					['Action', 'Ping'],
					['ActionID', '7']
				])
			)
		]);
		expect(messages[0]?.action).toBe('Ping');
	});
});
