import type { EventInput } from '../../core/event.ts';
import type { DiscourseLike, DiscoursePost, DiscourseTopic } from './payloads.ts';
import { countWords } from './words.ts';

/** Forum members are identities of provider "forum", named by their Discourse user id. */
export const FORUM_PROVIDER = 'forum';

/** What one delivery asks of the store; decided from the payload alone. */
export type Plan =
  | { kind: 'ignore'; reason: string }
  /** Events to record; with `revised`, a stored one is replaced when the incoming revision is newer. */
  | { kind: 'record'; events: EventInput[]; revised: boolean }
  | { kind: 'void'; source: string; key: string; reason: string }
  /** Restores a voided event; records `otherwise` when nothing was stored. */
  | { kind: 'restore'; source: string; key: string; otherwise: EventInput }
  | { kind: 'accept'; event: EventInput; topic: number; post: number }
  | { kind: 'unaccept'; source: string; key: string; topic: number; post: number };

/**
 * Keys that stay the same when Discourse retries a delivery under a new event id: the thing itself.
 * A topic's first post is the topic; its edits, deletion and recovery land on the topic's event.
 */
export const keys = {
  topic: (topicId: number) => `topic:${topicId}`,
  post: (p: Pick<DiscoursePost, 'id' | 'post_number' | 'topic_id'>) => (p.post_number === 1 ? keys.topic(p.topic_id) : `post:${p.id}`),
  like: (postId: number, likerId: number, side: 'given' | 'received') => `like:${postId}:${likerId}:${side}`,
  solution: (postId: number) => `solution:${postId}`,
};

const iso = (time: string): string => new Date(time).toISOString();
const actor = (userId: number) => ({ provider: FORUM_PROVIDER, external_id: String(userId) });

/** Orders versions of one post: Discourse's version, then the last update (edits within the grace period keep the version). */
export const revisionOf = (version: number, updatedAt: string): string => `${String(version).padStart(7, '0')}@${iso(updatedAt)}`;

const PRIVATE = 'private_message';
const REGULAR_POST = 1;

/** Why a post is not counted, or null when it is: private messages, whispers and notices, Discourse's own users. */
export function notCounted(post: DiscoursePost): string | null {
  if (post.topic_archetype === PRIVATE) return 'private message';
  if (post.post_type !== REGULAR_POST) return 'not a regular post';
  if (post.user_id <= 0) return 'written by Discourse itself';
  return null;
}

/** A post as an event: the first post of a topic is the topic, every other one a post. */
export function postEvent(source: string, post: DiscoursePost): EventInput {
  const first = post.post_number === 1;
  return {
    source,
    source_event_id: keys.post(post),
    action: first ? 'forum.topic.created' : 'forum.post.created',
    actor: actor(post.user_id),
    occurred_at: iso(post.created_at),
    object: first ? keys.topic(post.topic_id) : `post:${post.id}`,
    attributes: {
      words: countWords(post.raw ?? undefined, post.cooked ?? undefined),
      topic: post.topic_id,
      revision: revisionOf(post.version, post.updated_at ?? post.created_at),
    },
  };
}

/** A topic as Discourse announces it; the first post's own events, when they come, are newer revisions of it. */
export function topicEvent(source: string, topic: DiscourseTopic): EventInput {
  return {
    source,
    source_event_id: keys.topic(topic.id),
    action: 'forum.topic.created',
    actor: actor(topic.created_by?.id ?? topic.user_id!),
    occurred_at: iso(topic.created_at),
    object: keys.topic(topic.id),
    attributes: { words: topic.word_count ?? 0, topic: topic.id, revision: revisionOf(0, topic.created_at) },
  };
}

type PostFacts = Pick<DiscoursePost, 'id' | 'user_id' | 'topic_id'>;
/** What a like is, whether from a webhook (DiscourseLike) or from the API's user actions. */
export type LikeFacts = { post: PostFacts; user: { id: number } };

