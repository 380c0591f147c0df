import { createMiddleware } from 'hono/factory';
import { VkladError } from '../errors.ts';
import { type Principal, type Scope, allows, authenticate } from '../store/api-keys.ts';
import type { Database } from '../db/database.ts';

type AuthEnv = { Variables: { principal: Principal } };

/** Finds the API key behind `Authorization: Bearer ...`; every endpoint but health needs one. */
export function authenticateRequests(db: Database, adminKey: string | undefined) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
    const principal = match ? await authenticate(db, match[1]!, adminKey) : null;
    if (!principal) throw new VkladError('unauthorized', 'A valid API key is required: Authorization: Bearer <key>');
    c.set('principal', principal);
    await next();
  });
}

export function requireScope(scope: Scope) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    if (!allows(c.get('principal'), scope)) throw new VkladError('forbidden', `This API key lacks the "${scope}" scope`);
    await next();
  });
}
