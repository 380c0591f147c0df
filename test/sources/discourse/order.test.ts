import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSource } from '../../../src/sources/registry.ts';
import { type Api, apiFor } from '../../helpers/api.ts';
import { STORES, type TestStore } from '../../helpers/stores.ts';
import { SECRET, deliver, fixture } from './fixtures.ts';

describe.each(STORES)('a post\'s deliveries in any order, with any retries ($name)', (kind) => {
  let store: TestStore;
  let api: Api;
  beforeAll(async () => {
    store = await kind.open();
    api = apiFor(store.db, { key: null });
    await registerSource(store.db, { name: 'discourse', kind: 'discourse', secret: SECRET }, 'test');
  });
  afterAll(() => store.destroy());

  let postId = 10_000;

  it('leave one event holding the newest version', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 120 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
        async (wordsPerVersion, retryPicks, order) => {
          const id = ++postId;
          const versions = wordsPerVersion.map((words, v) => {
            const f = fixture(v === 0 ? 'post_created.reply' : 'post_edited');
            f.body.post = { ...f.body.post, id, version: v + 1, updated_at: new Date(Date.UTC(2025, 9, 1, 10 + v)).toISOString(), raw: 'word '.repeat(words) };
            return f;
          });
          const deliveries = [...versions, ...retryPicks.map((p) => versions[p % versions.length]!)];
          const keys = deliveries.map(() => order.next().value as number);
          const shuffled = deliveries.map((d, i) => ({ d, k: keys[i]! })).sort((a, b) => a.k - b.k).map((x) => x.d);
          for (const d of shuffled) expect((await deliver(api, d)).status).toBe(200);
          const rows = await store.db.query<{ attributes: { words: number } }>(
            `select attributes from events where source = 'discourse' and source_event_id = $1`,
            [`post:${id}`],
          );
          expect(rows).toHaveLength(1);
          expect(rows[0]!.attributes.words).toBe(wordsPerVersion.at(-1));
        },
      ),
      { numRuns: 15 },
    );
  });
});
