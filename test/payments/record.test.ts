import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VkladError } from '../../src/errors.ts';
import { checkLedger, getBalance } from '../../src/ledger/reads.ts';
import { recordPayment, recordRefund } from '../../src/payments/record.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';
import { aPayment, newMembers, uid } from './fixtures.ts';

async function rejection(promise: Promise<unknown>): Promise<VkladError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(VkladError);
  return error as VkladError;
}

describe.each(STORES)('recording payments and refunds ($name)', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await kind.open();
  });
  afterAll(() => store.destroy());

  const count = async (table: string) => (await store.db.query<{ n: number }>(`select count(*)::int as n from ${table}`))[0]!.n;

  it('books a payment into the revenue of its period, in its currency', async () => {
    const [member] = await newMembers(store.db, 1);
    const before = (await getBalance(store.db, 'revenue:USD:2025-11')).balance;
    const outcome = await recordPayment(store.db, aPayment(member!, { currency: 'USD', amount: 12_34, period: '2025-11' }), 'test');
    expect(outcome.status).toBe('created');
    expect((await getBalance(store.db, 'revenue:USD:2025-11')).balance).toBe(before + 12_34);
    expect((await getBalance(store.db, 'payments:USD')).balance).toBeLessThan(0);
    const [row] = await store.db.query<{ member_id: number; booked_period: string }>('select member_id, booked_period from payments where id = $1', [outcome.payment_id]);
    expect(row).toEqual({ member_id: member, booked_period: '2025-11' });
    const check = await checkLedger(store.db);
    expect(check.negative_accounts).toEqual([]);
    expect(check.unbalanced_assets).toEqual([]);
  });

  it('answers "exists" to the same notice, and a conflict naming the fields when it differs', async () => {
    const [member] = await newMembers(store.db, 1);
    const notice = aPayment(member!);
    const first = await recordPayment(store.db, notice, 'test');
    expect(await recordPayment(store.db, { ...notice, occurred_at: '2025-10-02T13:00:00+03:00' }, 'test')).toEqual({ status: 'exists', payment_id: first.payment_id });
    const changed = await rejection(recordPayment(store.db, { ...notice, amount: 1, period: '2025-09' }, 'test'));
    expect(changed.code).toBe('conflict');
    expect(changed.errors.map((e) => e.field)).toEqual(['amount', 'period']);
  });

  it('refuses bad input naming each field, and writes nothing', async () => {
    const [payments, entries] = [await count('payments'), await count('entries')];
    const bad = { provider: 'Stripe!', provider_payment_id: '', member: { member_id: -1 }, amount: 1.5, currency: 'EUR', period: '2025-13', occurred_at: 'yesterday' };
    const error = await rejection(recordPayment(store.db, bad as never, 'test'));
    expect(error.code).toBe('validation_failed');
    expect(error.errors.map((e) => e.field).sort()).toEqual(['amount', 'currency', 'member.member_id', 'occurred_at', 'period', 'provider', 'provider_payment_id']);
    const unknown = await rejection(recordPayment(store.db, aPayment(0, { member: { provider: 'stripe', external_id: 'cus_nobody' } }), 'test'));
    expect(unknown.errors).toEqual([{ field: 'member.external_id', reason: expect.stringContaining('no member is linked') }]);
    const missing = await rejection(recordPayment(store.db, aPayment(999_999_999), 'test'));
    expect(missing.errors[0]!.field).toBe('member.member_id');
    expect([await count('payments'), await count('entries')]).toEqual([payments, entries]);
  });

  it('finds the payer by a linked identity', async () => {
    const [member] = await newMembers(store.db, 1);
    const external = uid('cus');
    await store.db.query('insert into identities (provider, external_id, member_id) values ($1, $2, $3)', ['stripe', external, member]);
    const outcome = await recordPayment(store.db, aPayment(0, { member: { provider: 'stripe', external_id: external } }), 'test');
    const [row] = await store.db.query<{ member_id: number }>('select member_id from payments where id = $1', [outcome.payment_id]);
    expect(Number(row!.member_id)).toBe(member);
  });

  it('records refunds and chargebacks up to what is left of the payment, idempotently', async () => {
    const [member] = await newMembers(store.db, 1);
    const payment = aPayment(member!, { amount: 100_00, period: '2025-12' });
    await recordPayment(store.db, payment, 'test');
    const revenue = (await getBalance(store.db, 'revenue:RUB:2025-12')).balance;
    const refund = { provider: 'stripe', provider_payment_id: payment.provider_payment_id, provider_refund_id: uid('re'), kind: 'refund' as const, amount: 30_00, occurred_at: '2025-12-05T00:00:00Z' };
    const first = await recordRefund(store.db, refund, 'test');
    expect(first.status).toBe('created');
    expect(await recordRefund(store.db, refund, 'test')).toEqual({ status: 'exists', refund_id: first.refund_id });
    expect((await getBalance(store.db, 'revenue:RUB:2025-12')).balance).toBe(revenue - 30_00);
    const tooMuch = await rejection(recordRefund(store.db, { ...refund, provider_refund_id: uid('re'), amount: 70_01 }, 'test'));
    expect(tooMuch.errors).toEqual([{ field: 'amount', reason: 'is more than is left of the payment (7000)' }]);
    const chargeback = await recordRefund(store.db, { ...refund, provider_refund_id: uid('cb'), kind: 'chargeback', amount: 70_00 }, 'test');
    expect(chargeback.status).toBe('created');
    const unknown = await rejection(recordRefund(store.db, { ...refund, provider_payment_id: 'pi_nothing', provider_refund_id: uid('re') }, 'test'));
    expect(unknown.errors[0]!.field).toBe('provider_payment_id');
    const changed = await rejection(recordRefund(store.db, { ...refund, amount: 1 }, 'test'));
    expect(changed.code).toBe('conflict');
    expect(changed.errors.map((e) => e.field)).toEqual(['amount']);
  });
});
