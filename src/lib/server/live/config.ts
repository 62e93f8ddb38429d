import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export const LIVE_SOURCE = 'live';
export const DEFAULT_JOURNAL_DIR = './journal';
export const DEFAULT_LIVE_NAME = 'live';
export const AMI_DEFAULT_PORT = 5038;
/** Asterisk's default `tlsbindport` in manager.conf */
export const AMI_TLS_DEFAULT_PORT = 5039;
/** an HMAC key shorter than this is guessable */
export const MIN_SECRET_LENGTH = 16;

export interface AmiConfig {
	host: string;
	port: number;
	user: string;
	secret: string;
	/**
	 * HEATBOARD_AMI_TLS=1: AMI over TLS (manager.conf `tlsenable = yes`), so the secret does not cross
	 * the network in clear; `ca` is the PEM read from HEATBOARD_AMI_CA, for a PBX whose certificate is
	 * not publicly trusted. Absent: plain TCP.
	 */
	tls?: { ca?: string };
}

export interface LiveConfig {
	/** the phone system as the board names it; its file-safe form names the journal files */
	name: string;
	/** absolute */
	journalDir: string;
	/** minutes added to UTC for the phone system's local time */
	tzOffsetMinutes: number;
	/** an Asterisk queue_log to follow (absolute), or null */
	queueLog: string | null;
	ami: AmiConfig | null;
	/** the shared secret of the HTTP ingest endpoint's HMAC signatures; null: no endpoint */
	ingestSecret: string | null;
}

/** HEATBOARD_SOURCE=live asks for the live source (the source selection reads it; this module only names it). */
export function isLiveMode(env: Readonly<Record<string, string | undefined>>): boolean {
	return env.HEATBOARD_SOURCE?.trim() === LIVE_SOURCE;
}

/**
 * Reads the live mode's environment: HEATBOARD_JOURNAL_DIR, HEATBOARD_TZ_OFFSET, HEATBOARD_LIVE_NAME,
 * HEATBOARD_QUEUE_LOG, HEATBOARD_AMI (+ _USER, _SECRET, _TLS, _CA) and HEATBOARD_INGEST_SECRET. Bad values are
 * errors, all of them in one message, and so is a live mode with no way for events to come in.
 * Secrets never appear in the message.
 */
