import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORES, type TestStore } from '../helpers/stores.ts';
import { type Lrs, aStatement, lrsClient } from './lrs.ts';

const enc = encodeURIComponent;
const AGENT = { objectType: 'Agent', account: { homePage: 'https://courses.example.org', name: 'anna' } };
const agentQ = `agent=${enc(JSON.stringify(AGENT))}`;

describe.each(STORES)('xAPI document resources ($name)', (kind) => {
  let store: TestStore;
  let lrs: Lrs;
  beforeAll(async () => {
    store = await kind.open();
    lrs = lrsClient(store.db);
  });
  afterAll(() => store.destroy());

  const activity = () => `https://courses.example.org/au/${randomUUID()}`;

  describe('State', () => {
    it('stores, reads with ETag and Last-Modified, lists and deletes, as a cmi5 AU does', async () => {
      const scope = `/xapi/activities/state?activityId=${enc(activity())}&${agentQ}&registration=${randomUUID()}`;
      const put = await lrs.request('PUT', `${scope}&stateId=LMS.LaunchData`, { launchMode: 'Normal', moveOn: 'Passed' });
      expect(put.status).toBe(204);
      const got = await lrs.request('GET', `${scope}&stateId=LMS.LaunchData`);
      expect(got.status).toBe(200);
      expect(got.body).toEqual({ launchMode: 'Normal', moveOn: 'Passed' });
      expect(got.headers.get('content-type')).toBe('application/json');
      expect(got.headers.get('etag')).toMatch(/^"[0-9a-f]{40}"$/);
      expect(got.headers.get('last-modified')).toBeTruthy();

      // A SCORM wrapper overwrites its suspend data without preconditions.
      expect((await lrs.request('PUT', `${scope}&stateId=suspend_data`, 'raw text', { 'content-type': 'text/plain' })).status).toBe(204);
      expect((await lrs.request('PUT', `${scope}&stateId=suspend_data`, 'raw text 2', { 'content-type': 'text/plain' })).status).toBe(204);
      const raw = await lrs.request('GET', `${scope}&stateId=suspend_data`);
      expect(raw.text).toBe('raw text 2');
      expect(raw.headers.get('content-type')).toBe('text/plain');

      expect((await lrs.request('GET', scope)).body).toEqual(['LMS.LaunchData', 'suspend_data']);
      expect((await lrs.request('DELETE', `${scope}&stateId=suspend_data`)).status).toBe(204);
      expect((await lrs.request('GET', `${scope}&stateId=suspend_data`)).status).toBe(404);
      expect((await lrs.request('DELETE', scope)).status).toBe(204);
      expect((await lrs.request('GET', scope)).body).toEqual([]);
    });

    it('keeps registrations apart and lists only documents changed since a time', async () => {
      const base = `/xapi/activities/state?activityId=${enc(activity())}&${agentQ}`;
      await lrs.request('PUT', `${base}&stateId=a`, { n: 1 });
      const r = randomUUID();
      await lrs.request('PUT', `${base}&registration=${r}&stateId=b`, { n: 2 });
      expect((await lrs.request('GET', base)).body).toEqual(['a']);
      expect((await lrs.request('GET', `${base}&registration=${r}`)).body).toEqual(['b']);
      const mark = lrs.tick(1000).toISOString();
      lrs.tick(1000);
      await lrs.request('PUT', `${base}&stateId=c`, { n: 3 });
      expect((await lrs.request('GET', `${base}&since=${enc(mark)}`)).body).toEqual(['c']);
    });

    it('merges JSON on POST, and refuses to merge what is not a JSON object', async () => {
      const doc = `/xapi/activities/state?activityId=${enc(activity())}&${agentQ}&stateId=progress`;
      expect((await lrs.request('POST', doc, { a: 1, b: { x: 1 } })).status).toBe(204);
      expect((await lrs.request('POST', doc, { b: { y: 2 }, c: 3 })).status).toBe(204);
      expect((await lrs.request('GET', doc)).body).toEqual({ a: 1, b: { y: 2 }, c: 3 });
      expect((await lrs.request('POST', doc, '[1,2]')).status).toBe(400);
      expect((await lrs.request('POST', doc, 'text', { 'content-type': 'text/plain' })).status).toBe(400);
      expect((await lrs.request('GET', doc)).body).toEqual({ a: 1, b: { y: 2 }, c: 3 });
    });

    it('refuses missing or malformed parameters', async () => {
      const a = enc(activity());
      for (const query of [
        `${agentQ}&stateId=x`,
        `activityId=${a}&stateId=x`,
        `activityId=not-an-iri&${agentQ}&stateId=x`,
        `activityId=${a}&agent=${enc('{"name":"x"}')}&stateId=x`,
        `activityId=${a}&${agentQ}&registration=nope&stateId=x`,
        `activityId=${a}&${agentQ}&stateId=x&since=yesterday`,
        `activityId=${a}&${agentQ}&stateId=x&colour=blue`,
      ]) {
        expect((await lrs.request('GET', `/xapi/activities/state?${query}`)).status, query).toBe(400);
      }
    });
  });

  describe.each([
    ['Activity Profile', () => `/xapi/activities/profile?activityId=${enc(`https://courses.example.org/a/${randomUUID()}`)}`],
    ['Agent Profile', () => `/xapi/agents/profile?agent=${enc(JSON.stringify({ mbox: `mailto:${randomUUID()}@example.org` }))}`],
  ])('%s concurrency', (_name, scopeOf) => {
    it('creates with If-None-Match: *, and refuses a second create with 412', async () => {
      const doc = `${scopeOf()}&profileId=settings`;
      expect((await lrs.request('PUT', doc, { v: 1 }, { 'if-none-match': '*' })).status).toBe(204);
      const again = await lrs.request('PUT', doc, { v: 2 }, { 'if-none-match': '*' });
      expect(again.status).toBe(412);
      expect((await lrs.request('GET', doc)).body).toEqual({ v: 1 });
    });

    it('answers 409 to a PUT over an existing document without a precondition, changing nothing', async () => {
      const doc = `${scopeOf()}&profileId=settings`;
      expect((await lrs.request('PUT', doc, { v: 1 })).status).toBe(204);
      const blind = await lrs.request('PUT', doc, { v: 2 });
      expect(blind.status).toBe(409);
      expect(blind.body.detail).toMatch(/If-Match/);
      expect((await lrs.request('GET', doc)).body).toEqual({ v: 1 });
    });

    it('replaces under the current ETag and refuses a stale one with 412', async () => {
      const doc = `${scopeOf()}&profileId=settings`;
      await lrs.request('PUT', doc, { v: 1 });
      const etag = (await lrs.request('GET', doc)).headers.get('etag')!;
      expect((await lrs.request('PUT', doc, { v: 2 }, { 'if-match': etag })).status).toBe(204);
      expect((await lrs.request('PUT', doc, { v: 3 }, { 'if-match': etag })).status).toBe(412);
      expect((await lrs.request('POST', doc, { w: 1 }, { 'if-match': etag })).status).toBe(412);
      expect((await lrs.request('DELETE', doc, undefined, { 'if-match': etag })).status).toBe(412);
      expect((await lrs.request('GET', doc)).body).toEqual({ v: 2 });
      const fresh = (await lrs.request('GET', doc)).headers.get('etag')!;
      expect((await lrs.request('PUT', doc, { v: 4 }, { 'if-match': '*' })).status).toBe(204);
      expect((await lrs.request('DELETE', doc, undefined, { 'if-match': fresh })).status).toBe(412);
      expect((await lrs.request('PUT', `${scopeOf()}&profileId=absent`, { v: 1 }, { 'if-match': '*' })).status).toBe(412);
    });

    it('lists ids and refuses DELETE without an id', async () => {
      const scope = scopeOf();
      await lrs.request('POST', `${scope}&profileId=one`, { a: 1 });
      await lrs.request('POST', `${scope}&profileId=two`, { b: 1 });
      expect((await lrs.request('GET', scope)).body).toEqual(['one', 'two']);
      expect((await lrs.request('DELETE', scope)).status).toBe(400);
    });
  });

  describe('Activities and Agents', () => {
    it('returns the activity definition merged from statements', async () => {
      const id = activity();
      await lrs.request('POST', '/xapi/statements', aStatement({ object: { id, definition: { name: { en: 'Unit 1' } } } }));
      await lrs.request('POST', '/xapi/statements', aStatement({ object: { id, definition: { type: 'http://adlnet.gov/expapi/activities/lesson' } } }));
      const res = await lrs.request('GET', `/xapi/activities?activityId=${enc(id)}`);
      expect(res.body).toEqual({ objectType: 'Activity', id, definition: { name: { en: 'Unit 1' }, type: 'http://adlnet.gov/expapi/activities/lesson' } });
      expect((await lrs.request('GET', `/xapi/activities?activityId=${enc(activity())}`)).status).toBe(404);
    });

    it('returns a Person with the names an agent went by', async () => {
      const mbox = `mailto:${randomUUID()}@example.org`;
      await lrs.request('POST', '/xapi/statements', [aStatement({ actor: { name: 'Anna', mbox } }), aStatement({ actor: { name: 'Анна', mbox } })]);
      const res = await lrs.request('GET', `/xapi/agents?agent=${enc(JSON.stringify({ mbox }))}`);
      expect(res.body).toEqual({ objectType: 'Person', name: ['Anna', 'Анна'], mbox: [mbox] });
      expect((await lrs.request('GET', '/xapi/agents')).status).toBe(400);
    });
  });
});
