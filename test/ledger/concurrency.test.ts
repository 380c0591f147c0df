import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VkladError } from '../../src/errors.ts';
import { hold } from '../../src/ledger/holds.ts';
import { postTransaction } from '../../src/ledger/post.ts';
import { checkLedger, getBalance } from '../../src/ledger/reads.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';
import { fund, newId, newMember, transfer } from './fixtures.ts';

/** Runs every attempt at once and counts how they ended; anything but success or a refusal fails the test. */
async function race(attempts: (() => Promise<unknown>)[]): Promise<{ succeeded: number; refused: number }> {
  const results = await Promise.allSettled(attempts.map((attempt) => attempt()));
  const unexpected = results.filter((r) => r.status === 'rejected' && !(r.reason instanceof VkladError && r.reason.code === 'conflict'));
  expect(unexpected).toEqual([]);
  return { succeeded: results.filter((r) => r.status === 'fulfilled').length, refused: results.filter((r) => r.status === 'rejected').length };
}

describe.each(STORES)('concurrent debits ($name)', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await kind.open();
  });
  afterAll(() => store.destroy());

  async function neverNegative(account: string): Promise<void> {
    const [row] = await store.db.query<{ lowest: number }>('select min(balance_after)::bigint as lowest from entries where account = $1', [account]);
    expect(row!.lowest).toBeGreaterThanOrEqual(0);
  }

  it('lets exactly 10 of 200 concurrent holds through when the balance covers exactly 10', async () => {
    const account = `member:${newMember()}:pts`;
    await fund(store.db, account, 70);
    const outcome = await race(
      Array.from({ length: 200 }, () => () => hold(store.db, { id: newId('hold'), from: account, to: 'sink:pts:redeemed', amount: 7, asset: 'PTS', cause: 'redemption', actor: 'shop' })),
    );
    expect(outcome).toEqual({ succeeded: 10, refused: 190 });
    expect(await getBalance(store.db, account)).toMatchObject({ balance: 70, held: 70, available: 0 });
    const [row] = await store.db.query<{ n: number }>("select count(*)::int as n from holds where account = $1 and state = 'pending'", [account]);
    expect(row!.n).toBe(10);
  });

  it('lets exactly 10 of 200 concurrent transfers through when the balance covers exactly 10, never below zero', async () => {
    const account = `member:${newMember()}:pts`;
    await fund(store.db, account, 70);
    const outcome = await race(Array.from({ length: 200 }, () => () => postTransaction(store.db, transfer(account, `member:${newMember()}:pts`, 7))));
    expect(outcome).toEqual({ succeeded: 10, refused: 190 });
    expect(await getBalance(store.db, account)).toMatchObject({ balance: 0, available: 0 });
    await neverNegative(account);
  });

  it('never deadlocks when concurrent transactions touch the same accounts in opposite orders', async () => {
    const accounts = Array.from({ length: 4 }, () => `member:${newMember()}:pts`);
    for (const account of accounts) await fund(store.db, account, 50);
    const attempts = Array.from({ length: 120 }, (_, n) => () => {
      const [a, b, c] = [accounts[n % 4]!, accounts[(n + 1 + (n % 3)) % 4]!, accounts[(n + 2) % 4]!];
      const postings = [
        { from: a, to: b, amount: 1 + (n % 9), asset: 'PTS' as const },
        { from: c, to: a, amount: 1 + (n % 5), asset: 'PTS' as const },
      ].filter((p) => p.from !== p.to);
      return postTransaction(store.db, { ...transfer(a, b, 1), postings });
    });
    const outcome = await race(attempts);
    expect(outcome.succeeded + outcome.refused).toBe(120);
    const balances = await Promise.all(accounts.map((a) => getBalance(store.db, a)));
    expect(balances.reduce((sum, b) => sum + b.balance, 0)).toBe(200);
    for (const account of accounts) await neverNegative(account);
    expect(await checkLedger(store.db)).toMatchObject({ unbalanced_assets: [], mismatched_accounts: [], negative_accounts: [] });
  });
});
