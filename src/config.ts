import { resolve } from 'node:path';
import { VkladError } from './errors.ts';
import type { UnknownIdentityMode } from './store/events.ts';

export interface Config {
  /** A PostgreSQL server for production; without it Vklad uses embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  port: number;
  adminKey: string | undefined;
  unknownIdentity: (provider: string) => UnknownIdentityMode;
  /** How often the server scores what changed, in milliseconds; 0 leaves scoring to `vklad score`. */
  scoreIntervalMs: number;
}

/** Reads configuration from the environment, refusing values that make no sense. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail('PORT', 'must be a port number');
  const mode = env.VKLAD_UNKNOWN_IDENTITY ?? 'create';
  if (mode !== 'create' && mode !== 'park') fail('VKLAD_UNKNOWN_IDENTITY', 'must be "create" or "park"');
  const parked = new Set((env.VKLAD_PARK_PROVIDERS ?? '').split(',').map((p) => p.trim()).filter(Boolean));
  const adminKey = env.VKLAD_ADMIN_KEY || undefined;
  if (adminKey !== undefined && adminKey.length < 16) fail('VKLAD_ADMIN_KEY', 'must be at least 16 characters');
  const interval = Number(env.VKLAD_SCORE_INTERVAL ?? 5);
  if (!Number.isFinite(interval) || interval < 0 || interval > 86_400) fail('VKLAD_SCORE_INTERVAL', 'must be seconds between 0 and 86400');
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.VKLAD_DATA_DIR || '.vklad/data'),
    port,
    adminKey,
    unknownIdentity: (provider) => (parked.has(provider) ? 'park' : mode),
    scoreIntervalMs: Math.round(interval * 1000),
  };
}

function fail(variable: string, reason: string): never {
  throw new VkladError('validation_failed', `${variable} ${reason}`, [{ field: variable, reason }]);
}
