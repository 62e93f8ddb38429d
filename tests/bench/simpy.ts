import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * Runs tests/bench/simpy_reference.py under the system Python, where Debian's python3-simpy3
 * lives (a pyenv `python3` earlier on PATH would not see it).
 */

export const SYSTEM_PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'simpy_reference.py');
const APT_GET = '/usr/bin/apt-get';
const run = promisify(execFile);

export interface SimpyModel {
	seed: number;
	agents: number;
	arrivalsPerMinute: number;
	ahtMinutes: number;
	patienceMinutes: number;
	hours: number;
}

export interface SimpyResult {
	logicalEvents: number;
	seconds: number;
	arrived: number;
	answered: number;
	abandoned: number;
	completed: number;
	waiting: number;
	talking: number;
	simpy: string;
	python: string;
}

export type SimpyAvailability = { ok: true; how: string } | { ok: false; reason: string };

function importsSimpy(): boolean {
	try {
		execFileSync(SYSTEM_PYTHON, ['-c', 'import simpy'], { stdio: 'ignore', timeout: 30_000 });
		return true;
	} catch {
		return false;
	}
}

/** Whether the system Python can import simpy; as root with apt-get, installs python3-simpy3 when it cannot. */
export function ensureSimpy(): SimpyAvailability {
	if (!existsSync(SYSTEM_PYTHON)) return { ok: false, reason: `no ${SYSTEM_PYTHON}` };
	if (importsSimpy()) return { ok: true, how: 'already installed' };
	const root = process.getuid?.() === 0;
	if (!root || !existsSync(APT_GET)) {
		return {
			ok: false,
			reason: `${SYSTEM_PYTHON} cannot import simpy and ${root ? 'there is no apt-get' : 'not root'} to install python3-simpy3`
		};
	}
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	try {
		execFileSync(APT_GET, ['update'], { stdio: 'ignore', env, timeout: 300_000 });
		execFileSync(APT_GET, ['install', '-y', '--no-install-recommends', 'python3-simpy3'], { stdio: 'ignore', env, timeout: 300_000 });
	} catch (err) {
		return {
			ok: false,
			reason: `apt-get install python3-simpy3 failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`
		};
	}
	return importsSimpy()
		? { ok: true, how: 'installed python3-simpy3 with apt-get' }
		: { ok: false, reason: `installed python3-simpy3, yet ${SYSTEM_PYTHON} still cannot import simpy` };
}

function isResult(x: unknown): x is SimpyResult {
	if (typeof x !== 'object' || x === null) return false;
	const r = x as Record<string, unknown>;
	const numbers = ['logicalEvents', 'seconds', 'arrived', 'answered', 'abandoned', 'completed', 'waiting', 'talking'];
	return (
		numbers.every((k) => typeof r[k] === 'number' && Number.isFinite(r[k])) && typeof r.simpy === 'string' && typeof r.python === 'string'
	);
}

/** One run of the SimPy model in a fresh interpreter; the script times only its env.run(). */
export async function runSimpy(m: SimpyModel): Promise<SimpyResult> {
	const args = [
		SCRIPT,
		`--seed=${m.seed}`,
		`--agents=${m.agents}`,
		`--arrivals-per-minute=${m.arrivalsPerMinute}`,
		`--aht-minutes=${m.ahtMinutes}`,
		`--patience-minutes=${m.patienceMinutes}`,
		`--hours=${m.hours}`
	];
	const { stdout } = await run(SYSTEM_PYTHON, args, { timeout: 120_000, maxBuffer: 1 << 20 });
	const last = stdout.trim().split('\n').pop() ?? '';
	let parsed: unknown;
	try {
		parsed = JSON.parse(last);
	} catch {
		throw new Error(`simpy_reference.py printed no JSON: ${JSON.stringify(stdout.slice(0, 200))}`);
	}
	if (!isResult(parsed)) throw new Error(`simpy_reference.py printed an unexpected result: ${last.slice(0, 200)}`);
	return parsed;
}
