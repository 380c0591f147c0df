import { readFileSync } from 'node:fs';
import { discourseSignature } from '../../../src/sources/discourse/signature.ts';
import type { Api } from '../../helpers/api.ts';

export interface Fixture {
  headers: Record<string, string>;
  body: Record<string, any>;
}

/** A delivery as Discourse sends it, from test/fixtures/discourse (built from Discourse's webhook serializers). */
export const fixture = (name: string): Fixture =>
  JSON.parse(readFileSync(new URL(`../../fixtures/discourse/${name}.json`, import.meta.url), 'utf8')) as Fixture;

export const SECRET = 'a-webhook-secret-0123456789';

let eventIds = 1000;

/**
 * Sends a fixture signed as Discourse signs it, under a fresh X-Discourse-Event-Id as its retries are;
 * `body` replaces the body (a string is sent byte for byte), `headers` add or replace headers.
 */
export async function deliver(
  api: Api,
  f: Fixture,
  options: { path?: string; secret?: string; body?: unknown; headers?: Record<string, string | null> } = {},
) {
  const text = typeof options.body === 'string' ? options.body : JSON.stringify(options.body ?? f.body);
  const headers: Record<string, string> = {
    ...f.headers,
    'X-Discourse-Event-Id': String(++eventIds),
    'X-Discourse-Event-Signature': discourseSignature(options.secret ?? SECRET, Buffer.from(text)),
    'content-type': 'application/json',
  };
  for (const [k, v] of Object.entries(options.headers ?? {})) {
    if (v === null) delete headers[k];
    else headers[k] = v;
  }
  return api.request('POST', options.path ?? '/hooks/discourse', text, headers);
}
