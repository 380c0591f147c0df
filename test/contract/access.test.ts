import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, revokeApiKey } from '../../src/store/api-keys.ts';
import { anEvent, apiFor } from '../helpers/api.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';

/** Every endpoint, with the scope it needs. */
const ENDPOINTS: [string, string, unknown, 'ingest' | 'read' | 'admin'][] = [
  ['POST', '/api/v1/events', () => anEvent(), 'ingest'],
  ['POST', '/api/v1/events/voids', { event_id: 1, reason: 'x' }, 'ingest'],
  ['GET', '/api/v1/events', undefined, 'read'],
  ['GET', '/api/v1/events/1', undefined, 'read'],
  ['GET', '/api/v1/members/1', undefined, 'read'],
  ['GET', '/api/v1/actions', undefined, 'read'],
  ['GET', '/api/v1/actions/course.section.read', undefined, 'read'],
  ['GET', '/api/v1/content', undefined, 'read'],
  ['GET', '/api/v1/content/course:x', undefined, 'read'],
  ['POST', '/api/v1/members', {}, 'admin'],
  ['PUT', '/api/v1/members/1/roles', { roles: ['student'] }, 'admin'],
  ['POST', '/api/v1/members/1/identities', { provider: 'forum', external_id: 'z' }, 'admin'],
  ['POST', '/api/v1/members/1/merge', { into: 2 }, 'admin'],
  ['GET', '/api/v1/members/1/audit', undefined, 'admin'],
  ['PUT', '/api/v1/actions/course.section.read', {}, 'admin'],
  ['DELETE', '/api/v1/actions/course.section.read', undefined, 'admin'],
  ['PUT', '/api/v1/content/course:x', {}, 'admin'],
];

describe.each(STORES)('API keys and scopes ($name)', (kind) => {
  let store: TestStore;
  const keys: Record<string, string> = {};
  beforeAll(async () => {
    store = await kind.open();
    for (const scope of ['ingest', 'read', 'admin'] as const) keys[scope] = (await createApiKey(store.db, scope, [scope], 'test')).key;
  });
  afterAll(() => store.destroy());

  it('keeps only a hash of each key', async () => {
    const rows = await store.db.query<{ secret_sha256: Uint8Array }>('select secret_sha256 from api_keys');
    for (const row of rows) expect(Buffer.from(row.secret_sha256).toString()).not.toContain('vk_');
    const stored = JSON.stringify(await store.db.query('select * from api_keys'));
    // The secret follows `vk_<12 hex>_` and may itself contain underscores.
    for (const key of Object.values(keys)) expect(stored).not.toContain(key.slice('vk_'.length + 12 + 1));
  });

  it.each(ENDPOINTS)('%s %s needs a key with the right scope', async (method, path, body, scope) => {
    const payload = typeof body === 'function' ? body() : body;
    expect((await apiFor(store.db, { key: null }).request(method, path, payload)).status).toBe(401);
    expect((await apiFor(store.db, { key: 'vk_000000000000_nottherightsecretnottherightsecre' }).request(method, path, payload)).status).toBe(401);
    for (const holder of ['ingest', 'read', 'admin']) {
      const res = await apiFor(store.db, { key: keys[holder]! }).request(method, path, typeof body === 'function' ? body() : body);
      if (holder === scope || holder === 'admin') expect(res.status).not.toBe(403);
      else expect(res.status).toBe(403);
    }
  });

  it('stops accepting a revoked key', async () => {
    const { id, key } = await createApiKey(store.db, 'temp', ['read'], 'test');
    const api = apiFor(store.db, { key });
    expect((await api.request('GET', '/api/v1/actions')).status).toBe(200);
    await revokeApiKey(store.db, id, 'test');
    expect((await api.request('GET', '/api/v1/actions')).status).toBe(401);
  });

  it('serves health and the OpenAPI document without a key', async () => {
    const api = apiFor(store.db, { key: null });
    expect((await api.request('GET', '/healthz')).body).toEqual({ status: 'ok', store: kind.name });
    const doc = await api.request('GET', '/api/openapi.json');
    expect(doc.status).toBe(200);
    const paths = Object.keys(doc.body.paths);
    for (const [method, path] of ENDPOINTS) {
      const templated = path.replace(/\/1(\/|$)/, '/{id}$1').replace(/course\.section\.read/, '{key}').replace(/course:x/, '{id}');
      expect(paths, `${method} ${path}`).toContain(templated);
      expect(doc.body.paths[templated][method.toLowerCase()]).toBeDefined();
    }
    expect(doc.body.components.schemas.EventInput.required).toEqual(expect.arrayContaining(['source', 'source_event_id', 'action', 'actor', 'occurred_at']));
  });

  it('answers an unknown route with a problem', async () => {
    const res = await apiFor(store.db).request('GET', '/api/v1/nowhere');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
  });
});
