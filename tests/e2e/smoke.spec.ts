import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { io as connect, type Socket } from 'socket.io-client';

/** The global the socket.io server's own client bundle (/socket.io/socket.io.js) installs in the page. */
interface BrowserSocketIo {
	io(options: { transports: string[] }): {
		id: string | undefined;
		connected: boolean;
		on(event: 'connect', listener: () => void): void;
		on(event: 'connect_error', listener: (err: Error) => void): void;
		disconnect(): void;
	};
}

const packageJson: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const packageVersion =
	typeof packageJson === 'object' && packageJson !== null && 'version' in packageJson ? packageJson.version : undefined;

test('the placeholder page renders with the Heatboard title', async ({ page }) => {
	const response = await page.goto('/');
	expect(response?.status()).toBe(200);
	await expect(page).toHaveTitle('Heatboard');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Heatboard');
});

test('/healthz reports ok, the package.json version and a numeric uptime', async ({ request }) => {
	const response = await request.get('/healthz');
	expect(response.status()).toBe(200);
	expect(response.headers()['content-type']).toContain('application/json');
	const body: unknown = await response.json();
	expect(body).toEqual({ status: 'ok', uptimeSeconds: expect.any(Number), version: packageVersion });
});

test('unknown paths still go to SvelteKit, which answers 404', async ({ request }) => {
	const response = await request.get('/no-such-page');
	expect(response.status()).toBe(404);
});

test('a socket.io client in node connects over websocket on the same port', async ({ baseURL }) => {
	if (baseURL === undefined) throw new Error('baseURL must be configured');
	const socket: Socket = connect(baseURL, { transports: ['websocket'], reconnection: false, timeout: 5_000 });
	try {
		await new Promise<void>((resolve, reject) => {
			socket.once('connect', resolve);
			socket.once('connect_error', reject);
		});
		expect(socket.connected).toBe(true);
		expect(socket.id).toMatch(/^[\w-]{10,}$/);
	} finally {
		socket.disconnect();
	}
});

test('the page itself can open a socket.io connection (browser ↔ server)', async ({ page }) => {
	await page.goto('/');
	// Served by the socket.io server, so loading it also proves socket.io is wired into the HTTP server.
	await page.addScriptTag({ url: '/socket.io/socket.io.js' });
	const id = await page.evaluate(
		() =>
			new Promise<string>((resolve, reject) => {
				const { io } = window as unknown as BrowserSocketIo;
				const socket = io({ transports: ['websocket'] });
				socket.on('connect', () => {
					const socketId = socket.id;
					socket.disconnect();
					if (socketId === undefined) reject(new Error('connected without an id'));
					else resolve(socketId);
				});
				socket.on('connect_error', (err) => reject(err));
			})
	);
	expect(id).toMatch(/^[\w-]{10,}$/);
});
