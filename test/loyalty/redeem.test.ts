import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VkladError } from '../../src/errors.ts';
import { getHold } from '../../src/ledger/holds.ts';
import { accountHistory, checkLedger, getBalance } from '../../src/ledger/reads.ts';
import { checkCode } from '../../src/loyalty/code-check.ts';
import { generateCodes, uploadCodes } from '../../src/loyalty/pool.ts';
import { cancelRedemption, redeem, reserveRedemption } from '../../src/loyalty/redeem.ts';
import { getRedemption, memberRedemptions } from '../../src/loyalty/redemption.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';
import { NOW, aMember, aReward, award, newId } from './fixtures.ts';

const refusal = async (attempt: Promise<unknown>): Promise<VkladError> => {
  const error = await attempt.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(VkladError);
  return error as VkladError;
};

describe.each(STORES)('redemption ($name)', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await kind.open();
  });
  afterAll(() => store.destroy());

  it('holds the price, issues a code and settles the points to sink:pts:redeemed, with history entries', async () => {
    const member = await aMember(store.db);
    await award(store.db, member, 20);
    const reward = await aReward(store.db, { price: 7, codes: { source: 'generate', valid_days: 30 } });
    const id = newId();
    const sinkBefore = (await getBalance(store.db, 'sink:pts:redeemed')).balance;
    const { status, redemption } = await redeem(store.db, { id, member, reward }, 'shop', NOW);
    expect(status).toBe('created');
    expect(redemption).toMatchObject({ id, state: 'completed', price: 7, member_id: member, reward, settled_by: `settle:redemption:${id}` });
    expect(redemption.code).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    expect(redemption.code_expires_at).toBe(new Date(NOW + 30 * 86_400_000).toISOString());
    expect(await getBalance(store.db, `member:${member}:pts`)).toMatchObject({ balance: 13, held: 0, available: 13 });
    expect((await getBalance(store.db, 'sink:pts:redeemed')).balance).toBe(sinkBefore + 7);
    expect((await getHold(store.db, `redemption:${id}`)).state).toBe('settled');
    const history = await accountHistory(store.db, `member:${member}:pts`);
    expect(history.entries.map((e) => [e.code, e.amount, e.balance_after])).toEqual([
      ['redemption_settle', -7, 13],
      ['award', 20, 20],
    ]);
    expect((await memberRedemptions(store.db, member)).map((r) => r.id)).toEqual([id]);
  });

  it('answers the same redemption id with what was done, once; with other content it is a conflict', async () => {
    const member = await aMember(store.db);
    await award(store.db, member, 20);
    const reward = await aReward(store.db);
    const id = newId();
    const first = await redeem(store.db, { id, member, reward }, 'shop', NOW);
    const again = await redeem(store.db, { id, member, reward }, 'shop', NOW + 1000);
    expect(again).toEqual({ status: 'exists', redemption: first.redemption });
    expect((await getBalance(store.db, `member:${member}:pts`)).balance).toBe(13);
    const other = await aReward(store.db);
    const error = await refusal(redeem(store.db, { id, member, reward: other }, 'shop', NOW));
    expect(error.code).toBe('conflict');
    expect(error.errors.map((e) => e.field)).toEqual(['reward']);
  });

  it('releases the hold and fails the redemption when no code can be issued', async () => {
    const member = await aMember(store.db);
    await award(store.db, member, 20);
    const reward = await aReward(store.db, { codes: { source: 'pool' } });
    const id = newId();
    const error = await refusal(redeem(store.db, { id, member, reward }, 'shop', NOW));
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/no codes left/);
    expect(await getRedemption(store.db, id)).toMatchObject({ state: 'failed', code: null, settled_by: null });
    expect((await getHold(store.db, `redemption:${id}`)).state).toBe('released');
    expect(await getBalance(store.db, `member:${member}:pts`)).toMatchObject({ balance: 20, held: 0, available: 20 });
    expect((await store.db.query<{ taken: number }>('select taken from rewards where key = $1', [reward]))[0]!.taken).toBe(0);
    // Asking again gives the same answer and does not try again.
    expect((await refusal(redeem(store.db, { id, member, reward }, 'shop', NOW))).message).toMatch(/no codes left/);
  });

  it('cancels a pending redemption, releasing its hold; a completed one cannot be cancelled', async () => {
    const member = await aMember(store.db);
    await award(store.db, member, 20);
    const reward = await aReward(store.db);
    const pending = newId();
    await reserveRedemption(store.db, { id: pending, member, reward }, 'shop', NOW);
    expect(await getBalance(store.db, `member:${member}:pts`)).toMatchObject({ balance: 20, held: 7, available: 13 });
    const cancelled = await cancelRedemption(store.db, pending, 'shop', NOW);
    expect(cancelled).toMatchObject({ status: 'cancelled', redemption: { state: 'cancelled', code: null } });
    expect(await getBalance(store.db, `member:${member}:pts`)).toMatchObject({ balance: 20, held: 0, available: 20 });
    expect((await cancelRedemption(store.db, pending, 'shop', NOW)).status).toBe('exists');
    const done = newId();
    await redeem(store.db, { id: done, member, reward }, 'shop', NOW);
    expect((await refusal(cancelRedemption(store.db, done, 'shop', NOW))).errors[0]).toMatchObject({ field: 'id' });
  });

  it('finishes a redemption an earlier attempt left pending when it is asked for again', async () => {
    const member = await aMember(store.db);
    await award(store.db, member, 20);
    const reward = await aReward(store.db);
    const id = newId();
    await reserveRedemption(store.db, { id, member, reward }, 'shop', NOW);
    const resumed = await redeem(store.db, { id, member, reward }, 'shop', NOW);
    expect(resumed).toMatchObject({ status: 'exists', redemption: { state: 'completed' } });
    expect(await getBalance(store.db, `member:${member}:pts`)).toMatchObject({ balance: 13, held: 0 });
  });

  it('issues pool codes in turn, skips those the shop let expire, and knows no code before it is issued', async () => {
    const member = await aMember(store.db);
    await award(store.db, member, 20);
    const reward = await aReward(store.db, { codes: { source: 'pool' } });
    // The stale code sorts first, so it would be issued first if expiry were not minded.
    const [stale, fresh] = [newId('ASTALE'), newId('BFRESH')];
    await uploadCodes(store.db, reward, { codes: [stale], expires_at: '2025-10-01T00:00:00Z' }, 'test');
    await uploadCodes(store.db, reward, { codes: [fresh], expires_at: '2025-12-01T00:00:00Z' }, 'test');
    expect(await checkCode(store.db, fresh, NOW)).toEqual({ code: fresh, status: 'unknown' });
    const { redemption } = await redeem(store.db, { id: newId(), member, reward }, 'shop', NOW);
    expect(redemption).toMatchObject({ code: fresh, code_expires_at: '2025-12-01T00:00:00.000Z' });
    expect((await checkCode(store.db, fresh, NOW)).status).toBe('valid');
    expect((await checkCode(store.db, fresh, Date.parse('2025-12-01T00:00:00Z'))).status).toBe('expired');
    expect((await checkCode(store.db, stale, NOW)).status).toBe('unknown');
    expect((await refusal(redeem(store.db, { id: newId(), member, reward }, 'shop', NOW))).message).toMatch(/no codes left/);
  });

  it('refuses without writing anything when the member lacks the points', async () => {
    const member = await aMember(store.db);
    await award(store.db, member, 6);
    const reward = await aReward(store.db);
    const id = newId();
    expect((await refusal(redeem(store.db, { id, member, reward }, 'shop', NOW))).message).toMatch(/Insufficient funds/);
    expect(await store.db.query('select id from redemptions where id = $1', [id])).toEqual([]);
    expect(await getBalance(store.db, `member:${member}:pts`)).toMatchObject({ balance: 6, held: 0 });
  });

  it('lets exactly 10 of 200 concurrent redemptions through when the balance covers exactly 10; no code twice, never negative', async () => {
    const member = await aMember(store.db);
    await award(store.db, member, 70);
    const reward = await aReward(store.db, { price: 7, codes: { source: 'pool' } });
    await generateCodes(store.db, reward, 300, 'test');
    const results = await Promise.allSettled(Array.from({ length: 200 }, () => redeem(store.db, { id: newId(), member, reward }, 'shop', NOW)));
    const unexpected = results.filter((r) => r.status === 'rejected' && !(r.reason instanceof VkladError && r.reason.code === 'conflict'));
    expect(unexpected).toEqual([]);
    const done = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.redemption] : []));
    expect(done).toHaveLength(10);
    expect(new Set(done.map((d) => d.code)).size).toBe(10);
    const [codes] = await store.db.query<{ issued: number; distinct_codes: number }>(
      'select count(*)::int as issued, count(distinct code)::int as distinct_codes from reward_codes where reward_key = $1 and redemption_id is not null',
      [reward],
    );
    expect(codes).toEqual({ issued: 10, distinct_codes: 10 });
    expect(await getBalance(store.db, `member:${member}:pts`)).toMatchObject({ balance: 0, held: 0, available: 0 });
    const [lowest] = await store.db.query<{ lowest: number }>('select min(balance_after)::bigint as lowest from entries where account = $1', [`member:${member}:pts`]);
    expect(lowest!.lowest).toBeGreaterThanOrEqual(0);
    expect(await store.db.query(`select id from redemptions where member_id = $1 and state <> 'completed'`, [member])).toEqual([]);
    expect(await checkLedger(store.db)).toMatchObject({ unbalanced_assets: [], mismatched_accounts: [], negative_accounts: [] });
  });
});
