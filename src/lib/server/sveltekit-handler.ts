import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RequestHandler } from './http';

/**
 * Loads adapter-node's `handler` at runtime. The import is dynamic so type-checking does not depend on
 * `build/` existing, and the module is validated instead of trusted because it is untyped build output.
 */
export async function loadSvelteKitHandler(handlerUrl: URL): Promise<RequestHandler> {
	const path = fileURLToPath(handlerUrl);
	if (!existsSync(path)) {
		throw new Error(`SvelteKit build not found at ${path}; run \`npm run build\` first`);
	}
	const mod: unknown = await import(handlerUrl.href);
	if (!exportsHandler(mod)) {
		throw new Error(`${path} does not export a \`handler\` function; is it an adapter-node build?`);
	}
	return mod.handler;
}

function exportsHandler(mod: unknown): mod is { handler: RequestHandler } {
	return typeof mod === 'object' && mod !== null && 'handler' in mod && typeof mod.handler === 'function';
}
