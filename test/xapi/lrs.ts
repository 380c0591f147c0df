import { randomUUID } from 'node:crypto';
import type { Database } from '../../src/db/database.ts';
import { createApp } from '../../src/http/app.ts';
import { ADMIN_KEY, testConfig } from '../helpers/stores.ts';

export const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export interface Reply {
  status: number;
  body: any;
  text: string;
  bytes: Buffer;
  headers: Headers;
}

/** An xAPI client of an in-process Vklad: Basic auth with a key, the version header, a clock the test moves. */
export function lrsClient(db: Database, options: { key?: string | null; version?: string | null } = {}) {
  let now = new Date('2025-10-15T12:00:00.000Z');
  const app = createApp({ db, config: testConfig(), now: () => now });
  const key = options.key === undefined ? ADMIN_KEY : options.key;
  const version = options.version === undefined ? '2.0.0' : options.version;
  return {
    tick(ms = 1000) {
      now = new Date(now.getTime() + ms);
      return now;
    },
    async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
      const init: RequestInit = {
        method,
        headers: {
          ...(key ? { authorization: basic('vklad', key) } : {}),
          ...(version ? { 'x-experience-api-version': version } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
      };
      if (body !== undefined) init.body = typeof body === 'string' || body instanceof Uint8Array ? (body as string) : JSON.stringify(body);
      const response = await app.request(path, init);
      const bytes = Buffer.from(await response.arrayBuffer());
      const text = bytes.toString('utf8');
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON
      }
      return { status: response.status, body: parsed, text, bytes, headers: response.headers };
    },
  };
}

export type Lrs = ReturnType<typeof lrsClient>;

export const VERBS = {
  experienced: 'http://adlnet.gov/expapi/verbs/experienced',
  completed: 'http://adlnet.gov/expapi/verbs/completed',
  passed: 'http://adlnet.gov/expapi/verbs/passed',
  scored: 'http://adlnet.gov/expapi/verbs/scored',
  voided: 'http://adlnet.gov/expapi/verbs/voided',
  attempted: 'http://adlnet.gov/expapi/verbs/attempted',
};

export const TYPES = {
  lesson: 'http://adlnet.gov/expapi/activities/lesson',
  assessment: 'http://adlnet.gov/expapi/activities/assessment',
  assignment: 'http://vocab.xapi.fr/activities/assignment',
};

/** A valid statement by an account-identified learner; fields can be overridden. */
export function aStatement(overrides: Record<string, unknown> = {}): Record<string, any> {
  return {
    id: randomUUID(),
    actor: { objectType: 'Agent', name: 'Anna', account: { homePage: 'https://courses.example.org', name: 'anna' } },
    verb: { id: VERBS.experienced, display: { 'en-US': 'experienced' } },
    object: { objectType: 'Activity', id: 'https://courses.example.org/course/1/section/1', definition: { type: TYPES.lesson, name: { 'en-US': 'Section 1' } } },
    timestamp: '2025-10-01T10:00:00+03:00',
    ...overrides,
  };
}
