import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { backfillDiscourse, loadState } from '../../../src/sources/discourse/backfill.ts';
import { DiscourseClient, waitAfter } from '../../../src/sources/discourse/client.ts';
import { registerSource } from '../../../src/sources/registry.ts';
import { STORES, type TestStore } from '../../helpers/stores.ts';
import { type FakeDiscourse, type ForumAction, type ForumPost, fakeDiscourse } from './fake-discourse.ts';

const API_KEY = 'test-api-key';
const at = (day: number, hour = 10) => new Date(Date.UTC(2025, 9, day, hour)).toISOString();
const post = (id: number, user: [number, string], topic: number, n: number, day: number, extra: Partial<ForumPost> = {}): ForumPost => ({
  id, user_id: user[0], username: user[1], topic_id: topic, post_number: n, created_at: at(day), words: 60, ...extra,
});
const ANNA: [number, string] = [12, 'anna'];
const BORIS: [number, string] = [34, 'boris'];
const VERA: [number, string] = [56, 'vera'];

const POSTS: ForumPost[] = [
  post(500, ANNA, 77, 1, 1),
  post(501, BORIS, 77, 2, 1),
  post(502, VERA, 77, 3, 2),
  post(510, VERA, 78, 1, 2),
  post(511, ANNA, 78, 2, 3),
  post(512, BORIS, 78, 3, 3),
  post(520, [-1, 'system'], 78, 4, 3, { post_type: 3 }),
  post(900, BORIS, 300, 1, 4, { topic_archetype: 'private_message' }),
];
const like = (liker: [number, string], postId: number, author: number, topic: number, day: number): ForumAction => ({
  username: liker[1], filter: 1, post_id: postId, topic_id: topic, user_id: author, acting_user_id: liker[0], created_at: at(day, 15),
});
const ACTIONS: ForumAction[] = [
  like(BORIS, 500, 12, 77, 1),
  like(VERA, 501, 34, 77, 2),
  like(ANNA, 510, 56, 78, 2),
  like(ANNA, 512, 34, 78, 3),
  // A like in a private message: its topic never comes through /posts.json, so it is not counted.
  like(ANNA, 900, 34, 300, 4),
  { username: 'boris', filter: 15, post_id: 501, topic_id: 77, user_id: 34, acting_user_id: 12, created_at: at(2, 18) },
];
// Topics 77 and 78 (first posts), replies 501, 502, 511, 512; four likes of two events; one solution.
const EXPECTED_EVENTS = 2 + 4 + 4 * 2 + 1;

