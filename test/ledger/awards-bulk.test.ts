import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwardDiff } from '../../src/ledger/award-decide.ts';
import { postAwardDiffs } from '../../src/ledger/awards.ts';
import { accountHistory, checkLedger, getBalance } from '../../src/ledger/reads.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';
import { newId, newMember } from './fixtures.ts';

const DAY = 86_400_000;
const T = Date.parse('2025-09-01T00:00:00Z');
const CLEAN = { unbalanced_assets: [], mismatched_accounts: [], negative_accounts: [], unbalanced_transactions: [] };

describe.each(STORES)('award diffs posted in bulk ($name)', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await kind.open();
  });
  afterAll(() => store.destroy());

  const diff = (key: string, member: number, points: number, previous = 0): AwardDiff => ({ key, member, points, previous, at: T, pending_until: T + 7 * DAY });

  it('posts thousands of diffs over several database transactions with every running balance right', async () => {
    const members = [newMember(), newMember(), newMember()];
    const diffs = Array.from({ length: 6_000 }, (_, n) => diff(newId('week'), members[n % 3]!, 1 + (n % 5)));
    expect(await postAwardDiffs(store.db, diffs, T)).toEqual({ transactions: 6_000, unchanged: 0 });
    for (const m of members) {
      const expected = diffs.filter((d) => d.member === m).reduce((sum, d) => sum + d.points, 0);
      expect((await getBalance(store.db, `member:${m}:pts:pending`))!.balance).toBe(expected);
      const history = await accountHistory(store.db, `member:${m}:pts:pending`, { limit: 1 });
      expect(history.entries[0]!.balance_after).toBe(expected);
    }
    expect(await postAwardDiffs(store.db, diffs, T + DAY)).toEqual({ transactions: 0, unchanged: 6_000 });
    expect(await checkLedger(store.db)).toEqual(CLEAN);
  });

  it('posts nothing twice when the record of an award is lost but its transaction is stored', async () => {
    const m = newMember();
    const key = newId('week');
    await postAwardDiffs(store.db, [diff(key, m, 10), diff(newId('week'), m, 3)], T);
    await store.db.query('delete from award_postings where key = $1', [key]);
    // The same transaction id comes up again: it is found stored, with the same content, and not applied again.
    expect(await postAwardDiffs(store.db, [diff(key, m, 10), diff(newId('week'), m, 4)], T)).toEqual({ transactions: 2, unchanged: 0 });
    expect((await getBalance(store.db, `member:${m}:pts:pending`))!.balance).toBe(17);
    expect(await checkLedger(store.db)).toEqual(CLEAN);
  });
});
