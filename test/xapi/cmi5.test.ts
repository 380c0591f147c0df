import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/store/api-keys.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';
import { type Lrs, TYPES, VERBS, aStatement, lrsClient } from './lrs.ts';

const CMI5 = 'https://w3id.org/xapi/cmi5/context/categories/cmi5';
const enc = encodeURIComponent;

/** One cmi5 session as a player and an AU run it against Vklad alone, with a key holding ingest and read. */
describe.each(STORES)('a cmi5 session against Vklad ($name)', (kind) => {
  let store: TestStore;
  let lrs: Lrs;
  beforeAll(async () => {
    store = await kind.open();
    const { key } = await createApiKey(store.db, 'cmi5 player', ['ingest', 'read'], 'test');
    lrs = lrsClient(store.db, { key });
  });
  afterAll(() => store.destroy());

  it('launches, keeps state, records the result and becomes a test passed', async () => {
    const actor = { objectType: 'Agent', account: { homePage: 'https://courses.example.org', name: 'learner-42' } };
    const au = 'https://courses.example.org/course/7/au/final-test';
    const registration = randomUUID();
    const state = `/xapi/activities/state?activityId=${enc(au)}&agent=${enc(JSON.stringify(actor))}&registration=${registration}&stateId=LMS.LaunchData`;
    const context = { registration, contextActivities: { category: [{ id: CMI5 }] }, extensions: { 'https://w3id.org/xapi/cmi5/context/extensions/sessionid': randomUUID() } };
    const definition = { type: TYPES.assessment, name: { 'en-US': 'Final test' } };
    const statement = (verb: string, extra: Record<string, unknown> = {}) =>
      aStatement({ actor, verb: { id: verb }, object: { id: au, definition }, context, timestamp: lrs.tick().toISOString(), ...extra });

    // The player writes LaunchData and the launched statement; the AU reads LaunchData, then reports.
    expect((await lrs.request('PUT', state, { contextTemplate: context, launchMode: 'Normal', moveOn: 'Passed' })).status).toBe(204);
    expect((await lrs.request('POST', '/xapi/statements', statement('http://adlnet.gov/expapi/verbs/launched'))).status).toBe(200);
    const launchData = await lrs.request('GET', state);
    expect(launchData.body.launchMode).toBe('Normal');
    const profile = `/xapi/agents/profile?agent=${enc(JSON.stringify(actor))}&profileId=cmi5LearnerPreferences`;
    expect((await lrs.request('GET', profile)).status).toBe(404);
    const initialized = statement('http://adlnet.gov/expapi/verbs/initialized');
    const passed = statement(VERBS.passed, { result: { success: true, score: { scaled: 0.85 }, duration: 'PT12M' } });
    const terminated = statement('http://adlnet.gov/expapi/verbs/terminated', { result: { duration: 'PT13M' } });
    for (const s of [initialized, passed, terminated]) expect((await lrs.request('POST', '/xapi/statements', s)).status).toBe(200);

    const session = await lrs.request('GET', `/xapi/statements?registration=${registration}&ascending=true`);
    expect(session.body.statements.map((s: { verb: { id: string } }) => s.verb.id.split('/').pop())).toEqual(['launched', 'initialized', 'passed', 'terminated']);
    const events = await store.db.query<{ action: string; actor_external_id: string; attributes: Record<string, unknown> }>(
      "select action, actor_external_id, attributes from events where source = 'xapi' and attributes->>'registration' = $1",
      [registration],
    );
    expect(events).toEqual([{ action: 'course.test.passed', actor_external_id: 'learner-42', attributes: expect.objectContaining({ score_scaled: 0.85, success: true }) }]);
  });

  it('answers HEAD like GET, without a body', async () => {
    const res = await lrs.request('HEAD', '/xapi/statements?limit=1');
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(res.headers.get('x-experience-api-consistent-through')).toBeTruthy();
  });
});

describe.each(STORES)('xAPI from a browser on another origin ($name)', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await kind.open();
  });
  afterAll(() => store.destroy());

  it('answers the CORS preflight without a key or version, and exposes the xAPI headers', async () => {
    const bare = lrsClient(store.db, { key: null, version: null });
    const preflight = await bare.request('OPTIONS', '/xapi/statements', undefined, {
      origin: 'https://content.example.net',
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'authorization,content-type,x-experience-api-version',
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/X-Experience-API-Version/i);
    const res = await lrsClient(store.db).request('GET', '/xapi/statements?limit=1', undefined, { origin: 'https://content.example.net' });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toMatch(/X-Experience-API-Consistent-Through/i);
  });
});
