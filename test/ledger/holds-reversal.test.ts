import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VkladError } from '../../src/errors.ts';
import { getHold, hold, releaseHold, settleHold } from '../../src/ledger/holds.ts';
import { postTransaction } from '../../src/ledger/post.ts';
import { checkLedger, getBalance, getTransaction } from '../../src/ledger/reads.ts';
import { reverseTransaction } from '../../src/ledger/reversal.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';
import { fund, newId, newMember, transfer } from './fixtures.ts';

const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e as VkladError);

describe.each(STORES)('holds and reversals ($name)', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await kind.open();
  });
  afterAll(() => store.destroy());

  const aHold = (from: string, amount: number) => ({ id: newId('hold'), from, to: 'sink:pts:redeemed', amount, asset: 'PTS', cause: 'redemption:1', actor: `member:1` });

  it('reserves an amount: available drops, the posted balance stays, and settling posts it', async () => {
    const account = `member:${newMember()}:pts`;
    await fund(store.db, account, 100);
    const h = aHold(account, 30);
    expect(await hold(store.db, h)).toEqual({ status: 'created', id: h.id });
    expect(await getBalance(store.db, account)).toMatchObject({ balance: 100, held: 30, available: 70 });
    const settled = await settleHold(store.db, { id: h.id, actor: 'shop' });
    expect(settled).toEqual({ status: 'created', transaction_id: `settle:${h.id}` });
    expect(await getBalance(store.db, account)).toMatchObject({ balance: 70, held: 0, available: 70 });
    expect(await getTransaction(store.db, settled.transaction_id)).toMatchObject({ code: 'redemption_settle', postings: [{ from: account, to: 'sink:pts:redeemed', amount: 30, asset: 'PTS' }] });
    expect(await getHold(store.db, h.id)).toMatchObject({ state: 'settled', settled_by: settled.transaction_id, resolved_by: 'shop' });
    expect(await settleHold(store.db, { id: h.id, actor: 'shop' })).toEqual({ status: 'exists', transaction_id: settled.transaction_id });
    expect(await getBalance(store.db, account)).toMatchObject({ balance: 70 });
    expect((await failure(releaseHold(store.db, { id: h.id, actor: 'shop' })))?.code).toBe('conflict');
  });

  it('releases a hold, giving the amount back, once', async () => {
    const account = `member:${newMember()}:pts`;
    await fund(store.db, account, 10);
    const h = aHold(account, 10);
    await hold(store.db, h);
    expect((await failure(postTransaction(store.db, transfer(account, 'sink:pts:redeemed', 1))))?.code).toBe('conflict');
    expect(await releaseHold(store.db, { id: h.id, actor: 'shop' })).toEqual({ status: 'released' });
    expect(await releaseHold(store.db, { id: h.id, actor: 'shop' })).toEqual({ status: 'exists' });
    expect(await getBalance(store.db, account)).toMatchObject({ balance: 10, held: 0, available: 10 });
    expect((await failure(settleHold(store.db, { id: h.id, actor: 'shop' })))?.code).toBe('conflict');
    expect((await failure(settleHold(store.db, { id: 'no-such-hold', actor: 'shop' })))?.code).toBe('not_found');
  });

  it('refuses a hold beyond what is available, and is idempotent by id', async () => {
    const account = `member:${newMember()}:pts`;
    await fund(store.db, account, 10);
    const h = aHold(account, 8);
    await hold(store.db, h);
    expect(await hold(store.db, h)).toEqual({ status: 'exists', id: h.id });
    const other = await failure(hold(store.db, { ...h, amount: 9 }));
    expect(other?.errors.map((e) => e.field)).toEqual(['amount']);
    expect(other?.code).toBe('conflict');
    const tooMuch = await failure(hold(store.db, aHold(account, 3)));
    expect(tooMuch?.errors).toEqual([{ field: 'amount', reason: `${account} has 2 available` }]);
    expect(await getBalance(store.db, account)).toMatchObject({ held: 8 });
    expect((await failure(hold(store.db, { ...aHold(account, 1), to: 'treasury:RUB' })))?.errors).toEqual([{ field: 'to', reason: 'holds RUB, not PTS' }]);
  });

  it('corrects by a new reversing transaction, once, and never reverses a reversal', async () => {
    const [a, b] = [`member:${newMember()}:pts`, `member:${newMember()}:pts`];
    await fund(store.db, a, 20);
    const original = transfer(a, b, 15);
    await postTransaction(store.db, original);
    const reversal = { id: newId('rev'), original: original.id, actor: 'operator:olga' };
    expect(await reverseTransaction(store.db, reversal)).toEqual({ status: 'created', id: reversal.id });
    expect([(await getBalance(store.db, a)).balance, (await getBalance(store.db, b)).balance]).toEqual([20, 0]);
    expect(await getTransaction(store.db, reversal.id)).toMatchObject({
      code: 'correction',
      reverses: original.id,
      postings: [{ from: b, to: a, amount: 15, asset: 'PTS' }],
    });
    expect(await getTransaction(store.db, original.id)).toMatchObject({ reversed_by: reversal.id, postings: original.postings });
    expect(await reverseTransaction(store.db, reversal)).toEqual({ status: 'exists', id: reversal.id });
    const twice = await failure(reverseTransaction(store.db, { ...reversal, id: newId('rev') }));
    expect(twice?.errors).toEqual([{ field: 'original', reason: `already reversed by ${reversal.id}` }]);
    const ofReversal = await failure(reverseTransaction(store.db, { id: newId('rev'), original: reversal.id, actor: 'operator:olga' }));
    expect(ofReversal?.code).toBe('conflict');
    expect(ofReversal?.errors).toEqual([{ field: 'original', reason: 'is a reversal, which is never reversed' }]);
    expect([(await getBalance(store.db, a)).balance, (await getBalance(store.db, b)).balance]).toEqual([20, 0]);
  });

  it('reverses an award as award_reversal, and refuses a reversal the account can no longer cover', async () => {
    const [a, b] = [`member:${newMember()}:pts`, `member:${newMember()}:pts`];
    const award = transfer('world:pts', a, 10, { code: 'award' });
    await postTransaction(store.db, award);
    await postTransaction(store.db, transfer(a, b, 4));
    const refused = await failure(reverseTransaction(store.db, { id: newId('rev'), original: award.id, actor: 'operator:olga' }));
    expect(refused?.errors).toEqual([{ field: 'postings[0].from', reason: `${a} has 6 available, needs 10` }]);
    await postTransaction(store.db, transfer(b, a, 4));
    const reversal = { id: newId('rev'), original: award.id, actor: 'operator:olga' };
    await reverseTransaction(store.db, reversal);
    expect(await getTransaction(store.db, reversal.id)).toMatchObject({ code: 'award_reversal' });
    expect((await failure(reverseTransaction(store.db, { ...reversal, original: 'nothing' })))?.code).toBe('not_found');
    expect((await checkLedger(store.db)).unbalanced_assets).toEqual([]);
  });
});
