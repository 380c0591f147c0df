import type { Queryable } from '../../db/database.ts';
import { getBalance } from '../../ledger/reads.ts';
import { memberAccount } from '../../ledger/conventions.ts';
import { type LevelStanding, memberStanding } from '../../loyalty/levels.ts';
import type { TrailStep } from '../../scoring/index.ts';
import { dateOfWeek, weekOfDay } from '../../scoring/time-zone.ts';
import { type AwardView, memberAchievements, memberAwards } from '../../store/awards.ts';
import { type PolicyFacts, type Title, policyFacts } from './policy.ts';

export const WEEKS_SHOWN = 12;
const RECENT = 10;

export interface WeekEffort {
  /** The Monday the week starts on, YYYY-MM-DD. */
  start: string;
  minutes: number;
}

export interface BadgeProgress {
  id: string;
  title: Title | null;
  value: number;
  target: number;
}

export interface Home {
  available: number;
  pending: number;
  standing: LevelStanding;
  streakDays: number;
  goalMinutes: number;
  /** Oldest first; the last is the current week. */
  weeks: WeekEffort[];
  badges: { id: string; title: Title | null; n: number; at: number }[];
  nextBadges: BadgeProgress[];
  recent: AwardView[];
  facts: PolicyFacts;
}

// A gate that stopped an action (too short, from oneself...) also stops its minutes and its day counting as active.
const stopped = (trail: readonly TrailStep[]): boolean => trail.some((s) => (s.rule === 'when' || s.rule === 'peer') && s.factor === 0);

/** Everything the member home shows, read in a handful of queries. `now` is epoch ms. */
export async function memberHome(db: Queryable, member: number, now: number): Promise<Home> {
  const facts = await policyFacts(db, now);
  const { zone, policy, goalMinutes } = facts;
  const today = zone.day(now);
  const thisWeek = weekOfDay(today);
  const firstWeek = thisWeek - WEEKS_SHOWN + 1;
  const since = zone.midnight(dateOfWeek(firstWeek));

  const [available, pending, standing, earned, recent, acted] = await Promise.all([
    getBalance(db, memberAccount.available(member)),
    getBalance(db, memberAccount.pending(member)),
    memberStanding(db, member, now),
    memberAchievements(db, member),
    memberAwards(db, member, { limit: RECENT }),
    db.query<{ action: string; at: Date; trail: TrailStep[] }>(
      `select e.action, a.at, a.trail from awards a join events e on e.id = a.event_id
       where a.member_id = $1 and a.at >= $2 and a.at <= $3`,
      [member, new Date(since).toISOString(), new Date(now).toISOString()],
    ),
  ]);

  const minutes = new Array<number>(WEEKS_SHOWN).fill(0);
  const activeDays = new Set<number>();
  const streakOn = new Map<number, number>();
  for (const row of acted) {
    if (stopped(row.trail)) continue;
    const rule = policy?.actions[row.action];
    const day = zone.day(row.at.getTime());
    minutes[weekOfDay(day) - firstWeek]! += rule?.minutes ?? 0;
    if (rule?.active === false) continue;
    activeDays.add(day);
    for (const step of row.trail) if (step.rule === 'streak' && 'days' in step) streakOn.set(day, Math.max(streakOn.get(day) ?? 0, step.days));
  }
  const streakDays = currentStreak(activeDays, streakOn, today);
  const weeks = minutes.map((m, i) => ({ start: dateOfWeek(firstWeek + i), minutes: m }));

  const titles = new Map((policy?.achievements ?? []).map((b) => [b.id, b.title ?? null]));
  const latest = new Map<string, { n: number; at: number }>();
  for (const a of earned) latest.set(a.badge, { n: a.n, at: a.at });
  const badges = [...latest].map(([id, { n, at }]) => ({ id, title: titles.get(id) ?? null, n, at })).sort((a, b) => b.at - a.at);

  return {
    available: available.available,
    pending: pending.balance,
    standing,
    streakDays,
    goalMinutes,
    weeks,
    badges,
    nextBadges: await nextBadges(db, member, facts, new Set(latest.keys()), { streakDays, weeks, goalMinutes }),
    recent: recent.awards,
    facts,
  };
}

/**
 * Consecutive active days up to today (or yesterday: today is not over). The rule trail of the
 * last active day knows the streak's length exactly; without a streak rule the days are counted.
 */
export function currentStreak(activeDays: ReadonlySet<number>, streakOn: ReadonlyMap<number, number>, today: number): number {
  const last = activeDays.has(today) ? today : activeDays.has(today - 1) ? today - 1 : null;
  if (last === null) return 0;
  const told = streakOn.get(last);
  if (told !== undefined) return told;
  let days = 0;
  while (activeDays.has(last - days)) days += 1;
  return days;
}

/** Weeks in a row, up to this one, that met the goal; this week counts only once met. */
export function goalRun(weeks: readonly WeekEffort[], goalMinutes: number): number {
  let run = 0;
  for (let i = weeks.length - 1; i >= 0; i--) {
    const met = weeks[i]!.minutes >= goalMinutes;
    if (met) run += 1;
    else if (i !== weeks.length - 1) break;
  }
  return run;
}

/** Badges not yet earned, closest to being earned first. */
async function nextBadges(
  db: Queryable,
  member: number,
  facts: PolicyFacts,
  earned: ReadonlySet<string>,
  now: { streakDays: number; weeks: WeekEffort[]; goalMinutes: number },
): Promise<BadgeProgress[]> {
  const open = (facts.policy?.achievements ?? []).filter((b) => !earned.has(b.id));
  const counted = [...new Set(open.flatMap((b) => (b.when.count ? [b.when.count.action] : [])))];
  const counts = new Map<string, number>();
  if (counted.length > 0) {
    // The member's recorded actions (voided ones aside), read through the events' member index: joining
    // awards to events here makes the planner scan every event of those actions.
    const rows = await db.query<{ action: string; n: number }>(
      `select action, count(*)::int as n from events e
       where member_id = $1 and action = any($2::text[]) and not exists (select 1 from event_voids v where v.event_id = e.id)
       group by action`,
      [member, counted],
    );
    for (const r of rows) counts.set(r.action, r.n);
  }
  const activeWeeks = goalRun(now.weeks, 1);
  const progress = open.flatMap((b): BadgeProgress[] => {
    const w = b.when;
    const [value, target] =
      w.count ? [counts.get(w.count.action) ?? 0, w.count.at_least]
      : w.streak_days !== undefined ? [now.streakDays, w.streak_days]
      : w.goal_weeks !== undefined ? [goalRun(now.weeks, now.goalMinutes), w.goal_weeks]
      : w.streak_weeks !== undefined ? [activeWeeks, w.streak_weeks]
      : [0, 0];
    // Within reach: begun, not finished.
    return target > 0 && value > 0 ? [{ id: b.id, title: b.title ?? null, value: Math.min(value, target), target }] : [];
  });
  return progress.sort((a, b) => b.value / b.target - a.value / a.target || a.id.localeCompare(b.id)).slice(0, 3);
}