export function parseLiveConfig(env: Readonly<Record<string, string | undefined>>, cwd: string): LiveConfig {
	const errors: string[] = [];
	const raw = (name: string) => {
		const v = env[name]?.trim();
		return v === undefined || v === '' ? undefined : v;
	};

	const name = raw('HEATBOARD_LIVE_NAME') ?? DEFAULT_LIVE_NAME;
	if (name.length > 64 || !/[A-Za-z0-9]/.test(name))
		errors.push(
			`HEATBOARD_LIVE_NAME must be 1 to 64 characters with at least one letter or digit, got ${JSON.stringify(name.slice(0, 80))}`
		);

	const journalDir = path.resolve(cwd, raw('HEATBOARD_JOURNAL_DIR') ?? DEFAULT_JOURNAL_DIR);
	const dirKind = kindOf(journalDir);
	if (dirKind !== 'missing' && dirKind !== 'dir') errors.push(`HEATBOARD_JOURNAL_DIR: ${dirKind}, not a directory: ${journalDir}`);

	let tzOffsetMinutes = 0;
	const tzRaw = raw('HEATBOARD_TZ_OFFSET');
	if (tzRaw !== undefined) {
		const v = /^[+-]?\d{1,4}$/.test(tzRaw) ? Number(tzRaw) : Number.NaN;
		// UTC-12:00 to UTC+14:00, the offsets in use
		if (!(v >= -720 && v <= 840))
			errors.push(`HEATBOARD_TZ_OFFSET must be whole minutes from -720 to 840 (e.g. -300 for UTC-5), got ${JSON.stringify(tzRaw)}`);
		else tzOffsetMinutes = v;
	}

	let queueLog: string | null = null;
	const qlRaw = raw('HEATBOARD_QUEUE_LOG');
	if (qlRaw !== undefined) {
		queueLog = path.resolve(cwd, qlRaw);
		// the file itself may not exist yet (Asterisk creates it on its first event), its directory must
		const parent = kindOf(path.dirname(queueLog));
		const self = kindOf(queueLog);
		if (parent !== 'dir')
			errors.push(`HEATBOARD_QUEUE_LOG: its directory is ${parent === 'missing' ? 'missing' : `not a directory (${parent})`}: ${queueLog}`);
		else if (self !== 'missing' && self !== 'file') errors.push(`HEATBOARD_QUEUE_LOG: ${self}, not a file: ${queueLog}`);
	}

	let ami: AmiConfig | null = null;
	const amiRaw = raw('HEATBOARD_AMI');
	const user = raw('HEATBOARD_AMI_USER');
	const secret = raw('HEATBOARD_AMI_SECRET');
	const tlsRaw = raw('HEATBOARD_AMI_TLS');
	const caRaw = raw('HEATBOARD_AMI_CA');
	let tls = false;
	if (tlsRaw !== undefined) {
		const v = tlsRaw.toLowerCase();
		if (['1', 'true', 'yes', 'on'].includes(v)) tls = true;
		else if (!['0', 'false', 'no', 'off'].includes(v))
			errors.push(`HEATBOARD_AMI_TLS must be 1 or 0 (true/false, yes/no, on/off), got ${JSON.stringify(tlsRaw.slice(0, 40))}`);
	}
	let ca: string | undefined;
	if (caRaw !== undefined) {
		const caPath = path.resolve(cwd, caRaw);
		if (!tls) errors.push('HEATBOARD_AMI_CA needs HEATBOARD_AMI_TLS=1');
		else ca = readPem(caPath, errors);
	}
	if (amiRaw !== undefined) {
		const hp = hostPort(amiRaw, tls ? AMI_TLS_DEFAULT_PORT : AMI_DEFAULT_PORT);
		if (hp === null)
			errors.push(
				`HEATBOARD_AMI must be host:port (port 1 to 65535, ${AMI_DEFAULT_PORT} if left out, ${AMI_TLS_DEFAULT_PORT} with TLS; [v6 address]:port), got ${JSON.stringify(redactUserinfo(amiRaw))}` +
					(amiRaw.includes('@') ? ' (the user and secret go in HEATBOARD_AMI_USER and HEATBOARD_AMI_SECRET)' : '')
			);
		if (user === undefined) errors.push('HEATBOARD_AMI_USER is needed with HEATBOARD_AMI (the manager.conf user)');
		if (secret === undefined) errors.push('HEATBOARD_AMI_SECRET is needed with HEATBOARD_AMI (the manager.conf secret)');
		if (hp !== null && user !== undefined && secret !== undefined) {
			ami = { ...hp, user, secret };
			if (tls) ami.tls = ca === undefined ? {} : { ca };
		}
	} else {
		if (user !== undefined || secret !== undefined)
			errors.push('HEATBOARD_AMI_USER and HEATBOARD_AMI_SECRET are set but HEATBOARD_AMI (host:port) is not');
		if (tlsRaw !== undefined || caRaw !== undefined)
			errors.push('HEATBOARD_AMI_TLS and HEATBOARD_AMI_CA are set but HEATBOARD_AMI (host:port) is not');
	}

	const ingestSecret = raw('HEATBOARD_INGEST_SECRET') ?? null;
	if (ingestSecret !== null && ingestSecret.length < MIN_SECRET_LENGTH)
		errors.push(`HEATBOARD_INGEST_SECRET must be at least ${MIN_SECRET_LENGTH} characters (it signs requests), got ${ingestSecret.length}`);

	if (qlRaw === undefined && amiRaw === undefined && ingestSecret === null)
		errors.push('live mode needs a way in for events: HEATBOARD_QUEUE_LOG, HEATBOARD_AMI or HEATBOARD_INGEST_SECRET');

	if (errors.length > 0) throw new Error(`bad live configuration:\n  ${errors.join('\n  ')}`);
	return { name, journalDir, tzOffsetMinutes, queueLog, ami, ingestSecret };
}

function hostPort(text: string, defaultPort: number): { host: string; port: number } | null {
	const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+))(?::(\d{1,5}))?$/.exec(text);
	if (m === null) return null;
	const port = m[3] === undefined ? defaultPort : Number(m[3]);
	if (!(port >= 1 && port <= 65535)) return null;
	return { host: (m[1] ?? m[2]) as string, port };
}

/** "ami://user:secret@pbx:5038" → "ami://***@pbx:5038": a value written as a URL may carry the secret. */
export function redactUserinfo(text: string): string {
	return text.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)?.*@/s, '$1***@');
}

/** The certificate(s) of a PEM file, or an error about it. */
function readPem(file: string, errors: string[]): string | undefined {
	const kind = kindOf(file);
	if (kind !== 'file') {
		errors.push(`HEATBOARD_AMI_CA: ${kind === 'missing' ? 'no such file' : `${kind}, not a file`}: ${file}`);
		return undefined;
	}
	try {
		const pem = readFileSync(file, 'utf8');
		if (pem.includes('-----BEGIN CERTIFICATE-----')) return pem;
		errors.push(`HEATBOARD_AMI_CA: no PEM certificate (-----BEGIN CERTIFICATE-----) in ${file}`);
	} catch (err) {
		errors.push(`HEATBOARD_AMI_CA: cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
	}
	return undefined;
}

function kindOf(p: string): 'missing' | 'dir' | 'file' | 'something else' | 'unreadable' {
	try {
		const s = statSync(p);
		return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : 'something else';
	} catch (err) {
		return err instanceof Error && 'code' in err && err.code === 'ENOENT' ? 'missing' : 'unreadable';
	}
}
