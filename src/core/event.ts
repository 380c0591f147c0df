/** An activity event as a source states it: an immutable fact about one action of one member. */
export type Actor = { member_id: number } | { provider: string; external_id: string };

export interface EventInput {
  source: string;
  source_event_id: string;
  action: string;
  actor: Actor;
  occurred_at: string;
  object?: string | null | undefined;
  attributes?: Record<string, unknown> | undefined;
}

/**
 * The fields that make an event what it is, in a form that compares by meaning, not by spelling.
 * Keys are the event's own field names, so a difference can be reported as is; `occurred_at` is epoch ms.
 */
export interface EventFacts {
  action: string;
  actor: string;
  occurred_at: number;
  object: string | null;
  attributes: string;
}

export const eventKey = (source: string, sourceEventId: string): string => `${source}\u0000${sourceEventId}`;

export const actorText = (actor: Actor): string =>
  'member_id' in actor ? `member:${actor.member_id}` : `${actor.provider}:${actor.external_id}`;

export function factsOf(event: EventInput): EventFacts {
  return {
    action: event.action,
    actor: actorText(event.actor),
    occurred_at: Date.parse(event.occurred_at),
    object: event.object ?? null,
    attributes: canonicalJson(event.attributes ?? {}),
  };
}

/** Names the fields in which two statements of the same event disagree (empty when they are the same fact). */
export function differingFields(stored: EventFacts, incoming: EventFacts): (keyof EventFacts)[] {
  return (Object.keys(stored) as (keyof EventFacts)[]).filter((field) => stored[field] !== incoming[field]);
}

/** JSON with object keys sorted, so that equal values have equal text whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
