import type { Config } from '../../src/config.ts';
import type { Database } from '../../src/db/database.ts';
import { createApp } from '../../src/http/app.ts';
import { ADMIN_KEY, testConfig } from './stores.ts';

export const NOW = new Date('2025-10-15T12:00:00Z');

export interface Api {
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
}

/** Calls the app in-process, as a client holding `key` (the bootstrap admin key by default). */
export function apiFor(db: Database, options: { key?: string | null; config?: Partial<Config>; now?: Date } = {}): Api {
  const app = createApp({ db, config: testConfig(options.config), now: () => options.now ?? NOW });
  const key = options.key === undefined ? ADMIN_KEY : options.key;
  return {
    async request(method, path, body, headers = {}) {
      const init: RequestInit = {
        method,
        headers: {
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
      };
      if (body !== undefined) init.body = typeof body === 'string' || body instanceof Uint8Array ? (body as string) : JSON.stringify(body);
      const response = await app.request(path, init);
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body: parsed, headers: response.headers };
    },
  };
}

let counter = 0;
/** A valid event with unique ids; fields can be overridden. */
export function anEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    source: 'forum',
    source_event_id: `e-${process.pid}-${counter}`,
    action: 'forum.post.created',
    actor: { provider: 'forum', external_id: `user-${counter}` },
    occurred_at: '2025-10-01T10:00:00+03:00',
    object: 'post:1',
    attributes: { words: 120 },
    ...overrides,
  };
}

export async function countEvents(db: Database): Promise<number> {
  const [row] = await db.query<{ n: number }>('select count(*)::int as n from events');
  return row!.n;
}
