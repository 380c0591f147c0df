import type { Queryable } from '../../db/database.ts';

/** Public leaderboards are opt-in: the members who chose, in their settings, to appear on them. */
export async function shownOnLeaderboards(db: Queryable): Promise<Set<number>> {
  const rows = await db.query<{ member_id: number }>('select member_id from member_preferences where leaderboard_shown');
  return new Set(rows.map((r) => Number(r.member_id)));
}
