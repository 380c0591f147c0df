import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBalance } from '../../src/ledger/reads.ts';
import { loadSubscriptions, pays } from '../../src/demo/subscriptions.ts';
import { putContent } from '../../src/store/content.ts';
import { ingestEvents } from '../../src/store/events.ts';
import { createMembers } from '../../src/store/members.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';

const END = new Date('2026-11-21T00:00:00+03:00');

describe('who pays in the demo', () => {
  it('most active members and a few inactive ones, the same every time', () => {
    const members = Array.from({ length: 4000 }, (_, i) => i + 1);
    const active = members.filter((m) => pays(m, '2026-10', true)).length / members.length;
    const inactive = members.filter((m) => pays(m, '2026-10', false)).length / members.length;
    expect(active).toBeGreaterThan(0.75);
    expect(active).toBeLessThan(0.85);
    expect(inactive).toBeGreaterThan(0.015);
    expect(inactive).toBeLessThan(0.045);
    expect(members.map((m) => pays(m, '2026-09', true))).toEqual(members.map((m) => pays(m, '2026-09', true)));
  });
});

describe.each(STORES)('demo subscriptions ($name)', (kind) => {
  let store: TestStore;
  let author: number;
  let learners: number[];
  beforeAll(async () => {
    store = await kind.open();
    const ids = await createMembers(store.db, Array.from({ length: 41 }, (_, i) => ({ roles: [i === 0 ? 'author' : 'student'] })), 'test');
    author = ids[0]!;
    learners = ids.slice(1);
    await putContent(store.db, 'course:demo', { kind: 'course', title: 'Systems thinking', parent_id: null, url: null, authors: [{ member_id: author!, share: 1 }] }, 'test');
    // Every learner reads the course in September, October and November.
    const events = learners.flatMap((m) =>
      ['2026-09-10', '2026-10-10', '2026-11-10'].map((day) => ({ source: 'course', source_event_id: `${m}-${day}`, action: 'course.section.read', actor: { member_id: m }, occurred_at: `${day}T09:00:00Z`, object: 'course:demo' })),
    );
    await ingestEvents(store.db, events, { atomic: true, unknownIdentity: () => 'create' });
  });
  afterAll(() => store.destroy());

  it('records the last three months of payments, closes the two that ended, and pays the author', async () => {
    const { payments, closed } = await loadSubscriptions(store.db, { end: END, months: 3 });
    const expected = ['2026-09', '2026-10', '2026-11'].reduce(
      (sum, period) => sum + learners.filter((m) => pays(m, period, true)).length + (pays(author, period, false) ? 1 : 0),
      0,
    );
    expect(payments).toBe(expected);
    expect(closed).toEqual(['2026-09', '2026-10']);
    const [{ n }] = (await store.db.query<{ n: number }>('select count(*)::int as n from payments')) as [{ n: number }];
    expect(n).toBe(expected);
    expect((await store.db.query<{ period: string }>('select period from revenue_periods order by period')).map((r) => r.period)).toEqual(closed);
    // The only author receives the authors' 70 % of every payment of the two closed months: the
    // learners' through their reading, the author's own (inactive) through the common pool.
    const paidInClosed = closed.reduce((sum, period) => sum + learners.filter((m) => pays(m, period, true)).length + (pays(author, period, false) ? 1 : 0), 0);
    expect((await getBalance(store.db, `author:${author}:RUB`)).balance).toBe(paidInClosed * 104_300);
  });
});
