import type { Context } from 'hono';
import { cors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Database } from '../db/database.ts';
import { VkladError, invalid } from '../errors.ts';
import { type Principal, allows, authenticate } from '../store/api-keys.ts';
import { PreconditionFailed } from './precondition.ts';

type XapiEnv = { Variables: { principal: Principal } };

export const SUPPORTED_VERSIONS = ['1.0.3', '2.0.0'];

/**
 * cmi5 and SCORM-in-xAPI content runs in the learner's browser, usually on another origin than the
 * LRS: preflights are answered before the version and key checks, and the xAPI headers are readable.
 */
export const xapiCors = cors({
  origin: '*',
  allowMethods: ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'OPTIONS'],
  allowHeaders: ['Authorization', 'Content-Type', 'X-Experience-API-Version', 'If-Match', 'If-None-Match'],
  exposeHeaders: ['ETag', 'Last-Modified', 'X-Experience-API-Version', 'X-Experience-API-Consistent-Through'],
  maxAge: 86_400,
});

/** The version line a client speaks, answered with the newest patch Vklad knows of that line. */
export function answeredVersion(requested: string): string | null {
  if (/^2\.0(\.\d+)?$/.test(requested)) return '2.0.0';
  if (/^1\.0(\.\d+)?$/.test(requested)) return '1.0.3';
  return null;
}

/**
 * Every xAPI response carries X-Experience-API-Version; every request but /about must name a version
 * Vklad speaks (2.0, or 1.0.x for older clients).
 */
export const versionHeader = createMiddleware(async (c, next) => {
  const requested = c.req.header('x-experience-api-version');
  const answered = requested === undefined ? null : answeredVersion(requested.trim());
  c.header('X-Experience-API-Version', answered ?? '2.0.0');
  if (c.req.path !== '/xapi/about') {
    if (requested === undefined) throw invalid([{ field: 'X-Experience-API-Version', reason: 'is required (2.0.0, or 1.0.3 for older clients)' }]);
    if (answered === null) throw invalid([{ field: 'X-Experience-API-Version', reason: `"${requested}" is not a version Vklad speaks: ${SUPPORTED_VERSIONS.join(', ')}` }]);
  }
  await next();
  c.res.headers.set('X-Experience-API-Version', answered ?? '2.0.0');
});

/** The Vklad API key a request presents: Basic with the key as password (or as user, empty password), or Bearer. */
export function presentedKey(header: string | undefined): string | null {
  if (!header) return null;
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) return bearer[1]!;
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (!basic) return null;
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  const [user, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
  return password !== '' ? password : user || null;
}

/** Reads need the "read" scope, writes "ingest"; a missing or wrong key is 401 with a Basic challenge. */
export function xapiAuth(db: Database, adminKey: string | undefined) {
  return createMiddleware<XapiEnv>(async (c, next) => {
    if (c.req.path === '/xapi/about') return next();
    const key = presentedKey(c.req.header('authorization'));
    const principal = key ? await authenticate(db, key, adminKey) : null;
    if (!principal) {
      c.header('WWW-Authenticate', 'Basic realm="Vklad xAPI", charset="UTF-8"');
      throw new VkladError('unauthorized', 'A valid Vklad API key is required: HTTP Basic with the key as the password');
    }
    const scope = c.req.method === 'GET' || c.req.method === 'HEAD' ? 'read' : 'ingest';
    if (!allows(principal, scope)) throw new VkladError('forbidden', `This API key lacks the "${scope}" scope`);
    c.set('principal', principal);
    await next();
  });
}

/** Answers 412 for a failed precondition, which Vklad's shared error codes do not cover. */
export function preconditionAware<C extends Context>(handler: (c: C) => Promise<Response>) {
  return async (c: C): Promise<Response> => {
    try {
      return await handler(c);
    } catch (error) {
      if (!(error instanceof PreconditionFailed)) throw error;
      const body = { type: 'urn:vklad:problem:precondition_failed', title: 'Precondition failed', status: 412, code: 'precondition_failed', detail: error.message };
      return c.body(JSON.stringify(body), 412 as ContentfulStatusCode, { 'content-type': 'application/problem+json' });
    }
  };
}
