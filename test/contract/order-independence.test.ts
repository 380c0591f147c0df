import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventInput } from '../../src/core/event.ts';
import { ingestEvents, voidEvent } from '../../src/store/events.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';

const ACTIONS = ['course.section.read', 'forum.post.created', 'forum.like.received'];

/** A pool of distinct facts; deliveries draw from it with repeats, in any order, in any batch sizes. */
const facts = fc.uniqueArray(
  fc.record({
    id: fc.integer({ min: 1, max: 10_000 }),
    action: fc.constantFrom(...ACTIONS),
    user: fc.integer({ min: 1, max: 5 }),
    minute: fc.integer({ min: 0, max: 60 * 24 * 30 }),
    words: fc.integer({ min: 0, max: 500 }),
  }),
  { selector: (f) => f.id, minLength: 1, maxLength: 40 },
);

const delivery = (n: number) =>
  fc.record({
    order: fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
    repeats: fc.array(fc.integer({ min: 0, max: n - 1 }), { maxLength: 10 }),
    batch: fc.integer({ min: 1, max: 15 }),
  });

let run = 0;

describe.each(STORES)('what is stored depends only on the set of events ($name)', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await kind.open();
  });
  afterAll(() => store.destroy());

  it('shuffled deliveries with duplicates and voids end in the same log', async () => {
    await fc.assert(
      fc.asyncProperty(
        facts.chain((pool) => fc.tuple(fc.constant(pool), delivery(pool.length), delivery(pool.length), fc.subarray(pool.map((f) => f.id)))),
        async ([pool, first, second, voided]) => {
          run += 1;
          const logs = [];
          for (const [side, plan] of [['a', first], ['b', second]] as const) {
            const source = `prop-${run}-${side}`;
            const events: EventInput[] = pool.map((f) => ({
              source,
              source_event_id: String(f.id),
              action: f.action,
              actor: { provider: `prop${run}${side}`, external_id: `u${f.user}` },
              occurred_at: new Date(Date.UTC(2025, 8, 1) + f.minute * 60_000).toISOString(),
              attributes: { words: f.words },
            }));
            const sequence = [...plan.order, ...plan.repeats].map((i) => events[i]!);
            for (let start = 0; start < sequence.length; start += plan.batch) {
              await ingestEvents(store.db, sequence.slice(start, start + plan.batch), { atomic: true, unknownIdentity: () => 'create' });
            }
            for (const id of side === 'a' ? voided : [...voided].reverse()) {
              await voidEvent(store.db, { source, source_event_id: String(id) }, 'test', 'test');
            }
            logs.push(await logOf(store, source));
          }
          expect(logs[1]).toEqual(logs[0]);
          expect(logs[0]).toHaveLength(pool.length);
        },
      ),
      { numRuns: 25 },
    );
  });
});

/** The log of one source, with members named by their identity so that two runs compare. */
async function logOf(store: TestStore, source: string) {
  const rows = await store.db.query<Record<string, unknown>>(
    `select e.source_event_id, e.action, e.occurred_at, e.attributes, i.external_id as member, v.event_id is not null as voided
     from events e join identities i on i.member_id = e.member_id left join event_voids v on v.event_id = e.id
     where e.source = $1 order by e.source_event_id`,
    [source],
  );
  return rows;
}
