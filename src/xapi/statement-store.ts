import type { Database, Queryable } from '../db/database.ts';
import { type FieldError, conflict, invalid } from '../errors.ts';
import { activitiesIn, agentIds, agentKey, indexOf } from './agents.ts';
import { type Attachments, storeAttachments } from './attachments.ts';
import { comparable } from './statement-form.ts';
import { VOIDED_VERB, isRecord } from './values.ts';

type Json = Record<string, unknown>;

/** A statement ready to store: `statement` is the stored form; `incoming` what the client sent. */
export interface Prepared {
  statement: Json;
  incoming: Json;
}

export interface StoreResult {
  /** Ids of statements stored now (an equivalent repeat is not among them). */
  stored: string[];
  /** Statements stored before, sent again, that never went through the mapping. */
  unmapped: Json[];
  /** Ids of statements that a voiding statement in this request (or earlier) voids now. */
  voidedNow: string[];
}

const idOf = (s: Json): string => String(s.id).toLowerCase();
const voidTarget = (s: Json): string | null =>
  isRecord(s.verb) && s.verb.id === VOIDED_VERB && isRecord(s.object) ? String(s.object.id).toLowerCase() : null;

/**
 * Stores statements all or nothing. A statement whose id is taken is fine when it is equivalent
 * (nothing changes) and a 409 when it differs; a voiding statement may not void a voiding statement.
 */
export async function storeStatements(db: Database, batch: Prepared[], attachments: Attachments = new Map()): Promise<StoreResult> {
  const seen = new Set<string>();
  const duplicates: FieldError[] = [];
  batch.forEach(({ statement }, item) => {
    if (seen.has(idOf(statement))) duplicates.push({ item, field: 'id', reason: 'appears twice in this batch' });
    seen.add(idOf(statement));
  });
  if (duplicates.length > 0) throw invalid(duplicates, 'A batch must not contain two statements with one id');
  try {
    return await storeOnce(db, batch, attachments);
  } catch (error) {
    // Another request stored one of these ids between our read and our insert: compare again with it stored.
    if ((error as { code?: string }).code !== '23505') throw error;
    return storeOnce(db, batch, attachments);
  }
}

function storeOnce(db: Database, batch: Prepared[], attachments: Attachments): Promise<StoreResult> {
  return db.transaction(async (tx) => {
    const ids = batch.map((p) => idOf(p.statement));
    const existing = new Map(
      (
        await tx.query<{ id: string; body: string; pending: boolean }>(
          'select id, body, mapped_at is null and voided_by is null as pending from xapi_statements where id = any($1)',
          [ids],
        )
      ).map((r) => [r.id, r]),
    );
    const conflicts: FieldError[] = [];
    const fresh: Prepared[] = [];
    const unmapped: Json[] = [];
    batch.forEach((p, item) => {
      const row = existing.get(idOf(p.statement));
      if (row === undefined) return fresh.push(p);
      const stored = JSON.parse(row.body) as Json;
      if (comparable(stored, p.incoming.timestamp === undefined) !== comparable(p.incoming, false)) {
        conflicts.push({ item, field: 'id', reason: `statement ${idOf(p.statement)} is stored with different content` });
      } else if (row.pending) unmapped.push(stored);
    });
    if (conflicts.length > 0) throw conflict('A statement with this id is stored with different content; statements are immutable', conflicts);

    await checkVoiding(tx, fresh);
    await insertStatements(tx, fresh.map((p) => p.statement));
    await storeAttachments(tx, attachments);
    const voidedNow = await applyVoids(tx, fresh.map((p) => p.statement));
    await rememberActivities(tx, fresh.map((p) => p.statement));
    await rememberNames(tx, fresh.map((p) => p.statement));
    return { stored: fresh.map((p) => idOf(p.statement)), unmapped, voidedNow };
  });
}

