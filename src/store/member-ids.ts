import type { Queryable } from '../db/database.ts';

/** Takes `count` fresh member ids from the sequence, so rows can be written knowing their ids. */
export async function allocateMemberIds(tx: Queryable, count: number): Promise<number[]> {
  const rows = await tx.query<{ id: number }>(
    "select nextval(pg_get_serial_sequence('members', 'id')) as id from generate_series(1, $1)",
    [count],
  );
  return rows.map((r) => r.id);
}
