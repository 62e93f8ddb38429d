// Production entry: one process serving the built SvelteKit app and socket.io on the same port.
// Run with `node --import tsx server.ts` after `npm run build` (or just `npm start`).
import { loadSvelteKitHandler } from './src/lib/server/sveltekit-handler';
import { readPackageVersion } from './src/lib/server/runtime-config';
import { startHeatboard } from './src/lib/server/start';

try {
	const handler = await loadSvelteKitHandler(new URL('./build/handler.js', import.meta.url));
	const version = readPackageVersion(new URL('./package.json', import.meta.url));
	await startHeatboard({ handler, version, env: process.env });
} catch (err) {
	console.error(`heatboard failed to start: ${err instanceof Error ? err.message : String(err)}`);
	process.exit(1);
}
