import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/store/api-keys.ts';
import { apiFor } from '../helpers/api.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';

/** The money endpoints and the scope each needs: reading with `read`, moving money with `admin`. */
const ENDPOINTS: [string, string, unknown, 'read' | 'admin'][] = [
  ['POST', '/api/v1/payments', {}, 'admin'],
  ['GET', '/api/v1/payments', undefined, 'read'],
  ['GET', '/api/v1/payments/1', undefined, 'read'],
  ['POST', '/api/v1/refunds', {}, 'admin'],
  ['POST', '/api/v1/payouts', {}, 'admin'],
  ['GET', '/api/v1/authors/1/accrual?period=2025-10', undefined, 'read'],
  ['POST', '/api/v1/revenue/periods/2099-01/close', undefined, 'admin'],
  ['GET', '/api/v1/revenue/periods/2025-10/comparison', undefined, 'read'],
  ['GET', '/api/v1/authors/1/statements/2025-10', undefined, 'read'],
  ['GET', '/api/v1/revenue/export.csv', undefined, 'admin'],
  ['GET', '/api/v1/revenue/policies', undefined, 'read'],
  ['POST', '/api/v1/revenue/policies', {}, 'admin'],
];

describe.each(STORES)('who may touch money ($name)', (kind) => {
  let store: TestStore;
  const keys: Record<string, string> = {};
  beforeAll(async () => {
    store = await kind.open();
    for (const scope of ['ingest', 'read', 'admin'] as const) keys[scope] = (await createApiKey(store.db, scope, [scope], 'test')).key;
  });
  afterAll(() => store.destroy());

  it.each(ENDPOINTS)('%s %s needs a key with the right scope', async (method, path, body, scope) => {
    expect((await apiFor(store.db, { key: null }).request(method, path, body)).status).toBe(401);
    for (const holder of ['ingest', 'read', 'admin']) {
      const res = await apiFor(store.db, { key: keys[holder]! }).request(method, path, body);
      if (holder === scope || holder === 'admin') expect(res.status).not.toBe(403);
      else expect(res.status).toBe(403);
    }
  });
});
