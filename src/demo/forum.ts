import { HOUR_MS, moscowIso } from './calendar.ts';
import { forumActor, size, type World } from './world.ts';

interface Topic {
  n: number;
  author: number;
  at: number;
  solved: boolean;
}

interface Post {
  n: number;
  author: number;
  at: number;
  likers: number[];
}

// Only recent threads get answers and likes; older ones are forgotten, which also bounds memory.
const RECENT_POSTS = 3000;
const RECENT_TOPICS = 600;

/** The forum's recent threads; members write into them and like each other's posts. */
export class Forum {
  private topics: Topic[] = [];
  private posts: Post[] = [];
  /** Authors' posts, which draw more likes than their share of all posts. */
  private authorPosts: Post[] = [];

  constructor(private readonly w: World) {}

  topic(member: number, at: number): void {
    const { rng, out, profiles } = this.w;
    const n = out.emit(at, 'forum', 'topic', 'forum.topic.created', forumActor(profiles[member]!), (k) => `topic:${k}`, { words: size(rng, 150, 0.8) });
    if (n !== null) remember(this.topics, { n, author: member, at, solved: false }, RECENT_TOPICS);
  }

  /** A reply in a recent thread; thinking by writing, so sizes vary from a line to an essay. */
  post(member: number, at: number): void {
    const { rng, out, profiles } = this.w;
    const topic = recent(this.topics, rng.next(), (t) => t.at < at);
    if (!topic) return this.topic(member, at);
    const profile = profiles[member]!;
    const n = out.emit(at, 'forum', 'post', 'forum.post.created', forumActor(profile), (k) => `post:${k}`, {
      words: size(rng, 120, 0.9),
      topic: topic.n,
    });
    if (n === null) return;
    const post: Post = { n, author: member, at, likers: [] };
    remember(this.posts, post, RECENT_POSTS);
    if (profile.persona === 'course_author') remember(this.authorPosts, post, RECENT_POSTS / 10);
    // Sometimes the one who asked marks this answer as the solution, hours or days later.
    if (topic.author !== member && !topic.solved && rng.chance(0.12)) {
      topic.solved = true;
      const when = at + Math.round((rng.float(1, 72) * HOUR_MS) / 1000) * 1000;
      out.emit(when, 'forum', 'solution', 'forum.solution.accepted', forumActor(profile), `post:${n}`, {
        topic: topic.n,
        accepted_by: profiles[topic.author]!.forum,
      });
    }
  }

  comment(member: number, at: number): void {
    const { rng, out, profiles } = this.w;
    const post = recent(this.posts, rng.next(), (p) => p.at < at);
    if (!post) return;
    out.emit(at, 'forum', 'comment', 'forum.comment.created', forumActor(profiles[member]!), `post:${post.n}`, { words: size(rng, 30, 0.8) });
  }

  /** A like is two facts: given by one member, received by the post's author. Never one's own post, never twice. */
  like(member: number, at: number): void {
    const { rng, out, profiles } = this.w;
    const pool = this.authorPosts.length > 0 && rng.chance(0.15) ? this.authorPosts : this.posts;
    const post = recent(pool, rng.next(), (p) => p.at < at && p.author !== member && !p.likers.includes(member));
    if (!post) return;
    const giver = profiles[member]!;
    const n = out.emit(at, 'forum', 'like', 'forum.like.given', forumActor(giver), `post:${post.n}`, { receiver: profiles[post.author]!.forum });
    if (n === null) return;
    post.likers.push(member);
    out.push(at, {
      source: 'forum',
      source_event_id: `like-${n}-received`,
      action: 'forum.like.received',
      actor: forumActor(profiles[post.author]!),
      occurred_at: moscowIso(at),
      object: `post:${post.n}`,
      attributes: { giver: giver.forum },
    });
  }
}

function remember<T>(list: T[], item: T, cap: number): void {
  list.push(item);
  if (list.length > cap * 2) list.splice(0, list.length - cap);
}

/** Picks from the newest end of `list`, favouring the latest (`r` uniform in [0, 1)); a few tries to satisfy `ok`. */
function recent<T>(list: T[], r: number, ok: (item: T) => boolean): T | null {
  for (let attempt = 0; attempt < 4 && list.length > 0; attempt++) {
    const item = list[list.length - 1 - Math.floor(r ** 3 * list.length)]!;
    if (ok(item)) return item;
    r = (r + 0.618_034) % 1;
  }
  return null;
}