async function checkVoiding(tx: Queryable, fresh: Prepared[]): Promise<void> {
  const targets = fresh.map((p) => voidTarget(p.statement));
  const wanted = targets.filter((t): t is string => t !== null);
  if (wanted.length === 0) return;
  const voidingHere = new Set(fresh.filter((p) => voidTarget(p.statement) !== null).map((p) => idOf(p.statement)));
  const stored = await tx.query<{ id: string }>('select id from xapi_statements where id = any($1) and voids is not null', [wanted]);
  const voiding = new Set([...voidingHere, ...stored.map((r) => r.id)]);
  const errors = targets.flatMap((target, item) =>
    target !== null && voiding.has(target) ? [{ item, field: 'object.id', reason: 'a voiding statement cannot be voided' }] : [],
  );
  if (errors.length > 0) throw invalid(errors, 'A voiding statement cannot be voided');
}

/** Stores new statements in one insert, with the columns the queries filter on. */
async function insertStatements(tx: Queryable, statements: Json[]): Promise<void> {
  if (statements.length === 0) return;
  const rows = statements.map((statement, n) => {
    const index = indexOf(statement);
    const context = isRecord(statement.context) ? statement.context : {};
    const object = isRecord(statement.object) ? statement.object : {};
    return {
      id: idOf(statement),
      body: JSON.stringify(statement),
      stored: statement.stored,
      verb_id: (statement.verb as Json).id,
      agents: index.agents,
      related_agents: index.relatedAgents,
      activities: index.activities,
      related_activities: index.relatedActivities,
      registration: typeof context.registration === 'string' ? context.registration.toLowerCase() : null,
      target: object.objectType === 'StatementRef' ? String(object.id).toLowerCase() : null,
      voids: voidTarget(statement),
      n,
    };
  });
  await tx.query(
    `insert into xapi_statements (id, body, stored, verb_id, agents, related_agents, activities, related_activities, registration, target, voids)
     select id, body, stored, verb_id, agents, related_agents, activities, related_activities, registration, target, voids
     from json_to_recordset($1::json) as r(id text, body text, stored timestamptz, verb_id text, agents text[], related_agents text[],
          activities text[], related_activities text[], registration text, target text, voids text, n integer)
     order by n`,
    [JSON.stringify(rows)],
  );
}

/** Marks voided every statement a voiding statement names, whichever of the two arrived first. */
async function applyVoids(tx: Queryable, fresh: Json[]): Promise<string[]> {
  const ids = fresh.map(idOf);
  if (ids.length === 0) return [];
  const rows = await tx.query<{ id: string }>(
    `update xapi_statements s set voided_by = v.id
     from xapi_statements v
     where v.voids = s.id and s.voids is null and s.voided_by is null and (v.id = any($1) or s.id = any($1))
     returning s.id`,
    [ids],
  );
  return rows.map((r) => r.id);
}

/** Keeps the newest definition of each activity, merged over what was known. */
async function rememberActivities(tx: Queryable, statements: Json[]): Promise<void> {
  const merged = new Map<string, Json>();
  for (const activity of statements.flatMap(activitiesIn)) {
    const id = String(activity.id);
    merged.set(id, { ...(merged.get(id) ?? {}), ...(isRecord(activity.definition) ? activity.definition : {}) });
  }
  if (merged.size === 0) return;
  const rows = [...merged].map(([id, definition]) => ({ id, definition }));
  await tx.query(
    `insert into xapi_activities (id, definition, updated_at)
     select id, definition, now() from json_to_recordset($1::json) as r(id text, definition jsonb)
     on conflict (id) do update set definition = xapi_activities.definition || excluded.definition, updated_at = excluded.updated_at`,
    [JSON.stringify(rows)],
  );
}

