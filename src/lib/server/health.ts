export const HEALTH_PATH = '/healthz';

export interface HealthReport {
	status: 'ok';
	uptimeSeconds: number;
	version: string;
}

/** Uptime is rounded to whole seconds: probes only need liveness, not a precise clock. */
export function buildHealthReport(startedAtMs: number, nowMs: number, version: string): HealthReport {
	return {
		status: 'ok',
		uptimeSeconds: Math.max(0, Math.floor((nowMs - startedAtMs) / 1000)),
		version
	};
}

/** Matches on the path only so probes may add cache-busting query strings. */
export function isHealthRequest(method: string | undefined, url: string | undefined): boolean {
	if (method !== 'GET' && method !== 'HEAD') return false;
	if (url === undefined) return false;
	const queryStart = url.indexOf('?');
	const path = queryStart === -1 ? url : url.slice(0, queryStart);
	return path === HEALTH_PATH;
}
