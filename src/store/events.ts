import type { Database, Queryable } from '../db/database.ts';
import { type Actor, type EventFacts, type EventInput, differingFields, eventKey, factsOf } from '../core/event.ts';
import { CopyBinaryWriter } from '../db/copy-binary.ts';
import { type FieldError, conflict, invalid, notFound } from '../errors.ts';
import { audit } from './audit.ts';
import { type ActorRef, type EventBatch, EVENT_COPY_COLUMNS, batchOf, identityOf } from './event-batch.ts';
import { allocateIds } from './ids.ts';
import { ResolutionCache, type Resolutions } from './resolution-cache.ts';
import { markBatchForScoring, markForScoring } from './scoring-queue.ts';
import { LOCK_IDENTITIES_SQL } from './identity-lock.ts';

/** What to do with an event whose actor is an identity nobody has linked yet. */
export type UnknownIdentityMode = 'create' | 'park';

export interface IngestOptions {
  /** All or nothing: any rejected or conflicting item throws and rolls back the whole batch. */
  atomic: boolean;
  unknownIdentity: (provider: string) => UnknownIdentityMode;
  /** Resolutions remembered across batches of one process. */
  cache?: ResolutionCache | undefined;
  /** How this batch takes turns with a batch stored beside it on another connection. */
  turn?: BatchTurn | undefined;
}

/**
 * Lets an importer store the next batch while this one is still in flight, with the outcome of
 * storing them one after the other: a batch starts once the one before it has resolved its actors
 * (it takes no identity lock after that), writes its events after that one has written its own,
 * and commits after that one has committed.
 */
export interface BatchTurn {
  resolved(): void;
  mayWrite(): Promise<void>;
  written(): void;
  /** Rejects when the batch before failed: this one then rolls back too. */
  mayCommit(): Promise<void>;
}

export type Outcome =
  | { status: 'created' | 'exists'; id: number; member_id: number | null }
  | { status: 'conflict'; id: number; fields: string[] }
  | { status: 'rejected'; errors: FieldError[] };

interface StoredEventRow {
  id: number;
  source: string;
  source_event_id: string;
  action: string;
  occurred_at: Date;
  member_id: number | null;
  actor_member_id: number | null;
  actor_provider: string | null;
  actor_external_id: string | null;
  object_id: string | null;
  attributes: Record<string, unknown>;
  received_at: Date;
  void_reason: string | null;
  voided_by: string | null;
  voided_at: Date | null;
}

type Identity = { provider: string; external_id: string };
const identityKey = (i: Identity): string => eventKey(i.provider, i.external_id);

/**
 * Records a batch of validated events in one transaction: resolves actors, skips what is already
 * there, reports conflicts. New events go in by COPY; if any of them turns out to exist already,
 * the batch falls back to insert-or-skip, so the outcome is the same either way.
 */
