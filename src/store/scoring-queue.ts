import type { Queryable } from '../db/database.ts';

export interface Mark {
  member_id: number;
  mark: number;
}

/** Marks members whose awards must be recomputed; called in the transaction that changed their events. */
export async function markForScoring(tx: Queryable, members: Iterable<number | null>): Promise<void> {
  // In id order, so that concurrent transactions marking the same members cannot deadlock.
  const ids = [...new Set([...members].filter((m): m is number => m !== null))].sort((a, b) => a - b);
  if (ids.length === 0) return;
  await tx.query(
    `insert into scoring_queue (member_id) select unnest($1::bigint[])
     on conflict (member_id) do update set mark = nextval('scoring_marks')`,
    [ids],
  );
}

/** Up to `limit` marked members, oldest mark first. */
export async function queuedMarks(db: Queryable, limit: number): Promise<Mark[]> {
  return db.query<Mark>('select member_id, mark from scoring_queue order by mark limit $1', [limit]);
}

/** Clears the marks a scoring pass saw; a member marked again since stays queued. */
export async function clearMarks(tx: Queryable, marks: Mark[]): Promise<void> {
  if (marks.length === 0) return;
  await tx.query(
    `delete from scoring_queue q using json_to_recordset($1::json) as m(member_id bigint, mark bigint)
     where q.member_id = m.member_id and q.mark = m.mark`,
    [JSON.stringify(marks)],
  );
}
