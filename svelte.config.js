import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		typescript: {
			// The generated tsconfig only covers src/ and tests/; the server entry, tool configs and the
			// simulator must be type-checked by `npm run check` too. Paths are relative to .svelte-kit/.
			config: (tsconfig) => {
				tsconfig.include.push(
					'../server.ts',
					'../playwright.config.ts',
					'../svelte.config.js',
					'../simulator/**/*.ts'
				);
			}
		}
	}
};

export default config;
