// Worker threads start without the parent's TypeScript loader; register tsx, then run the prep thread.
import { register } from 'tsx/esm/api';

register();
await import('./prep-thread.ts');
