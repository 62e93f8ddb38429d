// Worker threads start without the parent's TypeScript loader: the prep thread (scenario parsing,
// simulator modules) runs as an esbuild bundle, cached, like the simulation workers.
import { importBundled } from '../../../../simulator/bundle.mjs';

await importBundled('src/lib/server/studio/prep-thread.ts');
