import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORES, type TestStore } from '../helpers/stores.ts';
import { type Lrs, VERBS, aStatement, lrsClient } from './lrs.ts';

const count = async (store: TestStore): Promise<number> =>
  (await store.db.query<{ n: number }>('select count(*)::int as n from xapi_statements'))[0]!.n;

const voiding = (target: string, overrides: Record<string, unknown> = {}) =>
  aStatement({ verb: { id: VERBS.voided, display: { en: 'voided' } }, object: { objectType: 'StatementRef', id: target }, ...overrides });

describe.each(STORES)('xAPI statements ($name)', (kind) => {
  let store: TestStore;
  let lrs: Lrs;
  beforeAll(async () => {
    store = await kind.open();
    lrs = lrsClient(store.db);
  });
  afterAll(() => store.destroy());

  describe('storing', () => {
    it('PUT stores a statement under statementId and answers 204', async () => {
      const s = aStatement();
      const res = await lrs.request('PUT', `/xapi/statements?statementId=${s.id}`, s);
      expect(res.status).toBe(204);
      expect(res.headers.get('x-experience-api-version')).toBe('2.0.0');
      const got = await lrs.request('GET', `/xapi/statements?statementId=${s.id}`);
      expect(got.status).toBe(200);
      expect(got.body).toMatchObject({ ...s, stored: expect.any(String), authority: expect.any(Object), version: '2.0.0' });
    });

    it('PUT takes the id from statementId when the body has none, and refuses a different one', async () => {
      const id = randomUUID();
      const { id: _omit, ...body } = aStatement();
      expect((await lrs.request('PUT', `/xapi/statements?statementId=${id}`, body)).status).toBe(204);
      expect((await lrs.request('GET', `/xapi/statements?statementId=${id}`)).body.id).toBe(id);
      const other = await lrs.request('PUT', `/xapi/statements?statementId=${randomUUID()}`, aStatement());
      expect(other.status).toBe(400);
      expect(other.body.errors[0].field).toBe('id');
      expect((await lrs.request('PUT', '/xapi/statements', aStatement())).status).toBe(400);
      expect((await lrs.request('PUT', '/xapi/statements?statementId=nope', aStatement())).status).toBe(400);
    });

    it('POST stores one or many and answers their ids in order, generating missing ones', async () => {
      const { id: _omit, ...anonymous } = aStatement();
      const named = aStatement();
      const res = await lrs.request('POST', '/xapi/statements', [named, anonymous]);
      expect(res.status).toBe(200);
      expect(res.body).toHaveLength(2);
      expect(res.body[0]).toBe(named.id);
      expect(res.body[1]).toMatch(/^[0-9a-f-]{36}$/);
      const one = aStatement();
      expect((await lrs.request('POST', '/xapi/statements', one)).body).toEqual([one.id]);
    });

    it('sets stored, authority and version itself, and timestamp to stored when missing', async () => {
      const { timestamp: _t, ...s } = aStatement({ stored: '2000-01-01T00:00:00Z', authority: { mbox: 'mailto:liar@example.org' } });
      lrs.tick();
      await lrs.request('POST', '/xapi/statements', s);
      const got = (await lrs.request('GET', `/xapi/statements?statementId=${s.id}`)).body;
      expect(got.stored).not.toBe('2000-01-01T00:00:00Z');
      expect(got.timestamp).toBe(got.stored);
      expect(got.authority).toMatchObject({ objectType: 'Agent', account: { name: 'env-admin' } });
      expect(got.version).toBe('2.0.0');
    });

    it('keeps a 1.0.x client on version 1.0.0 and answers it as 1.0.3', async () => {
      const old = lrsClient(store.db, { version: '1.0.1' });
      const s = aStatement();
      const res = await old.request('POST', '/xapi/statements', s);
      expect(res.headers.get('x-experience-api-version')).toBe('1.0.3');
      expect((await old.request('GET', `/xapi/statements?statementId=${s.id}`)).body.version).toBe('1.0.0');
    });

    it('returns the statement exactly as stored, byte for byte', async () => {
      const s = aStatement({ context: { contextActivities: { parent: { id: 'https://courses.example.org/course/1' } } }, result: { score: { raw: 7.5, min: 0, max: 10 } } });
      await lrs.request('POST', '/xapi/statements', s);
      const first = await lrs.request('GET', `/xapi/statements?statementId=${s.id}`);
      const again = await lrs.request('GET', `/xapi/statements?statementId=${s.id}`);
      expect(again.text).toBe(first.text);
      expect(first.body.context.contextActivities.parent).toEqual([{ id: 'https://courses.example.org/course/1' }]);
      const listed = await lrs.request('GET', `/xapi/statements?activity=${encodeURIComponent(s.object.id)}&limit=50`);
      expect(listed.text).toContain(first.text);
    });
  });

  describe('immutability', () => {
    it('answers 204 / the id to the same statement again and stores it once', async () => {
      const s = aStatement();
      await lrs.request('PUT', `/xapi/statements?statementId=${s.id}`, s);
      const before = await count(store);
      const respelled = { ...s, id: s.id.toUpperCase(), timestamp: '2025-10-01T07:00:00Z', verb: { id: s.verb.id, display: { 'ru-RU': 'изучил' } } };
      expect((await lrs.request('PUT', `/xapi/statements?statementId=${s.id}`, respelled)).status).toBe(204);
      expect((await lrs.request('POST', '/xapi/statements', s)).body).toEqual([s.id]);
      expect(await count(store)).toBe(before);
    });

    it('answers 409 to the same id with a different statement, storing nothing of the batch', async () => {
      const s = aStatement();
      await lrs.request('POST', '/xapi/statements', s);
      const before = await count(store);
      const changed = { ...s, result: { success: true } };
      expect((await lrs.request('PUT', `/xapi/statements?statementId=${s.id}`, changed)).status).toBe(409);
      const batch = await lrs.request('POST', '/xapi/statements', [aStatement(), changed]);
      expect(batch.status).toBe(409);
      expect(batch.body.errors).toEqual([expect.objectContaining({ item: 1, field: 'id' })]);
      expect(await count(store)).toBe(before);
    });

    it('stores a statement sent by two clients at once exactly once', async () => {
      const s = aStatement();
      const answers = await Promise.all([1, 2, 3].map(() => lrsClient(store.db).request('POST', '/xapi/statements', s)));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
      const [row] = await store.db.query<{ n: number }>('select count(*)::int as n from xapi_statements where id = $1', [s.id]);
      expect(row!.n).toBe(1);
    });

    it('refuses a batch that names one id twice', async () => {
      const s = aStatement();
      const res = await lrs.request('POST', '/xapi/statements', [s, s]);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ item: 1, field: 'id' })]);
    });
  });

  describe('voiding', () => {
    it('hides a voided statement from statementId and queries and shows it by voidedStatementId', async () => {
      const target = aStatement();
      await lrs.request('POST', '/xapi/statements', target);
      const v = voiding(target.id);
      expect((await lrs.request('POST', '/xapi/statements', v)).status).toBe(200);
      expect((await lrs.request('GET', `/xapi/statements?statementId=${target.id}`)).status).toBe(404);
      const voided = await lrs.request('GET', `/xapi/statements?voidedStatementId=${target.id}`);
      expect(voided.status).toBe(200);
      expect(voided.body.id).toBe(target.id);
      expect((await lrs.request('GET', `/xapi/statements?voidedStatementId=${v.id}`)).status).toBe(404);
      expect((await lrs.request('GET', `/xapi/statements?statementId=${v.id}`)).status).toBe(200);
      const listed = await lrs.request('GET', `/xapi/statements?verb=${encodeURIComponent(VERBS.voided)}`);
      expect(listed.body.statements.map((s: { id: string }) => s.id)).toContain(v.id);
      const all = await lrs.request('GET', '/xapi/statements?limit=0');
      expect(all.body.statements.map((s: { id: string }) => s.id)).not.toContain(target.id);
    });

    it('refuses to void a voiding statement', async () => {
      const target = aStatement();
      const v = voiding(target.id);
      await lrs.request('POST', '/xapi/statements', [target, v]);
      const res = await lrs.request('POST', '/xapi/statements', voiding(v.id));
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe('object.id');
      expect((await lrs.request('POST', '/xapi/statements', [voiding(target.id, { id: randomUUID() }), aStatement()])).status).toBe(200);
    });

    it('voids a statement that arrives after its voiding statement', async () => {
      const late = aStatement();
      await lrs.request('POST', '/xapi/statements', voiding(late.id));
      await lrs.request('POST', '/xapi/statements', late);
      expect((await lrs.request('GET', `/xapi/statements?statementId=${late.id}`)).status).toBe(404);
      expect((await lrs.request('GET', `/xapi/statements?voidedStatementId=${late.id}`)).status).toBe(200);
    });
  });

  describe('queries', () => {
    let q: Lrs;
    const learner = { mbox: 'mailto:query-learner@example.org' };
    const registration = randomUUID();
    const course = 'https://courses.example.org/query-course';
    const ids: string[] = [];
    beforeAll(async () => {
      q = lrsClient(store.db);
      q.tick(86_400_000);
      for (let n = 0; n < 7; n += 1) {
        q.tick();
        const s = aStatement({
          actor: learner,
          verb: { id: n % 2 === 0 ? VERBS.experienced : VERBS.completed },
          object: { id: `${course}/section/${n}` },
          context: { registration, contextActivities: { parent: [{ id: course }] }, instructor: { mbox: 'mailto:teacher@example.org' } },
        });
        ids.push(s.id);
        expect((await q.request('POST', '/xapi/statements', s)).status).toBe(200);
      }
    });
    const agentParam = (a: unknown) => encodeURIComponent(JSON.stringify(a));
    const idsOf = (body: { statements: { id: string }[] }) => body.statements.map((s) => s.id);

    it('filters by agent, newest first, with the consistency headers', async () => {
      const res = await q.request('GET', `/xapi/statements?agent=${agentParam(learner)}`);
      expect(res.status).toBe(200);
      expect(idsOf(res.body)).toEqual([...ids].reverse());
      expect(res.body.more).toBe('');
      expect(res.headers.get('x-experience-api-consistent-through')).toMatch(/^\d{4}-/);
      expect(res.headers.get('last-modified')).toBeTruthy();
      expect(res.headers.get('x-experience-api-version')).toBe('2.0.0');
    });

    it('filters by verb, activity, registration, related activities and agents, since, until', async () => {
      const get = async (query: string) => idsOf((await q.request('GET', `/xapi/statements?ascending=true&${query}`)).body);
      expect(await get(`agent=${agentParam(learner)}&verb=${encodeURIComponent(VERBS.completed)}`)).toEqual([ids[1], ids[3], ids[5]]);
      expect(await get(`activity=${encodeURIComponent(`${course}/section/2`)}`)).toEqual([ids[2]]);
      expect(await get(`activity=${encodeURIComponent(course)}`)).toEqual([]);
      expect(await get(`activity=${encodeURIComponent(course)}&related_activities=true`)).toEqual(ids);
      expect(await get(`registration=${registration}`)).toEqual(ids);
      const teacher = agentParam({ mbox: 'mailto:teacher@example.org' });
      expect(await get(`agent=${teacher}`)).toEqual([]);
      expect(await get(`agent=${teacher}&related_agents=true`)).toEqual(ids);
      const third = (await q.request('GET', `/xapi/statements?statementId=${ids[2]}`)).body.stored;
      const fifth = (await q.request('GET', `/xapi/statements?statementId=${ids[4]}`)).body.stored;
      expect(await get(`registration=${registration}&since=${encodeURIComponent(third)}&until=${encodeURIComponent(fifth)}`)).toEqual([ids[3], ids[4]]);
    });

    it('matches a statement whose StatementRef object targets a matching statement, down the chain', async () => {
      const base = aStatement({ actor: { mbox: 'mailto:ref-chain@example.org' } });
      const comment = aStatement({ actor: { mbox: 'mailto:someone-else@example.org' }, verb: { id: 'http://adlnet.gov/expapi/verbs/commented' }, object: { objectType: 'StatementRef', id: base.id } });
      const reply = aStatement({ actor: { mbox: 'mailto:third@example.org' }, verb: { id: 'http://adlnet.gov/expapi/verbs/commented' }, object: { objectType: 'StatementRef', id: comment.id } });
      q.tick();
      await q.request('POST', '/xapi/statements', [base, comment, reply]);
      const res = await q.request('GET', `/xapi/statements?ascending=true&agent=${agentParam({ mbox: 'mailto:ref-chain@example.org' })}`);
      expect(idsOf(res.body)).toEqual([base.id, comment.id, reply.id]);
      const byVerb = await q.request('GET', `/xapi/statements?ascending=true&verb=${encodeURIComponent(VERBS.experienced)}&agent=${agentParam({ mbox: 'mailto:ref-chain@example.org' })}`);
      expect(idsOf(byVerb.body)).toEqual([base.id, comment.id, reply.id]);
    });

    it('pages with more links that carry the query and end with an empty more', async () => {
      const seen: string[] = [];
      let next = `/xapi/statements?registration=${registration}&limit=3`;
      let pages = 0;
      while (next !== '') {
        const res = await q.request('GET', next);
        expect(res.status).toBe(200);
        expect(res.body.statements.length).toBeLessThanOrEqual(3);
        seen.push(...idsOf(res.body));
        next = res.body.more;
        pages += 1;
      }
      expect(pages).toBe(3);
      expect(seen).toEqual([...ids].reverse());
      expect((await q.request('GET', '/xapi/statements?more=garbage')).status).toBe(400);
    });

    it('gives ids and canonical formats', async () => {
      const s = aStatement({ verb: { id: VERBS.experienced, display: { 'en-US': 'experienced', 'ru-RU': 'изучил' } } });
      await q.request('POST', '/xapi/statements', s);
      const ids = await q.request('GET', `/xapi/statements?statementId=${s.id}&format=ids`);
      expect(ids.body.actor).toEqual({ objectType: 'Agent', account: s.actor.account });
      expect(ids.body.verb).toEqual({ id: VERBS.experienced });
      expect(ids.body.object).toEqual({ objectType: 'Activity', id: s.object.id });
      const ru = await q.request('GET', `/xapi/statements?statementId=${s.id}&format=canonical`, undefined, { 'accept-language': 'ru' });
      expect(ru.body.verb.display).toEqual({ 'ru-RU': 'изучил' });
      expect((await q.request('GET', `/xapi/statements?statementId=${s.id}&format=pretty`)).status).toBe(400);
    });

    it('answers attachments=true as multipart/mixed with the statements first', async () => {
      const res = await q.request('GET', `/xapi/statements?statementId=${ids[0]}&attachments=true`);
      expect(res.headers.get('content-type')).toMatch(/^multipart\/mixed; boundary=/);
      expect(res.text).toContain(`"id":"${ids[0]}"`);
    });

    it('refuses bad parameters', async () => {
      for (const query of [
        `statementId=${ids[0]}&voidedStatementId=${ids[1]}`,
        `statementId=${ids[0]}&verb=${encodeURIComponent(VERBS.completed)}`,
        'agent=notjson',
        `agent=${agentParam({ name: 'no identifier' })}`,
        'verb=not-an-iri',
        'since=yesterday',
        'limit=-1',
        'ascending=maybe',
        'colour=blue',
      ]) {
        expect((await q.request('GET', `/xapi/statements?${query}`)).status, query).toBe(400);
      }
      expect((await q.request('GET', `/xapi/statements?statementId=${randomUUID()}`)).status).toBe(404);
    });
  });

  describe('headers and about', () => {
    it('requires X-Experience-API-Version on every request but /about, and names it on every answer', async () => {
      const bare = lrsClient(store.db, { version: null });
      const res = await bare.request('GET', '/xapi/statements');
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe('X-Experience-API-Version');
      expect(res.headers.get('x-experience-api-version')).toBe('2.0.0');
      expect((await lrsClient(store.db, { version: '0.9' }).request('GET', '/xapi/statements')).status).toBe(400);
      const about = await bare.request('GET', '/xapi/about');
      expect(about.status).toBe(200);
      expect(about.body.version).toEqual(expect.arrayContaining(['1.0.3', '2.0.0']));
      expect(about.headers.get('x-experience-api-version')).toBe('2.0.0');
      expect((await lrsClient(store.db, { key: null }).request('GET', '/xapi/about')).status).toBe(200);
    });
  });
});
