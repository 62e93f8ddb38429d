// Worker threads start without the parent's TypeScript loader: the worker runs as an esbuild bundle
// (cached, so a worker starts without compiling anything, and the simulator runs faster bundled).
import { importBundled } from '../bundle.mjs';

await importBundled('simulator/core/worker.ts');
