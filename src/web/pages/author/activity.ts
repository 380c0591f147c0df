import type { Queryable } from '../../../db/database.ts';

/**
 * Below this many learners a figure is not shown: a count of one or two learners' actions would
 * tell an author what a particular person did.
 */
export const MIN_LEARNERS = 3;

export interface Figures {
  actions: number;
  learners: number;
  minutes: number;
}

export interface ItemActivity {
  id: string;
  title: string;
  kind: string;
  recent: Figures;
  all: Figures;
}

export interface CourseActivity extends ItemActivity {
  /** The course's parts (sections...), deepest included, in id order. */
  parts: ItemActivity[];
  /** Actions per week (first day of the week → count), for weeks with enough learners. */
  weeks: Map<string, number>;
}

interface Placed {
  id: string;
  root: string;
}

/**
 * The content an author wrote and everything under it, each placed under the top-most item the
 * author wrote (a course they wrote and its sections form one tree, not two).
 */
async function authoredTree(db: Queryable, author: number): Promise<Placed[]> {
  const rows = await db.query<Placed & { depth: number }>(
    `with recursive tree(id, root, depth) as (
       select content_id, content_id, 0 from content_authors where member_id = $1
       union all
       select c.id, t.root, t.depth + 1 from content c join tree t on c.parent_id = t.id where t.depth < 20
     ) select id, root, depth from tree`,
    [author],
  );
  const inner = new Set(rows.filter((r) => r.depth > 0).map((r) => r.id));
  const placed = new Map<string, string>();
  for (const r of rows) if (!inner.has(r.root)) placed.set(r.id, r.root);
  return [...placed].map(([id, root]) => ({ id, root }));
}

const FIGURES = (since: string) => `
  count(e.id) filter (where e.occurred_at >= ${since})::int as recent_actions,
  count(distinct e.member_id) filter (where e.occurred_at >= ${since})::int as recent_learners,
  coalesce(sum(a.minutes) filter (where e.occurred_at >= ${since}), 0)::float8 as recent_minutes,
  count(e.id)::int as actions, count(distinct e.member_id)::int as learners, coalesce(sum(a.minutes), 0)::float8 as minutes`;

/** Learners' events on the placed items: the author's own actions, voided and parked events left out. */
const ON_ITEMS = `from json_to_recordset($1::json) as m(id text, root text)
  left join events e on e.object_id = m.id and e.member_id is not null and e.member_id <> $2
    and not exists (select 1 from event_voids v where v.event_id = e.id)
  left join action_types a on a.key = e.action`;

type FigureRow = { key: string; recent_actions: number; recent_learners: number; recent_minutes: number; actions: number; learners: number; minutes: number };

const figures = (r: FigureRow | undefined, recent: boolean): Figures =>
  r ? (recent ? { actions: r.recent_actions, learners: r.recent_learners, minutes: r.recent_minutes } : { actions: r.actions, learners: r.learners, minutes: r.minutes }) : { actions: 0, learners: 0, minutes: 0 };

/** An author's courses and their parts with learners' activity, aggregated in SQL by item and by course. */
export async function authorActivity(db: Queryable, author: number, options: { since: Date; weeksSince: Date; zone: string }): Promise<CourseActivity[]> {
  const placed = await authoredTree(db, author);
  if (placed.length === 0) return [];
  const items = JSON.stringify(placed);
  const since = options.since.toISOString();
  const [byItem, byRoot, weeks, titles] = await Promise.all([
    db.query<FigureRow>(`select m.id as key, ${FIGURES('$3')} ${ON_ITEMS} group by m.id`, [items, author, since]),
    db.query<FigureRow>(`select m.root as key, ${FIGURES('$3')} ${ON_ITEMS} group by m.root`, [items, author, since]),
    db.query<{ root: string; week: string; actions: number; learners: number }>(
      `select m.root, to_char(date_trunc('week', e.occurred_at at time zone $4), 'YYYY-MM-DD') as week, count(*)::int as actions, count(distinct e.member_id)::int as learners
       from json_to_recordset($1::json) as m(id text, root text)
       join events e on e.object_id = m.id and e.member_id is not null and e.member_id <> $2 and e.occurred_at >= $3
         and not exists (select 1 from event_voids v where v.event_id = e.id)
       group by 1, 2`,
      [items, author, options.weeksSince.toISOString(), options.zone],
    ),
    db.query<{ id: string; title: string; kind: string }>('select id, title, kind from content where id = any($1::text[])', [placed.map((p) => p.id)]),
  ]);
  const item = new Map(byItem.map((r) => [r.key, r]));
  const root = new Map(byRoot.map((r) => [r.key, r]));
  const title = new Map(titles.map((t) => [t.id, t]));
  const activity = (id: string, row: FigureRow | undefined): ItemActivity => ({
    id,
    title: title.get(id)?.title ?? id,
    kind: title.get(id)?.kind ?? '',
    recent: figures(row, true),
    all: figures(row, false),
  });
  const roots = [...new Set(placed.map((p) => p.root))].sort();
  return roots.map((r) => ({
    ...activity(r, root.get(r)),
    parts: placed.filter((p) => p.root === r && p.id !== r).map((p) => activity(p.id, item.get(p.id))).sort((a, b) => a.id.localeCompare(b.id)),
    weeks: new Map(weeks.filter((w) => w.root === r && w.learners >= MIN_LEARNERS).map((w) => [w.week, w.actions])),
  }));
}
