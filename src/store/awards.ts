import { copyRow } from '../db/copy-text.ts';
import type { Queryable } from '../db/database.ts';
import { invalid } from '../errors.ts';
import type { Award, EarnedAchievement, TrailStep } from '../scoring/index.ts';

/** An award as stored: what it gave and the trail that explains it. */
export type StoredAward = Award;

interface Row {
  key: string;
  member_id: number;
  event_id: number | null;
  points: number;
  at: Date;
  policy_version: string;
  pending_until: Date;
  trail: TrailStep[];
}

const fromRow = (r: Row): StoredAward => ({
  key: r.key,
  member: r.member_id,
  event_id: r.event_id,
  points: r.points,
  at: r.at.getTime(),
  policy_version: r.policy_version,
  pending_until: r.pending_until.getTime(),
  trail: r.trail,
});

const COLUMNS = 'key, member_id, event_id, points, at, policy_version, pending_until, trail';

/** The stored awards of some members. */
export async function storedAwards(db: Queryable, members: number[]): Promise<StoredAward[]> {
  const rows = await db.query<Row>(`select ${COLUMNS} from awards where member_id = any($1::bigint[])`, [members]);
  return rows.map(fromRow);
}

/** A stored award with its trail as the exact JSON text stored, to compare a recomputed award with. */
export type StoredAwardText = Omit<StoredAward, 'trail'> & { trail_json: string };

/** The stored awards of some members, times as epoch ms and trails as stored text: what a scoring pass compares. */
export async function storedAwardTexts(db: Queryable, members: number[]): Promise<StoredAwardText[]> {
  const rows = await db.query<{ key: string; member_id: number; event_id: number | null; points: number; at: number; policy_version: string; pending_until: number; trail_json: string }>(
    `select key, member_id, event_id, points, (extract(epoch from at) * 1000)::bigint as at, policy_version,
       (extract(epoch from pending_until) * 1000)::bigint as pending_until, trail::text as trail_json
     from awards where member_id = any($1::bigint[])`,
    [members],
  );
  return rows.map((r) => ({ ...r, member: r.member_id }));
}

/** Replaces the stored awards under these keys; `removed` keys are deleted. */
export async function saveAwards(tx: Queryable, changed: readonly Award[], removed: readonly string[]): Promise<void> {
  const keys = [...changed.map((a) => a.key), ...removed];
  if (keys.length > 0) await tx.query('delete from awards where key = any($1::text[])', [keys]);
  if (changed.length === 0) return;
  const iso = (ms: number) => new Date(ms).toISOString();
  const rows = changed.map((a) => copyRow([a.key, a.member, a.event_id, a.points, iso(a.at), a.policy_version, iso(a.pending_until), JSON.stringify(a.trail)]));
  await tx.copyFrom(`copy awards (${COLUMNS}) from stdin`, rows.join(''));
}

/** Replaces the achievements of these members with what the engine found. */
export async function saveAchievements(tx: Queryable, members: number[], earned: readonly EarnedAchievement[]): Promise<void> {
  await tx.query('delete from achievements where member_id = any($1::bigint[])', [members]);
  if (earned.length === 0) return;
  await tx.query(
    `insert into achievements (member_id, badge, n, at)
     select member_id, badge, n, to_timestamp(at / 1000.0) from json_to_recordset($1::json) as a(member_id bigint, badge text, n integer, at bigint)`,
    [JSON.stringify(earned.map((a) => ({ member_id: a.member, badge: a.badge, n: a.n, at: a.at })))],
  );
}

/** An award as members see it: with the action it was given for (none for goal and badge bonuses). */
export type AwardView = StoredAward & { action: string | null };

export interface AwardPage {
  awards: AwardView[];
  next_cursor: string | null;
}

/** A member's awards, newest first, with cursor paging. */
export async function memberAwards(db: Queryable, member: number, options: { limit: number; cursor?: string | null | undefined }): Promise<AwardPage> {
  const [at, key] = options.cursor ? decodeCursor(options.cursor) : [null, null];
  const rows = await db.query<Row & { action: string | null }>(
    `select a.key, a.member_id, a.event_id, a.points, a.at, a.policy_version, a.pending_until, a.trail, e.action
     from awards a left join events e on e.id = a.event_id
     where a.member_id = $1 and ($2::timestamptz is null or (a.at, a.key) < ($2, $3))
     order by a.at desc, a.key desc limit $4`,
    [member, at, key, options.limit + 1],
  );
  const page = rows.slice(0, options.limit).map((r) => ({ ...fromRow(r), action: r.action }));
  const last = page.at(-1);
  return { awards: page, next_cursor: rows.length > options.limit && last ? encodeCursor(last) : null };
}

export async function memberAchievements(db: Queryable, member: number): Promise<EarnedAchievement[]> {
  const rows = await db.query<{ badge: string; n: number; at: Date }>('select badge, n, at from achievements where member_id = $1 order by at, badge, n', [member]);
  return rows.map((r) => ({ member, badge: r.badge, n: r.n, at: r.at.getTime() }));
}

const encodeCursor = (a: StoredAward): string => Buffer.from(JSON.stringify([new Date(a.at).toISOString(), a.key])).toString('base64url');

function decodeCursor(cursor: string): [string, string] {
  try {
    const [at, key] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && typeof key === 'string' && !Number.isNaN(Date.parse(at))) return [at, key];
  } catch {
    // not base64url JSON: reported below like any other foreign cursor
  }
  throw invalid([{ field: 'cursor', reason: 'is not a cursor this API returned' }]);
}
