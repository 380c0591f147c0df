#!/usr/bin/env node
// Vklad runs its TypeScript sources directly: no build step can go stale.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
