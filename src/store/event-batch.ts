import { type Actor, type EventInput, eventKey } from '../core/event.ts';
import { CopyBinaryReader, CopyBinaryWriter } from '../db/copy-binary.ts';

/**
 * Whom an event's actor names: a member id, or an identity as `eventKey(provider, external_id)`.
 * A number or a string, so that a batch holds no object per actor.
 */
export type ActorRef = number | string;

export const actorRef = (actor: Actor): ActorRef => ('member_id' in actor ? actor.member_id : eventKey(actor.provider, actor.external_id));

/** The identity an identity reference names (a provider is a slug: it holds no NUL). */
export function identityOf(ref: string): { provider: string; external_id: string } {
  const cut = ref.indexOf('\u0000');
  return { provider: ref.slice(0, cut), external_id: ref.slice(cut + 1) };
}

/**
 * A batch of events as storing reads them, one item at a time. Events from the API and the sources
 * are read from their objects; an import's reader lays its events out on its own thread instead
 * (`PreparedEvents`), so that the storing thread handles a few strings per event and bytes ready for
 * COPY, not object graphs.
 */
export interface EventBatch {
  readonly length: number;
  /** `eventKey(source, source_event_id)` */
  key(item: number): string;
  action(item: number): string;
  actor(item: number): ActorRef;
  /** Writes the event's own columns in COPY's binary format, in the order of `EVENT_COPY_COLUMNS`. */
  writeFields(item: number, into: CopyBinaryWriter): void;
  /** The whole event, to compare it with a stored one. */
  event(item: number): EventInput;
}

export const EVENT_COPY_COLUMNS = 'source, source_event_id, action, occurred_at, actor_member_id, actor_provider, actor_external_id, object_id, attributes';

function writeFields(into: CopyBinaryWriter, event: EventInput): void {
  const { actor } = event;
  const byMember = 'member_id' in actor;
  into.text(event.source);
  into.text(event.source_event_id);
  into.text(event.action);
  into.timestamptz(event.occurred_at);
  into.int8(byMember ? actor.member_id : null);
  into.text(byMember ? null : actor.provider);
  into.text(byMember ? null : actor.external_id);
  into.text(event.object ?? null);
  into.jsonb(JSON.stringify(event.attributes ?? {}));
}

/** An event back from its fields; its time is UTC, to the microsecond PostgreSQL stores. */
function eventOfFields(fields: Uint8Array): EventInput {
  const read = new CopyBinaryReader(fields);
  const [source, sourceEventId, action, occurredAt] = [read.text()!, read.text()!, read.text()!, read.timestamptz()!];
  const [actorMember, provider, externalId, object] = [read.int8(), read.text(), read.text(), read.text()];
  return {
    source,
    source_event_id: sourceEventId,
    action,
    occurred_at: occurredAt,
    actor: actorMember !== null ? { member_id: actorMember } : { provider: provider!, external_id: externalId! },
    object,
    attributes: JSON.parse(read.jsonb()) as Record<string, unknown>,
  };
}

export function batchOf(events: EventInput[]): EventBatch {
  return {
    length: events.length,
    key: (item) => eventKey(events[item]!.source, events[item]!.source_event_id),
    action: (item) => events[item]!.action,
    actor: (item) => actorRef(events[item]!.actor),
    writeFields: (item, into) => writeFields(into, events[item]!),
    event: (item) => events[item]!,
  };
}

/**
 * Events laid out for storing: flat arrays of strings and numbers, and the fields of all of them in
 * one buffer (event `i` ends at `ends[i]`), cheap to hand from one thread to another.
 */
export interface PreparedEvents {
  keys: string[];
  actions: string[];
  actors: ActorRef[];
  fields: Uint8Array<ArrayBuffer>;
  ends: number[];
}

/** Lays events out for storing, a run at a time. */
export class EventLayout {
  private prepared = { keys: [] as string[], actions: [] as string[], actors: [] as ActorRef[], ends: [] as number[] };
  private readonly fields = new CopyBinaryWriter();

  add(event: EventInput): void {
    this.prepared.keys.push(eventKey(event.source, event.source_event_id));
    this.prepared.actions.push(event.action);
    this.prepared.actors.push(actorRef(event.actor));
    writeFields(this.fields, event);
    this.prepared.ends.push(this.fields.length);
  }

  /** The events added since the last take; their fields are in a buffer of their own, which can be transferred. */
  take(): PreparedEvents {
    const taken = { ...this.prepared, fields: this.fields.take() };
    this.prepared = { keys: [], actions: [], actors: [], ends: [] };
    return taken;
  }
}

/** One run of prepared events from runs laid out one after the other (a batch arrives from the reader in parts). */
export function joinPrepared(runs: PreparedEvents[]): PreparedEvents {
  if (runs.length === 1) return runs[0]!;
  const fields = new Uint8Array(runs.reduce((size, run) => size + run.fields.length, 0));
  const ends: number[] = [];
  let offset = 0;
  for (const run of runs) {
    for (const end of run.ends) ends.push(offset + end);
    fields.set(run.fields, offset);
    offset += run.fields.length;
  }
  const [first, ...rest] = runs;
  return {
    keys: first!.keys.concat(...rest.map((r) => r.keys)),
    actions: first!.actions.concat(...rest.map((r) => r.actions)),
    actors: first!.actors.concat(...rest.map((r) => r.actors)),
    fields,
    ends,
  };
}

export function preparedBatch(prepared: PreparedEvents): EventBatch {
  const { fields, ends } = prepared;
  const fieldsOf = (item: number) => fields.subarray(item === 0 ? 0 : ends[item - 1], ends[item]);
  return {
    length: prepared.keys.length,
    key: (item) => prepared.keys[item]!,
    action: (item) => prepared.actions[item]!,
    actor: (item) => prepared.actors[item]!,
    writeFields: (item, into) => into.bytes(fieldsOf(item)),
    event: (item) => eventOfFields(fieldsOf(item)),
  };
}
