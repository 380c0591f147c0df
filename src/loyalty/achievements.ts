import type { Queryable } from '../db/database.ts';

/** The badges a member had earned by `now` (epoch ms), as the last scoring pass found them. */
export async function badgesEarned(db: Queryable, member: number, now: number): Promise<string[]> {
  const rows = await db.query<{ badge: string }>(
    'select distinct badge from achievements where member_id = $1 and at <= $2 order by badge',
    [member, new Date(now).toISOString()],
  );
  return rows.map((r) => r.badge);
}
