import type { Database, Queryable } from '../db/database.ts';
import { conflict, invalid, notFound } from '../errors.ts';
import { audit } from './audit.ts';
import { allocateIds } from './ids.ts';
import { markForScoring } from './scoring-queue.ts';
import { changeResolutions } from './resolution-cache.ts';
import { LOCK_IDENTITIES_SQL } from './identity-lock.ts';

export interface IdentityRef {
  provider: string;
  external_id: string;
}

export interface NewMember {
  display_name?: string | null | undefined;
  roles?: string[] | undefined;
  identities?: IdentityRef[] | undefined;
}

export interface MemberView {
  id: number;
  display_name: string | null;
  roles: string[];
  identities: (IdentityRef & { linked_at: string })[];
  merged_into: number | null;
  created_at: string;
}

/** Creates members with their roles and identities in one transaction; an identity someone already holds is a conflict. */
export async function createMembers(db: Database, members: NewMember[], actor: string): Promise<number[]> {
  return db.transaction(async (tx) => {
    const identities = members.flatMap((m, item) => (m.identities ?? []).map((i) => ({ ...i, item })));
    if (identities.length > 0) {
      await changeResolutions(tx);
      await tx.query(LOCK_IDENTITIES_SQL, [JSON.stringify(identities)]);
    }
    const taken = await tx.query<IdentityRef & { member_id: number }>(
      `select i.provider, i.external_id, i.member_id from identities i
       join json_to_recordset($1::json) as k(provider text, external_id text) using (provider, external_id)`,
      [JSON.stringify(identities)],
    );
    if (taken.length > 0) {
      const errors = taken.map((t) => ({
        field: 'identities',
        reason: `${t.provider}:${t.external_id} already belongs to member ${t.member_id}`,
        item: identities.find((i) => i.provider === t.provider && i.external_id === t.external_id)!.item,
      }));
      throw conflict('An identity is already linked to another member', errors);
    }
    const ids = await allocateIds(tx, 'members', members.length);
    await tx.query(
      `insert into members (id, display_name, roles)
       select id, display_name, coalesce(array(select jsonb_array_elements_text(roles)), '{}')
       from json_to_recordset($1::json) as m(id bigint, display_name text, roles jsonb)`,
      [JSON.stringify(members.map((m, n) => ({ id: ids[n], display_name: m.display_name ?? null, roles: unique(m.roles ?? []) })))],
    );
    await tx.query(
      `insert into identities (provider, external_id, member_id)
       select provider, external_id, member_id from json_to_recordset($1::json) as k(provider text, external_id text, member_id bigint)`,
      [JSON.stringify(identities.map((i) => ({ provider: i.provider, external_id: i.external_id, member_id: ids[i.item]! })))],
    );
    if (identities.length > 0) await attributeParked(tx);
    if (members.length <= 100) {
      for (const id of ids) await audit(tx, actor, 'member.create', `member:${id}`, {});
    } else {
      await audit(tx, actor, 'member.create_bulk', `members:${ids[0]}-${ids.at(-1)}`, { count: ids.length });
    }
    return ids;
  });
}

const unique = <T>(values: T[]): T[] => [...new Set(values)];

export async function getMember(db: Queryable, id: number): Promise<MemberView> {
  const [member] = await db.query<{ id: number; display_name: string | null; roles: string[]; merged_into: number | null; created_at: Date }>(
    'select id, display_name, roles, merged_into, created_at from members where id = $1',
    [id],
  );
  if (!member) throw notFound(`Member ${id}`);
  const identities = await db.query<IdentityRef & { linked_at: Date }>(
    'select provider, external_id, linked_at from identities where member_id = $1 order by provider, external_id',
    [id],
  );
  return {
    ...member,
    created_at: member.created_at.toISOString(),
    identities: identities.map((i) => ({ ...i, linked_at: i.linked_at.toISOString() })),
  };
}

async function lockLiveMember(tx: Queryable, id: number, field: string): Promise<{ roles: string[] }> {
  const [row] = await tx.query<{ roles: string[]; merged_into: number | null }>(
    'select roles, merged_into from members where id = $1 for update',
    [id],
  );
  if (!row) throw invalid([{ field, reason: `member ${id} does not exist` }]);
  if (row.merged_into !== null) throw invalid([{ field, reason: `member ${id} was merged into member ${row.merged_into}` }]);
  return row;
}

/** The roles of each of these members. */
export async function rolesOf(db: Queryable, members: number[]): Promise<Map<number, string[]>> {
  const rows = await db.query<{ id: number; roles: string[] }>('select id, roles from members where id = any($1::bigint[])', [members]);
  return new Map(rows.map((r) => [r.id, r.roles]));
}

