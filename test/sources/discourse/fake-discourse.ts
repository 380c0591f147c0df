import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for a Discourse forum's API, answering /posts.json and /user_actions.json with
 * the documented shapes (PostSerializer posts under latest_posts; UserActionSerializer rows under
 * user_actions), paged as Discourse pages them: posts newest first below `before`, actions by offset.
 */
export interface ForumPost {
  id: number;
  user_id: number;
  username: string;
  topic_id: number;
  post_number: number;
  post_type?: number;
  topic_archetype?: string;
  created_at: string;
  words: number;
}

export interface ForumAction {
  /** Whose stream it is in: the liker for likes (filter 1), the answer's author for solutions (filter 15). */
  username: string;
  filter: 1 | 15;
  post_id: number;
  topic_id: number;
  /** The post's author. */
  user_id: number;
  acting_user_id: number;
  created_at: string;
}

export interface FakeDiscourse {
  url: string;
  /** Every request's path and query, in order, with when it arrived. */
  requests: { path: string; at: number }[];
  /** Answers the request with this number (1-based, over the server's life) with 429 and Retry-After once. */
  limitAt: Set<number>;
  /** Answers the request with this number with 500: the backfill stops there. */
  failAt: Set<number>;
  close(): Promise<void>;
}

export async function fakeDiscourse(forum: { posts: ForumPost[]; actions: ForumAction[]; pageSize: number; apiKey: string }): Promise<FakeDiscourse> {
  const requests: { path: string; at: number }[] = [];
  const limitAt = new Set<number>();
  const failAt = new Set<number>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://localhost');
    requests.push({ path: `${url.pathname}${url.search}`, at: Date.now() });
    const n = requests.length;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.headers['api-key'] !== forum.apiKey || !req.headers['api-username']) return send(403, { errors: ['You are not permitted to view the requested resource.'] });
    if (limitAt.has(n)) {
      limitAt.delete(n);
      return send(429, { errors: ['You’ve performed this action too many times. Please wait 2 seconds before trying again.'], error_type: 'rate_limit', extras: { wait_seconds: 2 } }, { 'retry-after': '2' });
    }
    if (failAt.has(n)) return send(500, { errors: ['boom'] });
    if (url.pathname === '/posts.json') {
      const before = url.searchParams.has('before') ? Number(url.searchParams.get('before')) : Infinity;
      const page = forum.posts.filter((p) => p.id < before).sort((a, b) => b.id - a.id).slice(0, forum.pageSize);
      return send(200, { latest_posts: page.map(serializePost) });
    }
    if (url.pathname === '/user_actions.json') {
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const filter = Number(url.searchParams.get('filter'));
      const mine = forum.actions.filter((a) => a.username === url.searchParams.get('username') && a.filter === filter);
      return send(200, { user_actions: mine.slice(offset, offset + forum.pageSize).map(serializeAction) });
    }
    return send(404, { errors: ['not found'] });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    limitAt,
    failAt,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function serializePost(p: ForumPost) {
  const raw = Array.from({ length: p.words }, (_, i) => `word${i}`).join(' ');
  return {
    id: p.id,
    name: p.username,
    username: p.username,
    avatar_template: `/user_avatar/forum/${p.username}/{size}/1_2.png`,
    created_at: p.created_at,
    cooked: `<p>${raw}</p>`,
    post_number: p.post_number,
    post_type: p.post_type ?? 1,
    updated_at: p.created_at,
    reply_count: 0,
    reply_to_post_number: null,
    quote_count: 0,
    incoming_link_count: 0,
    reads: 1,
    score: 0,
    yours: false,
    topic_id: p.topic_id,
    topic_slug: `topic-${p.topic_id}`,
    topic_title: `Topic ${p.topic_id}`,
    topic_html_title: `Topic ${p.topic_id}`,
    category_id: 5,
    display_username: p.username,
    version: 1,
    raw,
    user_id: p.user_id,
    hidden: false,
    trust_level: 1,
    deleted_at: null,
    user_deleted: false,
    wiki: false,
    ...(p.topic_archetype ? { topic_archetype: p.topic_archetype } : {}),
  };
}

function serializeAction(a: ForumAction) {
  return {
    excerpt: 'an excerpt',
    action_type: a.filter,
    created_at: a.created_at,
    avatar_template: '/user_avatar/forum/x/{size}/1_2.png',
    acting_avatar_template: '/user_avatar/forum/y/{size}/1_2.png',
    slug: `topic-${a.topic_id}`,
    topic_id: a.topic_id,
    target_user_id: a.filter === 1 ? a.acting_user_id : a.user_id,
    target_name: a.username,
    target_username: a.username,
    post_number: 2,
    post_id: a.post_id,
    username: `author-${a.user_id}`,
    name: null,
    user_id: a.user_id,
    acting_username: `user-${a.acting_user_id}`,
    acting_name: null,
    acting_user_id: a.acting_user_id,
    title: `Topic ${a.topic_id}`,
    deleted: false,
    hidden: false,
    post_type: 1,
    action_code: null,
    category_id: 5,
    closed: false,
    archived: false,
  };
}
