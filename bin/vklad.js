#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-semi-space-size=8
// Sized for a long import beside embedded PostgreSQL: each thread's own malloc arena and V8's 32 MB
// young generation are memory it holds and barely needs (see docs/ingest-speed.md).
// Vklad runs its TypeScript sources, compiled again whenever one of them changes: no build step can go stale.
import { pathToFileURL } from 'node:url';
import { compiled } from './compile.js';

let main;
try {
  main = pathToFileURL(compiled('cli/main.ts')).href;
} catch (error) {
  if (!['EACCES', 'EPERM', 'EROFS'].includes(error.code)) throw error;
  // An installation Vklad cannot write into: compile each module as it loads instead.
  (await import('tsx/esm/api')).register();
  main = '../src/cli/main.ts';
}
await import(main);
