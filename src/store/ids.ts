import type { Queryable } from '../db/database.ts';

/** How many ids one call of each table's identity sequence hands out (its `increment by`). */
const BLOCK = { members: 1, events: 64 } as const;

/** Takes `count` fresh ids from a table's identity sequence, so rows can be written knowing their ids. */
export async function allocateIds(tx: Queryable, table: keyof typeof BLOCK, count: number): Promise<number[]> {
  if (count === 0) return [];
  const block = BLOCK[table];
  const starts = await tx.query<{ id: number }>(
    `select nextval(pg_get_serial_sequence('${table}', 'id')) as id from generate_series(1, $1)`,
    [Math.ceil(count / block)],
  );
  const ids: number[] = new Array(count);
  for (let i = 0; i < count; i += 1) ids[i] = starts[Math.floor(i / block)]!.id + (i % block);
  return ids;
}
