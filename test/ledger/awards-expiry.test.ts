import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwardDiff } from '../../src/ledger/award-decide.ts';
import { postAwardDiffs, releaseMatured } from '../../src/ledger/awards.ts';
import { expirePoints } from '../../src/ledger/expiry.ts';
import { hold } from '../../src/ledger/holds.ts';
import { postTransaction } from '../../src/ledger/post.ts';
import { checkLedger, getBalance, getTransaction } from '../../src/ledger/reads.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';
import { newId, newMember, transfer } from './fixtures.ts';

const DAY = 86_400_000;
const T = Date.parse('2025-09-01T00:00:00Z');

describe.each(STORES)('awards and expiry on the ledger ($name)', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await kind.open();
  });
  afterAll(() => store.destroy());

  async function points(member: number) {
    const [available, pending, debt] = await Promise.all(
      [`member:${member}:pts`, `member:${member}:pts:pending`, `member:${member}:pts:debt`].map((a) => getBalance(store.db, a)),
    );
    return { available: available!.available, pending: pending!.balance, debt: debt!.balance };
  }
  const diff = (key: string, member: number, points: number, previous: number, at = T): AwardDiff => ({ key, member, points, previous, at, pending_until: at + 7 * DAY });

  it('keeps an award pending for its pending period, then makes it available; re-running changes nothing', async () => {
    const m = newMember();
    const key = newId('event');
    expect(await postAwardDiffs(store.db, [diff(key, m, 10, 0)], T)).toEqual({ transactions: 1, unchanged: 0 });
    expect(await points(m)).toEqual({ available: 0, pending: 10, debt: 0 });
    expect(await postAwardDiffs(store.db, [diff(key, m, 10, 0)], T + DAY)).toEqual({ transactions: 0, unchanged: 1 });
    await releaseMatured(store.db, T + 6 * DAY);
    expect(await points(m)).toEqual({ available: 0, pending: 10, debt: 0 });
    const released = await releaseMatured(store.db, T + 7 * DAY);
    expect(released.transactions).toBeGreaterThanOrEqual(1);
    expect(await points(m)).toEqual({ available: 10, pending: 0, debt: 0 });
    expect((await releaseMatured(store.db, T + 8 * DAY)).transactions).toBe(0);
    expect(await getTransaction(store.db, `award:${key}:1`)).toMatchObject({ code: 'award', cause: `award:${key}`, actor: 'scoring' });
    expect(await getTransaction(store.db, `award:${key}:2`)).toMatchObject({ postings: [{ from: `member:${m}:pts:pending`, to: `member:${m}:pts`, amount: 10 }] });
  });

  it('takes a withdrawn award back from what is there, records the rest as debt, and later awards repay it first', async () => {
    const m = newMember();
    const [k1, k2, k3] = [newId('event'), newId('event'), newId('event')];
    await postAwardDiffs(store.db, [diff(k1, m, 10, 0, T - 30 * DAY)], T - 30 * DAY);
    await releaseMatured(store.db, T - 20 * DAY);
    await postTransaction(store.db, transfer(`member:${m}:pts`, 'sink:pts:redeemed', 8, { code: 'redemption_settle' }));
    await postAwardDiffs(store.db, [diff(k1, m, 0, 10)], T);
    expect(await points(m)).toEqual({ available: 0, pending: 0, debt: 8 });
    expect(await getTransaction(store.db, `award:${k1}:3`)).toMatchObject({ code: 'award_reversal' });

    await postAwardDiffs(store.db, [diff(k2, m, 5, 0), diff(k3, m, 10, 0)], T + DAY);
    expect(await points(m)).toEqual({ available: 0, pending: 7, debt: 0 });
    // A decrease of a pending award comes out of its own pending points.
    await postAwardDiffs(store.db, [diff(k3, m, 4, 10)], T + 2 * DAY);
    expect(await points(m)).toEqual({ available: 0, pending: 1, debt: 0 });
    await releaseMatured(store.db, T + 30 * DAY);
    expect(await points(m)).toEqual({ available: 1, pending: 0, debt: 0 });
    expect(await checkLedger(store.db)).toEqual({ unbalanced_assets: [], mismatched_accounts: [], negative_accounts: [], unbalanced_transactions: [] });
  });

  it('refuses invalid diffs naming the item and field, posting none', async () => {
    const m = newMember();
    await expect(postAwardDiffs(store.db, [diff(newId('e'), m, 3, 0), { ...diff(newId('e'), m, -1, 0) }], T)).rejects.toMatchObject({
      code: 'validation_failed',
      errors: [{ item: 1, field: 'points', reason: 'must not be negative' }],
    });
    expect(await points(m)).toEqual({ available: 0, pending: 0, debt: 0 });
  });

  it('expires points unspent for N months, oldest first, as a visible expiry transaction', async () => {
    const account = `member:${newMember()}:pts`;
    const at = (iso: string) => Date.parse(iso);
    await postTransaction(store.db, transfer('world:pts', account, 100, { code: 'award', at: at('2025-01-01T00:00:00Z') }));
    await postTransaction(store.db, transfer('world:pts', account, 50, { code: 'award', at: at('2025-03-01T00:00:00Z') }));
    await postTransaction(store.db, transfer(account, 'sink:pts:redeemed', 120, { at: at('2025-04-01T00:00:00Z') }));
    await postTransaction(store.db, transfer('world:pts', account, 40, { code: 'award', at: at('2025-05-01T00:00:00Z') }));

    const now = at('2026-03-15T00:00:00Z');
    const first = await expirePoints(store.db, { months: 12, now });
    expect(first.points).toBeGreaterThanOrEqual(30);
    expect(await getBalance(store.db, account)).toMatchObject({ balance: 40 });
    expect(await getTransaction(store.db, `expiry:${account}:${now}`)).toMatchObject({
      code: 'expiry',
      postings: [{ from: account, to: 'sink:pts:expired', amount: 30, asset: 'PTS' }],
    });
    expect(await expirePoints(store.db, { months: 12, now })).toEqual({ accounts: 0, points: 0 });
    expect(await getBalance(store.db, account)).toMatchObject({ balance: 40 });
    await expirePoints(store.db, { months: 12, now: at('2026-06-01T00:00:00Z') });
    expect(await getBalance(store.db, account)).toMatchObject({ balance: 0 });
  });

  it('leaves held points alone when expiring', async () => {
    const account = `member:${newMember()}:pts`;
    await postTransaction(store.db, transfer('world:pts', account, 20, { code: 'award', at: Date.parse('2024-01-01T00:00:00Z') }));
    await hold(store.db, { id: newId('hold'), from: account, to: 'sink:pts:redeemed', amount: 15, asset: 'PTS', cause: 'redemption', actor: 'shop' });
    await expirePoints(store.db, { months: 6, now: Date.parse('2025-01-01T00:00:00Z') });
    expect(await getBalance(store.db, account)).toMatchObject({ balance: 15, held: 15, available: 0 });
    await expect(expirePoints(store.db, { months: 0, now: 1 })).rejects.toMatchObject({ errors: [{ field: 'months' }] });
  });
});
