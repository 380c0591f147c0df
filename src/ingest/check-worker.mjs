// The worker's entry: the compiled reader beside this file when Vklad runs compiled, else its
// TypeScript through tsx (worker threads do not inherit the parent's module hooks).
import { existsSync } from 'node:fs';

const compiled = new URL('./check-worker.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  (await import('tsx/esm/api')).register();
  await import('./check-worker.ts');
}
