import type { Queryable } from '../db/database.ts';

/** Takes `count` fresh ids from a table's identity sequence, so rows can be written knowing their ids. */
export async function allocateIds(tx: Queryable, table: 'members' | 'events', count: number): Promise<number[]> {
  if (count === 0) return [];
  const rows = await tx.query<{ id: number }>(`select nextval(pg_get_serial_sequence('${table}', 'id')) as id from generate_series(1, $1)`, [count]);
  return rows.map((r) => r.id);
}
