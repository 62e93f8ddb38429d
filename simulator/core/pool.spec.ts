import { describe, expect, it } from 'vitest';
import { WorkerPool } from './pool';
import { simulate } from './simulate';
import type { Scenario } from '../scenario/types';

const H = 3_600_000;

/** One queue, `hours` long: a few ms of work per hour simulated. */
function day(hours: number): Scenario {
	return {
		name: 'pool',
		description: '',
		file: undefined,
		startMs: 0,
		horizonMs: hours * H,
		warmupMs: 0,
		weekday: 1,
		seed: 1,
		engine: {
			queues: [{ id: 'q', autoAnswer: true, shortAbandonSeconds: 0 }],
			dedupeWindowMs: 0,
			reorderWindowMs: 0,
			intervalMinutes: 15,
			dayStartMs: 0,
			autoQueues: false
		},
		queues: [
			{
				id: 'q',
				handleTime: { dist: 'exponential', mean: 180_000 },
				wrapUp: { dist: 'constant', value: 0 },
				patience: { dist: 'exponential', mean: 120_000 },
				callbackShare: 0
			}
		],
		arrivals: [
			{
				queue: 'q',
				ratesPerHour: [2000],
				intervalMs: H,
				weekdayFactors: [1, 1, 1, 1, 1, 1, 1],
				scale: 1,
				sources: [{ value: 'web', share: 1 }],
				heat: { dist: 'constant', value: 0.5 },
				value: { dist: 'constant', value: 100 },
				skills: [],
				priority: 0
			}
		],
		agents: [{ id: 'team', skills: { q: 1 }, shifts: [{ startMs: 0, endMs: hours * H, count: 100, breaks: [] }] }],
		overflowTiers: [],
		costPerAgentHour: 10
	};
}

describe('WorkerPool shared by several callers', () => {
	it('cancels one caller’s jobs, queued or running, and keeps serving the others', async () => {
		const pool = new WorkerPool(2);
		try {
			const ac = new AbortController();
			let started = false;
			const long = day(400);
			const mine = [1, 2, 3].map((seed) => pool.run({ scenario: long, seed, agents: undefined }, () => (started = true), ac.signal));
			const theirs = pool.run({ scenario: day(2), seed: 9, agents: undefined });
			for (let i = 0; i < 200 && !started; i++) await new Promise((r) => setTimeout(r, 25));
			expect(started).toBe(true);
			ac.abort();
			for (const p of mine) await expect(p).rejects.toThrow(/cancelled/);
			const summary = await theirs;
			expect(summary).toEqual(simulate(day(2), { seed: 9 }).summary);
			expect(pool.alive).toBe(2);
			expect(pool.load).toBe(0);
			// the worker that was stopped has been replaced: two jobs still run at once
			const again = await Promise.all([1, 2].map((seed) => pool.run({ scenario: day(1), seed, agents: undefined })));
			expect(again.map((s) => s.seed)).toEqual([1, 2]);
		} finally {
			await pool.close();
		}
	});

	it('a job sent ahead to a worker whose running job is cancelled goes to the next free worker', async () => {
		const pool = new WorkerPool(1);
		try {
			// short jobs done: the pool sends the next job ahead while one runs
			await pool.run({ scenario: day(1), seed: 1, agents: undefined });
			const ac = new AbortController();
			let started = false;
			const mine = pool.run({ scenario: day(400), seed: 2, agents: undefined }, () => (started = true), ac.signal);
			const theirs = pool.run({ scenario: day(2), seed: 9, agents: undefined });
			for (let i = 0; i < 200 && !started; i++) await new Promise((r) => setTimeout(r, 25));
			expect(started).toBe(true);
			ac.abort();
			await expect(mine).rejects.toThrow(/cancelled/);
			expect(await theirs).toEqual(simulate(day(2), { seed: 9 }).summary);
			expect(pool.alive).toBe(1);
		} finally {
			await pool.close();
		}
	});

	it('rejects a job whose signal is already aborted without running it', async () => {
		const pool = new WorkerPool(1);
		try {
			const ac = new AbortController();
			ac.abort();
			await expect(pool.run({ scenario: day(1), seed: 1, agents: undefined }, () => {}, ac.signal)).rejects.toThrow(/cancelled/);
			expect(pool.load).toBe(0);
		} finally {
			await pool.close();
		}
	});
});