export async function ingestEvents(db: Database, input: EventInput[] | EventBatch, options: IngestOptions): Promise<Outcome[]> {
  const events = Array.isArray(input) ? batchOf(input) : input;
  const cache = options.cache ?? new ResolutionCache();
  const turn = options.turn;
  return db.transaction(async (tx) => {
    const known = await cache.enter(tx);
    const count = events.length;
    const outcomes: Outcome[] = new Array(count);
    const actors: ActorRef[] = new Array(count);
    const named = new Set<string>();
    for (let item = 0; item < count; item += 1) {
      actors[item] = events.actor(item);
      named.add(events.action(item));
    }
    const actions = await activeActions(tx, [...named]);
    await resolveMembers(tx, actors, known);
    await resolveIdentities(tx, identitiesOf(actors, actors.keys(), known), known);

    for (let item = 0; item < count; item += 1) {
      const errors: FieldError[] = [];
      const action = events.action(item);
      if (!actions.has(action)) errors.push({ field: 'action', reason: `"${action}" is not an active action in the catalogue` });
      const actor = actors[item]!;
      if (typeof actor === 'number' && !known.members.has(actor)) errors.push({ field: 'actor.member_id', reason: `member ${actor} does not exist` });
      if (errors.length > 0) outcomes[item] = { status: 'rejected', errors };
    }
    if (options.atomic) throwRejected(outcomes);

    const accepted: number[] = [];
    for (let item = 0; item < count; item += 1) if (!outcomes[item]) accepted.push(item);
    const toCreate = identitiesOf(actors, accepted, known).filter((i) => options.unknownIdentity(i.provider) === 'create');
    if (toCreate.length > 0) await createMembersFor(tx, toCreate, known);
    turn?.resolved();

    // The first statement of a key in this batch is the candidate to store; every other is compared with what is stored.
    const firsts = new Map<string, number>();
    const repeats: number[] = [];
    for (const item of accepted) {
      const key = events.key(item);
      if (firsts.has(key)) repeats.push(item);
      else firsts.set(key, item);
    }
    const candidates = [...firsts.values()];
    const ids = await allocateIds(tx, 'events', candidates.length);
    const members = candidates.map((item) => {
      const actor = actors[item]!;
      return (typeof actor === 'number' ? known.members.get(actor) : known.identities.get(actor)) ?? null;
    });
    const stored = await storeNew(tx, events, candidates, ids, members, turn);
    turn?.written();
    await markBatchForScoring(tx, stored === 'all' ? members : members.filter((_, n) => stored.has(ids[n]!)));
    candidates.forEach((item, n) => {
      if (stored === 'all' || stored.has(ids[n]!)) outcomes[item] = { status: 'created', id: ids[n]!, member_id: members[n]! };
      else repeats.push(item);
    });

    const existing = await storedEvents(tx, repeats.map((item) => events.event(item)));
    for (const item of repeats) {
      const event = events.event(item);
      const row = existing.get(eventKey(event.source, event.source_event_id))!;
      const fields = differingFields(factsOfRow(row), factsOf(event));
      outcomes[item] =
        fields.length === 0 ? { status: 'exists', id: row.id, member_id: row.member_id } : { status: 'conflict', id: row.id, fields };
    }
    if (options.atomic) throwConflicts(outcomes);
    await turn?.mayCommit();
    return outcomes;
  });
}

const COPY_SQL = `copy events (id, member_id, ${EVENT_COPY_COLUMNS}) from stdin with (format binary)`;

/**
 * Stores the candidate events (keys new in this batch), with their ids and members, once it is this
 * batch's turn to write; returns the ids actually stored, or 'all' (a key already present is
 * skipped). The rows are made ready before the turn comes, so that the database is not kept
 * waiting for them.
 */
async function storeNew(
  tx: Queryable,
  events: EventBatch,
  candidates: number[],
  ids: number[],
  members: (number | null)[],
  turn: BatchTurn | undefined,
): Promise<Set<number> | 'all'> {
  const rows = new CopyBinaryWriter();
  rows.header();
  for (let n = 0; n < candidates.length; n += 1) {
    rows.row(11);
    rows.int8(ids[n]!);
    rows.int8(members[n] ?? null);
    events.writeFields(candidates[n]!, rows);
  }
  rows.trailer();
  if (candidates.length > 0) await tx.query('savepoint ingest_copy');
  await turn?.mayWrite();
  if (candidates.length === 0) return new Set();
  try {
    await tx.copyFrom(COPY_SQL, rows.take());
    await tx.query('release savepoint ingest_copy');
    return 'all';
  } catch (error) {
    if ((error as { code?: string }).code !== '23505') throw error;
    await tx.query('rollback to savepoint ingest_copy');
  }
  const each = candidates.map((item, n) => eventRow(ids[n]!, events.event(item), members[n]!));
  const inserted = await tx.query<{ id: number }>(INSERT_SQL, [JSON.stringify(each)]);
  return new Set(inserted.map((r) => r.id));
}

