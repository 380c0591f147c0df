import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VkladError } from '../../src/errors.ts';
import { checkLedger } from '../../src/ledger/reads.ts';
import { recordPayment, recordRefund } from '../../src/payments/record.ts';
import { closePeriod } from '../../src/revenue/close.ts';
import { authorStatement, statementCsv, statementHtml } from '../../src/revenue/statement.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';
import { aPayment } from '../payments/fixtures.ts';
import { act, balance, community } from './fixtures.ts';

const LATER = new Date('2026-01-15T00:00:00Z');

async function rejection(promise: Promise<unknown>): Promise<VkladError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(VkladError);
  return error as VkladError;
}

describe.each(STORES)('closing revenue periods ($name)', (kind) => {
  let store: TestStore;
  let c: Awaited<ReturnType<typeof community>>;
  let m12payment: string;
  beforeAll(async () => {
    store = await kind.open();
    c = await community(store.db);
    const { db } = store;
    m12payment = 'pi-m12';
    await recordPayment(db, aPayment(c.m10, { amount: 1000 }), 'test');
    await recordPayment(db, aPayment(c.m11, { amount: 500 }), 'test');
    await recordPayment(db, aPayment(c.m12, { amount: 300, provider_payment_id: m12payment }), 'test');
    // In dollars, a refund before the close simply makes the revenue smaller.
    await recordPayment(db, aPayment(c.m10, { amount: 1000, currency: 'USD', provider_payment_id: 'pi-usd' }), 'test');
    await recordRefund(db, { provider: 'stripe', provider_payment_id: 'pi-usd', provider_refund_id: 're-usd', kind: 'refund', amount: 400, occurred_at: '2025-10-20T00:00:00Z' }, 'test');
    await act(db, c.m10, 'course.section.read', c.s1, 4, '2025-10-03T10:00:00Z');
    await act(db, c.m10, 'course.assignment.accepted', c.B, 1, '2025-10-04T10:00:00Z');
    await act(db, c.m10, 'forum.like.given', c.B, 5, '2025-10-04T10:00:00Z');
    await act(db, c.m11, 'course.section.read', c.B, 2, '2025-10-05T10:00:00Z');
    await act(db, c.m13, 'course.section.read', c.A, 30, '2025-10-06T10:00:00Z');
    await act(db, c.m10, 'course.section.read', c.s1, 50, '2025-09-30T23:59:59Z'); // September: not this period
  });
  afterAll(() => store.destroy());

  it('refuses a period not yet ended, a bad period, and closing out of order, writing nothing', async () => {
    expect((await rejection(closePeriod(store.db, '2025-10', 'test', new Date('2025-10-31T23:00:00Z')))).errors[0]!.field).toBe('period');
    expect((await rejection(closePeriod(store.db, '2025-1', 'test', LATER))).errors).toEqual([{ field: 'period', reason: 'must be a month, YYYY-MM' }]);
    const [{ n }] = (await store.db.query<{ n: number }>('select count(*)::int as n from revenue_periods')) as [{ n: number }];
    expect(n).toBe(0);
  });

  it('posts the user-centric split of each currency to authors, treasury and platform (hand-computed)', async () => {
    const outcome = await closePeriod(store.db, '2025-10', 'operator:olga', LATER);
    expect(outcome.status).toBe('closed');
    // RUB: m10's 700 for authors by weights 4 (A, via its section) : 6 (B, 60/40); m11's 350 to B;
    // m12 did nothing: 210 to the pool, shared by payers' work 4 : 4.8 : 3.2. m13 did not pay.
    const rub = outcome.currencies.find((x) => x.currency === 'RUB')!;
    expect(rub.posted).toEqual({ [`author:${c.a1}:RUB`]: 350, [`author:${c.a2}:RUB`]: 546, [`author:${c.a3}:RUB`]: 364, 'platform:RUB': 360, 'treasury:RUB': 180 });
    expect(rub).toMatchObject({ revenue: 1800, payers: 3, carried: {} });
    // USD: 600 left after the refund; 420 for authors, 168 : 151.2 : 100.8 rounds to 168, 151, 101.
    expect(outcome.currencies.find((x) => x.currency === 'USD')!.posted).toEqual({ [`author:${c.a1}:USD`]: 168, [`author:${c.a2}:USD`]: 151, [`author:${c.a3}:USD`]: 101, 'platform:USD': 120, 'treasury:USD': 60 });
    expect(await balance(store.db, 'revenue:RUB:2025-10')).toBe(0);
    expect(await balance(store.db, 'revenue:USD:2025-10')).toBe(0);
    expect(await balance(store.db, `author:${c.a2}:RUB`)).toBe(546);
    const check = await checkLedger(store.db);
    expect([check.unbalanced_assets, check.negative_accounts, check.mismatched_accounts]).toEqual([[], [], []]);
  });

  it('answers that a closed period is closed, and posts nothing again', async () => {
    const entries = (await store.db.query<{ n: number }>('select count(*)::int as n from entries'))[0]!.n;
    const again = await closePeriod(store.db, '2025-10', 'test', LATER);
    expect(again.status).toBe('already_closed');
    expect(again.currencies.find((x) => x.currency === 'RUB')!.posted[`author:${c.a1}:RUB`]).toBe(350);
    expect((await store.db.query<{ n: number }>('select count(*)::int as n from entries'))[0]!.n).toBe(entries);
    expect((await rejection(closePeriod(store.db, '2025-12', 'test', LATER))).errors[0]!.reason).toContain('the next to close is 2025-11');
  });

  it('books late payments, late actions and refunds of the closed period into the next one, carrying what is still owed', async () => {
    const { db } = store;
    const late = await recordPayment(db, aPayment(c.m13, { amount: 1000, period: '2025-10' }), 'test');
    expect((await db.query<{ booked_period: string }>('select booked_period from payments where id = $1', [late.payment_id]))[0]!.booked_period).toBe('2025-11');
    await act(db, c.m13, 'course.section.read', c.s1, 2, '2025-10-20T10:00:00Z'); // late: received after the close
    await recordRefund(db, { provider: 'stripe', provider_payment_id: m12payment, provider_refund_id: 're-m12', kind: 'chargeback', amount: 150, occurred_at: '2025-11-02T00:00:00Z' }, 'test');
    expect(await balance(db, 'revenue:RUB:2025-11')).toBe(850);

    const november = await closePeriod(db, '2025-11', 'test', LATER);
    // m13's 1000: 200, 100 and 700 to a1 (the late reads count now). The chargeback takes back half
    // of what m12's 300 allocated: 30, 15 and the pool's 35, 42, 28.
    const rub = november.currencies.find((x) => x.currency === 'RUB')!;
    expect(rub.posted).toEqual({ [`author:${c.a1}:RUB`]: 665, 'platform:RUB': 170, 'treasury:RUB': 85 });
    expect(rub.carried).toEqual({ [`author:${c.a2}:RUB`]: -42, [`author:${c.a3}:RUB`]: -28 });
    expect(await balance(db, 'revenue:RUB:2025-11')).toBe(0);
    expect(await balance(db, 'revenue:RUB:2025-12')).toBe(-70);
    // Statements say what was counted late, what was taken back and what is carried.
    const a1 = await authorStatement(db, c.a1, '2025-11');
    expect(a1.late).toEqual({ payments: 1, actions: 2 });
    expect(a1.currencies[0]).toMatchObject({ currency: 'RUB', learners: 1, posted: 665, carried_out: 0, takebacks: [{ kind: 'chargeback', paid_in: '2025-10', amount: -35 }] });
    expect(a1.currencies[0]!.content).toEqual([{ content_id: c.s1, title: 'Section 1', from_members: 700, from_pool: 0, learners: 1 }]);
    const a2 = await authorStatement(db, c.a2, '2025-11');
    expect(a2.currencies[0]).toMatchObject({ posted: 0, carried_out: -42, takebacks: [{ amount: -42 }] });
    expect(statementHtml(a2, 'ru')).toContain('Перенесено на следующий период');
    expect(statementCsv(a2)).toContain(',carried_out,,,,-42,-0.42');

    // December: m11 pays 500 and reads B: a2 gets 210 - 42, a3 140 - 28.
    await recordPayment(db, aPayment(c.m11, { amount: 500, period: '2025-12' }), 'test');
    await act(db, c.m11, 'course.section.read', c.B, 1, '2025-12-03T10:00:00Z');
    const december = await closePeriod(db, '2025-12', 'test', LATER);
    expect(december.currencies.find((x) => x.currency === 'RUB')!.posted).toEqual({ [`author:${c.a2}:RUB`]: 168, [`author:${c.a3}:RUB`]: 112, 'platform:RUB': 100, 'treasury:RUB': 50 });
    expect((await authorStatement(db, c.a2, '2025-12')).currencies[0]).toMatchObject({ carried_in: -42, posted: 168 });
    expect(await balance(db, 'revenue:RUB:2025-12')).toBe(0);
    const check = await checkLedger(db);
    expect([check.unbalanced_assets, check.negative_accounts, check.mismatched_accounts]).toEqual([[], [], []]);
  });
});