export async function setRoles(db: Database, id: number, roles: string[], actor: string): Promise<MemberView> {
  return db.transaction(async (tx) => {
    const before = await lockLiveMember(tx, id, 'id');
    const after = unique(roles).sort();
    await tx.query('update members set roles = $2 where id = $1', [id, after]);
    await audit(tx, actor, 'member.roles', `member:${id}`, { before: before.roles, after });
    // Role multipliers apply to the member's awards: they are recomputed with the new roles.
    await markForScoring(tx, [id]);
    return getMember(tx, id);
  });
}

/**
 * Links an identity to a member. Events parked under that identity are attributed to the member
 * now; the count is returned.
 */
export async function linkIdentity(db: Database, memberId: number, identity: IdentityRef, actor: string): Promise<{ member: MemberView; parked_events_attributed: number }> {
  return db.transaction(async (tx) => {
    await changeResolutions(tx);
    await lockLiveMember(tx, memberId, 'member_id');
    await tx.query(LOCK_IDENTITIES_SQL, [JSON.stringify([identity])]);
    const [holder] = await tx.query<{ member_id: number }>(
      'select member_id from identities where provider = $1 and external_id = $2',
      [identity.provider, identity.external_id],
    );
    if (holder && holder.member_id !== memberId) {
      throw conflict(`${identity.provider}:${identity.external_id} already belongs to member ${holder.member_id}; merge the members instead`, [
        { field: 'external_id', reason: `is linked to member ${holder.member_id}` },
      ]);
    }
    let attributed = 0;
    if (!holder) {
      await tx.query('insert into identities (provider, external_id, member_id) values ($1, $2, $3)', [
        identity.provider,
        identity.external_id,
        memberId,
      ]);
      attributed = await attributeParked(tx);
      await audit(tx, actor, 'identity.link', `member:${memberId}`, { ...identity, parked_events_attributed: attributed });
    }
    return { member: await getMember(tx, memberId), parked_events_attributed: attributed };
  });
}

/** Events parked under identities that now belong to a member are attributed to that member; returns how many. */
async function attributeParked(tx: Queryable): Promise<number> {
  const rows = await tx.query<{ member_id: number }>(
    `update events e set member_id = i.member_id from identities i
     where e.member_id is null and i.provider = e.actor_provider and i.external_id = e.actor_external_id
     returning e.member_id`,
  );
  await markForScoring(tx, rows.map((r) => r.member_id));
  return rows.length;
}

export interface MergeResult {
  member: MemberView;
  identities_moved: number;
  events_moved: number;
}

/**
 * Merges member `from` into member `into`: identities, events, roles and authorship move; `from`
 * remains as a pointer to `into`, so anything that still names it finds the survivor.
 */
export async function mergeMembers(db: Database, from: number, into: number, actor: string): Promise<MergeResult> {
  if (from === into) throw invalid([{ field: 'into', reason: 'must differ from the member being merged' }]);
  return db.transaction(async (tx) => {
    await changeResolutions(tx);
    // Lock both in id order so two opposite merges cannot deadlock.
    const [low, high] = from < into ? [from, into] : [into, from];
    const locked = new Map([
      [low, await lockLiveMember(tx, low, low === from ? 'from' : 'into')],
      [high, await lockLiveMember(tx, high, high === from ? 'from' : 'into')],
    ]);
    const roles = unique([...locked.get(into)!.roles, ...locked.get(from)!.roles]).sort();
    const identities = await tx.query('update identities set member_id = $2 where member_id = $1 returning provider', [from, into]);
    const events = await tx.query('update events set member_id = $2 where member_id = $1 returning id', [from, into]);
    await tx.query(
      `insert into content_authors (content_id, member_id, share)
       select content_id, $2, share from content_authors where member_id = $1
       on conflict (content_id, member_id) do update set share = content_authors.share + excluded.share`,
      [from, into],
    );
    await tx.query('delete from content_authors where member_id = $1', [from]);
    await tx.query('update members set roles = $2 where id = $1', [into, roles]);
    await tx.query('update members set merged_into = $2 where id = $1 or merged_into = $1', [from, into]);
    // The survivor's awards now include the merged member's history; the merged member's are withdrawn.
    await markForScoring(tx, [from, into]);
    const result = { identities_moved: identities.length, events_moved: events.length };
    await audit(tx, actor, 'member.merge', `member:${into}`, { from, into, ...result });
    return { member: await getMember(tx, into), ...result };
  });
}