const INSERT_SQL = `
  insert into events (id, source, source_event_id, action, occurred_at, member_id,
                      actor_member_id, actor_provider, actor_external_id, object_id, attributes)
  select id, source, source_event_id, action, occurred_at, member_id,
         actor_member_id, actor_provider, actor_external_id, object_id, attributes
  from json_to_recordset($1::json) as r(id bigint, source text, source_event_id text, action text, occurred_at timestamptz,
       member_id bigint, actor_member_id bigint, actor_provider text, actor_external_id text, object_id text, attributes jsonb)
  on conflict (source, source_event_id) do nothing
  returning id`;

function throwRejected(outcomes: Outcome[]): void {
  const errors = outcomes.flatMap((o, item) => (o?.status === 'rejected' ? o.errors.map((e) => ({ ...e, item })) : []));
  if (errors.length > 0) throw invalid(errors, 'Some events are invalid; none were stored');
}

function throwConflicts(outcomes: Outcome[]): void {
  const errors = outcomes.flatMap((o, item) =>
    o.status === 'conflict' ? o.fields.map((field) => ({ item, field, reason: `differs from stored event ${o.id}` })) : [],
  );
  if (errors.length > 0) throw conflict('An event with the same source and source_event_id was stored with different content', errors);
}

const unique = <T>(values: T[]): T[] => [...new Set(values)];

/** The distinct identities that the given items act as and that are not resolved yet. */
function identitiesOf(actors: ActorRef[], items: Iterable<number>, known: Resolutions): Identity[] {
  const wanted = new Set<string>();
  for (const item of items) {
    const actor = actors[item]!;
    if (typeof actor === 'string' && !known.identities.has(actor)) wanted.add(actor);
  }
  return [...wanted].map(identityOf);
}

async function activeActions(tx: Queryable, keys: string[]): Promise<Set<string>> {
  const rows = await tx.query<{ key: string }>('select key from action_types where key = any($1) and retired_at is null', [keys]);
  return new Set(rows.map((r) => r.key));
}

/** Learns which member each named member id now is (itself, or whoever it was merged into). */
async function resolveMembers(tx: Queryable, actors: ActorRef[], cache: Resolutions): Promise<void> {
  const ids = unique(actors.filter((actor): actor is number => typeof actor === 'number' && !cache.members.has(actor)));
  if (ids.length === 0) return;
  const rows = await tx.query<{ id: number; survivor: number }>(
    'select id, coalesce(merged_into, id) as survivor from members where id = any($1)',
    [ids],
  );
  for (const r of rows) cache.members.set(r.id, r.survivor);
}

async function resolveIdentities(tx: Queryable, wanted: Identity[], cache: Resolutions): Promise<void> {
  if (wanted.length === 0) return;
  const rows = await tx.query<Identity & { member_id: number }>(
    `select i.provider, i.external_id, i.member_id from identities i
     join json_to_recordset($1::json) as k(provider text, external_id text) using (provider, external_id)`,
    [JSON.stringify(wanted)],
  );
  for (const r of rows) cache.identities.set(identityKey(r), r.member_id);
}

/** Creates one member per identity nobody holds yet; concurrent batches naming the same identity create it once. */
async function createMembersFor(tx: Queryable, wanted: Identity[], cache: Resolutions): Promise<void> {
  await tx.query(LOCK_IDENTITIES_SQL, [JSON.stringify(wanted)]);
  await resolveIdentities(tx, wanted, cache);
  const missing = wanted.filter((i) => !cache.identities.has(identityKey(i)));
  if (missing.length === 0) return;
  const ids = await allocateIds(tx, 'members', missing.length);
  const linked = missing.map((identity, n) => ({ ...identity, member_id: ids[n]! }));
  const json = JSON.stringify(linked);
  await tx.query(
    `insert into members (id, display_name)
     select member_id, provider || ':' || external_id from json_to_recordset($1::json) as k(provider text, external_id text, member_id bigint)`,
    [json],
  );
  await tx.query(
    `insert into identities (provider, external_id, member_id)
     select provider, external_id, member_id from json_to_recordset($1::json) as k(provider text, external_id text, member_id bigint)`,
    [json],
  );
  for (const l of linked) cache.identities.set(identityKey(l), l.member_id);
}

