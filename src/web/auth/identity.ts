import { createHash } from 'node:crypto';
import type { Queryable } from '../../db/database.ts';

/**
 * E-mail identities are stored as ('email', hex SHA-256 of the trimmed, lower-cased address):
 * Vklad can recognise an address without keeping it.
 */
export const emailIdentity = (address: string): { provider: 'email'; external_id: string } => ({
  provider: 'email',
  external_id: createHash('sha256').update(address.trim().toLowerCase()).digest('hex'),
});

/** The member an identity belongs to now, following merges; null when no member holds it. */
export async function memberByIdentity(db: Queryable, provider: string, externalId: string): Promise<number | null> {
  const [row] = await db.query<{ id: number }>(
    `with recursive chain(id, depth) as (
       select member_id, 0 from identities where provider = $1 and external_id = $2
       union all
       select m.merged_into, c.depth + 1 from chain c join members m on m.id = c.id where m.merged_into is not null and c.depth < 10
     )
     select id from chain order by depth desc limit 1`,
    [provider, externalId],
  );
  return row?.id ?? null;
}

/** The member that remains of `member` after any merges. */
export async function currentMember(db: Queryable, member: number): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `with recursive chain(id, depth) as (
       select $1::bigint, 0
       union all
       select m.merged_into, c.depth + 1 from chain c join members m on m.id = c.id where m.merged_into is not null and c.depth < 10
     )
     select id from chain order by depth desc limit 1`,
    [member],
  );
  return row!.id;
}
