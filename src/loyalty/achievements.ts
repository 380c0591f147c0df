import type { Queryable } from '../db/database.ts';

/** An achievement as the scoring engine reports it (`EarnedAchievement`); `at` is epoch ms. */
export interface AchievementFact {
  member: number;
  badge: string;
  at: number;
}

/** Records achievements for eligibility; the first time a member earned one is what is kept. */
export async function recordAchievements(db: Queryable, facts: AchievementFact[]): Promise<void> {
  if (facts.length === 0) return;
  await db.query(
    `insert into member_achievements (member_id, achievement, earned_at)
     select member_id, achievement, min(earned_at) from unnest($1::bigint[], $2::text[], $3::timestamptz[]) as f(member_id, achievement, earned_at)
     group by member_id, achievement
     on conflict (member_id, achievement) do update set earned_at = least(member_achievements.earned_at, excluded.earned_at)`,
    [facts.map((f) => f.member), facts.map((f) => f.badge), facts.map((f) => new Date(f.at).toISOString())],
  );
}

/** The achievements a member had earned by `now` (epoch ms). */
export async function memberAchievements(db: Queryable, member: number, now: number): Promise<string[]> {
  const rows = await db.query<{ achievement: string }>(
    'select achievement from member_achievements where member_id = $1 and earned_at <= $2 order by achievement',
    [member, new Date(now).toISOString()],
  );
  return rows.map((r) => r.achievement);
}
