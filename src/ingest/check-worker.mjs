// Worker threads do not inherit the parent's module hooks: the worker runs Vklad's TypeScript itself.
import { register } from 'tsx/esm/api';

register();
await import('./check-worker.ts');