/** A like is two facts: given by the liker, received by the post's author; each names the other member. */
export function likeEvents(source: string, like: LikeFacts, at: string): EventInput[] {
  const { post, user } = like;
  const object = `post:${post.id}`;
  return [
    {
      source,
      source_event_id: keys.like(post.id, user.id, 'given'),
      action: 'forum.like.given',
      actor: actor(user.id),
      occurred_at: iso(at),
      object,
      attributes: { receiver: String(post.user_id), topic: post.topic_id },
    },
    {
      source,
      source_event_id: keys.like(post.id, user.id, 'received'),
      action: 'forum.like.received',
      actor: actor(post.user_id),
      occurred_at: iso(at),
      object,
      attributes: { giver: String(user.id), topic: post.topic_id },
    },
  ];
}

/** An accepted solution counts for the post's author; `acceptedBy` is the Discourse user who accepted it, when known. */
export function solutionEvent(source: string, post: PostFacts, at: string, acceptedBy: number | null): EventInput {
  return {
    source,
    source_event_id: keys.solution(post.id),
    action: 'forum.solution.accepted',
    actor: actor(post.user_id),
    occurred_at: iso(at),
    object: `post:${post.id}`,
    attributes: { topic: post.topic_id, ...(acceptedBy === null ? {} : { accepted_by: String(acceptedBy) }) },
  };
}

export interface Delivery {
  source: string;
  /** X-Discourse-Event, e.g. post_created. */
  event: string;
  /** X-Discourse-Event-Type: the key the payload sits under. */
  type: 'post' | 'topic' | 'like' | 'solved';
  payload: unknown;
  /** When Vklad received it: the time of a like or an acceptance, which Discourse does not send. */
  receivedAt: string;
}

/** Decides what a (verified, well-formed) delivery means; pure, so every case is tested without a store. */
export function planDelivery(d: Delivery): Plan {
  switch (d.type) {
    case 'post': {
      const post = d.payload as DiscoursePost;
      const skip = notCounted(post);
      if (skip) return { kind: 'ignore', reason: skip };
      const key = keys.post(post);
      switch (d.event) {
        case 'post_created':
        case 'post_edited':
          return { kind: 'record', events: [postEvent(d.source, post)], revised: true };
        case 'post_destroyed':
          return { kind: 'void', source: d.source, key, reason: 'deleted in Discourse' };
        case 'post_recovered':
          return { kind: 'restore', source: d.source, key, otherwise: postEvent(d.source, post) };
      }
      break;
    }
    case 'topic': {
      const topic = d.payload as DiscourseTopic;
      if (topic.archetype === PRIVATE) return { kind: 'ignore', reason: 'private message' };
      if ((topic.created_by?.id ?? topic.user_id!) <= 0) return { kind: 'ignore', reason: 'written by Discourse itself' };
      const key = keys.topic(topic.id);
      switch (d.event) {
        case 'topic_created':
          return { kind: 'record', events: [topicEvent(d.source, topic)], revised: true };
        case 'topic_destroyed':
          return { kind: 'void', source: d.source, key, reason: 'deleted in Discourse' };
        case 'topic_recovered':
          return { kind: 'restore', source: d.source, key, otherwise: topicEvent(d.source, topic) };
      }
      break;
    }
    case 'like': {
      const like = d.payload as DiscourseLike;
      if (d.event !== 'post_liked') break;
      if (like.post.topic_archetype === PRIVATE) return { kind: 'ignore', reason: 'private message' };
      if (like.user.id <= 0 || like.post.user_id <= 0) return { kind: 'ignore', reason: 'Discourse itself took part' };
      if (like.user.id === like.post.user_id) return { kind: 'ignore', reason: 'liked one\'s own post' };
      return { kind: 'record', events: likeEvents(d.source, like, d.receivedAt), revised: false };
    }
    case 'solved': {
      const post = d.payload as DiscoursePost;
      if (post.topic_archetype === PRIVATE) return { kind: 'ignore', reason: 'private message' };
      if (post.user_id <= 0) return { kind: 'ignore', reason: 'written by Discourse itself' };
      if (d.event === 'accepted_solution') {
        return { kind: 'accept', event: solutionEvent(d.source, post, d.receivedAt, null), topic: post.topic_id, post: post.id };
      }
      if (d.event === 'unaccepted_solution') return { kind: 'unaccept', source: d.source, key: keys.solution(post.id), topic: post.topic_id, post: post.id };
      break;
    }
  }
  return { kind: 'ignore', reason: `${d.event} is not counted` };
}
