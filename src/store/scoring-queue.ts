import type { Queryable } from '../db/database.ts';

/**
 * Marks members whose awards must be recomputed; called in the transaction that changed their
 * events. A member already waiting costs an index lookup; one a pass has claimed is unclaimed, so
 * that the pass does not clear a mark for events it may not have seen.
 */
export async function markForScoring(tx: Queryable, members: Iterable<number | null>): Promise<void> {
  // In id order, so that concurrent transactions marking the same members cannot deadlock.
  const ids = [...new Set([...members].filter((m): m is number => m !== null))].sort((a, b) => a - b);
  if (ids.length === 0) return;
  await tx.query(
    `insert into scoring_queue (member_id) select unnest($1::bigint[])
     on conflict (member_id) do update set claimed = false where scoring_queue.claimed`,
    [ids],
  );
}

/**
 * Marks the members of an ingested batch: one appended row, no per-member lock. It becomes visible
 * with the batch's events, so a pass that sees the mark also sees the events (see foldBatchMarks).
 */
export async function markBatchForScoring(tx: Queryable, members: Iterable<number | null>): Promise<void> {
  const ids = [...new Set([...members].filter((m): m is number => m !== null))];
  if (ids.length > 0) await tx.query('insert into scoring_marks (members) values ($1::bigint[])', [ids]);
}

/** Moves the marks of committed batches into the queue, as markForScoring would have made them. */
async function foldBatchMarks(db: Queryable): Promise<void> {
  await db.query(
    `with moved as (delete from scoring_marks returning members)
     insert into scoring_queue (member_id)
     select member_id from (select distinct unnest(members) as member_id from moved) marked order by member_id
     on conflict (member_id) do update set claimed = false where scoring_queue.claimed`,
  );
}

/** Claims up to `limit` marked members, oldest mark first, and returns them. */
export async function claimMarks(db: Queryable, limit: number): Promise<number[]> {
  await foldBatchMarks(db);
  const rows = await db.query<{ member_id: number }>(
    `update scoring_queue set claimed = true
     where member_id in (select member_id from scoring_queue order by marked_at, member_id limit $1)
     returning member_id`,
    [limit],
  );
  return rows.map((r) => r.member_id).sort((a, b) => a - b);
}

/** Clears the marks of members just scored, unless they were marked again since they were claimed. */
export async function clearMarks(tx: Queryable, members: number[]): Promise<void> {
  if (members.length > 0) await tx.query('delete from scoring_queue where member_id = any($1::bigint[]) and claimed', [members]);
}