function eventRow(id: number, event: EventInput, memberId: number | null) {
  const byMember = 'member_id' in event.actor;
  return {
    id,
    source: event.source,
    source_event_id: event.source_event_id,
    action: event.action,
    occurred_at: event.occurred_at,
    member_id: memberId,
    actor_member_id: byMember ? (event.actor as { member_id: number }).member_id : null,
    actor_provider: byMember ? null : (event.actor as Identity).provider,
    actor_external_id: byMember ? null : (event.actor as Identity).external_id,
    object_id: event.object ?? null,
    attributes: event.attributes ?? {},
  };
}

const EVENT_COLUMNS = `e.id, e.source, e.source_event_id, e.action, e.occurred_at, e.member_id, e.actor_member_id,
  e.actor_provider, e.actor_external_id, e.object_id, e.attributes, e.received_at,
  v.reason as void_reason, v.voided_by, v.voided_at`;

async function storedEvents(tx: Queryable, events: EventInput[]): Promise<Map<string, StoredEventRow>> {
  if (events.length === 0) return new Map();
  const keys = events.map((e) => ({ source: e.source, source_event_id: e.source_event_id }));
  const rows = await tx.query<StoredEventRow>(
    `select ${EVENT_COLUMNS} from events e
     join json_to_recordset($1::json) as k(source text, source_event_id text) using (source, source_event_id)
     left join event_voids v on v.event_id = e.id`,
    [JSON.stringify(keys)],
  );
  return new Map(rows.map((r) => [eventKey(r.source, r.source_event_id), r]));
}

function actorOfRow(row: StoredEventRow): Actor {
  return row.actor_member_id !== null
    ? { member_id: row.actor_member_id }
    : { provider: row.actor_provider!, external_id: row.actor_external_id! };
}

function factsOfRow(row: StoredEventRow): EventFacts {
  return factsOf({
    source: row.source,
    source_event_id: row.source_event_id,
    action: row.action,
    actor: actorOfRow(row),
    occurred_at: row.occurred_at.toISOString(),
    object: row.object_id,
    attributes: row.attributes,
  });
}

/** An event as the API shows it. */
export interface EventView {
  id: number;
  source: string;
  source_event_id: string;
  action: string;
  actor: Actor;
  member_id: number | null;
  occurred_at: string;
  object: string | null;
  attributes: Record<string, unknown>;
  received_at: string;
  voided: { reason: string; by: string; at: string } | null;
}

function toView(row: StoredEventRow): EventView {
  return {
    id: row.id,
    source: row.source,
    source_event_id: row.source_event_id,
    action: row.action,
    actor: actorOfRow(row),
    member_id: row.member_id,
    occurred_at: row.occurred_at.toISOString(),
    object: row.object_id,
    attributes: row.attributes,
    received_at: row.received_at.toISOString(),
    voided: row.voided_at ? { reason: row.void_reason!, by: row.voided_by!, at: row.voided_at.toISOString() } : null,
  };
}

export interface EventFilter {
  member?: number | undefined;
  action?: string | undefined;
  source?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  parked?: boolean | undefined;
  after?: { occurred_at: string; id: number } | undefined;
  limit: number;
}

/** Events in (occurred_at, id) order; `after` continues from the last one a previous page returned. */
export async function listEvents(db: Queryable, filter: EventFilter): Promise<EventView[]> {
  const rows = await db.query<StoredEventRow>(
    `select ${EVENT_COLUMNS} from events e left join event_voids v on v.event_id = e.id
     where ($1::bigint is null or e.member_id = (select coalesce(merged_into, id) from members where id = $1))
       and ($2::text is null or e.action = $2)
       and ($3::text is null or e.source = $3)
       and ($4::timestamptz is null or e.occurred_at >= $4)
       and ($5::timestamptz is null or e.occurred_at < $5)
       and ($6::boolean is null or (e.member_id is null) = $6)
       and ($7::timestamptz is null or (e.occurred_at, e.id) > ($7, $8::bigint))
     order by e.occurred_at, e.id
     limit $9`,
    [
      filter.member ?? null,
      filter.action ?? null,
      filter.source ?? null,
      filter.from ?? null,
      filter.to ?? null,
      filter.parked ?? null,
      filter.after?.occurred_at ?? null,
      filter.after?.id ?? null,
      filter.limit,
    ],
  );
  return rows.map(toView);
}

