import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VkladError } from '../../src/errors.ts';
import { postTransaction } from '../../src/ledger/post.ts';
import { saveAchievements } from '../../src/store/awards.ts';
import { retireReward } from '../../src/loyalty/catalogue.ts';
import { LevelScaleBody, memberStanding, putLevelScale } from '../../src/loyalty/levels.ts';
import { redeem } from '../../src/loyalty/redeem.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';
import { DAY, NOW, aMember, aReward, award, newId } from './fixtures.ts';

async function refused(attempt: Promise<unknown>): Promise<{ code: string; reasons: string[] }> {
  const error = await attempt.then(() => null, (e: unknown) => e);
  if (!(error instanceof VkladError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return { code: error.code, reasons: error.errors.map((e) => `${e.field}: ${e.reason}`) };
}

describe.each(STORES)('eligibility, stock, limits and levels ($name)', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await kind.open();
    const scale = LevelScaleBody.parse({
      window_days: 365,
      levels: [
        { key: 'bronze', threshold: 100, title: { en: 'Bronze', ru: 'Бронза' } },
        { key: 'silver', threshold: 500, title: { en: 'Silver', ru: 'Серебро' } },
      ],
    });
    await putLevelScale(store.db, scale, 'test');
  });
  afterAll(() => store.destroy());

  const tryRedeem = (member: number, reward: string, now = NOW) => redeem(store.db, { id: newId(), member, reward }, 'shop', now);

  it('admits by role: any one of the listed roles', async () => {
    const reward = await aReward(store.db, { eligibility: { roles: ['mentor', 'teacher'] } });
    const student = await aMember(store.db, ['student']);
    await award(store.db, student, 50);
    expect(await refused(tryRedeem(student, reward))).toEqual({ code: 'conflict', reasons: ['member: needs one of the roles mentor, teacher'] });
    const teacher = await aMember(store.db, ['student', 'teacher']);
    await award(store.db, teacher, 50);
    expect((await tryRedeem(teacher, reward)).redemption.state).toBe('completed');
  });

  it('admits by achievement once the member has earned it, not before', async () => {
    const reward = await aReward(store.db, { eligibility: { achievements: ['streak-30'] } });
    const member = await aMember(store.db);
    await award(store.db, member, 50);
    expect((await refused(tryRedeem(member, reward))).reasons).toEqual(['member: needs the achievements streak-30']);
    await saveAchievements(store.db, [member], [{ member, badge: 'streak-30', n: 1, at: NOW + DAY }]);
    expect((await refused(tryRedeem(member, reward))).reasons).toEqual(['member: needs the achievements streak-30']);
    expect((await tryRedeem(member, reward, NOW + 2 * DAY)).redemption.state).toBe('completed');
  });

  it('admits by level: the level and every level above it unlock the reward', async () => {
    const reward = await aReward(store.db, { eligibility: { level: 'bronze' } });
    const member = await aMember(store.db);
    await award(store.db, member, 99);
    expect((await refused(tryRedeem(member, reward))).reasons).toEqual(['member: needs level bronze; has none with 99 points earned in 365 days']);
    await award(store.db, member, 500);
    expect((await tryRedeem(member, reward)).redemption.state).toBe('completed');
  });

  it('is available only between its validity dates and never once retired', async () => {
    const member = await aMember(store.db);
    await award(store.db, member, 100);
    const dated = await aReward(store.db, { valid_from: '2025-10-01T00:00:00Z', valid_until: '2025-11-01T00:00:00Z' });
    expect((await refused(tryRedeem(member, dated, Date.parse('2025-09-30T23:59:59Z')))).reasons).toEqual(['reward: is not available before 2025-10-01T00:00:00.000Z']);
    expect((await refused(tryRedeem(member, dated, Date.parse('2025-11-01T00:00:00Z')))).reasons).toEqual(['reward: was available until 2025-11-01T00:00:00.000Z']);
    expect((await tryRedeem(member, dated, NOW)).redemption.state).toBe('completed');
    await retireReward(store.db, dated, 'test');
    expect((await refused(tryRedeem(member, dated, NOW))).reasons).toEqual(['reward: is retired']);
  });

  it('never sells more than its stock, even to concurrent buyers', async () => {
    const reward = await aReward(store.db, { stock: 5 });
    const members = await Promise.all(Array.from({ length: 12 }, () => aMember(store.db)));
    for (const m of members) await award(store.db, m, 10);
    const results = await Promise.allSettled(members.map((m) => tryRedeem(m, reward)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    const reasons = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as VkladError).errors[0]!.reason] : []));
    expect(new Set(reasons)).toEqual(new Set(['is out of stock']));
    expect((await store.db.query<{ taken: number }>('select taken from rewards where key = $1', [reward]))[0]!.taken).toBe(5);
  });

  it('holds the per-member limit under concurrency, and counts each member apart', async () => {
    const reward = await aReward(store.db, { per_member_limit: 3, price: 1 });
    const member = await aMember(store.db);
    const other = await aMember(store.db);
    await award(store.db, member, 100);
    await award(store.db, other, 100);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => tryRedeem(member, reward)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect((await refused(tryRedeem(member, reward))).reasons).toEqual(['reward: at most 3 per member']);
    expect((await tryRedeem(other, reward)).redemption.state).toBe('completed');
  });

  it('measures a level by points earned over the trailing window, so spending never demotes', async () => {
    const member = await aMember(store.db);
    await award(store.db, member, 400, NOW - 400 * DAY);
    await award(store.db, member, 120, NOW - 10 * DAY);
    const before = await memberStanding(store.db, member, NOW);
    expect(before).toMatchObject({ earned: 120, level: { key: 'bronze' }, next: { key: 'silver', missing: 380 } });
    const reward = await aReward(store.db, { price: 500 });
    await tryRedeem(member, reward);
    expect(await memberStanding(store.db, member, NOW)).toEqual(before);
    // A year after the recent award it leaves the window too.
    expect((await memberStanding(store.db, member, NOW + 356 * DAY)).earned).toBe(0);
  });

  it('counts an award once as it moves from pending to available, and less what is reversed', async () => {
    const member = await aMember(store.db);
    const [available, pending, debt] = [`member:${member}:pts`, `member:${member}:pts:pending`, `member:${member}:pts:debt`];
    const post = (code: 'award' | 'award_reversal', from: string, to: string, amount: number, at: number) =>
      postTransaction(store.db, { id: newId('t'), code, cause: 'test', actor: 'scoring', at, postings: [{ from, to, amount, asset: 'PTS' }] });
    await post('award', 'world:pts', pending, 300, NOW - 20 * DAY);
    await post('award', pending, available, 300, NOW - 13 * DAY);
    await post('award_reversal', available, 'world:pts', 50, NOW - 5 * DAY);
    await post('award_reversal', 'world:pts', debt, 20, NOW - 4 * DAY);
    expect((await memberStanding(store.db, member, NOW)).earned).toBe(230);
  });
});
