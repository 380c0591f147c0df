import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedger } from '../../src/ledger/reads.ts';
import { recordPayment, recordRefund } from '../../src/payments/record.ts';
import { closePeriod } from '../../src/revenue/close.ts';
import { nextPeriod } from '../../src/revenue/period.ts';
import { adoptRevenuePolicy } from '../../src/revenue/policies.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';
import { aPayment, uid } from '../payments/fixtures.ts';
import { act, balance, community } from './fixtures.ts';

const LATER = new Date('2040-01-01T00:00:00Z');

describe.each(STORES)('revenue on a store ($name)', (kind) => {
  let store: TestStore;
  let c: Awaited<ReturnType<typeof community>>;
  beforeAll(async () => {
    store = await kind.open();
    c = await community(store.db);
  });
  afterAll(() => store.destroy());

  it('sends an inactive payer\'s authors\' share to the platform when the policy says so', async () => {
    const { db } = store;
    const policy = `version: platform-first\neffective_from: 2030-01-01\nshares: { platform: 25, treasury: 5, authors: 70 }\nno_activity: platform\nweights: { course.section.read: 1 }\n`;
    await adoptRevenuePolicy(db, policy, 'test');
    await recordPayment(db, aPayment(c.m10, { amount: 1000, period: '2030-01' }), 'test');
    await recordPayment(db, aPayment(c.m12, { amount: 1000, period: '2030-01' }), 'test');
    await act(db, c.m10, 'course.section.read', c.B, 3, '2030-01-10T00:00:00Z');
    const closed = await closePeriod(db, '2030-01', 'test', LATER);
    expect(closed.policy_version).toBe('platform-first');
    // m10: 250, 50, 700 to B (420, 280). m12 did nothing: 250 + 700 to the platform, 50 to the treasury.
    expect(closed.currencies[0]!.posted).toEqual({ [`author:${c.a2}:RUB`]: 420, [`author:${c.a3}:RUB`]: 280, 'platform:RUB': 1200, 'treasury:RUB': 100 });
  });

  it('whatever is paid, refunded and done, every close empties its clearing account exactly and the ledger balances', async () => {
    const { db } = store;
    let period = '2030-01';
    const members = [c.m10, c.m11, c.m12, c.m13];
    const objects = [c.A, c.s1, c.B];
    const paid: { id: string; amount: number; refunded: number }[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ member: fc.nat(3), amount: fc.integer({ min: 1, max: 5_000_000 }), usd: fc.boolean() }), { maxLength: 5 }),
        fc.array(fc.record({ member: fc.nat(3), object: fc.nat(2), accepted: fc.boolean(), count: fc.integer({ min: 1, max: 4 }) }), { maxLength: 6 }),
        fc.array(fc.record({ which: fc.nat(), percent: fc.integer({ min: 1, max: 100 }) }), { maxLength: 3 }),
        async (payments, actions, refunds) => {
          period = nextPeriod(period);
          for (const p of payments) {
            const id = uid('pi');
            await recordPayment(db, aPayment(members[p.member]!, { provider_payment_id: id, amount: p.amount, currency: p.usd ? 'USD' : 'RUB', period }), 'test');
            paid.push({ id, amount: p.amount, refunded: 0 });
          }
          for (const a of actions) await act(db, members[a.member]!, a.accepted ? 'course.assignment.accepted' : 'course.section.read', objects[a.object]!, a.count, `${period}-15T12:00:00Z`);
          // Refunds of payments of this or earlier (closed) periods.
          for (const r of refunds) {
            if (paid.length === 0) break;
            const p = paid[r.which % paid.length]!;
            const amount = Math.floor(((p.amount - p.refunded) * r.percent) / 100);
            if (amount <= 0) continue;
            await recordRefund(db, { provider: 'stripe', provider_payment_id: p.id, provider_refund_id: uid('re'), kind: 'refund', amount, occurred_at: `${period}-20T00:00:00Z` }, 'test');
            p.refunded += amount;
          }
          const closed = await closePeriod(db, period, 'test', LATER);
          for (const currency of ['RUB', 'USD']) expect(await balance(db, `revenue:${currency}:${period}`)).toBe(0);
          for (const cur of closed.currencies) {
            expect(Object.values(cur.posted).every((v) => Number.isInteger(v) && v > 0)).toBe(true);
            expect(Object.values(cur.carried).every((v) => v < 0)).toBe(true);
          }
          const check = await checkLedger(db);
          expect([check.unbalanced_assets, check.negative_accounts, check.mismatched_accounts, check.unbalanced_transactions]).toEqual([[], [], [], []]);
        },
      ),
      { numRuns: 8 },
    );
    // Over all closes, what reached recipients (net of what they still owe) is what was paid less what was refunded.
    for (const currency of ['RUB', 'USD']) {
      const rows = await db.query<{ address: string; balance: number }>(`select address, balance from accounts where asset = $1 and (address like 'author:%' or address like 'treasury:%' or address like 'platform:%')`, [currency]);
      const credited = rows.reduce((s, r) => s + Number(r.balance), 0);
      const owed = Number((await db.query<{ owed: number }>(`select coalesce(sum(amount), 0)::bigint as owed from revenue_lines where source = 'carry' and currency = $1 and period = $2`, [currency, nextPeriod(period)]))[0]!.owed);
      expect(credited + owed + (await balance(db, `payments:${currency}`))).toBe(0);
    }
  }, 240_000);
});
