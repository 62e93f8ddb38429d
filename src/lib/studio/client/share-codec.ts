/**
 * The study in a URL's hash: JSON, deflate-raw (CompressionStream, in every current browser and in
 * Node), base64url. The hash never reaches the server, so a scenario of a few kilobytes can ride
 * along without a server-side store. Decoding is defensive: a link can be cut short by a chat
 * client or edited by hand, and the page must explain that rather than fail.
 */
import { sharedStudySchema, type SharedStudy } from './study';
import { MAX_SCENARIO_TEXT } from '../protocol';

export const HASH_KEY = 's';
/** four scenarios at their maximum plus the rest; a bigger inflation is a bomb or garbage */
const MAX_INFLATED = 4 * MAX_SCENARIO_TEXT + 64 * 1024;

export type Decoded = { ok: true; study: SharedStudy } | { ok: false; message: string };

export async function encodeStudy(study: SharedStudy): Promise<string> {
	const bytes = new TextEncoder().encode(JSON.stringify(study));
	const packed = await pipe(bytes, new CompressionStream('deflate-raw'), Infinity);
	return toBase64Url(packed);
}

/** The hash for a study: `#s=<payload>`. */
export async function studyHash(study: SharedStudy): Promise<string> {
	return `#${HASH_KEY}=${await encodeStudy(study)}`;
}

/** The payload of a location hash, or null when the hash holds no study (a plain visit). */
export function payloadOf(hash: string): string | null {
	const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
	return params.get(HASH_KEY);
}

export async function decodeStudy(payload: string): Promise<Decoded> {
	const bytes = fromBase64Url(payload);
	if (bytes === null) return { ok: false, message: 'the link is damaged: its study is not valid base64url text' };
	let inflated: Uint8Array;
	try {
		inflated = await pipe(bytes, new DecompressionStream('deflate-raw'), MAX_INFLATED);
	} catch (err) {
		const tooBig = err instanceof RangeError;
		return {
			ok: false,
			message: tooBig ? 'the link holds more than a study can be' : 'the link is damaged or cut short: its study does not decompress'
		};
	}
	let json: unknown;
	try {
		json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(inflated));
	} catch {
		return { ok: false, message: 'the link is damaged: its study is not readable JSON' };
	}
	const parsed = sharedStudySchema.safeParse(json);
	if (!parsed.success) {
		const first = parsed.error.issues[0];
		const where = first && first.path.length > 0 ? ` at ${first.path.join('.')}` : '';
		return { ok: false, message: `the link's study is not one this page can open${where}: ${first?.message ?? 'invalid'}` };
	}
	return { ok: true, study: parsed.data };
}

async function pipe(input: Uint8Array, transform: CompressionStream | DecompressionStream, limit: number): Promise<Uint8Array> {
	const writer = transform.writable.getWriter();
	// Errors surface on the reading side; the writer's own rejections must not go unhandled.
	void writer.write(input as Uint8Array<ArrayBuffer>).catch(() => {});
	void writer.close().catch(() => {});
	const reader = transform.readable.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > limit) {
			await reader.cancel().catch(() => {});
			throw new RangeError('inflated past the limit');
		}
		chunks.push(value);
	}
	const out = new Uint8Array(size);
	let at = 0;
	for (const c of chunks) {
		out.set(c, at);
		at += c.byteLength;
	}
	return out;
}

export function toBase64Url(bytes: Uint8Array): string {
	let binary = '';
	for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array | null {
	if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
	const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
	try {
		const binary = atob(b64);
		const out = new Uint8Array(binary.length);
		for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
		return out;
	} catch {
		return null;
	}
}
