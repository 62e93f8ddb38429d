import { describe, expect, it } from 'vitest';
import { decodeStudy, encodeStudy, fromBase64Url, payloadOf, studyHash, toBase64Url } from './share-codec';
import { SHARE_VERSION, type SharedStudy } from './study';

const YAML = 'name: tiny\nhorizon: 2h\n# ' + 'x'.repeat(2_000) + '\n';

const study: SharedStudy = {
	v: SHARE_VERSION,
	variants: [
		{ label: 'base', origin: { kind: 'shipped', name: 'reference.yaml' }, levers: {}, seed: 1, replications: 5 },
		{
			label: '+3 agents ✓',
			origin: { kind: 'upload', name: 'my day.yaml' },
			yaml: YAML,
			levers: { agents: 203, patienceSeconds: null, order: 'value', aiOverflow: false },
			seed: 4_294_967_295,
			replications: 20
		}
	],
	sweep: { from: 190, to: 215, step: 5 }
};

async function deflate(text: string): Promise<string> {
	const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
	return toBase64Url(new Uint8Array(await new Response(stream).arrayBuffer()));
}

describe('share codec', () => {
	it('round-trips a study exactly, scenario text and all', async () => {
		const payload = await encodeStudy(study);
		expect(payload).toMatch(/^[A-Za-z0-9_-]+$/);
		expect(await decodeStudy(payload)).toEqual({ ok: true, study });
	});

	it('compresses: a repetitive 2 kB scenario costs far less than its size in the link', async () => {
		const payload = await encodeStudy(study);
		expect(payload.length).toBeLessThan(JSON.stringify(study).length / 3);
	});

	it('writes and reads the hash form #s=…', async () => {
		const hash = await studyHash(study);
		expect(hash.startsWith('#s=')).toBe(true);
		const payload = payloadOf(hash);
		expect(payload).not.toBeNull();
		expect(await decodeStudy(payload ?? '')).toEqual({ ok: true, study });
		expect(payloadOf('')).toBeNull();
		expect(payloadOf('#other=1')).toBeNull();
	});

	it('explains a link cut short instead of failing', async () => {
		const payload = await encodeStudy(study);
		const cut = await decodeStudy(payload.slice(0, Math.floor(payload.length / 2)));
		expect(cut.ok).toBe(false);
		if (!cut.ok) expect(cut.message).toMatch(/damaged|cut short/);
	});

	it('refuses text that is not base64url', async () => {
		expect(await decodeStudy('not base64!')).toEqual({ ok: false, message: expect.stringMatching(/not valid base64url/) });
		expect(fromBase64Url('abcde')).toBeNull();
	});

	it('refuses JSON that is not a study, naming where it goes wrong', async () => {
		const r = await decodeStudy(await deflate(JSON.stringify({ ...study, variants: [{ ...study.variants[0], replications: 0 }] })));
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.message).toMatch(/variants\.0\.replications/);
		const notJson = await decodeStudy(await deflate('{"v":1,'));
		expect(notJson).toEqual({ ok: false, message: expect.stringMatching(/not readable JSON/) });
		const upload = await decodeStudy(
			await deflate(
				JSON.stringify({
					...study,
					variants: [{ label: 'x', origin: { kind: 'upload', name: 'a' }, levers: {}, seed: 1, replications: 1 }]
				})
			)
		);
		expect(upload.ok).toBe(false);
	});

	it('stops inflating a bomb: a tiny link that would expand past any real study', async () => {
		const r = await decodeStudy(await deflate(' '.repeat(2_000_000)));
		expect(r).toEqual({ ok: false, message: 'the link holds more than a study can be' });
	});

	it('base64url round-trips every byte value', () => {
		const all = Uint8Array.from({ length: 256 }, (_, i) => i);
		for (let n = 0; n <= 5; n++) expect(fromBase64Url(toBase64Url(all.subarray(n)))).toEqual(all.subarray(n));
	});
});
