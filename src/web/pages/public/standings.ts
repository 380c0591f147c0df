import type { Queryable } from '../../../db/database.ts';

export const PERIODS = ['week', 'month', 'all'] as const;
export const KINDS = ['all', 'contribution'] as const;
export type Period = (typeof PERIODS)[number];
export type Kind = (typeof KINDS)[number];

export interface Standing {
  member: number;
  name: string | null;
  points: number;
}

/** Rankings are a sum over every award of the period: computed at most this often. */
export const STANDINGS_TTL_MS = 30_000;

const cache = new WeakMap<Queryable, Map<string, { at: number; rows: Standing[] }>>();

/**
 * Every member with points in the period (this week or month in the community's zone, or all time),
 * best first, ties by member number. Hidden members are not removed here but by `visible`, so that
 * hiding oneself takes effect at once although the sums are cached.
 */
export async function standings(db: Queryable, period: Period, kind: Kind, now: Date, zone: string): Promise<Standing[]> {
  const key = `${period}|${kind}|${zone}`;
  const slot = cache.get(db) ?? new Map();
  cache.set(db, slot);
  const hit = slot.get(key);
  if (hit && now.getTime() - hit.at < STANDINGS_TTL_MS && now.getTime() >= hit.at) return hit.rows;
  const from = period === 'all' ? null : `date_trunc('${period}', $1::timestamptz at time zone $2) at time zone $2`;
  const contribution = kind === 'contribution';
  const rows = await db.query<{ member: number; name: string | null; points: number }>(
    `select w.member_id as member, m.display_name as name, sum(w.points)::float8 as points
     from awards w join members m on m.id = w.member_id and m.merged_into is null
     ${contribution ? `join events e on e.id = w.event_id join action_types a on a.key = e.action and a.kind = 'contribution'` : ''}
     where w.at <= $1 ${from ? `and w.at >= ${from}` : 'and $2::text is not null'}
     group by w.member_id, m.display_name having sum(w.points) > 0
     order by points desc, member`,
    [now.toISOString(), zone],
  );
  const result = rows.map((r) => ({ member: Number(r.member), name: r.name, points: r.points }));
  slot.set(key, { at: now.getTime(), rows: result });
  return result;
}

/** The standings of the members who chose to appear, ranked among themselves: equal points share a place. */
export function visible(all: readonly Standing[], optedIn: ReadonlySet<number>): (Standing & { rank: number })[] {
  const shown = all.filter((s) => optedIn.has(s.member));
  let rank = 0;
  return shown.map((s, i) => {
    if (i === 0 || s.points !== shown[i - 1]!.points) rank = i + 1;
    return { ...s, rank };
  });
}
