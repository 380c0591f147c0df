import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, revokeApiKey } from '../../src/store/api-keys.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';
import { aStatement, basic, lrsClient } from './lrs.ts';

describe.each(STORES)('xAPI authentication ($name)', (kind) => {
  let store: TestStore;
  let both: { id: string; key: string };
  let reader: { id: string; key: string };
  let writer: { id: string; key: string };
  beforeAll(async () => {
    store = await kind.open();
    both = await createApiKey(store.db, 'course platform', ['ingest', 'read'], 'test');
    reader = await createApiKey(store.db, 'dashboard', ['read'], 'test');
    writer = await createApiKey(store.db, 'emitter', ['ingest'], 'test');
  });
  afterAll(() => store.destroy());

  const as = (authorization: string | undefined) => {
    const lrs = lrsClient(store.db, { key: null });
    return (method: string, path: string, body?: unknown) =>
      lrs.request(method, path, body, authorization === undefined ? {} : { authorization });
  };

  it('takes Basic with the key id as user and the key as password, or the key as user and no password', async () => {
    for (const authorization of [basic(both.id, both.key), basic(both.key, ''), basic('anything', both.key), `Bearer ${both.key}`]) {
      const call = as(authorization);
      const s = aStatement();
      expect((await call('POST', '/xapi/statements', s)).status, authorization).toBe(200);
      expect((await call('GET', `/xapi/statements?statementId=${s.id}`)).status, authorization).toBe(200);
    }
  });

  it('names the key in the authority of what it stores', async () => {
    const s = aStatement();
    await as(basic(both.id, both.key))('POST', '/xapi/statements', s);
    const got = await as(basic(both.id, both.key))('GET', `/xapi/statements?statementId=${s.id}`);
    expect(got.body.authority.account.name).toBe(both.id);
  });

  it('answers 401 with a Basic challenge to no key, a wrong key and a revoked key', async () => {
    const revoked = await createApiKey(store.db, 'old', ['ingest', 'read'], 'test');
    await revokeApiKey(store.db, revoked.id, 'test');
    for (const authorization of [undefined, basic(both.id, `${both.key}x`), basic(revoked.id, revoked.key), 'Basic !!!', basic('', '')]) {
      const res = await as(authorization)('GET', '/xapi/statements');
      expect(res.status, String(authorization)).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
      expect(res.headers.get('x-experience-api-version')).toBe('2.0.0');
    }
  });

  it('needs "ingest" to write and "read" to read', async () => {
    const s = aStatement();
    expect((await as(basic(reader.id, reader.key))('POST', '/xapi/statements', s)).status).toBe(403);
    expect((await as(basic(writer.id, writer.key))('POST', '/xapi/statements', s)).status).toBe(200);
    expect((await as(basic(writer.id, writer.key))('GET', `/xapi/statements?statementId=${s.id}`)).status).toBe(403);
    expect((await as(basic(reader.id, reader.key))('GET', `/xapi/statements?statementId=${s.id}`)).status).toBe(200);
    const state = `/xapi/activities/state?activityId=${encodeURIComponent('https://x.example/a')}&agent=${encodeURIComponent('{"mbox":"mailto:a@example.org"}')}&stateId=s`;
    expect((await as(basic(reader.id, reader.key))('PUT', state, { a: 1 })).status).toBe(403);
    expect((await as(basic(writer.id, writer.key))('DELETE', state)).status).toBe(204);
  });
});
