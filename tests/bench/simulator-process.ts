import { fork, type ChildProcess } from 'node:child_process';
import type { Scenario } from '../../simulator/scenario/types';
import type { RunFacts, RunSpec } from './simulator-driver.mjs';

export type { RunFacts, RunSpec };

/** one simulate() call in the child: its times and what the checks read */
export interface TimedRun {
	/** wall time */
	ms: number;
	/** CPU time of the child's threads (the JS thread and V8's GC helpers) */
	cpuMs: number;
	facts: RunFacts;
}

type Request = { op: 'load'; key: string; scenario: Scenario } | { op: 'run'; key: string; runs: RunSpec[]; gc: boolean };
type Reply = { id: number; ok: true; runs: TimedRun[] } | { id: number; ok: false; error: string };

/**
 * The simulator in a plain `node` child (simulator-driver.mjs), as CLI users run it: the bench's
 * own process runs under tsx. Runs are timed in the child; only the times and each run's figures
 * come back, so the message passing is not timed.
 */
export class SimulatorProcess {
	private readonly child: ChildProcess;
	private readonly waiting = new Map<number, { resolve: (r: TimedRun[]) => void; reject: (e: Error) => void }>();
	private nextId = 0;
	private exited: Error | undefined;

	constructor() {
		this.child = fork(new URL('./simulator-driver.mjs', import.meta.url), [], {
			execArgv: [],
			// scenarios hold undefined fields and would lose them as JSON
			serialization: 'advanced',
			stdio: ['ignore', 'inherit', 'inherit', 'ipc']
		});
		this.child.on('message', (m: Reply) => {
			const w = this.waiting.get(m.id);
			if (w === undefined) return;
			this.waiting.delete(m.id);
			if (m.ok) w.resolve(m.runs);
			else w.reject(new Error(`simulator process: ${m.error}`));
		});
		this.child.on('exit', (code, signal) => {
			this.exited = new Error(`simulator process exited (${signal ?? `code ${code}`})`);
			for (const w of this.waiting.values()) w.reject(this.exited);
			this.waiting.clear();
		});
	}

	/** Sends a scenario to the child under `key`; the child keeps that one copy for every run of it. */
	async load(key: string, scenario: Scenario): Promise<void> {
		await this.send({ op: 'load', key, scenario });
	}

	/** Runs the scenario once per spec, back to back ({}: its own seed and staffing), a full collection before each if `gc`. */
	run(key: string, runs: readonly RunSpec[], gc = false): Promise<TimedRun[]> {
		return this.send({ op: 'run', key, runs: [...runs], gc });
	}

	close(): void {
		if (this.child.connected) this.child.disconnect();
	}

	private send(req: Request): Promise<TimedRun[]> {
		if (this.exited !== undefined) return Promise.reject(this.exited);
		const id = ++this.nextId;
		return new Promise((resolve, reject) => {
			this.waiting.set(id, { resolve, reject });
			this.child.send({ id, ...req }, (err) => {
				if (err === null) return;
				this.waiting.delete(id);
				reject(err);
			});
		});
	}
}
