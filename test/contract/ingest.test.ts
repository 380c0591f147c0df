import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORES, type TestStore } from '../helpers/stores.ts';
import { type Api, anEvent, apiFor, countEvents } from '../helpers/api.ts';

describe.each(STORES)('ingesting events ($name)', (kind) => {
  let store: TestStore;
  let api: Api;
  beforeAll(async () => {
    store = await kind.open();
    api = apiFor(store.db);
  });
  afterAll(() => store.destroy());

  it('stores one event, creating a member for an unknown identity', async () => {
    const event = anEvent({ actor: { provider: 'forum', external_id: 'anna' } });
    const res = await api.request('POST', '/api/v1/events', event);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'created' });
    const member = await api.request('GET', `/api/v1/members/${res.body.member_id}`);
    expect(member.body.identities).toEqual([expect.objectContaining({ provider: 'forum', external_id: 'anna' })]);
    const stored = await api.request('GET', `/api/v1/events/${res.body.id}`);
    expect(stored.body).toMatchObject({
      source: event.source,
      source_event_id: event.source_event_id,
      action: 'forum.post.created',
      actor: { provider: 'forum', external_id: 'anna' },
      member_id: res.body.member_id,
      occurred_at: '2025-10-01T07:00:00.000Z',
      object: 'post:1',
      attributes: { words: 120 },
      voided: null,
    });
  });

  it('answers "exists" to the same event again and changes nothing', async () => {
    const event = anEvent();
    const first = await api.request('POST', '/api/v1/events', event);
    const before = await countEvents(store.db);
    const again = await api.request('POST', '/api/v1/events', { ...event, attributes: { words: 120 }, occurred_at: '2025-10-01T07:00:00Z' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ status: 'exists', id: first.body.id, member_id: first.body.member_id });
    expect(await countEvents(store.db)).toBe(before);
  });

  it('answers 409 naming the differing fields when the same id comes with another body', async () => {
    const event = anEvent();
    await api.request('POST', '/api/v1/events', event);
    const before = await countEvents(store.db);
    const res = await api.request('POST', '/api/v1/events', { ...event, action: 'forum.comment.created', attributes: { words: 3 } });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['action', 'attributes']);
    expect(await countEvents(store.db)).toBe(before);
  });

  it('stores a batch all or nothing', async () => {
    const good = [anEvent(), anEvent(), anEvent()];
    const before = await countEvents(store.db);
    const bad = await api.request('POST', '/api/v1/events', [...good, anEvent({ action: 'no.such.action' })]);
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ item: 3, field: 'action', reason: expect.stringContaining('no.such.action') }]);
    expect(await countEvents(store.db)).toBe(before);

    const ok = await api.request('POST', '/api/v1/events', good);
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ created: 3, existing: 0 });
    expect(await countEvents(store.db)).toBe(before + 3);
  });

  it('rejects a whole batch when one item conflicts with a stored event', async () => {
    const stored = anEvent();
    await api.request('POST', '/api/v1/events', stored);
    const before = await countEvents(store.db);
    const res = await api.request('POST', '/api/v1/events', [anEvent(), { ...stored, object: 'post:2' }]);
    expect(res.status).toBe(409);
    expect(res.body.errors).toEqual([{ item: 1, field: 'object', reason: expect.any(String) }]);
    expect(await countEvents(store.db)).toBe(before);
  });

  it('treats a repeat inside one batch as the same fact, and a contradiction inside one batch as a conflict', async () => {
    const event = anEvent();
    const same = await api.request('POST', '/api/v1/events', [event, event]);
    expect(same.body).toMatchObject({ created: 1, existing: 1 });
    const other = anEvent();
    const res = await api.request('POST', '/api/v1/events', [other, { ...other, action: 'forum.topic.created' }]);
    expect(res.status).toBe(409);
    const listed = await api.request('GET', `/api/v1/events?source=forum&limit=1000`);
    expect(listed.body.events.some((e: { source_event_id: string }) => e.source_event_id === other.source_event_id)).toBe(false);
  });

  it('names members directly and follows a merged member to the survivor', async () => {
    const a = await api.request('POST', '/api/v1/members', { display_name: 'A', roles: ['student'] });
    const b = await api.request('POST', '/api/v1/members', { display_name: 'B', roles: ['mentor'] });
    await api.request('POST', `/api/v1/members/${a.body.id}/merge`, { into: b.body.id });
    const res = await api.request('POST', '/api/v1/events', anEvent({ actor: { member_id: a.body.id } }));
    expect(res.body.member_id).toBe(b.body.id);
    const unknown = await api.request('POST', '/api/v1/events', anEvent({ actor: { member_id: 99_999_999 } }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe('actor.member_id');
  });

  it('refuses events for a retired action type and accepts them again when it is restored', async () => {
    const type = (await api.request('GET', '/api/v1/actions/event.talk.given')).body;
    await api.request('DELETE', '/api/v1/actions/event.talk.given');
    const refused = await api.request('POST', '/api/v1/events', anEvent({ action: 'event.talk.given' }));
    expect(refused.status).toBe(400);
    const { key: _key, retired_at: _r, updated_at: _u, ...input } = type;
    await api.request('PUT', '/api/v1/actions/event.talk.given', input);
    const accepted = await api.request('POST', '/api/v1/events', anEvent({ action: 'event.talk.given' }));
    expect(accepted.status).toBe(201);
  });
});
