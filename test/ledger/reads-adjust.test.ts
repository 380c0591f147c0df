import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VkladError } from '../../src/errors.ts';
import { adjustBalance } from '../../src/ledger/adjust.ts';
import { postTransaction } from '../../src/ledger/post.ts';
import { accountHistory, balanceAt, getBalance } from '../../src/ledger/reads.ts';
import { listAudit } from '../../src/store/audit.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';
import { newId, newMember, transfer } from './fixtures.ts';

const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e as VkladError);
const day = (n: number) => Date.parse('2025-03-01T00:00:00Z') + n * 86_400_000;

describe.each(STORES)('reading the ledger and adjusting it ($name)', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await kind.open();
  });
  afterAll(() => store.destroy());

  async function story(account: string): Promise<void> {
    const other = `member:${newMember()}:pts`;
    await postTransaction(store.db, transfer('world:pts', account, 100, { code: 'award', at: day(0) }));
    await postTransaction(store.db, transfer(account, other, 30, { at: day(2) }));
    await postTransaction(store.db, transfer('world:pts', account, 5, { code: 'award', at: day(4) }));
    await postTransaction(store.db, transfer(account, 'sink:pts:redeemed', 45, { at: day(6) }));
  }

  it('shows history newest first with the running balance, page by page', async () => {
    const account = `member:${newMember()}:pts`;
    await story(account);
    const first = await accountHistory(store.db, account, { limit: 3 });
    expect(first.entries.map((e) => [e.amount, e.balance_after, e.code])).toEqual([
      [-45, 30, 'correction'],
      [5, 75, 'award'],
      [-30, 70, 'correction'],
    ]);
    expect(first.entries[0]!.at.toISOString()).toBe(new Date(day(6)).toISOString());
    const second = await accountHistory(store.db, account, { limit: 3, cursor: first.next_cursor });
    expect(second.entries.map((e) => [e.amount, e.balance_after])).toEqual([[100, 100]]);
    expect(second.next_cursor).toBeNull();
    expect((await failure(accountHistory(store.db, account, { limit: 0 })))?.errors[0]?.field).toBe('limit');
    expect((await failure(accountHistory(store.db, account, { cursor: 'x' })))?.errors[0]?.field).toBe('cursor');
    expect((await failure(accountHistory(store.db, 'nobody', {})))?.errors[0]?.field).toBe('account');
  });

  it('answers the balance at any past moment', async () => {
    const account = `member:${newMember()}:pts`;
    await story(account);
    const at = (n: number) => balanceAt(store.db, account, n);
    expect(await Promise.all([at(day(-1)), at(day(0)), at(day(1)), at(day(2)), at(day(5)), at(day(6)), at(day(60))])).toEqual([0, 100, 100, 70, 75, 30, 30]);
    expect((await getBalance(store.db, account)).balance).toBe(30);
  });

  it('adjusts a balance with a reason and audits who, when, why, before and after', async () => {
    const account = `member:${newMember()}:pts`;
    await postTransaction(store.db, transfer('world:pts', account, 40, { code: 'award' }));
    const adjustment = { id: newId('adj'), account, amount: -15, reason: 'duplicate forum account', actor: 'operator:olga' };
    expect(await adjustBalance(store.db, adjustment)).toEqual({ status: 'created', id: adjustment.id });
    expect((await getBalance(store.db, account)).balance).toBe(25);
    expect(await adjustBalance(store.db, adjustment)).toEqual({ status: 'exists', id: adjustment.id });
    const audit = await listAudit(store.db, account);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: 'operator:olga',
      action: 'ledger.adjust',
      details: { transaction: adjustment.id, reason: 'duplicate forum account', amount: -15, against: 'world:pts', before: { balance: 40, held: 0 }, after: { balance: 25, held: 0 } },
    });
    expect(audit[0]!.at).toBeInstanceOf(Date);
    const [history] = (await accountHistory(store.db, account)).entries;
    expect(history).toMatchObject({ code: 'adjustment', memo: 'duplicate forum account', amount: -15, balance_after: 25 });
  });

  it('refuses an adjustment without a reason, or one that would overdraw, and audits nothing', async () => {
    const account = `member:${newMember()}:pts`;
    const noReason = await failure(adjustBalance(store.db, { id: newId('adj'), account, amount: 5, reason: '  ', actor: 'operator:olga' }));
    expect(noReason?.errors).toEqual([{ field: 'reason', reason: 'is required' }]);
    const overdraw = await failure(adjustBalance(store.db, { id: newId('adj'), account, amount: -5, reason: 'typo', actor: 'operator:olga' }));
    expect(overdraw?.code).toBe('conflict');
    const fiat = await failure(adjustBalance(store.db, { id: newId('adj'), account: 'author:3:RUB', amount: 5, reason: 'typo', actor: 'operator:olga' }));
    expect(fiat?.errors[0]?.field).toBe('against');
    expect(await listAudit(store.db, account)).toEqual([]);
  });
});
