import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { startRedis, type RedisHandle } from '../support/redis';

describe('startRedis (real redis-server for integration tests)', () => {
	const started: RedisHandle[] = [];
	const clients: Redis[] = [];

	afterEach(async () => {
		for (const client of clients.splice(0)) client.disconnect();
		await Promise.all(started.splice(0).map((handle) => handle.stop()));
	});

	async function start(): Promise<RedisHandle> {
		const handle = await startRedis();
		started.push(handle);
		return handle;
	}

	function client(url: string): Redis {
		// No retries: a dead server must surface as an error, not as an endless reconnect loop.
		const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
		redis.on('error', () => {});
		clients.push(redis);
		return redis;
	}

	it('serves SET/GET on 127.0.0.1, then refuses connections once stopped', async () => {
		const redis = await start();
		expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);

		const before = client(redis.url);
		await before.connect();
		expect(await before.set('heatboard:probe', 'hot-call')).toBe('OK');
		expect(await before.get('heatboard:probe')).toBe('hot-call');
		await before.quit();

		await redis.stop();
		await redis.stop(); // idempotent

		// ioredis rejects connect() with a generic "Connection is closed."; the cause arrives as an 'error' event.
		const after = client(redis.url);
		const connectError = new Promise<unknown>((resolve) => after.once('error', resolve));
		await expect(after.connect()).rejects.toThrow();
		expect(await connectError).toMatchObject({ code: 'ECONNREFUSED' });
	});

	it('starts independent servers on distinct ports with persistence disabled', async () => {
		const [a, b] = await Promise.all([start(), start()]);
		expect(a.port).not.toBe(b.port);

		const ca = client(a.url);
		const cb = client(b.url);
		await Promise.all([ca.connect(), cb.connect()]);
		await ca.set('only-in-a', '1');
		expect(await cb.get('only-in-a')).toBeNull();

		const save = await ca.config('GET', 'save');
		const appendonly = await ca.config('GET', 'appendonly');
		expect(save).toEqual(['save', '']);
		expect(appendonly).toEqual(['appendonly', 'no']);
	});
});