describe.each(STORES)('Discourse backfill ($name)', (kind) => {
  let store: TestStore;
  let forum: FakeDiscourse;
  beforeAll(async () => {
    store = await kind.open();
    await registerSource(store.db, { name: 'discourse', kind: 'discourse', secret: 'a-webhook-secret-0123456789' }, 'test');
  });
  afterAll(() => store.destroy());
  afterEach(() => forum?.close());

  const waits: number[] = [];
  const client = (rps = 200) =>
    new DiscourseClient({
      url: forum.url,
      apiKey: API_KEY,
      apiUsername: 'system',
      maxPerSecond: rps,
      // Waits are recorded; only short ones (pacing) are really slept, so a 429's 2 s costs the test nothing.
      sleep: async (ms) => {
        waits.push(ms);
        if (ms <= 100) await new Promise((r) => setTimeout(r, ms));
      },
    });
  const run = (source = 'discourse', restart = false) =>
    backfillDiscourse(store.db, { source, client: client(), unknownIdentity: () => 'create', actor: 'test', restart });
  const events = async (source = 'discourse') =>
    store.db.query<{ key: string; action: string; actor: string; attributes: any; voided: boolean }>(
      `select e.source_event_id as key, e.action, e.actor_external_id as actor, e.attributes, v.event_id is not null as voided
       from events e left join event_voids v on v.event_id = e.id where e.source = $1 order by e.source_event_id`,
      [source],
    );

  it('loads posts, topics, likes and solutions; interrupted, it resumes from its cursor; a 429 is waited out', async () => {
    forum = await fakeDiscourse({ posts: POSTS, actions: ACTIONS, pageSize: 3, apiKey: API_KEY });
    forum.limitAt.add(2);
    forum.failAt.add(4);
    await expect(run()).rejects.toThrow(/500/);
    expect(waits).toContain(2000);
    const saved = await loadState(store.db, 'discourse');
    // Two pages of posts were done before the failure (the second after waiting out the 429).
    expect(saved).toEqual({ stage: 'posts', before: 502 });
    const partial = (await events()).length;
    expect(partial).toBeGreaterThan(0);

    const requestsBefore = forum.requests.length;
    const report = await run();
    expect(report.resumed_from).toEqual({ stage: 'posts', before: 502 });
    expect(forum.requests[requestsBefore]!.path).toBe('/posts.json?before=502');
    expect(report.events).toBe(EXPECTED_EVENTS - partial);
    expect(await loadState(store.db, 'discourse')).toEqual({ stage: 'done' });

    const stored = await events();
    expect(stored).toHaveLength(EXPECTED_EVENTS);
    const byKey = Object.fromEntries(stored.map((e) => [e.key, e]));
    expect(byKey['topic:77']).toMatchObject({ action: 'forum.topic.created', actor: '12', attributes: { words: 60, topic: 77 } });
    expect(byKey['topic:78']).toMatchObject({ action: 'forum.topic.created', actor: '56' });
    expect(byKey['post:512']).toMatchObject({ action: 'forum.post.created', actor: '34' });
    expect(byKey['post:520']).toBeUndefined();
    expect(byKey['topic:300']).toBeUndefined();
    expect(byKey['like:500:34:given']).toMatchObject({ action: 'forum.like.given', actor: '34', attributes: { receiver: '12' } });
    expect(byKey['like:500:34:received']).toMatchObject({ action: 'forum.like.received', actor: '12', attributes: { giver: '34' } });
    expect(byKey['like:900:12:given']).toBeUndefined();
    expect(byKey['solution:501']).toMatchObject({ action: 'forum.solution.accepted', actor: '34', attributes: { topic: 77, accepted_by: '12' }, voided: false });
  });

  it('run again, it has nothing to do; restarted, it counts nothing twice', async () => {
    forum = await fakeDiscourse({ posts: POSTS, actions: ACTIONS, pageSize: 3, apiKey: API_KEY });
    const again = await run();
    expect(again).toMatchObject({ events: 0, requests: 0, resumed_from: { stage: 'done' } });
    const restarted = await run('discourse', true);
    expect(restarted.events).toBe(0);
    expect(restarted.posts).toBe(6);
    expect(restarted.likes).toBe(4);
    expect(restarted.solutions).toBe(1);
    expect(await events()).toHaveLength(EXPECTED_EVENTS);
  });

  it('keeps to the request rate it is given', async () => {
    forum = await fakeDiscourse({ posts: POSTS, actions: [], pageSize: 2, apiKey: API_KEY });
    await backfillDiscourse(store.db, { source: 'paced', client: client(20), unknownIdentity: () => 'create', actor: 'test' });
    const times = forum.requests.map((r) => r.at);
    expect(times.length).toBeGreaterThanOrEqual(5);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    // Starts are paced 50 ms apart; arrival at the server jitters by a few milliseconds either way.
    expect((times.at(-1)! - times[0]!) / gaps.length).toBeGreaterThanOrEqual(48);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(30);
  });

  it('stops on a refused key with Discourse\'s answer', async () => {
    forum = await fakeDiscourse({ posts: POSTS, actions: [], pageSize: 2, apiKey: 'another-key' });
    await expect(run('refused')).rejects.toThrow(/403/);
    expect(await events('refused')).toHaveLength(0);
  });
});

describe('waiting after a 429', () => {
  const response = (headers: Record<string, string>) => new Response('', { status: 429, headers });
  it('honours Retry-After in seconds or as a date, else Discourse\'s wait_seconds, else backs off', () => {
    expect(waitAfter(response({ 'retry-after': '7' }), '', 0)).toBe(7000);
    const later = new Date(Date.now() + 3000).toUTCString();
    expect(waitAfter(response({ 'retry-after': later }), '', 0)).toBeGreaterThan(1000);
    expect(waitAfter(response({}), '{"extras":{"wait_seconds":12}}', 0)).toBe(12_000);
    expect(waitAfter(response({}), 'Slow down', 3)).toBe(8000);
  });
});
