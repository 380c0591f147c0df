import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, anEvent, apiFor } from '../helpers/api.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';

describe.each(STORES)('members, identities, parking and merging ($name)', (kind) => {
  let store: TestStore;
  let api: Api;
  let parking: Api;
  beforeAll(async () => {
    store = await kind.open();
    api = apiFor(store.db);
    parking = apiFor(store.db, { config: { unknownIdentity: (p) => (p === 'email' ? 'park' : 'create') } });
  });
  afterAll(() => store.destroy());

  it('creates a member with roles and identities, and refuses an identity someone holds', async () => {
    const res = await api.request('POST', '/api/v1/members', {
      display_name: 'Ольга',
      roles: ['student', 'mentor'],
      identities: [{ provider: 'forum', external_id: 'olga' }, { provider: 'telegram', external_id: '1001' }],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ display_name: 'Ольга', roles: ['student', 'mentor'], merged_into: null });
    expect(res.body.identities.map((i: { provider: string }) => i.provider)).toEqual(['forum', 'telegram']);
    const clash = await api.request('POST', '/api/v1/members', { identities: [{ provider: 'forum', external_id: 'olga' }] });
    expect(clash.status).toBe(409);
  });

  it('parks events of an unknown identity and attributes them when the identity is linked', async () => {
    const hash = `sha256-${Date.now()}`;
    const events = [anEvent({ actor: { provider: 'email', external_id: hash } }), anEvent({ actor: { provider: 'email', external_id: hash } })];
    const res = await parking.request('POST', '/api/v1/events', events);
    expect(res.body.results.map((r: { member_id: unknown }) => r.member_id)).toEqual([null, null]);
    const parked = await api.request('GET', '/api/v1/events?parked=true&limit=1000');
    expect(parked.body.events.filter((e: { actor: { external_id?: string } }) => e.actor.external_id === hash)).toHaveLength(2);

    const member = await api.request('POST', '/api/v1/members', { display_name: 'Parked' });
    const link = await api.request('POST', `/api/v1/members/${member.body.id}/identities`, { provider: 'email', external_id: hash });
    expect(link.status).toBe(200);
    expect(link.body.parked_events_attributed).toBe(2);
    const mine = await api.request('GET', `/api/v1/events?member=${member.body.id}`);
    expect(mine.body.events.map((e: { id: number }) => e.id).sort()).toEqual(res.body.results.map((r: { id: number }) => r.id).sort());
    // Later events under the same identity go straight to the member.
    const later = await parking.request('POST', '/api/v1/events', anEvent({ actor: { provider: 'email', external_id: hash } }));
    expect(later.body.member_id).toBe(member.body.id);
    const audit = await api.request('GET', `/api/v1/members/${member.body.id}/audit`);
    expect(audit.body.map((a: { action: string }) => a.action)).toContain('identity.link');
  });

  it('refuses to link an identity that belongs to another member', async () => {
    const a = await api.request('POST', '/api/v1/members', { identities: [{ provider: 'course', external_id: 'u-77' }] });
    const b = await api.request('POST', '/api/v1/members', {});
    const res = await api.request('POST', `/api/v1/members/${b.body.id}/identities`, { provider: 'course', external_id: 'u-77' });
    expect(res.status).toBe(409);
    expect((await api.request('GET', `/api/v1/members/${a.body.id}`)).body.identities).toHaveLength(1);
  });

  it('merges two members: identities, history, roles and authorship move, audited', async () => {
    const from = await api.request('POST', '/api/v1/members', { roles: ['student', 'author'], identities: [{ provider: 'forum', external_id: `dup-${Date.now()}` }] });
    const into = await api.request('POST', '/api/v1/members', { roles: ['student', 'mentor'], identities: [{ provider: 'course', external_id: `main-${Date.now()}` }] });
    await api.request('PUT', '/api/v1/content/course:merge-test', { kind: 'course', title: 'Merge test', authors: [{ member_id: from.body.id, share: 60 }, { member_id: into.body.id, share: 40 }] });
    const { provider, external_id } = from.body.identities[0];
    const e1 = await api.request('POST', '/api/v1/events', anEvent({ actor: { provider, external_id } }));
    expect(e1.status).toBe(201);
    const e2 = await api.request('POST', '/api/v1/events', anEvent({ actor: { member_id: into.body.id } }));

    const merged = await api.request('POST', `/api/v1/members/${from.body.id}/merge`, { into: into.body.id });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ identities_moved: 1, events_moved: 1 });
    expect(merged.body.member.roles).toEqual(['author', 'mentor', 'student']);
    expect(merged.body.member.identities).toHaveLength(2);

    const history = await api.request('GET', `/api/v1/events?member=${into.body.id}`);
    expect(history.body.events.map((e: { id: number }) => e.id).sort()).toEqual([e1.body.id, e2.body.id].sort());
    // The old id still leads to the survivor's history.
    const viaOld = await api.request('GET', `/api/v1/events?member=${from.body.id}`);
    expect(viaOld.body.events).toHaveLength(2);
    expect((await api.request('GET', `/api/v1/members/${from.body.id}`)).body.merged_into).toBe(into.body.id);
    expect((await api.request('GET', '/api/v1/content/course:merge-test')).body.authors).toEqual([{ member_id: into.body.id, share: 100 }]);
    const audit = await api.request('GET', `/api/v1/members/${into.body.id}/audit`);
    expect(audit.body[0]).toMatchObject({ action: 'member.merge', details: { from: from.body.id, into: into.body.id } });

    const again = await api.request('POST', `/api/v1/members/${from.body.id}/merge`, { into: into.body.id });
    expect(again.status).toBe(400);
    const self = await api.request('POST', `/api/v1/members/${into.body.id}/merge`, { into: into.body.id });
    expect(self.status).toBe(400);
  });

  it('replaces roles with an audit entry', async () => {
    const m = await api.request('POST', '/api/v1/members', {});
    const res = await api.request('PUT', `/api/v1/members/${m.body.id}/roles`, { roles: ['teacher', 'student', 'teacher'] });
    expect(res.body.roles).toEqual(['student', 'teacher']);
    const bad = await api.request('PUT', `/api/v1/members/${m.body.id}/roles`, { roles: ['Not A Role'] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('roles.0');
  });

  it('answers 404 for a member that does not exist and 400 for an id that is not one', async () => {
    expect((await api.request('GET', '/api/v1/members/987654321')).status).toBe(404);
    expect((await api.request('GET', '/api/v1/members/abc')).status).toBe(400);
  });
});
