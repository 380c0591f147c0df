import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../../src/store/audit.ts';
import { getEvent, ingestEvents, replaceEventAttributes, restoreEvent, voidEvent } from '../../../src/store/events.ts';
import { STORES, type TestStore } from '../../helpers/stores.ts';

const create = { atomic: true, unknownIdentity: () => 'create' as const };
let n = 0;

describe.each(STORES)('replacing attributes and restoring events ($name)', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await kind.open();
  });
  afterAll(() => store.destroy());

  async function stored(attributes: Record<string, unknown>) {
    const ref = { source: 'edits', source_event_id: `e-${++n}` };
    const [outcome] = await ingestEvents(
      store.db,
      [{ ...ref, action: 'forum.post.created', actor: { provider: 'forum', external_id: `u${n}` }, occurred_at: '2025-10-01T10:00:00Z', attributes }],
      create,
    );
    await store.db.query('delete from scoring_queue');
    return { ref, id: (outcome as { id: number }).id };
  }
  const marked = async () => (await store.db.query('select member_id from scoring_queue')).length;

  it('replaces the attributes, audits it and marks the member for scoring', async () => {
    const { ref, id } = await stored({ words: 10 });
    expect(await replaceEventAttributes(store.db, ref, { words: 80 }, 'source:edits')).toEqual({ replaced: true });
    expect((await getEvent(store.db, id)).attributes).toEqual({ words: 80 });
    expect(await marked()).toBe(1);
    expect((await listAudit(store.db, `event:${id}`))[0]).toMatchObject({ action: 'event.replace_attributes', actor: 'source:edits' });
  });

  it('with newerBy, replaces only with a revision that sorts after the stored one', async () => {
    const { ref, id } = await stored({ words: 10, revision: '0000002@2025-10-01T10:00:00.000Z' });
    expect(await replaceEventAttributes(store.db, ref, { words: 1, revision: '0000001@2025-10-02T00:00:00.000Z' }, 'a', { newerBy: 'revision' })).toEqual({ replaced: false });
    expect(await replaceEventAttributes(store.db, ref, { words: 2, revision: '0000002@2025-10-01T10:00:00.000Z' }, 'a', { newerBy: 'revision' })).toEqual({ replaced: false });
    expect(await marked()).toBe(0);
    expect(await replaceEventAttributes(store.db, ref, { words: 3, revision: '0000002@2025-10-01T11:00:00.000Z' }, 'a', { newerBy: 'revision' })).toEqual({ replaced: true });
    expect((await getEvent(store.db, id)).attributes).toEqual({ words: 3, revision: '0000002@2025-10-01T11:00:00.000Z' });
  });

  it('concurrent edits settle on the newest revision', async () => {
    const { ref, id } = await stored({ revision: '0000001@2025-10-01T10:00:00.000Z' });
    const revisions = Array.from({ length: 8 }, (_, i) => `000000${i + 2}@2025-10-01T10:00:00.000Z`);
    await Promise.all(revisions.map((revision, i) => replaceEventAttributes(store.db, ref, { words: i, revision }, 'a', { newerBy: 'revision' })));
    expect((await getEvent(store.db, id)).attributes).toEqual({ words: 7, revision: revisions[7] });
  });

  it('says so when there is nothing to replace', async () => {
    expect(await replaceEventAttributes(store.db, { source: 'edits', source_event_id: 'none' }, {}, 'a')).toEqual({ replaced: false });
    const { ref } = await stored({ words: 5 });
    expect(await replaceEventAttributes(store.db, ref, { words: 5 }, 'a')).toEqual({ replaced: false });
  });

  it('restores a voided event once, audited and marked', async () => {
    const { ref, id } = await stored({ words: 60 });
    expect(await restoreEvent(store.db, ref, 'back', 'a')).toEqual({ restored: false, stored: true });
    await voidEvent(store.db, { event_id: id }, 'gone', 'a');
    await store.db.query('delete from scoring_queue');
    expect(await restoreEvent(store.db, ref, 'back', 'source:edits')).toEqual({ restored: true, stored: true });
    expect((await getEvent(store.db, id)).voided).toBeNull();
    expect(await marked()).toBe(1);
    expect((await listAudit(store.db, `event:${id}`))[0]).toMatchObject({ action: 'event.restore', details: { reason: 'back' } });
    expect(await restoreEvent(store.db, ref, 'back', 'a')).toEqual({ restored: false, stored: true });
    expect(await restoreEvent(store.db, { source: 'edits', source_event_id: 'none' }, 'back', 'a')).toEqual({ restored: false, stored: false });
  });
});
