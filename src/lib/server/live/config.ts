import { statSync } from 'node:fs';
import path from 'node:path';

export const LIVE_SOURCE = 'live';
export const DEFAULT_JOURNAL_DIR = './journal';
export const DEFAULT_LIVE_NAME = 'live';
export const AMI_DEFAULT_PORT = 5038;
/** an HMAC key shorter than this is guessable */
export const MIN_SECRET_LENGTH = 16;

export interface AmiConfig {
	host: string;
	port: number;
	user: string;
	secret: string;
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
 * HEATBOARD_QUEUE_LOG, HEATBOARD_AMI (+ _USER, _SECRET) and HEATBOARD_INGEST_SECRET. Bad values are
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
	if (amiRaw !== undefined) {
		const hp = hostPort(amiRaw);
		if (hp === null)
			errors.push(
				`HEATBOARD_AMI must be host:port (port 1 to 65535, ${AMI_DEFAULT_PORT} if left out; [v6 address]:port), got ${JSON.stringify(amiRaw)}`
			);
		if (user === undefined) errors.push('HEATBOARD_AMI_USER is needed with HEATBOARD_AMI (the manager.conf user)');
		if (secret === undefined) errors.push('HEATBOARD_AMI_SECRET is needed with HEATBOARD_AMI (the manager.conf secret)');
		if (hp !== null && user !== undefined && secret !== undefined) ami = { ...hp, user, secret };
	} else if (user !== undefined || secret !== undefined) {
		errors.push('HEATBOARD_AMI_USER and HEATBOARD_AMI_SECRET are set but HEATBOARD_AMI (host:port) is not');
	}

	const ingestSecret = raw('HEATBOARD_INGEST_SECRET') ?? null;
	if (ingestSecret !== null && ingestSecret.length < MIN_SECRET_LENGTH)
		errors.push(`HEATBOARD_INGEST_SECRET must be at least ${MIN_SECRET_LENGTH} characters (it signs requests), got ${ingestSecret.length}`);

	if (qlRaw === undefined && amiRaw === undefined && ingestSecret === null)
		errors.push('live mode needs a way in for events: HEATBOARD_QUEUE_LOG, HEATBOARD_AMI or HEATBOARD_INGEST_SECRET');

	if (errors.length > 0) throw new Error(`bad live configuration:\n  ${errors.join('\n  ')}`);
	return { name, journalDir, tzOffsetMinutes, queueLog, ami, ingestSecret };
}

function hostPort(text: string): { host: string; port: number } | null {
	const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+))(?::(\d{1,5}))?$/.exec(text);
	if (m === null) return null;
	const port = m[3] === undefined ? AMI_DEFAULT_PORT : Number(m[3]);
	if (!(port >= 1 && port <= 65535)) return null;
	return { host: (m[1] ?? m[2]) as string, port };
}

function kindOf(p: string): 'missing' | 'dir' | 'file' | 'something else' | 'unreadable' {
	try {
		const s = statSync(p);
		return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : 'something else';
	} catch (err) {
		return err instanceof Error && 'code' in err && err.code === 'ENOENT' ? 'missing' : 'unreadable';
	}
}
