import type { Database } from '../../db/database.ts';
import type { UnknownIdentityMode } from '../../store/events.ts';
import { applyPlan, record } from './apply.ts';
import type { DiscourseClient } from './client.ts';
import { keys, likeEvents, notCounted, postEvent, solutionEvent } from './mapping.ts';
import { DiscoursePost } from './payloads.ts';

/** Where a backfill stands: posts newest first down to `before`, then each seen user's likes and solutions. */
export type BackfillState =
  | { stage: 'posts'; before: number | null }
  | { stage: 'likes' | 'solutions'; after_user: number }
  | { stage: 'done' };

export interface BackfillReport {
  posts: number;
  likes: number;
  solutions: number;
  /** Events newly stored. */
  events: number;
  skipped: number;
  requests: number;
  resumed_from: BackfillState | null;
}

export interface BackfillOptions {
  source: string;
  client: DiscourseClient;
  unknownIdentity: (provider: string) => UnknownIdentityMode;
  actor: string;
  /** Start from the newest post again, even if a previous backfill finished. */
  restart?: boolean;
  onProgress?: (state: BackfillState, report: BackfillReport) => void;
}

/** Discourse's user_actions filters: likes given, accepted solutions (discourse-solved). */
const LIKE = 1;
const SOLVED = 15;

interface UserAction {
  post_id?: number | null;
  topic_id?: number | null;
  user_id?: number | null;
  acting_user_id?: number | null;
  target_user_id?: number | null;
  created_at?: string;
}

/**
 * Loads a forum's history through the Discourse API into Vklad: posts (and with them topics, from
 * their first posts) from /posts.json, then, for each author met, the likes they gave and the
 * solutions accepted from them from /user_actions.json. The cursor is saved after every page, so an
 * interrupted backfill resumes where it stopped; everything it records is keyed as the webhook keys
 * it, so running it again, or alongside the webhook, counts nothing twice.
 */
export async function backfillDiscourse(db: Database, options: BackfillOptions): Promise<BackfillReport> {
  const saved = options.restart ? null : await loadState(db, options.source);
  const report: BackfillReport = { posts: 0, likes: 0, solutions: 0, events: 0, skipped: 0, requests: 0, resumed_from: saved };
  let state: BackfillState = saved ?? { stage: 'posts', before: null };
  const step = async (next: BackfillState) => {
    state = next;
    await saveState(db, options.source, state);
    report.requests = options.client.requests;
    options.onProgress?.(state, report);
  };
  while (state.stage !== 'done') {
    if (state.stage === 'posts') {
      const before = await postsPage(db, options, state.before, report);
      await step(before === null ? { stage: 'likes', after_user: Number.MIN_SAFE_INTEGER } : { stage: 'posts', before });
    } else {
      const user = await nextUser(db, options.source, state.after_user);
      if (user === null) await step(state.stage === 'likes' ? { stage: 'solutions', after_user: Number.MIN_SAFE_INTEGER } : { stage: 'done' });
      else {
        await userActions(db, options, user, state.stage === 'likes' ? LIKE : SOLVED, report);
        await step({ stage: state.stage, after_user: user.user_id });
      }
    }
  }
  report.requests = options.client.requests;
  return report;
}

/** One page of /posts.json (newest first); returns the cursor for the next page, or null at the oldest post. */
async function postsPage(db: Database, options: BackfillOptions, before: number | null, report: BackfillReport): Promise<number | null> {
  const page = await options.client.get<{ latest_posts?: unknown[] }>('/posts.json', { before: before ?? undefined });
  const posts: DiscoursePost[] = [];
  let lowest: number | null = null;
  for (const raw of page.latest_posts ?? []) {
    const parsed = DiscoursePost.safeParse(raw);
    if (!parsed.success) {
      report.skipped += 1;
      continue;
    }
    lowest = Math.min(lowest ?? Infinity, parsed.data.id);
    if (notCounted(parsed.data)) report.skipped += 1;
    else posts.push(parsed.data);
  }
  if (posts.length > 0) {
    const applied = await record(db, posts.map((p) => postEvent(options.source, p)), true, options);
    report.events += applied.events;
    report.posts += posts.length;
    await rememberUsers(db, options.source, posts);
  }
  // An empty page, or one that does not go further down, is the end of the history.
  return lowest === null || (before !== null && lowest >= before) ? null : lowest;
}

