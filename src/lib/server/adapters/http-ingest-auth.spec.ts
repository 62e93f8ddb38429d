import { describe, expect, it } from 'vitest';
import { SignatureVerifier, signBody } from './http-ingest-auth';

const SECRET = 'sixteen-chars-at-least';
const S = 1_763_900_000;

describe('SignatureVerifier', () => {
	it('signs "<timestamp>.<body>" with HMAC-SHA256, as the README recipe does', () => {
		// printf '%s' '1763900000.{"a":1}' | openssl dgst -sha256 -hmac sixteen-chars-at-least
		expect(signBody(SECRET, S, '{"a":1}')).toBe('sha256=2d70865f3814ecc93053e0d43b149d5c4591a4dec9423b361d84656fb0a81a05');
		expect(signBody(SECRET, String(S), Buffer.from('{"a":1}'))).toBe(signBody(SECRET, S, '{"a":1}'));
	});

	it('forgets signatures once their timestamp is out of the window; full, it refuses new ones rather than forget one still in it', () => {
		const v = new SignatureVerifier({ secrets: [SECRET], toleranceSeconds: 300, maxRemembered: 3 });
		const check = (ts: number, body: string, nowS: number) =>
			v.verify(signBody(SECRET, ts, body), String(ts), Buffer.from(body), nowS * 1000);
		expect(check(S, 'a', S)).toBeNull();
		expect(check(S + 10, 'b', S + 10)).toBeNull();
		expect(check(S, 'a', S + 20)).toBe('replayed');
		expect(v.remembered).toBe(2);
		// 301 s after the first: it is stale, so it need not be remembered
		expect(check(S + 301, 'c', S + 301)).toBeNull();
		expect(v.remembered).toBe(2);
		expect(check(S + 302, 'd', S + 302)).toBeNull();
		// full of signatures still in the window: none is forgotten (b could be replayed), the new one waits
		expect(check(S + 303, 'e', S + 303)).toBe('busy');
		expect(v.remembered).toBe(3);
		expect(check(S + 10, 'b', S + 303)).toBe('replayed');
		// once b's timestamp is stale there is room again
		expect(check(S + 303, 'e', S + 311)).toBeNull();
		expect(v.remembered).toBe(3);
	});

	it('checks the timestamp before the body', () => {
		const v = new SignatureVerifier({ secrets: [SECRET] });
		expect(v.checkTimestamp(undefined, String(S), S * 1000)).toBe('missing-signature');
		expect(v.checkTimestamp('sha256=00', undefined, S * 1000)).toBe('missing-signature');
		expect(v.checkTimestamp('sha256=00', '-5', S * 1000)).toBe('bad-timestamp');
		expect(v.checkTimestamp('sha256=00', String(S - 300), S * 1000)).toBeNull();
		expect(v.checkTimestamp('sha256=00', String(S + 301), S * 1000)).toBe('stale-timestamp');
	});
});
