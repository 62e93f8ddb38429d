import { defineConfig, devices } from '@playwright/test';

// A fixed port keeps failures reproducible by hand; override when 4173 is taken.
const port = Number(process.env.E2E_PORT ?? '4173');
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
	testDir: 'tests/e2e',
	outputDir: 'test-results',
	forbidOnly: true,
	fullyParallel: false,
	retries: 0,
	// One worker: the board tests start servers of their own and render at 4K, and the reconnect and
	// rotation timings must not compete with a second browser for two cores.
	workers: 1,
	reporter: 'list',
	timeout: 30_000,
	use: {
		baseURL,
		screenshot: 'only-on-failure',
		trace: 'off'
	},
	projects: [
		{
			name: 'chromium',
			use: {
				...devices['Desktop Chrome'],
				// Debian's chromium rather than Playwright's bundled build: nothing is downloaded at install time.
				launchOptions: {
					executablePath: '/usr/bin/chromium',
					args: [
						'--no-sandbox',
						'--disable-gpu',
						'--disable-quic',
						'--no-first-run',
						'--disable-background-networking',
						'--disable-component-update',
						'--disable-sync'
					]
				}
			}
		}
	],
	webServer: {
		// The production entry against the production build, exactly what `npm start` serves.
		command: 'node --import tsx server.ts',
		url: `${baseURL}/healthz`,
		env: { PORT: String(port), HOST: '127.0.0.1' },
		reuseExistingServer: false,
		timeout: 30_000,
		stdout: 'pipe',
		stderr: 'pipe'
	}
});
