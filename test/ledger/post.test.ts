import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VkladError } from '../../src/errors.ts';
import { postTransaction, postTransactions } from '../../src/ledger/post.ts';
import { checkLedger, getBalance, getTransaction, totalsPerAsset } from '../../src/ledger/reads.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';
import { fund, newId, newMember, transfer } from './fixtures.ts';

async function rejection(promise: Promise<unknown>): Promise<VkladError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(VkladError);
  return error as VkladError;
}

describe.each(STORES)('posting transactions ($name)', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await kind.open();
  });
  afterAll(() => store.destroy());

  const count = async (table: string) => (await store.db.query<{ n: number }>(`select count(*)::int as n from ${table}`))[0]!.n;

  it('moves an amount from one account to another, balanced, and records who and why', async () => {
    const [a, b] = [newMember(), newMember()];
    await fund(store.db, `member:${a}:pts`, 50);
    const tx = transfer(`member:${a}:pts`, `member:${b}:pts`, 20, { code: 'correction', cause: 'event:17', actor: 'operator:olga' });
    expect(await postTransaction(store.db, tx)).toEqual({ status: 'created', id: tx.id });
    expect(await getBalance(store.db, `member:${a}:pts`)).toEqual({ address: `member:${a}:pts`, asset: 'PTS', balance: 30, held: 0, available: 30 });
    expect((await getBalance(store.db, `member:${b}:pts`)).balance).toBe(20);
    const stored = await getTransaction(store.db, tx.id);
    expect(stored).toMatchObject({ code: 'correction', cause: 'event:17', actor: 'operator:olga', postings: tx.postings });
    expect(stored.entries).toEqual([
      { account: `member:${a}:pts`, amount: -20, balance_after: 30 },
      { account: `member:${b}:pts`, amount: 20, balance_after: 20 },
    ]);
    expect(await checkLedger(store.db)).toEqual({ unbalanced_assets: [], mismatched_accounts: [], negative_accounts: [], unbalanced_transactions: [] });
  });

  it('answers "exists" to the same transaction again and changes nothing', async () => {
    const account = `member:${newMember()}:pts`;
    const tx = transfer('world:pts', account, 7, { code: 'award' });
    await postTransaction(store.db, tx);
    const entries = await count('entries');
    // Same content with keys in another order is the same transaction.
    const again = { postings: [{ asset: 'PTS', amount: 7, to: account, from: 'world:pts' }], actor: tx.actor, cause: tx.cause, code: tx.code, id: tx.id };
    expect(await postTransaction(store.db, again)).toEqual({ status: 'exists', id: tx.id });
    expect(await count('entries')).toBe(entries);
    expect((await getBalance(store.db, account)).balance).toBe(7);
  });

  it('refuses the same id with other content, naming each differing field, and writes nothing', async () => {
    const [a, b] = [`member:${newMember()}:pts`, `member:${newMember()}:pts`];
    const tx = transfer('world:pts', a, 7, { code: 'award' });
    await postTransaction(store.db, tx);
    const entries = await count('entries');
    const changed = { ...tx, cause: 'other', postings: [{ ...tx.postings[0]!, amount: 8, to: b }] };
    const error = await rejection(postTransaction(store.db, changed));
    expect(error.code).toBe('conflict');
    expect(error.errors.map((e) => e.field)).toEqual(['cause', 'postings[0].amount', 'postings[0].to']);
    const fewer = await rejection(postTransaction(store.db, { ...tx, postings: [...tx.postings, ...tx.postings] }));
    expect(fewer.errors.map((e) => e.field)).toEqual(['postings']);
    expect(await count('entries')).toBe(entries);
    expect((await getBalance(store.db, b)).balance).toBe(0);
  });

  it('names every invalid field of a transaction at the boundary', async () => {
    const error = await rejection(
      postTransaction(store.db, {
        id: '',
        code: 'gift',
        actor: 'x',
        extra: 1,
        postings: [
          { from: 'world:pts', to: 'member:1:pts', amount: 5, asset: 'PTS' },
          { from: 'member:1:pts', to: 'member:1:pts', amount: 5, asset: 'PTS' },
          { from: 'world:pts', to: 'member:2:pts', amount: 1.5, asset: 'PTS' },
          { from: 'members:2', to: 'treasury:RUB', amount: -3, asset: 'PTS' },
        ],
      }),
    );
    expect(error.code).toBe('validation_failed');
    expect(error.errors).toEqual(
      expect.arrayContaining([
        { field: 'id', reason: 'is required' },
        { field: 'code', reason: expect.stringContaining('must be one of award,') },
        { field: 'cause', reason: 'is required' },
        { field: 'extra', reason: 'is not a known field' },
        { field: 'postings[1].to', reason: 'must differ from "from"' },
        { field: 'postings[2].amount', reason: 'must be a positive integer' },
        { field: 'postings[3].from', reason: expect.stringContaining('must be a ledger address') },
        { field: 'postings[3].to', reason: 'holds RUB, not PTS' },
        { field: 'postings[3].amount', reason: 'must be a positive integer' },
      ]),
    );
    expect(error.errors).toHaveLength(9);
    const tooMany = await rejection(postTransactions(store.db, Array.from({ length: 1001 }, () => transfer('world:pts', 'member:1:pts', 1))));
    expect(tooMany.errors).toEqual([{ field: '(body)', reason: 'must hold at most 1000 transactions' }]);
  });

  it('refuses an overdraft, naming the posting, and writes nothing at all', async () => {
    const [a, b] = [`member:${newMember()}:pts`, `member:${newMember()}:pts`];
    await fund(store.db, a, 10);
    const [entries, transactions] = [await count('entries'), await count('transactions')];
    const tx = { ...transfer('world:pts', b, 100), postings: [{ from: 'world:pts', to: b, amount: 100, asset: 'PTS' as const }, { from: a, to: b, amount: 11, asset: 'PTS' as const }] };
    const error = await rejection(postTransaction(store.db, tx));
    expect(error.code).toBe('conflict');
    expect(error.errors).toEqual([{ field: 'postings[1].from', reason: `${a} has 10 available, needs 11` }]);
    expect([await count('entries'), await count('transactions')]).toEqual([entries, transactions]);
    expect((await getBalance(store.db, b)).balance).toBe(0);
    // The whole amount is fine: the check is on what is left, not on a posting in isolation.
    await postTransaction(store.db, transfer(a, b, 10));
    expect((await getBalance(store.db, a)).balance).toBe(0);
  });

  it('checks each transaction of a batch against the balances the earlier ones left, all or nothing', async () => {
    const [a, b] = [`member:${newMember()}:pts`, `member:${newMember()}:pts`];
    await fund(store.db, a, 10);
    const entries = await count('entries');
    const error = await rejection(postTransactions(store.db, [transfer(a, b, 6), transfer(a, b, 5)]));
    expect(error.errors).toEqual([{ field: 'postings[0].from', reason: `${a} has 4 available, needs 5`, item: 1 }]);
    expect(await count('entries')).toBe(entries);
    const first = transfer(a, b, 6);
    const outcomes = await postTransactions(store.db, [first, transfer(b, a, 2), first]);
    expect(outcomes.map((o) => o.status)).toEqual(['created', 'created', 'exists']);
    expect([(await getBalance(store.db, a)).balance, (await getBalance(store.db, b)).balance]).toEqual([6, 4]);
  });

  it('posts a large batch with some ids already posted: those answer "exists", the rest are created', async () => {
    const account = `member:${newMember()}:pts`;
    const batch = Array.from({ length: 40 }, (_, n) => transfer('world:pts', account, n + 1, { code: 'award' }));
    await postTransactions(store.db, [batch[3]!, batch[30]!]);
    const outcomes = await postTransactions(store.db, batch);
    expect(outcomes.filter((o) => o.status === 'exists').map((o) => o.id)).toEqual([batch[3]!.id, batch[30]!.id]);
    expect((await getBalance(store.db, account)).balance).toBe((40 * 41) / 2);
    const changed = batch.map((t, n) => (n === 30 ? { ...t, cause: 'other' } : { ...t, id: newId() }));
    const error = await rejection(postTransactions(store.db, changed));
    expect(error.errors).toEqual([{ field: 'cause', reason: `differs from transaction ${batch[30]!.id} as already posted`, item: 30 }]);
    expect((await getBalance(store.db, account)).balance).toBe((40 * 41) / 2);
  });

  it('balances each asset of a transaction on its own, in the asset\'s minor units', async () => {
    const [m, author] = [newMember(), newMember()];
    const stk = { from: 'world:stk', to: `member:${m}:stk`, amount: 2_500_000, asset: 'STK' as const };
    const pts = { from: 'world:pts', to: `member:${m}:pts`, amount: 40, asset: 'PTS' as const };
    const rub = { from: 'treasury:RUB', to: `author:${author}:RUB`, amount: 99_90, asset: 'RUB' as const };
    const refused = await rejection(postTransaction(store.db, { ...transfer('world:pts', `member:${m}:pts`, 1), postings: [stk, rub] }));
    expect(refused.errors).toEqual([{ field: 'postings[1].from', reason: 'treasury:RUB has 0 available, needs 9990' }]);
    const both = { ...transfer('world:pts', `member:${m}:pts`, 1), code: 'stk_emission' as const, postings: [stk, pts] };
    await postTransaction(store.db, both);
    expect(await getBalance(store.db, `member:${m}:stk`)).toMatchObject({ asset: 'STK', balance: 2_500_000 });
    expect(await getBalance(store.db, `member:${m}:pts`)).toMatchObject({ asset: 'PTS', balance: 40 });
    expect((await getTransaction(store.db, both.id)).entries).toHaveLength(4);
    const totals = await totalsPerAsset(store.db);
    expect(totals.map((t) => t.asset)).toEqual(expect.arrayContaining(['PTS', 'STK']));
    expect(totals.filter((t) => t.total !== 0)).toEqual([]);
    await expect(getTransaction(store.db, 'no-such-transaction')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('lets only the issuance accounts go below zero', async () => {
    const account = `member:${newMember()}:stk`;
    await postTransaction(store.db, { ...transfer('world:stk', account, 1_500_000), postings: [{ from: 'world:stk', to: account, amount: 1_500_000, asset: 'STK' }] });
    const error = await rejection(postTransaction(store.db, { ...transfer('sink:pts:redeemed', 'member:1:pts', 1) }));
    expect(error.errors[0]!.field).toBe('postings[0].from');
    // Below the code, the database itself refuses a negative member balance.
    await expect(store.db.query('update accounts set balance = -1 where address = $1', [account])).rejects.toThrow();
  });

  it('dates an entry no earlier than the latest entry of its account, keeping the stated time on the transaction', async () => {
    const a = `member:${newMember()}:pts`;
    await fund(store.db, a, 5, Date.parse('2025-06-01T00:00:00Z'));
    const late = transfer('world:pts', a, 1, { at: Date.parse('2025-05-01T00:00:00Z') });
    await postTransaction(store.db, late);
    expect((await getTransaction(store.db, late.id)).at.toISOString()).toBe('2025-05-01T00:00:00.000Z');
    const [entry] = await store.db.query<{ at: Date }>('select at from entries where transaction_id = $1 and account = $2', [late.id, a]);
    expect(entry!.at.toISOString()).toBe('2025-06-01T00:00:00.000Z');
    // The client's statement is kept: posting it again is still the same transaction.
    expect((await postTransaction(store.db, late)).status).toBe('exists');
  });

  it('accepts each id once when many race to post it', async () => {
    const account = `member:${newMember()}:pts`;
    const tx = transfer('world:pts', account, 3);
    const outcomes = await Promise.all(Array.from({ length: 12 }, () => postTransaction(store.db, tx)));
    expect(outcomes.filter((o) => o.status === 'created')).toHaveLength(1);
    expect((await getBalance(store.db, account)).balance).toBe(3);
    expect(newId()).not.toBe(newId());
  });
});
