import { type Actor, type EventInput, eventKey } from '../core/event.ts';
import { copyText, fromCopyText } from '../db/copy-text.ts';

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
 * (`PreparedEvents`), so that the storing thread handles a few strings per event, not object graphs.
 */
export interface EventBatch {
  readonly length: number;
  /** `eventKey(source, source_event_id)` */
  key(item: number): string;
  action(item: number): string;
  actor(item: number): ActorRef;
  /** The event's own columns as COPY text, in the order of `EVENT_COPY_COLUMNS`. */
  columns(item: number): string;
  /** The whole event, to compare it with a stored one. */
  event(item: number): EventInput;
}

export const EVENT_COPY_COLUMNS = 'source, source_event_id, action, occurred_at, actor_member_id, actor_provider, actor_external_id, object_id, attributes';

const NULL = '\\N';

function eventColumns(event: EventInput): string {
  const { actor } = event;
  const byMember = 'member_id' in actor;
  return (
    `${copyText(event.source)}\t${copyText(event.source_event_id)}\t${copyText(event.action)}\t${copyText(event.occurred_at)}\t` +
    `${byMember ? actor.member_id : NULL}\t${byMember ? NULL : copyText(actor.provider)}\t${byMember ? NULL : copyText(actor.external_id)}\t` +
    `${copyText(event.object ?? null)}\t${copyText(JSON.stringify(event.attributes ?? {}))}`
  );
}

function eventOfColumns(columns: string): EventInput {
  const [source, sourceEventId, action, occurredAt, actorMember, provider, externalId, object, attributes] = columns.split('\t').map(fromCopyText);
  return {
    source: source!,
    source_event_id: sourceEventId!,
    action: action!,
    occurred_at: occurredAt!,
    actor: actorMember !== null ? { member_id: Number(actorMember) } : { provider: provider!, external_id: externalId! },
    object: object ?? null,
    attributes: JSON.parse(attributes!) as Record<string, unknown>,
  };
}

export function batchOf(events: EventInput[]): EventBatch {
  return {
    length: events.length,
    key: (item) => eventKey(events[item]!.source, events[item]!.source_event_id),
    action: (item) => events[item]!.action,
    actor: (item) => actorRef(events[item]!.actor),
    columns: (item) => eventColumns(events[item]!),
    event: (item) => events[item]!,
  };
}

/** Events laid out for storing: flat arrays of strings and numbers, cheap to hand from one thread to another. */
export interface PreparedEvents {
  keys: string[];
  actions: string[];
  actors: ActorRef[];
  columns: string[];
}

export const preparedEvents = (): PreparedEvents => ({ keys: [], actions: [], actors: [], columns: [] });

export function prepare(into: PreparedEvents, event: EventInput): void {
  into.keys.push(eventKey(event.source, event.source_event_id));
  into.actions.push(event.action);
  into.actors.push(actorRef(event.actor));
  into.columns.push(eventColumns(event));
}

/** Appends one run of prepared events to another (a batch arrives from the reader in parts). */
export function appendPrepared(into: PreparedEvents, from: PreparedEvents): void {
  into.keys.push(...from.keys);
  into.actions.push(...from.actions);
  into.actors.push(...from.actors);
  into.columns.push(...from.columns);
}

export function preparedBatch(prepared: PreparedEvents): EventBatch {
  return {
    length: prepared.keys.length,
    key: (item) => prepared.keys[item]!,
    action: (item) => prepared.actions[item]!,
    actor: (item) => prepared.actors[item]!,
    columns: (item) => prepared.columns[item]!,
    event: (item) => eventOfColumns(prepared.columns[item]!),
  };
}
