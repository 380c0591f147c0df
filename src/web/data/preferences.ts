import type { Queryable } from '../../db/database.ts';

/**
 * Leaderboards leave out members who chose to hide (Settings). As SQL, for a query whose member
 * id column is `column`.
 */
export const shownOnLeaderboards = (column: string): string =>
  `not exists (select 1 from member_preferences p where p.member_id = ${column} and p.leaderboard_hidden)`;

/** The members who chose to stay off public leaderboards. */
export async function hiddenFromLeaderboards(db: Queryable): Promise<Set<number>> {
  const rows = await db.query<{ member_id: number }>('select member_id from member_preferences where leaderboard_hidden');
  return new Set(rows.map((r) => Number(r.member_id)));
}
