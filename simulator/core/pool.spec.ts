import { describe, expect, it } from 'vitest';
import { WorkerPool } from './pool';
import { simulate } from './simulate';
import type { Scenario } from '../scenario/types';
import { oneQueueScenario } from '../../tests/support/one-queue';

const H = 3_600_000;

/** One queue, `hours` long: a few ms of work per hour simulated. */
function day(hours: number): Scenario {
	return oneQueueScenario({ name: 'pool', hours, perHour: 2000, ahtS: 180, agents: 100, intervalMs: H });
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
			// short jobs done (the first is slow, the code still cold): the pool sends the next job ahead while one runs
			for (let i = 0; i < 8; i++) await pool.run({ scenario: day(1), seed: 1, agents: undefined });
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

	it('a job only sent ahead is taken back: the worker goes on with the job it runs, not restarted', async () => {
		const pool = new WorkerPool(1);
		try {
			// short jobs done (the first is slow, the code still cold): the pool sends the next job ahead
			for (let i = 0; i < 8; i++) await pool.run({ scenario: day(1), seed: 1, agents: undefined });
			const fractions: number[] = [];
			const theirs = pool.run({ scenario: day(120), seed: 2, agents: undefined }, (f) => fractions.push(f));
			const ac = new AbortController();
			let mineStarted = false;
			const mine = pool.run({ scenario: day(2), seed: 3, agents: undefined }, () => (mineStarted = true), ac.signal);
			for (let i = 0; i < 200 && fractions.length < 2; i++) await new Promise((r) => setTimeout(r, 25));
			expect(fractions.length).toBeGreaterThanOrEqual(2);
			ac.abort();
			await expect(mine).rejects.toThrow(/cancelled/);
			expect(await theirs).toEqual(simulate(day(120), { seed: 2 }).summary);
			// a restart on a fresh worker would have begun its progress again from 0
			for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1] as number);
			expect(mineStarted).toBe(false);
			expect(pool.alive).toBe(1);
			expect(pool.load).toBe(0);
		} finally {
			await pool.close();
		}
	});

	it('replaces a worker that runs out of memory: that job fails, the next one runs', async () => {
		const pool = new WorkerPool(1, { maxOldGenerationSizeMb: 48 });
		try {
			// 400,000 calls for 10 agents, callers who never hang up: the queue alone outgrows 48 MB
			const flood = day(2);
			flood.queues = flood.queues.map((q) => ({ ...q, patience: null }));
			flood.arrivals = flood.arrivals.map((a) => ({ ...a, ratesPerHour: [200_000] }));
			flood.agents = flood.agents.map((g) => ({ ...g, shifts: g.shifts.map((s) => ({ ...s, count: 10 })) }));
			await expect(pool.run({ scenario: flood, seed: 1, agents: undefined })).rejects.toThrow(/ran out of memory/);
			expect(pool.alive).toBe(1);
			expect(await pool.run({ scenario: day(1), seed: 4, agents: undefined })).toEqual(simulate(day(1), { seed: 4 }).summary);
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
