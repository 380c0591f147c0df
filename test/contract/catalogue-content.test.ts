import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE } from '../../src/catalogue/default-catalogue.ts';
import { type Api, apiFor } from '../helpers/api.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';

describe.each(STORES)('catalogue and content registry ($name)', (kind) => {
  let store: TestStore;
  let api: Api;
  beforeAll(async () => {
    store = await kind.open();
    api = apiFor(store.db);
  });
  afterAll(() => store.destroy());

  it('ships the default catalogue', async () => {
    const res = await api.request('GET', '/api/v1/actions');
    expect(res.body.map((a: { key: string }) => a.key)).toEqual(DEFAULT_CATALOGUE.map((a) => a.key).sort());
    const read = res.body.find((a: { key: string }) => a.key === 'course.section.read');
    expect(read).toMatchObject({ kind: 'learning', role: 'student', minutes: 15, tags: ['course', 'reading'] });
  });

  it('rejects an unknown catalogue filter naming it', async () => {
    const res = await api.request('GET', '/api/v1/actions?retired=maybe');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('retired');
  });

  it('creates and changes an action type, with an audit trail', async () => {
    const body = { kind: 'contribution', role: 'teacher', minutes: 45, tags: ['teaching'], title: { en: 'Held a seminar', ru: 'Провёл семинар' } };
    const created = await api.request('PUT', '/api/v1/actions/teaching.seminar.held', body);
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ key: 'teaching.seminar.held', ...body, retired_at: null });
    const changed = await api.request('PUT', '/api/v1/actions/teaching.seminar.held', { ...body, minutes: 90 });
    expect(changed.body.minutes).toBe(90);
    const rows = await store.db.query<{ action: string }>("select action from audit_log where subject = 'action:teaching.seminar.held' order by id");
    expect(rows.map((r) => r.action)).toEqual(['action_type.create', 'action_type.update']);
  });

  it('rejects a bad action type naming the field', async () => {
    const res = await api.request('PUT', '/api/v1/actions/teaching.bad', { kind: 'fun', role: 'teacher', minutes: -1, tags: [], title: { en: 'x', ru: 'x' } });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['kind', 'minutes']);
    expect((await api.request('GET', '/api/v1/actions/teaching.bad')).status).toBe(404);
  });

  it('registers courses and sections with parents and co-authors', async () => {
    const [a, b] = [(await api.request('POST', '/api/v1/members', { roles: ['author'] })).body.id, (await api.request('POST', '/api/v1/members', { roles: ['author'] })).body.id];
    expect((await api.request('PUT', '/api/v1/content/course:st', { kind: 'course', title: 'Системное мышление', authors: [{ member_id: a, share: 1 }] })).status).toBe(200);
    const section = await api.request('PUT', '/api/v1/content/section:st/01', {
      kind: 'section',
      title: 'Введение',
      parent_id: 'course:st',
      authors: [{ member_id: a, share: 60 }, { member_id: b, share: 40 }],
    });
    expect(section.body).toMatchObject({ id: 'section:st/01', parent_id: 'course:st', authors: [{ member_id: a, share: 60 }, { member_id: b, share: 40 }] });
    const children = await api.request('GET', '/api/v1/content?parent=course:st');
    expect(children.body.map((c: { id: string }) => c.id)).toEqual(['section:st/01']);
    const byAuthor = await api.request('GET', `/api/v1/content?author=${b}`);
    expect(byAuthor.body.map((c: { id: string }) => c.id)).toEqual(['section:st/01']);
  });

  it('refuses a missing parent, a cycle and unknown authors', async () => {
    await api.request('PUT', '/api/v1/content/course:loop', { kind: 'course', title: 'Loop' });
    await api.request('PUT', '/api/v1/content/section:loop/1', { kind: 'section', title: 'One', parent_id: 'course:loop' });
    const cases: [unknown, string][] = [
      [{ kind: 'section', title: 'x', parent_id: 'course:nope' }, 'parent_id'],
      [{ kind: 'course', title: 'Loop', parent_id: 'section:loop/1' }, 'parent_id'],
      [{ kind: 'course', title: 'x', authors: [{ member_id: 88_888_888, share: 1 }] }, 'authors'],
      [{ kind: 'course', title: 'x', authors: [{ member_id: 1, share: 0 }] }, 'authors.0.share'],
    ];
    for (const [body, field] of cases) {
      const res = await api.request('PUT', '/api/v1/content/course:loop', body);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe(field);
    }
    expect((await api.request('GET', '/api/v1/content/course:loop')).body.parent_id).toBeNull();
  });
});
