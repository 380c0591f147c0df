import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Delivery, planDelivery, revisionOf } from '../../../src/sources/discourse/mapping.ts';
import { PAYLOADS, type PayloadType } from '../../../src/sources/discourse/payloads.ts';
import { countWords } from '../../../src/sources/discourse/words.ts';
import { fixture } from './fixtures.ts';

const AT = '2025-10-02T10:00:00.000Z';

/** Plans a fixture as the hook would after verifying it. */
function plan(name: string, source = 'discourse') {
  const f = fixture(name);
  const type = f.headers['X-Discourse-Event-Type'] as PayloadType;
  const payload = PAYLOADS[type].parse(f.body[type]);
  const d: Delivery = { source, event: f.headers['X-Discourse-Event']!, type, payload, receivedAt: AT };
  return planDelivery(d);
}

describe('Discourse payloads as Vklad events', () => {
  it('a topic is forum.topic.created by its author, keyed by the topic', () => {
    expect(plan('topic_created')).toEqual({
      kind: 'record',
      revised: true,
      events: [
        {
          source: 'discourse',
          source_event_id: 'topic:77',
          action: 'forum.topic.created',
          actor: { provider: 'forum', external_id: '12' },
          occurred_at: '2025-10-01T08:00:00.000Z',
          object: 'topic:77',
          attributes: { words: 86, topic: 77, revision: revisionOf(0, '2025-10-01T08:00:00.000Z') },
        },
      ],
    });
  });

  it('a topic\'s first post is the same topic event, a newer revision of it', () => {
    const p = plan('post_created.first');
    expect(p).toMatchObject({ kind: 'record', revised: true, events: [{ source_event_id: 'topic:77', action: 'forum.topic.created', actor: { external_id: '12' } }] });
    const [event] = (p as unknown as { events: { attributes: { words: number; revision: string } }[] }).events;
    expect(event!.attributes.words).toBe(86);
    expect(event!.attributes.revision > revisionOf(0, '2025-10-01T08:00:00.000Z')).toBe(true);
  });

  it('a reply is forum.post.created keyed by the post, with its words and topic', () => {
    expect(plan('post_created.reply')).toEqual({
      kind: 'record',
      revised: true,
      events: [
        {
          source: 'discourse',
          source_event_id: 'post:501',
          action: 'forum.post.created',
          actor: { provider: 'forum', external_id: '34' },
          occurred_at: '2025-10-01T09:15:00.000Z',
          object: 'post:501',
          attributes: { words: 66, topic: 77, revision: revisionOf(1, '2025-10-01T09:15:00.000Z') },
        },
      ],
    });
  });

  it('an edit is the same post event with new words and a newer revision', () => {
    const p = plan('post_edited') as unknown as { events: { source_event_id: string; attributes: { words: number; revision: string } }[] };
    expect(p.events[0]!.source_event_id).toBe('post:501');
    expect(p.events[0]!.attributes.words).toBe(23);
    expect(p.events[0]!.attributes.revision).toBe(revisionOf(2, '2025-10-01T12:40:00.000Z'));
  });

  it('deletion voids and recovery restores the post\'s event', () => {
    expect(plan('post_destroyed')).toEqual({ kind: 'void', source: 'discourse', key: 'post:501', reason: 'deleted in Discourse' });
    expect(plan('post_recovered')).toMatchObject({ kind: 'restore', source: 'discourse', key: 'post:501', otherwise: { source_event_id: 'post:501' } });
  });

  it('deleting and recovering a topic void and restore the topic\'s event', () => {
    expect(plan('topic_destroyed')).toEqual({ kind: 'void', source: 'discourse', key: 'topic:77', reason: 'deleted in Discourse' });
    expect(plan('topic_recovered')).toMatchObject({ kind: 'restore', source: 'discourse', key: 'topic:77', otherwise: { action: 'forum.topic.created' } });
  });

  it('a like is given by the liker and received by the author, each naming the other', () => {
    expect(plan('post_liked')).toEqual({
      kind: 'record',
      revised: false,
      events: [
        {
          source: 'discourse',
          source_event_id: 'like:500:34:given',
          action: 'forum.like.given',
          actor: { provider: 'forum', external_id: '34' },
          occurred_at: AT,
          object: 'post:500',
          attributes: { receiver: '12', topic: 77 },
        },
        {
          source: 'discourse',
          source_event_id: 'like:500:34:received',
          action: 'forum.like.received',
          actor: { provider: 'forum', external_id: '12' },
          occurred_at: AT,
          object: 'post:500',
          attributes: { giver: '34', topic: 77 },
        },
      ],
    });
  });

  it('an accepted solution counts for the answer\'s author; unaccepting voids it', () => {
    expect(plan('accepted_solution')).toMatchObject({
      kind: 'accept',
      topic: 77,
      post: 501,
      event: { source_event_id: 'solution:501', action: 'forum.solution.accepted', actor: { external_id: '34' }, object: 'post:501', attributes: { topic: 77 } },
    });
    expect(plan('unaccepted_solution')).toEqual({ kind: 'unaccept', source: 'discourse', key: 'solution:501', topic: 77, post: 501 });
  });

  it('private messages, whispers, notices and Discourse\'s own posts are not counted', () => {
    expect(plan('post_created.private_message')).toEqual({ kind: 'ignore', reason: 'private message' });
    expect(plan('topic_created.private_message')).toEqual({ kind: 'ignore', reason: 'private message' });
    const reply = fixture('post_created.reply').body.post;
    const as = (post: object, event = 'post_created'): Delivery => ({ source: 's', event, type: 'post', payload: PAYLOADS.post.parse(post), receivedAt: AT });
    expect(planDelivery(as({ ...reply, post_type: 4 }))).toEqual({ kind: 'ignore', reason: 'not a regular post' });
    expect(planDelivery(as({ ...reply, user_id: -1 }))).toEqual({ kind: 'ignore', reason: 'written by Discourse itself' });
    expect(planDelivery(as(reply, 'post_liked'))).toEqual({ kind: 'ignore', reason: 'post_liked is not counted' });
    const like = fixture('post_liked').body.like;
    const liked = (l: object): Delivery => ({ source: 's', event: 'post_liked', type: 'like', payload: PAYLOADS.like.parse(l), receivedAt: AT });
    expect(planDelivery(liked({ ...like, post: { ...like.post, topic_archetype: 'private_message' } }))).toEqual({ kind: 'ignore', reason: 'private message' });
    expect(planDelivery(liked({ ...like, user: { id: 12 } }))).toMatchObject({ kind: 'ignore' });
  });

  it('the keys do not depend on the delivery: the same payload under any event id plans the same', () => {
    for (const name of ['topic_created', 'post_created.reply', 'post_edited', 'post_liked', 'accepted_solution']) {
      expect(plan(name)).toEqual(plan(name));
    }
  });

  it('revisions order by version, then by the time of the edit', () => {
    fc.assert(
      fc.property(fc.nat(999_999), fc.nat(999_999), fc.integer({ min: 0, max: 4e12 }), fc.integer({ min: 0, max: 4e12 }), (v1, v2, t1, t2) => {
        const a = revisionOf(v1, new Date(t1).toISOString());
        const b = revisionOf(v2, new Date(t2).toISOString());
        const expected = v1 !== v2 ? Math.sign(v1 - v2) : Math.sign(t1 - t2);
        expect(Math.sign(a < b ? -1 : a > b ? 1 : 0)).toBe(expected);
      }),
    );
  });
});

describe('words of a post', () => {
  it('counts the member\'s own words, not quotes, markup or punctuation', () => {
    expect(countWords('Roles are not positions — they are **functions**.', undefined)).toBe(7);
    expect(countWords('[quote="anna, post:1, topic:77"]\nsomeone else said this\n[/quote]\nI agree', undefined)).toBe(2);
    expect(countWords(undefined, '<aside class="quote"><blockquote>not mine</blockquote></aside><p>Mine, only <b>three</b></p>')).toBe(3);
    expect(countWords('', '<p>ignored when raw is given</p>')).toBe(0);
    expect(countWords('Системное мышление 2025', undefined)).toBe(3);
  });
});
