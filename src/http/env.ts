import type { OpenAPIHono, RouteConfig } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { Principal, Scope } from '../store/api-keys.ts';
import { requireScope } from './auth.ts';

/** What every handler can reach: the store, the configuration and the clock (edges read it; the core never does). */
export interface Deps {
  db: Database;
  config: Config;
  now: () => Date;
}

export type Env = { Variables: { principal: Principal } };
export type App = OpenAPIHono<Env>;

/**
 * Registers a route in the OpenAPI document and serves it behind a scope; validation is the handler's,
 * with the same schemas. A `{name...}` parameter may contain slashes (content ids do).
 */
export function route(app: App, config: RouteConfig, scope: Scope, handler: (c: Context<Env>) => Promise<Response>): void {
  const path = config.path.replace('...}', '}');
  app.openAPIRegistry.registerPath({ ...config, path, security: [{ apiKey: [] }] });
  const pattern = config.path.replace(/{(\w+)\.\.\.}/g, ':$1{.+}').replace(/{(\w+)}/g, ':$1');
  app.on(config.method.toUpperCase(), pattern, requireScope(scope), handler);
}

/** The actor recorded in the audit log for a request. */
export const actorOf = (c: Context<Env>): string => `api_key:${c.get('principal').key_id}`;
