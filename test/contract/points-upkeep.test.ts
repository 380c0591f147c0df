import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memberAccount } from '../../src/ledger/conventions.ts';
import { getBalance } from '../../src/ledger/reads.ts';
import { keepPointsCurrent } from '../../src/services/scorer.ts';
import { ingestEvents } from '../../src/store/events.ts';
import { createMembers } from '../../src/store/members.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';

const DAY = 86_400_000;
const EARNED = Date.parse('2025-10-01T09:00:00Z');

describe.each(STORES)('keeping points current ($name)', (kind) => {
  let store: TestStore;
  let member: number;
  beforeEach(async () => {
    store = await kind.open();
    member = (await createMembers(store.db, [{ roles: ['student'] }], 'test'))[0]!;
    const read = (n: number) => ({
      source: 'course',
      source_event_id: `read-${n}`,
      action: 'course.section.read',
      actor: { member_id: member },
      occurred_at: new Date(EARNED + n * 60_000).toISOString(),
    });
    await ingestEvents(store.db, [read(1), read(2), read(3)], { atomic: true, unknownIdentity: () => 'create' });
  });
  afterEach(async () => store.destroy());

  const balance = async (address: string) => (await getBalance(store.db, address)).balance;

  it('holds new points pending, makes them spendable when the pending period ends, and expires them unspent after the policy\'s months', async () => {
    const first = await keepPointsCurrent(store.db, new Date(EARNED + DAY), { expire: true });
    const points = first.scored.points_delta;
    expect(points).toBe(6);
    expect(first).toMatchObject({ released_points: 0, expired_points: 0 });
    expect(await balance(memberAccount.pending(member))).toBe(points);

    const week = await keepPointsCurrent(store.db, new Date(EARNED + 8 * DAY), { expire: false });
    expect(week).toMatchObject({ released_points: points, expired_points: null });
    expect(await balance(memberAccount.available(member))).toBe(points);

    // The default policy: points not spent within 12 months expire.
    const eleven = await keepPointsCurrent(store.db, new Date(EARNED + 8 * DAY + 335 * DAY), { expire: true });
    expect(eleven.expired_points).toBe(0);
    const thirteen = await keepPointsCurrent(store.db, new Date(EARNED + 8 * DAY + 395 * DAY), { expire: true });
    expect(thirteen.expired_points).toBe(points);
    expect(await balance(memberAccount.available(member))).toBe(0);
    expect(await balance('sink:pts:expired')).toBe(points);
  });
});