async function userActions(db: Database, options: BackfillOptions, user: { user_id: number; username: string }, filter: number, report: BackfillReport): Promise<void> {
  for (let offset = 0; ; ) {
    const page = await options.client.get<{ user_actions?: UserAction[] }>('/user_actions.json', { username: user.username, filter, offset });
    const actions = page.user_actions ?? [];
    if (actions.length === 0) return;
    offset += actions.length;
    const known = await knownTopics(db, options.source, actions.map((a) => a.topic_id ?? 0));
    for (const a of actions) {
      // Only in topics Vklad has from the public posts: likes and solutions in private messages stay out.
      const usable = a.post_id && a.topic_id && a.user_id && a.created_at && known.has(a.topic_id) && !Number.isNaN(Date.parse(a.created_at));
      if (!usable) {
        report.skipped += 1;
        continue;
      }
      const post = { id: a.post_id!, user_id: a.user_id!, topic_id: a.topic_id! };
      if (filter === LIKE) {
        const liker = a.acting_user_id ?? a.target_user_id ?? user.user_id;
        if (liker <= 0 || post.user_id <= 0 || liker === post.user_id) {
          report.skipped += 1;
          continue;
        }
        report.events += (await record(db, likeEvents(options.source, { post, user: { id: liker } }, a.created_at!), false, options)).events;
        report.likes += 1;
      } else {
        const event = solutionEvent(options.source, post, a.created_at!, a.acting_user_id ?? null);
        report.events += (await applyPlan(db, { kind: 'accept', event, topic: post.topic_id, post: post.id }, options)).events;
        report.solutions += 1;
      }
    }
  }
}

async function knownTopics(db: Database, source: string, topicIds: number[]): Promise<Set<number>> {
  const rows = await db.query<{ key: string }>('select source_event_id as key from events where source = $1 and source_event_id = any($2::text[])', [
    source,
    [...new Set(topicIds)].map(keys.topic),
  ]);
  return new Set(rows.map((r) => Number(r.key.slice('topic:'.length))));
}

async function rememberUsers(db: Database, source: string, posts: DiscoursePost[]): Promise<void> {
  const users = [...new Map(posts.filter((p) => p.username).map((p) => [p.user_id, { user_id: p.user_id, username: p.username! }])).values()];
  await db.query(
    `insert into discourse_users (source, user_id, username)
     select $1, user_id, username from json_to_recordset($2::json) as u(user_id bigint, username text)
     on conflict (source, user_id) do update set username = excluded.username`,
    [source, JSON.stringify(users)],
  );
}

async function nextUser(db: Database, source: string, after: number): Promise<{ user_id: number; username: string } | null> {
  const [row] = await db.query<{ user_id: string; username: string }>(
    'select user_id, username from discourse_users where source = $1 and user_id > $2 order by user_id limit 1',
    [source, after],
  );
  return row ? { user_id: Number(row.user_id), username: row.username } : null;
}

export async function loadState(db: Database, source: string): Promise<BackfillState | null> {
  const [row] = await db.query<{ state: BackfillState }>('select state from discourse_cursors where source = $1', [source]);
  return row?.state ?? null;
}

async function saveState(db: Database, source: string, state: BackfillState): Promise<void> {
  await db.query(
    `insert into discourse_cursors (source, state) values ($1, $2)
     on conflict (source) do update set state = excluded.state, updated_at = now()`,
    [source, JSON.stringify(state)],
  );
}
