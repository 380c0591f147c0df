import type { EventInput } from '../core/event.ts';
import type { FieldError } from '../errors.ts';
import { ACTION_KEY, SLUG, TIMESTAMP, fieldErrors, isStorableText } from './common.ts';
import { EventBody, attributesProblem, timeErrors } from './event.ts';

export type Checked = { ok: true; event: EventInput } | { ok: false; errors: FieldError[] };

/** Validates one raw value as an event (an import file's line): shape first, then time. */
export function checkEvent(raw: unknown, now: Date): Checked {
  let event = plainEvent(raw);
  if (!event) {
    const parsed = EventBody.safeParse(raw);
    if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
    event = parsed.data as EventInput;
  }
  const errors = timeErrors(event, now);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, event };
}

/**
 * The event a raw value holds when it is in the plain shape nearly every line of a file has, checked
 * by hand at a fraction of the schema's cost; undefined for anything else, which `EventBody` then
 * judges and explains. What it returns is exactly what `EventBody` would (property-tested).
 */
export function plainEvent(raw: unknown): EventInput | undefined {
  if (!isPlainObject(raw)) return undefined;
  const { source, source_event_id, action, actor, occurred_at, object, attributes } = raw;
  let fields = 5;
  if (
    !(typeof source === 'string' && SLUG.test(source)) ||
    !isText(source_event_id) ||
    !(typeof action === 'string' && action.length <= 100 && ACTION_KEY.test(action)) ||
    !(typeof occurred_at === 'string' && TIMESTAMP.test(occurred_at))
  ) {
    return undefined;
  }
  const who = plainActor(actor);
  if (!who) return undefined;
  const event: EventInput = { source, source_event_id, action, actor: who, occurred_at };
  if ('object' in raw) {
    if (object !== null && !isText(object)) return undefined;
    event.object = object;
    fields += 1;
  }
  if ('attributes' in raw) {
    if (!isPlainObject(attributes) || attributesProblem(attributes)) return undefined;
    event.attributes = attributes;
    fields += 1;
  }
  return Object.keys(raw).length === fields ? event : undefined;
}

function plainActor(actor: unknown): EventInput['actor'] | undefined {
  if (!isPlainObject(actor)) return undefined;
  const { member_id, provider, external_id } = actor;
  const keys = Object.keys(actor).length;
  if (keys === 1 && typeof member_id === 'number' && Number.isSafeInteger(member_id) && member_id > 0) return { member_id };
  if (keys === 2 && typeof provider === 'string' && SLUG.test(provider) && isText(external_id)) return { provider, external_id };
  return undefined;
}

const isText = (value: unknown): value is string =>
  typeof value === 'string' && value.length >= 1 && value.length <= 200 && isStorableText(value);

// An own "__proto__" key (JSON.parse makes them) is one of the things left to the schema.
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype && !Object.hasOwn(value, '__proto__');
