import type { Queryable } from '../../../db/database.ts';

export const MEASURES = ['actions', 'hours', 'points'] as const;
export const CUTS = ['kind', 'role', 'tag', 'course', 'source', 'action'] as const;
export const GRAINS = ['day', 'week', 'month'] as const;
export type Measure = (typeof MEASURES)[number];
export type Cut = (typeof CUTS)[number];
export type Grain = (typeof GRAINS)[number];

/** The most periods one question may span: a year by day. */
export const MAX_PERIODS = 400;

/** Awards with no event (weekly goal, badges) are counted under this key, whatever the cut. */
export const BONUS = 'bonus';
/** An action the catalogue gives no tag, or an event on no course. */
export const NONE = '';

export interface Question {
  cut: Cut;
  grain: Grain;
  /** Dates in the community's zone, `to` not included. */
  from: string;
  to: string;
  zone: string;
}

/** One cell: a period (its first day), a key of the cut, and all three measures. */
export interface Cell {
  period: string;
  key: string;
  actions: number;
  minutes: number;
  points: number;
}

export interface Answer {
  periods: string[];
  cells: Cell[];
}

/** What each cut groups by, and the join that finds it (the action's catalogue entry is `a`). */
const CUT_SQL: Record<Cut, { join: string; key: string }> = {
  kind: { join: '', key: `coalesce(a.kind, '${NONE}')` },
  role: { join: '', key: `coalesce(a.role, '${NONE}')` },
  source: { join: '', key: 'e.source' },
  action: { join: '', key: 'e.action' },
  // An action with several tags counts under each; one with none under NONE.
  tag: { join: `cross join lateral unnest(case when cardinality(a.tags) > 0 then a.tags else array['${NONE}'] end) as t(tag)`, key: 't.tag' },
  // The course an event's object belongs to: the root of its content tree.
  course: { join: 'left join roots r on r.id = e.object_id', key: `coalesce(r.root, '${NONE}')` },
};

const ROOTS = `roots(id, root) as (
  select id, id from content where parent_id is null
  union all
  select c.id, r.root from content c join roots r on c.parent_id = r.id)`;

/**
 * Actions, effort minutes (the catalogue's estimate) and points per period and key of a cut, aggregated
 * in SQL: two grouped scans of the range (events by `events_time`, awards by `awards_time`), whatever
 * the number of members. Voided events and parked ones (no member yet) are not counted. An answer is
 * kept until the data it reads changes, so that moving between views of the same range is instant.
 */
export async function analytics(db: Queryable, q: Question): Promise<Answer> {
  const print = await fingerprint(db);
  let slot = answers.get(db);
  if (!slot || slot.print !== print) answers.set(db, (slot = { print, answers: new Map() }));
  const key = JSON.stringify(q);
  const known = slot.answers.get(key);
  if (known) return known;
  const answer = await compute(db, q);
  if (slot.answers.size >= KEPT_ANSWERS) slot.answers.delete(slot.answers.keys().next().value!);
  slot.answers.set(key, answer);
  return answer;
}

/** Answers kept per store while nothing they read has changed. */
const KEPT_ANSWERS = 64;
const answers = new WeakMap<Queryable, { print: string; answers: Map<string, Answer> }>();

/**
 * Changes whenever anything an answer reads may have changed, and costs a few index lookups: a new
 * event (ids only grow), a void, any ledger entry (every change of an award posts one), an edit of
 * the catalogue or of the content registry.
 */
async function fingerprint(db: Queryable): Promise<string> {
  const [row] = await db.query<{ print: string }>(
    `select concat_ws('|', (select max(id) from events), (select count(*) from event_voids), (select max(id) from entries),
       (select max(updated_at) from action_types), (select count(*) from action_types),
       (select max(updated_at) from content), (select count(*) from content)) as print`,
  );
  return row!.print;
}

async function compute(db: Queryable, q: Question): Promise<Answer> {
  const cut = CUT_SQL[q.cut];
  const withRoots = q.cut === 'course' ? `with recursive ${ROOTS}` : '';
  const range = [q.grain, q.zone, q.from, q.to];
  const bounds = `($3::date::timestamp at time zone $2)`;
  const until = `($4::date::timestamp at time zone $2)`;
  const [periods, events, awards] = await Promise.all([
    db.query<{ period: string }>(
      `select to_char(g, 'YYYY-MM-DD') as period
       from generate_series(date_trunc($1, $2::date::timestamp), $3::date::timestamp - interval '1 second', ('1 ' || $1)::interval) g`,
      [q.grain, q.from, q.to],
    ),
    db.query<{ period: string; key: string; actions: number; minutes: number }>(
      `${withRoots}
       select to_char(date_trunc($1, e.occurred_at at time zone $2), 'YYYY-MM-DD') as period, ${cut.key} as key,
         count(*)::int as actions, coalesce(sum(a.minutes), 0)::float8 as minutes
       from events e left join action_types a on a.key = e.action ${cut.join}
       where e.occurred_at >= ${bounds} and e.occurred_at < ${until} and e.member_id is not null
         and not exists (select 1 from event_voids v where v.event_id = e.id)
       group by 1, 2`,
      range,
    ),
    db.query<{ period: string; key: string; points: number }>(
      `${withRoots}
       select to_char(date_trunc($1, w.at at time zone $2), 'YYYY-MM-DD') as period,
         case when w.event_id is null then '${BONUS}' else ${cut.key} end as key, sum(w.points)::float8 as points
       from awards w left join events e on e.id = w.event_id left join action_types a on a.key = e.action ${cut.join}
       where w.at >= ${bounds} and w.at < ${until}
       group by 1, 2`,
      range,
    ),
  ]);
  const cells = new Map<string, Cell>();
  const cell = (period: string, key: string): Cell => {
    const id = `${period}|${key}`;
    let found = cells.get(id);
    if (!found) cells.set(id, (found = { period, key, actions: 0, minutes: 0, points: 0 }));
    return found;
  };
  for (const r of events) Object.assign(cell(r.period, r.key), { actions: r.actions, minutes: r.minutes });
  for (const r of awards) cell(r.period, r.key).points = r.points;
  return { periods: periods.map((p) => p.period), cells: [...cells.values()].sort((a, b) => a.period.localeCompare(b.period) || a.key.localeCompare(b.key)) };
}

/** How many periods of a grain a range spans. */
export function periodCount(grain: Grain, from: string, to: string): number {
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  return grain === 'day' ? days : grain === 'week' ? Math.ceil(days / 7) + 1 : Math.ceil(days / 28) + 1;
}

export const measureOf = (cell: Cell, measure: Measure): number =>
  measure === 'actions' ? cell.actions : measure === 'points' ? cell.points : Math.round(cell.minutes / 6) / 10;