/** Remembers the names agents went by, for the Person object. */
async function rememberNames(tx: Queryable, statements: Json[]): Promise<void> {
  const named = new Map<string, { agent_key: string; agent: Json; name: string }>();
  const visit = (a: unknown) => {
    if (!isRecord(a) || typeof a.name !== 'string') return;
    const key = agentKey(a);
    if (key !== null) named.set(`${key}\u0000${a.name}`, { agent_key: key, agent: agentIds(a), name: a.name });
  };
  for (const s of statements) {
    visit(s.actor);
    if (isRecord(s.actor) && Array.isArray(s.actor.member)) s.actor.member.forEach(visit);
    if (isRecord(s.object) && s.object.objectType === 'Agent') visit(s.object);
  }
  if (named.size === 0) return;
  await tx.query(
    `insert into xapi_agent_names (agent_key, agent, name)
     select agent_key, agent, name from json_to_recordset($1::json) as r(agent_key text, agent jsonb, name text)
     on conflict do nothing`,
    [JSON.stringify([...named.values()])],
  );
}

/** One statement's stored text by id: a voided one only when asked for as voided, any other only when not. */
export async function findStatement(db: Queryable, id: string, voided: boolean): Promise<string | null> {
  const [row] = await db.query<{ body: string; voided: boolean }>(
    'select body, voided_by is not null as voided from xapi_statements where id = $1',
    [id.toLowerCase()],
  );
  if (!row || row.voided !== voided) return null;
  return row.body;
}

export interface StatementFilter {
  agent: string | null;
  verb: string | null;
  activity: string | null;
  registration: string | null;
  relatedActivities: boolean;
  relatedAgents: boolean;
  since: string | null;
  until: string | null;
  ascending: boolean;
}

export interface Position {
  stored: string;
  seq: number;
}

/**
 * Statements matching a filter, newest first unless ascending, after `after`; voided ones are left out.
 * A statement whose object is a StatementRef matches when the statement it targets matches (and so on,
 * down the chain); since, until and paging apply to the statement itself.
 */
export async function queryStatements(
  db: Queryable,
  filter: StatementFilter,
  after: Position | null,
  limit: number,
): Promise<{ body: string; position: Position }[]> {
  const params: unknown[] = [];
  const $ = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const own: string[] = [];
  if (filter.agent !== null) own.push(`${$(filter.agent)}::text = any(s.${filter.relatedAgents ? 'related_agents' : 'agents'})`);
  if (filter.verb !== null) own.push(`s.verb_id = ${$(filter.verb)}::text`);
  if (filter.activity !== null) own.push(`${$(filter.activity)}::text = any(s.${filter.relatedActivities ? 'related_activities' : 'activities'})`);
  if (filter.registration !== null) own.push(`s.registration = ${$(filter.registration.toLowerCase())}::text`);
  const candidates =
    own.length === 0
      ? 'xapi_statements'
      : `(with recursive matched (seq, id) as (
            select seq, id from xapi_statements s where ${own.join(' and ')}
            union
            select t.seq, t.id from xapi_statements t join matched m on t.target = m.id
          )
          select s.* from xapi_statements s join matched using (seq))`;
  const direction = filter.ascending ? 'asc' : 'desc';
  const time: string[] = ['s.voided_by is null'];
  if (filter.since !== null) time.push(`s.stored > ${$(filter.since)}::timestamptz`);
  if (filter.until !== null) time.push(`s.stored <= ${$(filter.until)}::timestamptz`);
  if (after !== null) time.push(`(s.stored, s.seq) ${filter.ascending ? '>' : '<'} (${$(after.stored)}::timestamptz, ${$(after.seq)}::bigint)`);
  const rows = await db.query<{ body: string; seq: number; stored: Date }>(
    `select body, seq, stored from ${candidates} s
     where ${time.join(' and ')}
     order by s.stored ${direction}, s.seq ${direction}
     limit ${$(limit)}`,
    params,
  );
  return rows.map((r) => ({ body: r.body, position: { stored: r.stored.toISOString(), seq: r.seq } }));
}

/** Notes that statements went through the mapping, so a resend does not map them again. */
export async function markMapped(db: Queryable, ids: string[]): Promise<void> {
  if (ids.length > 0) await db.query('update xapi_statements set mapped_at = now() where id = any($1) and mapped_at is null', [ids]);
}
