import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestEvents } from '../../src/store/events.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';

describe.each(STORES)('identity locks ($name)', (kind) => {
  let store: TestStore;
  beforeAll(async () => void (store = await kind.open()));
  afterAll(() => store.destroy());

  // A first import of a whole community names thousands of new identities in one transaction: more
  // than PostgreSQL's shared lock table holds, were each identity locked on its own.
  it('creates members for 40,000 new identities in one transaction', async () => {
    const events = Array.from({ length: 40_000 }, (_, n) => ({
      source: 'forum',
      source_event_id: `first-${n}`,
      action: 'forum.post.created',
      actor: { provider: 'forum', external_id: `user-${n}` },
      occurred_at: '2025-10-01T10:00:00Z',
      attributes: { words: 60 },
    }));
    const outcomes = await ingestEvents(store.db, events, { atomic: true, unknownIdentity: () => 'create' });
    expect(outcomes.filter((o) => o.status === 'created')).toHaveLength(40_000);
    const [{ n }] = (await store.db.query<{ n: number }>(`select count(distinct member_id)::int as n from identities where provider = 'forum'`)) as [{ n: number }];
    expect(n).toBe(40_000);
  });
});
