/**
 * The wallboard server as the benchmark runs it: `node --import tsx server.ts`, exactly what
 * `npm start` serves, in a child process of its own so its CPU is not the clients', on a free
 * loopback port, with the tick probe preloaded. Also makes sure build/ is there and current.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ProbeReply, ProbeRequest, TickRecord } from './wallboard-probe-protocol';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PROBE = path.join(ROOT, 'tests/bench/wallboard-tick-probe.ts');
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 8_000;

export interface BoardServerOptions {
	/** scenario file, relative to the repository */
	scenario: string;
	speed: number;
	seed: number;
	/** "HH:MM" */
	warmStart: string;
}

export interface BoardServer {
	/** http://127.0.0.1:<port> */
	url: string;
	pid: number;
	/** the server's stdout and stderr lines so far */
	log(): string[];
	/** user + system CPU seconds the server process has used (all its threads), from /proc */
	cpuSeconds(): number;
	/** the hub ticks recorded since the last call */
	ticks(): Promise<TickRecord[]>;
	/** SIGTERM (the server's graceful shutdown), SIGKILL if it hangs; resolves once it has exited */
	stop(): Promise<void>;
}

/** Sources the client bundle and server build are made from; build/ older than any of them is stale. */
const BUILD_INPUTS = ['src', 'svelte.config.js', 'vite.config.ts', 'package.json'];

function newestMtime(p: string): number {
	const st = statSync(p);
	if (!st.isDirectory()) return st.mtimeMs;
	let newest = st.mtimeMs;
	for (const entry of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
	return newest;
}

/**
 * Runs `npm run build` when build/ is missing or older than the sources, so the board measured is
 * the board in the tree. Returns what it did, for the notes.
 */
export function ensureBuild(): string {
	const marker = path.join(ROOT, 'build/handler.js');
	let builtAt = 0;
	try {
		builtAt = statSync(marker).mtimeMs;
	} catch {
		// missing: build
	}
	const sourcesAt = Math.max(...BUILD_INPUTS.map((p) => newestMtime(path.join(ROOT, p))));
	if (builtAt > 0 && builtAt >= sourcesAt) return 'build/ up to date';
	const why = builtAt === 0 ? 'build/ missing' : 'build/ older than src/';
	process.stderr.write(`wallboard bench: ${why}, running npm run build\n`);
	const t0 = performance.now();
	execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
	return `${why}: built in ${((performance.now() - t0) / 1000).toFixed(0)} s`;
}

let clockTicks: number | undefined;

function clockTicksPerSecond(): number {
	if (clockTicks === undefined) {
		try {
			clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
		} catch {
			clockTicks = 100;
		}
	}
	return clockTicks;
}

/** utime + stime of a process, in seconds (fields 14 and 15 of /proc/<pid>/stat, counted after the ")" of the name). */
export function procCpuSeconds(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	const utime = Number(fields[11]);
	const stime = Number(fields[12]);
	if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`cannot read CPU times from /proc/${pid}/stat`);
	return (utime + stime) / clockTicksPerSecond();
}

export async function startBoardServer(options: BoardServerOptions): Promise<BoardServer> {
	const env: NodeJS.ProcessEnv = {
		...process.env,
		PORT: '0',
		HOST: '127.0.0.1',
		HEATBOARD_SCENARIO: path.join(ROOT, options.scenario),
		HEATBOARD_SPEED: String(options.speed),
		HEATBOARD_SEED: String(options.seed),
		HEATBOARD_WARM_START: options.warmStart
	};
	const child = spawn(process.execPath, ['--import', 'tsx', '--import', pathToFileURL(PROBE).href, 'server.ts'], {
		cwd: ROOT,
		env,
		stdio: ['ignore', 'pipe', 'pipe', 'ipc']
	});
	const lines: string[] = [];
	let exited = false;
	const exit = new Promise<void>((resolve) =>
		child.once('exit', () => {
			exited = true;
			resolve();
		})
	);
	// a bench that dies half-way must not leave its server running
	const killOnExit = () => child.kill('SIGKILL');
	process.once('exit', killOnExit);

	const url = await new Promise<string>((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`server did not start in ${START_TIMEOUT_MS} ms:\n${lines.join('\n')}`)),
			START_TIMEOUT_MS
		);
		const onLine = (line: string) => {
			lines.push(line);
			const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
			if (m?.[1] !== undefined) {
				clearTimeout(timer);
				resolve(m[1]);
			}
		};
		collectLines(child, onLine);
		void exit.then(() => {
			clearTimeout(timer);
			reject(new Error(`server exited before listening:\n${lines.join('\n')}`));
		});
	}).catch(async (err: unknown) => {
		await stop(child, exit, () => exited);
		process.off('exit', killOnExit);
		throw err;
	});

	const pid = child.pid;
	if (pid === undefined) throw new Error('server has no pid');
	return {
		url,
		pid,
		log: () => [...lines],
		cpuSeconds: () => procCpuSeconds(pid),
		ticks: () => askTicks(child),
		async stop() {
			await stop(child, exit, () => exited);
			process.off('exit', killOnExit);
		}
	};
}

function collectLines(child: ChildProcess, onLine: (line: string) => void): void {
	for (const stream of [child.stdout, child.stderr]) {
		let rest = '';
		stream?.setEncoding('utf8');
		stream?.on('data', (chunk: string) => {
			const parts = (rest + chunk).split('\n');
			rest = parts.pop() ?? '';
			for (const p of parts) onLine(p);
		});
	}
}

function askTicks(child: ChildProcess): Promise<TickRecord[]> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			child.off('message', onMessage);
			reject(new Error('the server tick probe did not answer'));
		}, 5_000);
		const onMessage = (raw: unknown) => {
			const reply = raw as ProbeReply;
			if (reply?.type !== 'ticks') return;
			clearTimeout(timer);
			child.off('message', onMessage);
			resolve(reply.ticks);
		};
		child.on('message', onMessage);
		const req: ProbeRequest = { type: 'ticks' };
		child.send(req);
	});
}

async function stop(child: ChildProcess, exit: Promise<void>, exited: () => boolean): Promise<void> {
	if (exited()) return;
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
	await exit;
	clearTimeout(timer);
}
