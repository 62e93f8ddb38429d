import { readFileSync } from 'node:fs';

export interface ListenConfig {
	port: number;
	host: string;
}

export const DEFAULT_PORT = 3000;
export const DEFAULT_HOST = '0.0.0.0';

/** Rejects malformed values loudly: silently falling back to 3000 would hide a typo in deployment config. */
export function parseListenConfig(env: Readonly<Record<string, string | undefined>>): ListenConfig {
	const rawPort = env.PORT?.trim();
	const rawHost = env.HOST?.trim();
	let port = DEFAULT_PORT;
	if (rawPort !== undefined && rawPort !== '') {
		if (!/^\d+$/.test(rawPort) || Number(rawPort) > 65_535) {
			throw new Error(`PORT must be an integer between 0 and 65535, got ${JSON.stringify(env.PORT)}`);
		}
		port = Number(rawPort);
	}
	return { port, host: rawHost === undefined || rawHost === '' ? DEFAULT_HOST : rawHost };
}

export function readPackageVersion(packageJsonPath: string | URL): string {
	const parsed: unknown = JSON.parse(readFileSync(packageJsonPath, 'utf8'));
	if (typeof parsed === 'object' && parsed !== null && 'version' in parsed && typeof parsed.version === 'string') {
		return parsed.version;
	}
	throw new Error(`no string "version" field in ${String(packageJsonPath)}`);
}
