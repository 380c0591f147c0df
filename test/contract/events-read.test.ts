import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, anEvent, apiFor, countEvents } from '../helpers/api.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';

describe.each(STORES)('reading back and voiding ($name)', (kind) => {
  let store: TestStore;
  let api: Api;
  beforeAll(async () => {
    store = await kind.open();
    api = apiFor(store.db);
  });
  afterAll(() => store.destroy());

  it('lists with filters and pages with a cursor in occurrence order, without gaps or repeats', async () => {
    const member = (await api.request('POST', '/api/v1/members', {})).body.id;
    const days = Array.from({ length: 25 }, (_, i) => `2025-09-${String(i + 1).padStart(2, '0')}T08:00:00Z`);
    const events = days.map((occurred_at, i) =>
      anEvent({ source: 'course', action: i % 2 ? 'course.section.read' : 'course.test.passed', actor: { member_id: member }, occurred_at }),
    );
    await api.request('POST', '/api/v1/events', [...events].reverse());
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { events: { occurred_at: string }[]; next_cursor: string | null } } = await api.request(
        'GET',
        `/api/v1/events?member=${member}&limit=7${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.body.events.map((e) => e.occurred_at));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(days.map((d) => new Date(d).toISOString()));

    const reads = await api.request('GET', `/api/v1/events?member=${member}&action=course.section.read&from=2025-09-05T00:00:00Z&to=2025-09-11T00:00:00Z`);
    expect(reads.body.events.map((e: { occurred_at: string }) => e.occurred_at.slice(0, 10))).toEqual(['2025-09-06', '2025-09-08', '2025-09-10']);
    const bySource = await api.request('GET', `/api/v1/events?source=course&member=${member}&limit=1000`);
    expect(bySource.body.events).toHaveLength(25);
  });

  it('rejects bad filters with the field named', async () => {
    for (const [query, field] of [
      ['member=x', 'member'],
      ['from=monday', 'from'],
      ['limit=0', 'limit'],
      ['cursor=!!', 'cursor'],
      ['colour=red', 'colour'],
    ]) {
      const res = await api.request('GET', `/api/v1/events?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe(field);
    }
  });

  it('voids an event as a new fact: it stays listed, marked, and voiding again keeps the first void', async () => {
    const event = anEvent();
    const created = await api.request('POST', '/api/v1/events', event);
    const before = await countEvents(store.db);
    const voided = await api.request('POST', '/api/v1/events/voids', { source: event.source, source_event_id: event.source_event_id, reason: 'post deleted' });
    expect(voided.status).toBe(201);
    expect(voided.body.voided).toMatchObject({ reason: 'post deleted', by: 'api_key:env-admin' });
    const again = await api.request('POST', '/api/v1/events/voids', { event_id: created.body.id, reason: 'twice' });
    expect(again.status).toBe(200);
    expect(again.body.voided.reason).toBe('post deleted');
    expect(await countEvents(store.db)).toBe(before);
    // Sending the event again does not revive it.
    const resent = await api.request('POST', '/api/v1/events', event);
    expect(resent.body.status).toBe('exists');
    expect((await api.request('GET', `/api/v1/events/${created.body.id}`)).body.voided.reason).toBe('post deleted');
  });

  it('refuses to void what does not exist, or without a reason', async () => {
    expect((await api.request('POST', '/api/v1/events/voids', { event_id: 99_999_999, reason: 'x' })).status).toBe(404);
    const res = await api.request('POST', '/api/v1/events/voids', { event_id: 1 });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('reason');
  });
});
