import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Queryable } from '../../src/db/database.ts';
import { VkladError } from '../../src/errors.ts';
import { postTransactions } from '../../src/ledger/post.ts';
import { accountHistory, checkLedger, getBalance } from '../../src/ledger/reads.ts';
import type { Posting, TransactionInput } from '../../src/ledger/transaction.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';
import { fund, newId, newMember, transfer } from './fixtures.ts';

/** The store, counting the statements each database transaction runs. */
function counting(db: Database): { db: Database; statements: number[] } {
  const statements: number[] = [];
  const counted = (tx: Queryable, n: number): Queryable => ({
    query: (sql, params) => ((statements[n] = (statements[n] ?? 0) + 1), tx.query(sql, params)),
    exec: (sql) => ((statements[n] = (statements[n] ?? 0) + 1), tx.exec(sql)),
    copyFrom: (sql, rows) => ((statements[n] = (statements[n] ?? 0) + 1), tx.copyFrom(sql, rows)),
  });
  return { db: { ...db, transaction: (work) => db.transaction((tx) => work(counted(tx, statements.push(0) - 1))) }, statements };
}

async function rejection(promise: Promise<unknown>): Promise<VkladError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(VkladError);
  return error as VkladError;
}

describe.each(STORES)('posting a batch of new transactions in one statement ($name)', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await kind.open();
  });
  afterAll(() => store.destroy());

  /** Members whose accounts exist and that this process has seen committed, as a running service has. */
  async function knownMembers(n: number, points: number): Promise<string[]> {
    const members = Array.from({ length: n }, () => `member:${newMember()}:pts`);
    for (const m of members) await fund(store.db, m, points);
    await postTransactions(store.db, members.map((m) => transfer('world:pts', m, 1, { code: 'award' })));
    return members;
  }

  const history = async (address: string) => (await accountHistory(store.db, address, { limit: 500 })).entries.reverse();

  it('gives every entry its running balance and a time no earlier than its account\'s latest, in one statement per batch', async () => {
    const posting = fc.record({ from: fc.nat(4), to: fc.nat(4), amount: fc.integer({ min: 1, max: 9 }) }).filter((p) => p.from !== p.to);
    const transaction = fc.record({ postings: fc.array(posting, { minLength: 1, maxLength: 3 }), at: fc.option(fc.integer({ min: 0, max: 5 })) });
    for (let n = 0; n < 2; n += 1) await postTransactions(store.db, [transfer('world:pts', 'sink:pts:redeemed', 1, { code: 'award' })]);
    await fc.assert(
      fc.asyncProperty(fc.array(transaction, { minLength: 1, maxLength: 30 }), async (drawn) => {
        const members = await knownMembers(4, 100);
        const accounts = [...members, 'sink:pts:redeemed'];
        const base = Date.now() - 60_000;
        const txs: TransactionInput[] = drawn.map((d) => ({
          ...transfer(members[0]!, members[1]!, 1),
          postings: d.postings.map((p): Posting => ({ from: accounts[p.from]!, to: accounts[p.to]!, amount: p.amount, asset: 'PTS' })),
          ...(d.at === null ? {} : { at: base + d.at * 1000 }),
        }));
        const before = new Map(await Promise.all(accounts.map(async (a) => [a, await history(a)] as const)));
        const spy = counting(store.db);
        const outcomes = await postTransactions(spy.db, txs).catch((error: unknown) => error);
        if (outcomes instanceof VkladError) {
          // Some member would go below zero: nothing was written, whichever path said so.
          expect(outcomes.message).toMatch(/^Insufficient funds/);
          for (const a of accounts) expect(await history(a)).toEqual(before.get(a));
          return;
        }
        expect(spy.statements[0]).toBe(1);
        expect(outcomes).toEqual(txs.map((t) => ({ status: 'created', id: t.id })));
        const stored = new Map(
          (await store.db.query<{ id: string; at: Date }>('select id, at from transactions where id = any($1::text[])', [txs.map((t) => t.id)])).map((t) => [t.id, t.at.getTime()]),
        );
        for (const a of accounts) {
          const entries = (await history(a)).slice(before.get(a)!.length);
          const expected = txs.flatMap((t) => {
            const amount = t.postings.reduce((sum, p) => sum + (p.to === a ? p.amount : 0) - (p.from === a ? p.amount : 0), 0);
            return amount === 0 ? [] : [{ transaction_id: t.id, amount }];
          });
          expect(entries.map((e) => ({ transaction_id: e.transaction_id, amount: e.amount }))).toEqual(expected);
          let balance = before.get(a)!.at(-1)?.balance_after ?? 0;
          let at = before.get(a)!.at(-1)?.at.getTime() ?? 0;
          for (const e of entries) {
            balance += e.amount;
            expect(e.balance_after).toBe(balance);
            at = Math.max(at, stored.get(e.transaction_id)!);
            expect(e.at.getTime()).toBe(at);
          }
          expect((await getBalance(store.db, a)).balance).toBe(balance);
        }
      }),
      { numRuns: 12 },
    );
    expect(await checkLedger(store.db)).toEqual({ unbalanced_assets: [], mismatched_accounts: [], negative_accounts: [], unbalanced_transactions: [] });
  });

  it('refuses a batch that overdraws, naming the transaction and posting, and writes nothing', async () => {
    const [a, b] = await knownMembers(2, 10);
    const error = await rejection(postTransactions(store.db, [transfer(a!, b!, 5), transfer(b!, a!, 1), transfer(a!, b!, 8)]));
    expect(error.code).toBe('conflict');
    expect(error.errors).toEqual([{ field: 'postings[0].from', reason: `${a} has 7 available, needs 8`, item: 2 }]);
    expect([(await getBalance(store.db, a!)).balance, (await getBalance(store.db, b!)).balance]).toEqual([11, 11]);
  });

  it('creates an account this process saw in another database, and posts there as well', async () => {
    const [a, b] = await knownMembers(2, 10);
    const other = await kind.open();
    try {
      await postTransactions(other.db, [transfer('world:pts', a!, 7, { code: 'award' }), transfer(a!, b!, 3)]);
      expect([(await getBalance(other.db, a!)).balance, (await getBalance(other.db, b!)).balance]).toEqual([4, 3]);
      expect(await checkLedger(other.db)).toMatchObject({ mismatched_accounts: [], negative_accounts: [] });
    } finally {
      await other.destroy();
    }
  });

  it('counts held points as unavailable', async () => {
    const [a, b] = await knownMembers(2, 10);
    await store.db.query('update accounts set held = 6 where address = $1', [a]);
    const error = await rejection(postTransactions(store.db, [transfer(a!, b!, 3), transfer(a!, b!, 3)]));
    expect(error.errors).toEqual([{ field: 'postings[0].from', reason: `${a} has 2 available, needs 3`, item: 1 }]);
    expect(await postTransactions(store.db, [transfer(a!, b!, 5)])).toHaveLength(1);
    await store.db.query('update accounts set held = 0 where address = $1', [a]);
  });

  it('answers repeats as the careful path does: "exists" for the same content, a conflict naming fields for other content', async () => {
    const [a, b] = await knownMembers(2, 50);
    const first = transfer(a!, b!, 4);
    await postTransactions(store.db, [first]);
    const fresh = transfer(a!, b!, 1);
    expect((await postTransactions(store.db, [fresh, first])).map((o) => o.status)).toEqual(['created', 'exists']);
    const again = transfer(a!, b!, 2);
    expect((await postTransactions(store.db, [again, again])).map((o) => o.status)).toEqual(['created', 'exists']);
    const other = transfer(a!, b!, 3);
    const error = await rejection(postTransactions(store.db, [other, { ...other, memo: 'changed' }]));
    expect(error.errors).toEqual([{ field: 'memo', reason: `differs from transaction ${other.id} as already posted`, item: 1 }]);
    expect((await getBalance(store.db, a!)).balance).toBe(51 - 4 - 1 - 2);
  });

  it('takes the database clock once for a batch that states no time, never dating an entry before its account\'s latest', async () => {
    const [a, b] = await knownMembers(2, 50);
    const future = Date.now() + 3_600_000;
    await postTransactions(store.db, [transfer(a!, b!, 1, { at: future })]);
    const batch = [transfer(b!, a!, 1), transfer(a!, b!, 2)];
    await postTransactions(store.db, batch);
    const stored = await store.db.query<{ at: Date }>('select at from transactions where id = any($1::text[])', [batch.map((t) => t.id)]);
    expect(stored.map((t) => t.at.getTime())).toEqual([stored[0]!.at.getTime(), stored[0]!.at.getTime()]);
    expect(stored[0]!.at.getTime()).toBeLessThan(future);
    const entries = (await accountHistory(store.db, b!, { limit: 2 })).entries;
    expect(entries.map((e) => [e.transaction_id, e.at.getTime()])).toEqual([
      [batch[1]!.id, future],
      [batch[0]!.id, future],
    ]);
  });
});
