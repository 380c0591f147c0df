import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, apiFor } from '../helpers/api.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';
import { uid } from '../payments/fixtures.ts';
import { act, balance, community } from './fixtures.ts';

const LATER = new Date('2026-01-15T00:00:00Z');

describe.each(STORES)('payments and revenue over HTTP ($name)', (kind) => {
  let store: TestStore;
  let api: Api;
  let c: Awaited<ReturnType<typeof community>>;
  beforeAll(async () => {
    store = await kind.open();
    api = apiFor(store.db, { now: LATER });
    c = await community(store.db);
  });
  afterAll(() => store.destroy());

  const payment = (member: number, amount: number, extra: Record<string, unknown> = {}) => ({
    provider: 'cloudpayments',
    provider_payment_id: uid('cp'),
    member: { member_id: member },
    amount,
    currency: 'RUB',
    period: '2025-10',
    occurred_at: '2025-10-01T09:00:00+03:00',
    ...extra,
  });

  it('records a payment (201), answers a repeat with 200, lists and shows it', async () => {
    const body = payment(c.m10, 1000);
    const created = await api.request('POST', '/api/v1/payments', body);
    expect(created.status).toBe(201);
    expect((await api.request('POST', '/api/v1/payments', body)).body).toEqual({ status: 'exists', payment_id: created.body.payment_id });
    const changed = await api.request('POST', '/api/v1/payments', { ...body, currency: 'USD' });
    expect(changed.status).toBe(409);
    expect(changed.body.errors).toEqual([{ field: 'currency', reason: 'differs from the payment as recorded' }]);
    const one = await api.request('GET', `/api/v1/payments/${created.body.payment_id}`);
    expect(one.body).toMatchObject({ member_id: c.m10, amount: 1000, currency: 'RUB', period: '2025-10', booked_period: '2025-10', refunds: [], net: 1000 });
    const list = await api.request('GET', `/api/v1/payments?member=${c.m10}&period=2025-10`);
    expect(list.body.payments.map((p: { payment_id: number }) => p.payment_id)).toEqual([created.body.payment_id]);
    expect((await api.request('GET', '/api/v1/payments/999999')).status).toBe(404);
  });

  it('refuses a bad payment naming the fields, and records nothing', async () => {
    const before = (await api.request('GET', '/api/v1/payments?limit=1000')).body.payments.length;
    const bad = await api.request('POST', '/api/v1/payments', { ...payment(c.m10, 0), currency: 'EUR', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['amount', 'currency', 'extra']);
    expect((await api.request('GET', '/api/v1/payments?limit=1000')).body.payments.length).toBe(before);
    expect((await api.request('GET', '/api/v1/payments?period=2025-13')).body.errors[0].field).toBe('period');
  });

  it('shows an author\'s provisional accrual, reflecting a payment and an action at once', async () => {
    const accrual = async (author: number) => (await api.request('GET', `/api/v1/authors/${author}/accrual?period=2025-10`)).body;
    expect((await accrual(c.a1)).currencies).toEqual([]);
    await act(store.db, c.m10, 'course.section.read', c.s1, 1, '2025-10-03T10:00:00Z');
    // m10's 1000: 700 to authors, all to a1 (the only work so far).
    expect((await accrual(c.a1)).currencies).toEqual([{ currency: 'RUB', from_members: 700, from_pool: 0, adjustments: 0, total: 700, learners: 1 }]);
    await act(store.db, c.m10, 'course.assignment.accepted', c.B, 1, '2025-10-04T10:00:00Z');
    expect((await accrual(c.a1)).currencies[0].from_members).toBe(100); // 700 * 1/7
    expect((await accrual(c.a2)).currencies[0].from_members).toBe(360); // 700 * 6/7 * 60%
    await api.request('POST', '/api/v1/payments', payment(c.m11, 500));
    await api.request('POST', '/api/v1/payments', payment(c.m12, 300));
    await act(store.db, c.m11, 'course.section.read', c.B, 2, '2025-10-05T10:00:00Z');
    // + m11's 350 * 60% = 210; the pool (m12's 210) by work 1 : 6*0.6+2*0.6 : ... → a2 gets 210 * 4.8/9 = 112.
    // The pool is recomputed in the background once a read finds the payers changed.
    let a2 = await accrual(c.a2);
    for (let tries = 0; a2.currencies[0].from_pool !== 112 && tries < 100; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      a2 = await accrual(c.a2);
    }
    expect(a2.currencies[0]).toMatchObject({ from_members: 360 + 210, from_pool: 112, learners: 2 });
    expect(a2.status).toBe('open');
    expect((await api.request('GET', `/api/v1/authors/${c.a2}/accrual?period=2025-1`)).status).toBe(400);
  });

  it('closes the period once, compares with pro-rata, and gives statements and the accounting export', async () => {
    const comparison = await api.request('GET', '/api/v1/revenue/periods/2025-10/comparison');
    const rows = comparison.body.currencies[0].rows as { author_id: number | null; user_centric: number; pro_rata: number; difference: number }[];
    expect(rows.reduce((s, r) => s + r.user_centric, 0)).toBe(1800);
    expect(rows.reduce((s, r) => s + r.pro_rata, 0)).toBe(1800);
    const a1row = rows.find((r) => r.author_id === c.a1)!;
    // Pro-rata: 1260 by work 1 : 4.8 : 3.2 of 9 → a1 gets 140; user-centric 100 and 23.33 of the pool.
    expect(a1row).toMatchObject({ user_centric: 123, pro_rata: 140, difference: -17 });

    const closed = await api.request('POST', '/api/v1/revenue/periods/2025-10/close');
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');
    const posted = closed.body.currencies[0].posted as Record<string, number>;
    expect(posted[`author:${c.a2}:RUB`]).toBe(rows.find((r) => r.author_id === c.a2)!.user_centric);
    expect((await api.request('POST', '/api/v1/revenue/periods/2025-10/close')).body.status).toBe('already_closed');
    const final = (await api.request('GET', `/api/v1/authors/${c.a2}/accrual?period=2025-10`)).body;
    expect(final).toMatchObject({ status: 'closed', currencies: [{ currency: 'RUB', total: posted[`author:${c.a2}:RUB`], learners: 2 }] });

    const statement = await api.request('GET', `/api/v1/authors/${c.a2}/statements/2025-10`);
    expect(statement.body.currencies[0]).toMatchObject({ currency: 'RUB', learners: 2, posted: posted[`author:${c.a2}:RUB`] });
    expect(statement.body.currencies[0].content).toEqual([{ content_id: c.B, title: 'Курс B', from_members: 570, from_pool: 112, learners: 2 }]);
    const csv = await api.request('GET', `/api/v1/authors/${c.a2}/statements/2025-10?format=csv`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.body).toContain(`${c.a2},2025-10,RUB,learners,${c.B},Курс B,2,570,5.70`);
    const html = await api.request('GET', `/api/v1/authors/${c.a2}/statements/2025-10?format=html&lang=ru`);
    expect(html.body).toContain('<html lang="ru">');
    expect(html.body).toContain('Выписка о доходе');
    expect(html.body).toContain('6.82 RUB');
    expect((await api.request('GET', `/api/v1/authors/${c.a2}/statements/2025-11`)).status).toBe(409);

    const exported = await api.request('GET', '/api/v1/revenue/export.csv?from=2000-01-01');
    expect(exported.body.split('\r\n')[0]).toBe('at,transaction_id,code,cause,memo,actor,account,currency,amount_minor,amount,balance_after');
    expect(exported.body).toContain(`revenue_split:RUB:2025-10:1,revenue_split,revenue_period:2025-10`);
    expect((await api.request('GET', '/api/v1/revenue/export.csv?from=soon')).body.errors).toEqual([{ field: 'from', reason: 'must be an ISO 8601 date or time' }]);
  });

  it('pays out to an author, never below zero, idempotently', async () => {
    const held = await balance(store.db, `author:${c.a2}:RUB`);
    const payout = { id: uid('bank'), author_id: c.a2, currency: 'RUB', amount: 500, reference: 'SBP 123' };
    expect((await api.request('POST', '/api/v1/payouts', payout)).status).toBe(201);
    expect((await api.request('POST', '/api/v1/payouts', payout)).status).toBe(200);
    expect(await balance(store.db, `author:${c.a2}:RUB`)).toBe(held - 500);
    expect(await balance(store.db, 'payouts:RUB')).toBe(500);
    const tooMuch = await api.request('POST', '/api/v1/payouts', { ...payout, id: uid('bank'), amount: held });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.errors[0].field).toBe('amount');
    const changed = await api.request('POST', '/api/v1/payouts', { ...payout, amount: 1 });
    expect(changed.body.errors).toEqual([expect.objectContaining({ field: 'amount' })]);
    expect((await api.request('POST', '/api/v1/payouts', { ...payout, id: uid('b'), currency: 'EUR', amount: -1 })).body.errors.map((e: { field: string }) => e.field)).toEqual(['currency', 'amount']);
  });

  it('adopts a revenue policy, naming the field and line of a mistake', async () => {
    const text = 'version: "2026-02"\neffective_from: 2026-02-01\nshares: { platform: 20, treasury: 10, authors: 60 }\nno_activity: nobody\nweights: { course.section.read: 1, made.up: 2 }\n';
    const bad = await api.request('POST', '/api/v1/revenue/policies', { text });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'shares', reason: 'must add up to 100 (they add up to 90)', line: 3 },
        { field: 'no_activity', reason: 'must be common_pool or platform', line: 4 },
        { field: 'weights.made.up', reason: 'is not an action in the catalogue', line: 5 },
      ]),
    );
    const good = text.replace('authors: 60', 'authors: 70').replace('nobody', 'platform').replace(', made.up: 2', '');
    expect((await api.request('POST', '/api/v1/revenue/policies', { text: good })).status).toBe(201);
    expect((await api.request('GET', '/api/v1/revenue/policies')).body.policies).toEqual([expect.objectContaining({ version: '2026-02', effective_from: '2026-02-01' })]);
    const past = await api.request('POST', '/api/v1/revenue/policies', { text: good.replace(/2026-02/g, '2025-10') });
    expect(past.body.errors).toEqual([{ field: 'effective_from', reason: 'is in a closed period (2025-10); the first open one starts 2025-11-01' }]);
  });
});
