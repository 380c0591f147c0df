import type { Queryable } from '../db/database.ts';
import type { Currency } from '../payments/record.ts';
import type { ActionCount, Payer } from './allocate.ts';
import { type Authorship, resolveAuthors } from './authorship.ts';
import { nextPeriod, periodBounds } from './period.ts';
import type { RevenuePolicy } from './policy.ts';

/**
 * Which actions count in a period: those that occurred in it and were received by its close, and
 * (for the period right after a close) late ones, received after that close, that occurred in
 * earlier closed periods.
 */
export interface ActivityWindow {
  period: string;
  from: Date;
  to: Date;
  /** The period's close, or null while it is open. */
  closed_at: Date | null;
  /** Late actions: occurred from `late_from`, received after `late_after`. */
  late_from: Date | null;
  late_after: Date | null;
}

export async function activityWindow(db: Queryable, period: string): Promise<ActivityWindow> {
  const rows = await db.query<{ period: string; closed_at: Date }>('select period, closed_at from revenue_periods order by period');
  const own = rows.find((r) => r.period === period);
  const previous = rows.filter((r) => r.period < period).at(-1);
  const adjacent = previous !== undefined && nextPeriod(previous.period) === period;
  return {
    period,
    ...periodBounds(period),
    closed_at: own?.closed_at ?? null,
    late_from: adjacent ? periodBounds(rows[0]!.period).from : null,
    late_after: adjacent ? previous.closed_at : null,
  };
}

/** What each member paid for the period in a currency, net of refunds booked in it; by their member id now. */
export async function payersOf(db: Queryable, period: string, currency: Currency): Promise<Payer[]> {
  const rows = await db.query<{ member: number; amount: number }>(
    `select coalesce(m.merged_into, m.id) as member, sum(p.amount - coalesce(r.refunded, 0))::bigint as amount
     from payments p
     join members m on m.id = p.member_id
     left join (select payment_id, sum(amount) as refunded from payment_refunds where booked_period = $1 group by payment_id) r on r.payment_id = p.id
     where p.booked_period = $1 and p.currency = $2
     group by 1 having sum(p.amount - coalesce(r.refunded, 0)) > 0 order by 1`,
    [period, currency],
  );
  return rows.map((r) => ({ member: Number(r.member), amount: Number(r.amount) }));
}

const COUNTED = `
  e.object_id is not null and e.action = any($2::text[])
  and ((e.occurred_at >= $3 and e.occurred_at < $4)
       or ($6::timestamptz is not null and e.occurred_at >= $5 and e.occurred_at < $3 and e.received_at > $6))
  and ($7::timestamptz is null or e.received_at <= $7)
  and not exists (select 1 from event_voids v where v.event_id = e.id)`;

const windowParams = (w: ActivityWindow) => [w.from, w.to, w.late_from, w.late_after, w.closed_at];

/** How many times each member did each weighted action on each piece of content in the window. */
export async function actionCounts(db: Queryable, window: ActivityWindow, policy: RevenuePolicy, members: readonly number[]): Promise<ActionCount[]> {
  if (members.length === 0) return [];
  const rows = await db.query<{ member: number; content: string; action: string; count: number }>(
    `select e.member_id as member, e.object_id as content, e.action, count(*)::int as count
     from events e where e.member_id = any($1::bigint[]) and ${COUNTED}
     group by 1, 2, 3`,
    [members, Object.keys(policy.weights), ...windowParams(window)],
  );
  return rows.map((r) => ({ member: Number(r.member), content: r.content, action: r.action, count: r.count }));
}

/**
 * Which of `members` did a weighted action on any of `content` in the window. Found through the
 * content's index; the members are filtered here, since a long member list would make the planner
 * give up on that index.
 */
export async function membersWhoWorkedOn(db: Queryable, window: ActivityWindow, policy: RevenuePolicy, members: readonly number[], content: readonly string[]): Promise<number[]> {
  if (members.length === 0 || content.length === 0) return [];
  const rows = await db.query<{ member: number }>(
    `select distinct e.member_id as member from events e
     where e.object_id = any($1::text[]) and e.member_id is not null and ${COUNTED}`,
    [content, Object.keys(policy.weights), ...windowParams(window)],
  );
  const wanted = new Set(members);
  return rows.map((r) => Number(r.member)).filter((m) => wanted.has(m));
}

/** The content registry with who is paid for work on each piece (sections inherit their course's authors). */
export async function contentAuthors(db: Queryable): Promise<Map<string, Authorship[]>> {
  const rows = await db.query<{ id: string; parent_id: string | null; author: number | null; share: number | null }>(
    `select c.id, c.parent_id, a.member_id as author, a.share from content c left join content_authors a on a.content_id = c.id order by c.id, a.member_id`,
  );
  const nodes = new Map<string, { id: string; parent_id: string | null; authors: Authorship[] }>();
  for (const r of rows) {
    const node = nodes.get(r.id) ?? nodes.set(r.id, { id: r.id, parent_id: r.parent_id, authors: [] }).get(r.id)!;
    if (r.author !== null) node.authors.push({ author: Number(r.author), share: Number(r.share) });
  }
  return resolveAuthors([...nodes.values()]);
}