export async function getEvent(db: Queryable, id: number): Promise<EventView> {
  const [row] = await db.query<StoredEventRow>(
    `select ${EVENT_COLUMNS} from events e left join event_voids v on v.event_id = e.id where e.id = $1`,
    [id],
  );
  if (!row) throw notFound(`Event ${id}`);
  return toView(row);
}

export type EventRef = { event_id: number } | { source: string; source_event_id: string };

/**
 * Voids an event: a new fact that everything derived must honour. Voiding twice keeps the first void.
 */
export async function voidEvent(db: Database, ref: EventRef, reason: string, actor: string): Promise<{ event: EventView; voided_now: boolean }> {
  return db.transaction(async (tx) => {
    const [found] = await tx.query<{ id: number; member_id: number | null }>(
      'event_id' in ref
        ? 'select id, member_id from events where id = $1'
        : 'select id, member_id from events where source = $1 and source_event_id = $2',
      'event_id' in ref ? [ref.event_id] : [ref.source, ref.source_event_id],
    );
    if (!found) throw notFound('event_id' in ref ? `Event ${ref.event_id}` : `Event ${ref.source}/${ref.source_event_id}`);
    const added = await tx.query(
      'insert into event_voids (event_id, reason, voided_by) values ($1, $2, $3) on conflict (event_id) do nothing returning event_id',
      [found.id, reason, actor],
    );
    if (added.length > 0) {
      await audit(tx, actor, 'event.void', `event:${found.id}`, { reason });
      await markForScoring(tx, [found.member_id]);
    }
    return { event: await getEvent(tx, found.id), voided_now: added.length > 0 };
  });
}


export type SourceRef = { source: string; source_event_id: string };

/**
 * Replaces the attributes of a stored event (a source's edit of the thing it describes), in one
 * statement so that concurrent edits settle on one: with `newerBy`, only when the incoming value of
 * that attribute sorts after the stored one, so a late retry of an older version changes nothing.
 * The member is marked, and the scorer re-scores the event with its new attributes: one event, one award.
 */
export async function replaceEventAttributes(
  db: Database,
  ref: SourceRef,
  attributes: Record<string, unknown>,
  actor: string,
  options: { newerBy?: string } = {},
): Promise<{ replaced: boolean }> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: number; member_id: number | null }>(
      `update events set attributes = $3::jsonb
       where source = $1 and source_event_id = $2 and attributes <> $3::jsonb
         and ($4::text is null or coalesce(attributes ->> $4, '') collate "C" < ($3::jsonb ->> $4) collate "C")
       returning id, member_id`,
      [ref.source, ref.source_event_id, JSON.stringify(attributes), options.newerBy ?? null],
    );
    if (!row) return { replaced: false };
    await audit(tx, actor, 'event.replace_attributes', `event:${row.id}`, {});
    await markForScoring(tx, [row.member_id]);
    return { replaced: true };
  });
}

/** Takes back a void (the source restored what it had deleted); false when the event was not voided or not stored. */
export async function restoreEvent(db: Database, ref: SourceRef, reason: string, actor: string): Promise<{ restored: boolean; stored: boolean }> {
  return db.transaction(async (tx) => {
    const [found] = await tx.query<{ id: number; member_id: number | null }>(
      'select id, member_id from events where source = $1 and source_event_id = $2',
      [ref.source, ref.source_event_id],
    );
    if (!found) return { restored: false, stored: false };
    const removed = await tx.query('delete from event_voids where event_id = $1 returning event_id', [found.id]);
    if (removed.length === 0) return { restored: false, stored: true };
    await audit(tx, actor, 'event.restore', `event:${found.id}`, { reason });
    await markForScoring(tx, [found.member_id]);
    return { restored: true, stored: true };
  });
}
