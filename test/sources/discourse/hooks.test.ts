import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScoringPass } from '../../../src/services/scoring-pass.ts';
import { sourceStatus } from '../../../src/sources/deliveries.ts';
import { discourseSignature } from '../../../src/sources/discourse/signature.ts';
import { registerSource } from '../../../src/sources/registry.ts';
import { storedAwards } from '../../../src/store/awards.ts';
import { type Api, apiFor, countEvents } from '../../helpers/api.ts';
import { STORES, type TestStore } from '../../helpers/stores.ts';
import { SECRET, deliver, fixture } from './fixtures.ts';

const NOW = new Date('2025-10-02T10:00:00Z');

describe.each(STORES)('Discourse webhooks ($name)', (kind) => {
  let store: TestStore;
  let api: Api;
  beforeAll(async () => {
    store = await kind.open();
    api = apiFor(store.db, { key: null, now: NOW });
    await registerSource(store.db, { name: 'discourse', kind: 'discourse', secret: SECRET }, 'test');
  });
  afterAll(() => store.destroy());

  const event = async (key: string, source = 'discourse') => {
    const [row] = await store.db.query<{ id: number; action: string; member_id: number; actor_external_id: string; attributes: any; voided: boolean }>(
      `select e.id::int as id, e.action, e.member_id::int as member_id, e.actor_external_id, e.attributes, v.event_id is not null as voided
       from events e left join event_voids v on v.event_id = e.id where e.source = $1 and e.source_event_id = $2`,
      [source, key],
    );
    return row;
  };
  const awardsOf = async (eventId: number, member: number) => (await storedAwards(store.db, [member])).filter((a) => a.event_id === eventId);
  const status = () => sourceStatus(store.db, 'discourse');

  it('is in the OpenAPI document', async () => {
    const doc = await api.request('GET', '/api/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/hooks/discourse', '/hooks/discourse/{name}']));
  });

  it('answers a ping and stores nothing', async () => {
    const before = await countEvents(store.db);
    const res = await deliver(api, fixture('ping'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ignored', reason: 'ping' });
    expect(await countEvents(store.db)).toBe(before);
    expect((await status()).counts.ignored).toBe(1);
  });

  it('records a topic once, whether announced as a topic, as its first post, or both', async () => {
    const topic = await deliver(api, fixture('topic_created'));
    expect(topic.status).toBe(200);
    expect(topic.body).toMatchObject({ status: 'accepted', events: 1 });
    const stored = await event('topic:77');
    expect(stored).toMatchObject({ action: 'forum.topic.created', actor_external_id: '12', attributes: { words: 86, topic: 77 } });
    const before = await countEvents(store.db);
    const first = await deliver(api, fixture('post_created.first'));
    expect(first.body).toMatchObject({ status: 'accepted', events: 0, reason: 'revised' });
    expect(await countEvents(store.db)).toBe(before);
    // Discourse retries under a new event id: the same thing, nothing more.
    expect((await deliver(api, fixture('topic_created'))).body).toMatchObject({ status: 'duplicate' });
    expect((await deliver(api, fixture('post_created.first'))).body).toMatchObject({ status: 'duplicate' });
    expect(await countEvents(store.db)).toBe(before);
  });

  it('records a reply once however often Discourse retries it', async () => {
    const res = await deliver(api, fixture('post_created.reply'));
    expect(res.body).toMatchObject({ status: 'accepted', events: 1 });
    const before = await countEvents(store.db);
    for (let retry = 0; retry < 3; retry++) expect((await deliver(api, fixture('post_created.reply'))).body).toMatchObject({ status: 'duplicate' });
    expect(await countEvents(store.db)).toBe(before);
    expect(await event('post:501')).toMatchObject({ action: 'forum.post.created', actor_external_id: '34', attributes: { words: 66, topic: 77 } });
    expect((await status()).counts.duplicate).toBeGreaterThanOrEqual(3);
  });

  it('an edit replaces the post\'s attributes: one event, one award, re-scored', async () => {
    await runScoringPass(store.db, { now: NOW });
    const post = (await event('post:501'))!;
    const [before] = await awardsOf(post.id, post.member_id);
    expect(before!.points).toBeGreaterThan(0);

    // Cut to 23 words: below the policy's 50, the post no longer earns.
    const edited = await deliver(api, fixture('post_edited'));
    expect(edited.body).toMatchObject({ status: 'accepted', reason: 'revised' });
    expect(await event('post:501')).toMatchObject({ attributes: { words: 23 } });
    await runScoringPass(store.db, { now: NOW });
    expect((await awardsOf(post.id, post.member_id)).reduce((s, a) => s + a.points, 0)).toBe(0);

    // A late retry of the original post is older than the edit: it changes nothing.
    expect((await deliver(api, fixture('post_created.reply'))).body).toMatchObject({ status: 'duplicate' });
    expect(await event('post:501')).toMatchObject({ attributes: { words: 23 } });

    // Written out again, version 3: the one event earns once more, as much as before.
    const longer = fixture('post_edited');
    longer.body.post = { ...longer.body.post, version: 3, updated_at: '2025-10-01T15:00:00.000Z', raw: `${'word '.repeat(66)}` };
    expect((await deliver(api, longer)).body).toMatchObject({ status: 'accepted', reason: 'revised' });
    expect((await deliver(api, longer)).body).toMatchObject({ status: 'duplicate' });
    await runScoringPass(store.db, { now: NOW });
    const after = await awardsOf(post.id, post.member_id);
    expect(after).toHaveLength(1);
    expect(after[0]!.points).toBe(before!.points);
    const [{ n }] = (await store.db.query<{ n: number }>(`select count(*)::int as n from events where source = 'discourse' and object_id = 'post:501' and action = 'forum.post.created'`)) as [{ n: number }];
    expect(n).toBe(1);
  });

  it('deleting a post voids its event and recovering it restores it, each once', async () => {
    const post = (await event('post:501'))!;
    expect((await deliver(api, fixture('post_destroyed'))).body).toMatchObject({ status: 'accepted', reason: 'voided' });
    expect((await deliver(api, fixture('post_destroyed'))).body).toMatchObject({ status: 'duplicate' });
    expect(await event('post:501')).toMatchObject({ voided: true });
    await runScoringPass(store.db, { now: NOW });
    expect((await awardsOf(post.id, post.member_id)).reduce((s, a) => s + a.points, 0)).toBe(0);

    expect((await deliver(api, fixture('post_recovered'))).body).toMatchObject({ status: 'accepted', reason: 'restored' });
    expect((await deliver(api, fixture('post_recovered'))).body).toMatchObject({ status: 'duplicate' });
    expect(await event('post:501')).toMatchObject({ voided: false });
    await runScoringPass(store.db, { now: NOW });
    expect((await awardsOf(post.id, post.member_id)).reduce((s, a) => s + a.points, 0)).toBeGreaterThan(0);
  });

  it('deleting a topic voids its event and recovering it restores it', async () => {
    expect((await deliver(api, fixture('topic_destroyed'))).body).toMatchObject({ status: 'accepted', reason: 'voided' });
    expect((await deliver(api, fixture('topic_destroyed'))).body).toMatchObject({ status: 'duplicate' });
    expect(await event('topic:77')).toMatchObject({ voided: true });
    expect((await deliver(api, fixture('topic_recovered'))).body).toMatchObject({ status: 'accepted', reason: 'restored' });
    expect(await event('topic:77')).toMatchObject({ voided: false });
  });

  it('deleting a post Vklad never recorded is ignored; recovering it records it', async () => {
    const ghost = fixture('post_destroyed');
    ghost.body.post = { ...ghost.body.post, id: 777, post_number: 9 };
    expect((await deliver(api, ghost)).body).toMatchObject({ status: 'ignored', reason: 'nothing recorded to void' });
    const back = fixture('post_recovered');
    back.body.post = { ...back.body.post, id: 777, post_number: 9 };
    expect((await deliver(api, back)).body).toMatchObject({ status: 'accepted', events: 1 });
    expect(await event('post:777')).toMatchObject({ action: 'forum.post.created', voided: false });
  });

  it('a like is given by the liker and received by the author, each naming the other, once', async () => {
    const res = await deliver(api, fixture('post_liked'));
    expect(res.body).toMatchObject({ status: 'accepted', events: 2 });
    const before = await countEvents(store.db);
    // A retry comes later, with another time of receipt: still the same like.
    const later = apiFor(store.db, { key: null, now: new Date(NOW.getTime() + 300_000) });
    expect((await deliver(later, fixture('post_liked'))).body).toMatchObject({ status: 'duplicate' });
    expect(await countEvents(store.db)).toBe(before);

    const given = (await event('like:500:34:given'))!;
    const received = (await event('like:500:34:received'))!;
    expect(given).toMatchObject({ action: 'forum.like.given', actor_external_id: '34', attributes: { receiver: '12' } });
    expect(received).toMatchObject({ action: 'forum.like.received', actor_external_id: '12', attributes: { giver: '34' } });
    await runScoringPass(store.db, { now: NOW });
    const [givenAward] = await awardsOf(given.id, given.member_id);
    const [receivedAward] = await awardsOf(received.id, received.member_id);
    // The peer rule found the other member: neither award was refused as from an unknown or oneself.
    expect(givenAward!.points).toBeGreaterThan(0);
    expect(receivedAward!.points).toBeGreaterThan(0);
    expect(JSON.stringify(givenAward!.trail)).not.toMatch(/unknown|self/);
  });

  it('an accepted solution counts for the answer\'s author from the topic\'s author; unaccepting voids it', async () => {
    expect((await deliver(api, fixture('accepted_solution'))).body).toMatchObject({ status: 'accepted', events: 1 });
    expect((await deliver(api, fixture('accepted_solution'))).body).toMatchObject({ status: 'duplicate' });
    const solution = (await event('solution:501'))!;
    expect(solution).toMatchObject({ action: 'forum.solution.accepted', actor_external_id: '34', attributes: { topic: 77, accepted_by: '12' }, voided: false });
    await runScoringPass(store.db, { now: NOW });
    expect((await awardsOf(solution.id, solution.member_id))[0]!.points).toBeGreaterThan(0);

    expect((await deliver(api, fixture('unaccepted_solution'))).body).toMatchObject({ status: 'accepted', reason: 'voided' });
    expect((await deliver(api, fixture('unaccepted_solution'))).body).toMatchObject({ status: 'duplicate' });
    expect(await event('solution:501')).toMatchObject({ voided: true });
    await runScoringPass(store.db, { now: NOW });
    expect((await awardsOf(solution.id, solution.member_id)).reduce((s, a) => s + a.points, 0)).toBe(0);

    expect((await deliver(api, fixture('accepted_solution'))).body).toMatchObject({ status: 'accepted', reason: 'restored' });
    expect(await event('solution:501')).toMatchObject({ voided: false });
  });

  it('accepting another answer in the topic voids the earlier acceptance', async () => {
    const other = fixture('accepted_solution');
    other.body.solved = { ...other.body.solved, id: 777, post_number: 9 };
    expect((await deliver(api, other)).body).toMatchObject({ status: 'accepted', events: 1 });
    expect(await event('solution:777')).toMatchObject({ voided: false });
    expect(await event('solution:501')).toMatchObject({ voided: true });
  });

  it('private messages are not counted', async () => {
    const before = await countEvents(store.db);
    expect((await deliver(api, fixture('post_created.private_message'))).body).toMatchObject({ status: 'ignored', reason: 'private message' });
    expect((await deliver(api, fixture('topic_created.private_message'))).body).toMatchObject({ status: 'ignored', reason: 'private message' });
    const like = fixture('post_liked');
    like.body.like.post.topic_archetype = 'private_message';
    expect((await deliver(api, like)).body).toMatchObject({ status: 'ignored' });
    expect(await countEvents(store.db)).toBe(before);
  });

  it('answers other Discourse events with 200 and counts nothing', async () => {
    const before = await countEvents(store.db);
    const user = { headers: { 'X-Discourse-Event': 'user_created', 'X-Discourse-Event-Type': 'user' }, body: { user: { id: 5, username: 'new' } } };
    expect((await deliver(api, user)).body).toMatchObject({ status: 'ignored' });
    const closed = fixture('topic_created');
    closed.headers['X-Discourse-Event'] = 'topic_closed_status_updated';
    expect((await deliver(api, closed)).body).toMatchObject({ status: 'ignored' });
    expect(await countEvents(store.db)).toBe(before);
  });

  it('takes a named source at /hooks/discourse/{name}, with that source\'s own secret', async () => {
    await registerSource(store.db, { name: 'forum-two', kind: 'discourse', secret: 'another-secret-0123456789' }, 'test');
    expect((await deliver(api, fixture('post_created.reply'), { path: '/hooks/discourse/forum-two' })).status).toBe(401);
    const res = await deliver(api, fixture('post_created.reply'), { path: '/hooks/discourse/forum-two', secret: 'another-secret-0123456789' });
    expect(res.body).toMatchObject({ status: 'accepted', events: 1 });
    expect(await event('post:501', 'forum-two')).toMatchObject({ action: 'forum.post.created' });
  });

  describe('bad requests are refused and store nothing', () => {
    const reply = fixture('post_created.reply');
    const cases: [string, number, () => Promise<{ status: number; body: any }>][] = [
      ['no signature', 401, () => deliver(api, reply, { headers: { 'X-Discourse-Event-Signature': null } })],
      ['a wrong signature', 401, () => deliver(api, reply, { secret: 'not-the-secret-0123456789' })],
      ['a signature of another body', 401, () => deliver(api, reply, { headers: { 'X-Discourse-Event-Signature': discourseSignature(SECRET, Buffer.from('{"ping":"OK"}')) } })],
      ['a form-encoded body', 415, () => deliver(api, reply, { headers: { 'content-type': 'application/x-www-form-urlencoded' } })],
      ['a body that is not JSON', 400, () => deliver(api, reply, { body: '{"post": ' })],
      ['a body that is not UTF-8', 400, () => deliver(api, reply, { body: Buffer.from([0x7b, 0xff, 0x7d]).toString('latin1') })],
      ['an array', 400, () => deliver(api, reply, { body: [reply.body] })],
      ['a payload under the wrong key', 400, () => deliver(api, reply, { body: { topic: reply.body.post } })],
      ['a post without an id', 400, () => deliver(api, reply, { body: { post: { ...reply.body.post, id: undefined } } })],
      ['a post with a text user id', 400, () => deliver(api, reply, { body: { post: { ...reply.body.post, user_id: '34' } } })],
      ['a post with a bad time', 400, () => deliver(api, reply, { body: { post: { ...reply.body.post, created_at: 'yesterday' } } })],
      ['a like without its user', 400, () => deliver(api, fixture('post_liked'), { body: { like: { post: reply.body.post } } })],
      ['a topic without its author', 400, () => deliver(api, fixture('topic_created'), { body: { topic: { ...fixture('topic_created').body.topic, created_by: undefined, user_id: undefined } } })],
      ['no event name', 400, () => deliver(api, reply, { headers: { 'X-Discourse-Event': null } })],
      ['no event type', 400, () => deliver(api, reply, { headers: { 'X-Discourse-Event-Type': null } })],
      ['a body over the limit', 413, () => deliver(api, reply, { body: { post: { ...reply.body.post, raw: 'x'.repeat(5 * 1024 * 1024) } } })],
    ];
    it.each(cases)('%s → %i', async (_name, code, send) => {
      const before = await countEvents(store.db);
      const rejected = (await status()).counts.rejected;
      const res = await send();
      expect(res.status).toBe(code);
      expect(res.body).toMatchObject({ status: code });
      expect(await countEvents(store.db)).toBe(before);
      expect((await status()).counts.rejected).toBe(rejected + 1);
      expect((await status()).recent_rejects[0]!.reason).toBeTruthy();
    });

    it('an unknown or disabled source is not found and stores nothing', async () => {
      const before = await countEvents(store.db);
      expect((await deliver(api, reply, { path: '/hooks/discourse/nobody' })).status).toBe(404);
      await registerSource(store.db, { name: 'paused', kind: 'discourse', secret: SECRET }, 'test');
      await store.db.query(`update sources set disabled_at = now() where name = 'paused'`);
      expect((await deliver(api, reply, { path: '/hooks/discourse/paused' })).status).toBe(404);
      // A source of another kind is not a Discourse source, whatever its secret.
      await registerSource(store.db, { name: 'signed-one', kind: 'signed', secret: SECRET }, 'test');
      expect((await deliver(api, reply, { path: '/hooks/discourse/signed-one' })).status).toBe(404);
      expect(await countEvents(store.db)).toBe(before);
      expect((await sourceStatus(store.db, 'paused')).counts).toEqual({ accepted: 0, duplicate: 0, ignored: 0, rejected: 0 });
    });
  });
});
