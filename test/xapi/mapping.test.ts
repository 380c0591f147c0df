import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/store/api-keys.ts';
import { DEFAULT_MAPPING } from '../../src/xapi/mapping.ts';
import { asStored } from '../../src/xapi/statement-form.ts';
import { storeStatements } from '../../src/xapi/statement-store.ts';
import { type Api, apiFor } from '../helpers/api.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';
import { type Lrs, TYPES, VERBS, aStatement, lrsClient } from './lrs.ts';

interface EventRow {
  id: number;
  action: string;
  actor_provider: string;
  actor_external_id: string;
  object_id: string;
  occurred_at: Date;
  attributes: Record<string, unknown>;
}

describe.each(STORES)('xAPI statements as activity events ($name)', (kind) => {
  let store: TestStore;
  let lrs: Lrs;
  let api: Api;
  beforeAll(async () => {
    store = await kind.open();
    lrs = lrsClient(store.db);
    api = apiFor(store.db);
  });
  afterAll(() => store.destroy());

  const eventOf = async (statementId: string): Promise<EventRow | undefined> =>
    (await store.db.query<EventRow>("select * from events where source = 'xapi' and source_event_id = $1", [statementId]))[0];
  const post = async (...statements: Record<string, unknown>[]) => {
    const res = await lrs.request('POST', '/xapi/statements', statements);
    expect(res.status).toBe(200);
    return res.body as string[];
  };
  const on = (type: string, id = `https://courses.example.org/${randomUUID()}`) => ({ id, definition: { type } });

  it('turns a section experienced into course.section.read, for the account that did it', async () => {
    const s = aStatement();
    await post(s);
    const event = await eventOf(s.id);
    expect(event).toMatchObject({
      action: 'course.section.read',
      actor_provider: 'https://courses.example.org',
      actor_external_id: 'anna',
      object_id: s.object.id,
      attributes: { verb: VERBS.experienced, activity_type: TYPES.lesson },
    });
    expect(event!.occurred_at.toISOString()).toBe('2025-10-01T07:00:00.000Z');
  });

  it('knows an email learner by the SHA-256 of the lowercased address', async () => {
    const s = aStatement({ actor: { mbox: 'mailto:Boris@Example.org' } });
    await post(s);
    const digest = createHash('sha256').update('boris@example.org').digest('hex');
    expect(await eventOf(s.id)).toMatchObject({ actor_provider: 'email', actor_external_id: digest });
  });

  it('maps tests, assignments and qualifications by verb, activity type and result', async () => {
    const assignment = on(TYPES.assignment);
    const cases: [Record<string, unknown>, string][] = [
      [{ verb: { id: VERBS.passed }, object: on(TYPES.assessment), result: { success: true } }, 'course.test.passed'],
      [{ verb: { id: VERBS.completed }, object: assignment }, 'course.assignment.submitted'],
      [{ verb: { id: VERBS.scored }, object: { id: assignment.id }, result: { success: true, score: { scaled: 0.9 } } }, 'course.assignment.accepted'],
      [{ verb: { id: VERBS.completed }, object: on(TYPES.lesson) }, 'course.section.read'],
      [{ verb: { id: 'https://w3id.org/xapi/dod-isd/verbs/achieved' }, object: { id: 'https://courses.example.org/qualification/analyst' } }, 'qualification.achieved'],
    ];
    for (const [overrides, action] of cases) {
      const s = aStatement(overrides);
      await post(s);
      expect((await eventOf(s.id))?.action, action).toBe(action);
    }
  });

  it('keeps unmapped statements, group statements and failed scoring as statements only', async () => {
    const unmapped = aStatement({ verb: { id: VERBS.attempted } });
    const group = aStatement({ actor: { objectType: 'Group', member: [{ mbox: 'mailto:g1@example.org' }] } });
    const notAccepted = aStatement({ verb: { id: VERBS.scored }, object: on(TYPES.assignment), result: { success: false } });
    const notActivity = aStatement({ object: { objectType: 'Agent', mbox: 'mailto:x@example.org' } });
    await post(unmapped, group, notAccepted, notActivity);
    for (const s of [unmapped, group, notAccepted, notActivity]) {
      expect(await eventOf(s.id)).toBeUndefined();
      expect((await lrs.request('GET', `/xapi/statements?statementId=${s.id}`)).status).toBe(200);
    }
  });

  it('counts a statement once however often it is sent', async () => {
    const s = aStatement();
    await post(s);
    await post(s);
    await lrs.request('PUT', `/xapi/statements?statementId=${s.id}`, s);
    const [row] = await store.db.query<{ n: number }>("select count(*)::int as n from events where source = 'xapi' and source_event_id = $1", [s.id]);
    expect(row!.n).toBe(1);
  });

  it('maps a statement that was stored but never mapped (the process stopped between) when it is sent again', async () => {
    const s = aStatement();
    const stored = asStored(s, { id: s.id, stored: '2025-10-15T12:00:00.000Z', authority: { mbox: 'mailto:lrs@example.org' }, version: '2.0.0' });
    await storeStatements(store.db, [{ statement: stored, incoming: s }]);
    expect(await eventOf(s.id)).toBeUndefined();
    await post(s);
    expect((await eventOf(s.id))?.action).toBe('course.section.read');
    const [row] = await store.db.query<{ mapped: boolean }>('select mapped_at is not null as mapped from xapi_statements where id = $1', [s.id]);
    expect(row!.mapped).toBe(true);
  });

  it('voids the event of a voided statement, and gives none to a statement voided before it arrives', async () => {
    const s = aStatement();
    await post(s);
    const event = (await eventOf(s.id))!;
    await post(aStatement({ verb: { id: VERBS.voided }, object: { objectType: 'StatementRef', id: s.id } }));
    const view = await api.request('GET', `/api/v1/events/${event.id}`);
    expect(view.body.voided).toMatchObject({ reason: expect.stringContaining(s.id) });

    const late = aStatement();
    await post(aStatement({ verb: { id: VERBS.voided }, object: { objectType: 'StatementRef', id: late.id } }));
    await post(late);
    expect(await eventOf(late.id)).toBeUndefined();
  });

  describe('the mapping API', () => {
    it('shows the default mapping to admins only', async () => {
      const res = await api.request('GET', '/api/v1/xapi/mapping');
      expect(res.status).toBe(200);
      expect(res.body).toEqual(DEFAULT_MAPPING);
      const { key } = await createApiKey(store.db, 'reader', ['read', 'ingest'], 'test');
      expect((await apiFor(store.db, { key }).request('GET', '/api/v1/xapi/mapping')).status).toBe(403);
      expect((await apiFor(store.db, { key: null }).request('GET', '/api/v1/xapi/mapping')).status).toBe(401);
    });

    it('refuses a mapping with field-named errors and keeps the old one', async () => {
      const bad = await api.request('PUT', '/api/v1/xapi/mapping', {
        rules: [
          { verb: VERBS.passed, action: 'no.such.action' },
          { verb: 'passed', action: 'course.test.passed' },
          { verb: VERBS.passed, action: 'course.test.passed', result: { min_scaled: 2 } },
          { verb: VERBS.passed, action: 'course.test.passed', weight: 3 },
        ],
      });
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(
        expect.arrayContaining(['rules.1.verb', 'rules.2.result.min_scaled', 'rules.3.weight']),
      );
      const unknownAction = await api.request('PUT', '/api/v1/xapi/mapping', { rules: [{ verb: VERBS.passed, action: 'no.such.action' }] });
      expect(unknownAction.status).toBe(400);
      expect(unknownAction.body.errors).toEqual([{ field: 'rules.0.action', reason: expect.stringContaining('no.such.action') }]);
      expect((await api.request('GET', '/api/v1/xapi/mapping')).body).toEqual(DEFAULT_MAPPING);
    });

    it('applies a replaced mapping to statements stored from then on', async () => {
      const rules = [{ verb: VERBS.attempted, activity_types: [TYPES.assessment], result: { min_scaled: 0.5 }, action: 'course.test.passed' }];
      const put = await api.request('PUT', '/api/v1/xapi/mapping', { rules });
      expect(put.status).toBe(200);
      expect((await api.request('GET', '/api/v1/xapi/mapping')).body).toEqual({ rules });
      const good = aStatement({ verb: { id: VERBS.attempted }, object: on(TYPES.assessment), result: { score: { scaled: 0.7 } } });
      const low = aStatement({ verb: { id: VERBS.attempted }, object: on(TYPES.assessment), result: { score: { scaled: 0.2 } } });
      const formerlyMapped = aStatement();
      await post(good, low, formerlyMapped);
      expect((await eventOf(good.id))?.action).toBe('course.test.passed');
      expect(await eventOf(low.id)).toBeUndefined();
      expect(await eventOf(formerlyMapped.id)).toBeUndefined();
      await api.request('PUT', '/api/v1/xapi/mapping', DEFAULT_MAPPING);
    });
  });
});
