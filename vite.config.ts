import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		include: ['src/**/*.{test,spec}.ts', 'simulator/**/*.{test,spec}.ts', 'tests/unit/**/*.{test,spec}.ts', 'tests/integration/**/*.{test,spec}.ts'],
		environment: 'node',
		testTimeout: 30_000
	}
});
