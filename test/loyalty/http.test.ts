import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/store/api-keys.ts';
import { type Api, NOW as API_NOW, apiFor } from '../helpers/api.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';
import { award, newId } from './fixtures.ts';

const reward = {
  title: { en: '20% off the subscription', ru: 'Скидка 20% на подписку' },
  benefit: { kind: 'percent_discount', percent: 20, on: 'subscription' },
  price: 50,
  codes: { source: 'pool', valid_days: 30 },
};

describe.each(STORES)('ledger and loyalty API ($name)', (kind) => {
  let store: TestStore;
  let api: Api;
  const keys: Record<'ingest' | 'read', Api> = {} as never;
  beforeAll(async () => {
    store = await kind.open();
    api = apiFor(store.db);
    for (const scope of ['ingest', 'read'] as const) keys[scope] = apiFor(store.db, { key: (await createApiKey(store.db, scope, [scope], 'test')).key });
  });
  afterAll(() => store.destroy());

  const newMember = async (roles = ['student']): Promise<number> => (await api.request('POST', '/api/v1/members', { roles })).body.id;

  it('redeems end to end: catalogue, pool, redemption, balance, history, code check and consumption', async () => {
    const member = await newMember();
    await award(store.db, member, 120, API_NOW.getTime() - 86_400_000);
    const key = newId('sub').toLowerCase();
    expect((await api.request('PUT', `/api/v1/rewards/${key}`, reward)).body).toMatchObject({ key, price: 50, taken: 0, retired_at: null, title: reward.title });
    expect((await api.request('POST', `/api/v1/rewards/${key}/codes/generate`, { count: 3 })).body).toEqual({ reward: key, added: 3, free: 3 });

    const id = newId();
    const made = await keys.ingest.request('POST', '/api/v1/redemptions', { id, member, reward: key });
    expect(made.status).toBe(201);
    expect(made.body.redemption).toMatchObject({ id, state: 'completed', price: 50, settled_by: `settle:redemption:${id}` });
    const again = await keys.ingest.request('POST', '/api/v1/redemptions', { id, member, reward: key });
    expect(again.status).toBe(200);
    expect(again.body.redemption.code).toBe(made.body.redemption.code);

    const balance = await keys.read.request('GET', `/api/v1/members/${member}/balance`);
    expect(balance.body).toEqual({ member_id: member, address: `member:${member}:pts`, asset: 'PTS', posted: 70, held: 0, available: 70, pending: 0, debt: 0 });
    const history = await keys.read.request('GET', `/api/v1/accounts/member:${member}:pts/history?limit=1`);
    expect(history.body.entries.map((e: { code: string; balance_after: number }) => [e.code, e.balance_after])).toEqual([['redemption_settle', 70]]);
    const older = await keys.read.request('GET', `/api/v1/accounts/member:${member}:pts/history?limit=1&cursor=${history.body.next_cursor}`);
    expect(older.body.entries.map((e: { code: string; balance_after: number }) => [e.code, e.balance_after])).toEqual([['award', 120]]);
    expect((await keys.read.request('GET', `/api/v1/transactions/settle:redemption:${id}`)).body.postings).toEqual([{ from: `member:${member}:pts`, to: 'sink:pts:redeemed', amount: 50, asset: 'PTS' }]);
    expect((await keys.read.request('GET', `/api/v1/members/${member}/redemptions`)).body.map((r: { id: string }) => r.id)).toEqual([id]);

    const code = made.body.redemption.code as string;
    expect((await keys.read.request('GET', `/api/v1/codes/${code}`)).body).toMatchObject({ status: 'valid', reward: { key, benefit: reward.benefit } });
    const consumed = await keys.ingest.request('POST', `/api/v1/codes/${code}/consume`, { consumer: 'order:1' });
    expect(consumed.body).toMatchObject({ status: 'consumed', check: { status: 'already used', consumed_by: 'order:1' } });
    expect((await keys.ingest.request('POST', `/api/v1/codes/${code}/consume`, { consumer: 'order:1' })).body.status).toBe('exists');
    const twice = await keys.ingest.request('POST', `/api/v1/codes/${code}/consume`, { consumer: 'order:2' });
    expect(twice.status).toBe(409);
    expect(twice.body.errors).toEqual([{ field: 'code', reason: 'already used by order:1' }]);
    expect((await keys.read.request('GET', `/api/v1/codes/${code}`)).body.status).toBe('already used');
    expect((await keys.read.request('GET', '/api/v1/codes/NOPE-NOPE-NOPE')).body).toEqual({ code: 'NOPE-NOPE-NOPE', status: 'unknown' });
    expect((await keys.read.request('GET', '/api/v1/codes/%20')).body.status).toBe('unknown');
  });

  it('tells the shop a code has expired after its validity', async () => {
    const member = await newMember();
    await award(store.db, member, 50, API_NOW.getTime() - 86_400_000);
    const key = newId('exp').toLowerCase();
    await api.request('PUT', `/api/v1/rewards/${key}`, { ...reward, codes: { source: 'generate', valid_days: 1 } });
    const code = (await api.request('POST', '/api/v1/redemptions', { id: newId(), member, reward: key })).body.redemption.code;
    const later = apiFor(store.db, { now: new Date(API_NOW.getTime() + 2 * 86_400_000) });
    expect((await later.request('GET', `/api/v1/codes/${code}`)).body.status).toBe('expired');
    expect((await later.request('POST', `/api/v1/codes/${code}/consume`, { consumer: 'order:9' })).status).toBe(409);
  });

  it('guards every write by scope and answers 401 without a key', async () => {
    expect((await apiFor(store.db, { key: null }).request('GET', '/api/v1/rewards')).status).toBe(401);
    expect((await keys.read.request('PUT', '/api/v1/rewards/forbidden', reward)).status).toBe(403);
    expect((await keys.read.request('POST', '/api/v1/redemptions', { id: 'x', member: 1, reward: 'x' })).status).toBe(403);
    expect((await keys.ingest.request('POST', '/api/v1/adjustments', { id: 'x', account: 'member:1:pts', amount: 5, reason: 'r' })).status).toBe(403);
    expect((await keys.read.request('PUT', '/api/v1/levels', { levels: [] })).status).toBe(403);
    expect((await keys.read.request('GET', '/api/v1/rewards')).status).toBe(200);
  });

  it('rejects a bad reward naming the fields, writing nothing', async () => {
    const res = await api.request('PUT', '/api/v1/rewards/bad-one', { ...reward, price: 0, benefit: { kind: 'percent_discount', percent: 120, on: 'basket' }, valid_from: '2025-10-10T00:00:00Z', valid_until: '2025-10-01T00:00:00Z' });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['benefit.on', 'benefit.percent', 'price', 'valid_until']);
    expect((await api.request('GET', '/api/v1/rewards/bad-one')).status).toBe(404);
    const unknownLevel = await api.request('PUT', '/api/v1/rewards/bad-two', { ...reward, eligibility: { level: 'gold' } });
    expect(unknownLevel.body.errors[0].field).toBe('eligibility.level');
    expect((await api.request('GET', '/api/v1/rewards/bad-two')).status).toBe(404);
  });

  it('refuses a bad redemption naming the fields, holding nothing', async () => {
    const member = await newMember();
    await award(store.db, member, 10);
    const res = await api.request('POST', '/api/v1/redemptions', { member, reward: 'Not A Key', extra: 1 });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['extra', 'id', 'reward']);
    expect((await api.request('GET', `/api/v1/members/${member}/balance`)).body).toMatchObject({ held: 0, available: 10 });
    expect((await api.request('POST', '/api/v1/redemptions', { id: newId(), member, reward: 'no-such-reward' })).status).toBe(404);
  });

  it('uploads a pool all or none: a code known anywhere refuses the whole upload', async () => {
    const key = newId('pool').toLowerCase();
    await api.request('PUT', `/api/v1/rewards/${key}`, reward);
    const first = newId('SHOP');
    expect((await api.request('POST', `/api/v1/rewards/${key}/codes`, { codes: [first] })).body).toEqual({ reward: key, added: 1, free: 1 });
    const second = newId('SHOP');
    const res = await api.request('POST', `/api/v1/rewards/${key}/codes`, { codes: [second, first] });
    expect(res.status).toBe(409);
    expect(res.body.errors).toEqual([{ field: 'codes', reason: `${first} is already known; a code is issued at most once`, item: 1 }]);
    const dup = await api.request('POST', `/api/v1/rewards/${key}/codes`, { codes: [second, second] });
    expect(dup.status).toBe(400);
    expect((await api.request('POST', `/api/v1/rewards/${key}/codes/generate`, { count: 0 })).body.errors[0].field).toBe('count');
    expect((await store.db.query('select code from reward_codes where reward_key = $1', [key])).length).toBe(1);
  });

  it('adjusts a balance only with a reason, audited, and the same id again changes nothing', async () => {
    const member = await newMember();
    const id = newId('adj');
    const missing = await api.request('POST', '/api/v1/adjustments', { id, account: `member:${member}:pts`, amount: 30 });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([{ field: 'reason', reason: 'is required' }]);
    expect((await api.request('GET', `/api/v1/transactions/${id}`)).status).toBe(404);
    const body = { id, account: `member:${member}:pts`, amount: 30, reason: 'Forum migration lost his points' };
    expect((await api.request('POST', '/api/v1/adjustments', body)).status).toBe(201);
    expect((await api.request('POST', '/api/v1/adjustments', body)).status).toBe(200);
    expect((await api.request('GET', `/api/v1/accounts/member:${member}:pts/balance`)).body).toMatchObject({ posted: 30, available: 30 });
    const [entry] = await store.db.query<{ actor: string; details: { reason: string } }>("select actor, details from audit_log where action = 'ledger.adjust' and subject = $1", [`member:${member}:pts`]);
    expect(entry).toMatchObject({ actor: 'api_key:env-admin', details: { reason: body.reason } });
    expect((await api.request('GET', '/api/v1/accounts/nowhere/balance')).body.errors[0].field).toBe('address');
  });

  it('documents every ledger and loyalty endpoint in the OpenAPI document', async () => {
    const paths = (await api.request('GET', '/api/openapi.json')).body.paths;
    const expected = {
      '/api/v1/accounts/{address}/balance': ['get'],
      '/api/v1/accounts/{address}/history': ['get'],
      '/api/v1/members/{id}/balance': ['get'],
      '/api/v1/adjustments': ['post'],
      '/api/v1/transactions/{id}': ['get'],
      '/api/v1/rewards': ['get'],
      '/api/v1/rewards/{key}': ['get', 'put', 'delete'],
      '/api/v1/rewards/{key}/codes': ['post'],
      '/api/v1/rewards/{key}/codes/generate': ['post'],
      '/api/v1/levels': ['get', 'put'],
      '/api/v1/members/{id}/level': ['get'],
      '/api/v1/redemptions': ['post'],
      '/api/v1/redemptions/{id}': ['get'],
      '/api/v1/redemptions/{id}/cancel': ['post'],
      '/api/v1/members/{id}/redemptions': ['get'],
      '/api/v1/codes/{code}': ['get'],
      '/api/v1/codes/{code}/consume': ['post'],
    };
    for (const [path, methods] of Object.entries(expected)) expect(Object.keys(paths[path] ?? {}).sort(), path).toEqual([...methods].sort());
  });

  it('keeps a level scale and tells a member their level', async () => {
    const scale = { window_days: 365, levels: [{ key: 'bronze', threshold: 100, title: { en: 'Bronze', ru: 'Бронза' } }, { key: 'silver', threshold: 500, title: { en: 'Silver', ru: 'Серебро' } }] };
    expect((await api.request('PUT', '/api/v1/levels', { ...scale, levels: [scale.levels[1], scale.levels[0]] })).body.errors[0].field).toBe('levels.1.threshold');
    expect((await api.request('PUT', '/api/v1/levels', scale)).status).toBe(200);
    expect((await keys.read.request('GET', '/api/v1/levels')).body).toEqual(scale);
    const member = await newMember();
    await award(store.db, member, 150, API_NOW.getTime() - 86_400_000);
    expect((await keys.read.request('GET', `/api/v1/members/${member}/level`)).body).toMatchObject({ earned: 150, level: { key: 'bronze' }, next: { key: 'silver', missing: 350 } });
  });
});
