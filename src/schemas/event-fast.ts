import type { EventInput } from '../core/event.ts';
import { isStorableText, timestamp } from './common.ts';
import { type Checked, checkEvent, INGEST_LIMITS, timeErrors } from './event.ts';

/**
 * The common case of `EventBody` without zod: an event that is plainly well-formed comes back as
 * the value `EventBody.safeParse` would return (same keys, same order); anything else, including
 * values this check merely finds unusual, gives `undefined`, and the caller asks zod, so every
 * error message stays zod's. `test/ingest/event-fast.test.ts` checks, by property, that it never
 * accepts what zod rejects and never returns anything else than zod.
 */
export function fastEventBody(raw: unknown): EventInput | undefined {
  if (!isPlainRecord(raw)) return undefined;
  for (const key in raw) if (!EVENT_KEYS.has(key)) return undefined;
  const { source, source_event_id, action, actor, occurred_at, object, attributes } = raw;
  if (!isSlug(source) || !isText(source_event_id, 200) || !isActionKey(action) || !isTimestamp(occurred_at)) return undefined;
  const checkedActor = fastActor(actor);
  if (checkedActor === undefined) return undefined;
  const event: EventInput = { source, source_event_id, action, actor: checkedActor, occurred_at };
  if ('object' in raw) {
    if (object !== null && !isText(object, 200)) return undefined;
    event.object = object;
  }
  if ('attributes' in raw) {
    const checked = fastAttributes(attributes);
    if (checked === undefined) return undefined;
    event.attributes = checked;
  }
  return event;
}

const EVENT_KEYS = new Set(['source', 'source_event_id', 'action', 'actor', 'occurred_at', 'object', 'attributes']);
const SLUG = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
const ACTION_KEY = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
/** zod's own pattern for `timestamp`, so both sides agree on every date. */
const TIMESTAMP = (timestamp._zod.def as { pattern?: RegExp }).pattern!;

/** Plain objects only: anything with another prototype (or a `__proto__` of its own) goes to zod. */
const isPlainRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

const isText = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.length >= 1 && value.length <= max && isStorableText(value);
const isSlug = (value: unknown): value is string => typeof value === 'string' && SLUG.test(value);
const isActionKey = (value: unknown): value is string => typeof value === 'string' && value.length <= 100 && ACTION_KEY.test(value);
const isTimestamp = (value: unknown): value is string => typeof value === 'string' && TIMESTAMP.test(value);
const isMemberId = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) > 0;

function fastActor(actor: unknown): EventInput['actor'] | undefined {
  if (!isPlainRecord(actor)) return undefined;
  let keys = 0;
  for (const key in actor) {
    if (key !== 'member_id' && key !== 'provider' && key !== 'external_id') return undefined;
    keys += 1;
  }
  if (keys === 1 && isMemberId(actor.member_id)) return { member_id: actor.member_id };
  if (keys === 2 && isSlug(actor.provider) && isText(actor.external_id, 200)) return { provider: actor.provider, external_id: actor.external_id };
  return undefined;
}

function fastAttributes(attributes: unknown): Record<string, unknown> | undefined {
  if (!isPlainRecord(attributes) || Object.hasOwn(attributes, '__proto__') || Object.getOwnPropertySymbols(attributes).length > 0) {
    return undefined;
  }
  const bound = jsonBytesBound(attributes, INGEST_LIMITS.attributes_depth);
  if (bound < 0) return undefined;
  if (bound > INGEST_LIMITS.attributes_bytes && Buffer.byteLength(JSON.stringify(attributes)) > INGEST_LIMITS.attributes_bytes) {
    return undefined;
  }
  return { ...attributes };
}

/** Longest JSON text of a finite number ("-0.0000012345678901234567" is 25 characters). */
const NUMBER_BYTES = 32;

/**
 * An upper bound of the value's size as JSON in UTF-8 bytes (a UTF-16 unit takes at most 6, as an
 * escape), or -1 if it is not plain JSON the schema takes: text must be storable, nesting at most
 * `depthLeft` levels, as the schema's `jsonProblem` says.
 */
function jsonBytesBound(value: unknown, depthLeft: number): number {
  switch (typeof value) {
    case 'string':
      return isStorableText(value) ? value.length * 6 + 2 : -1;
    case 'number':
      return Number.isFinite(value) ? NUMBER_BYTES : -1;
    case 'boolean':
      return 5;
    case 'object':
      break;
    default:
      return -1;
  }
  if (value === null) return 4;
  if (depthLeft === 0) return -1;
  let bytes = 2;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype || Object.keys(value).length !== value.length) return -1;
    for (const inner of value) {
      const size = jsonBytesBound(inner, depthLeft - 1);
      if (size < 0) return -1;
      bytes += size + 1;
    }
    return bytes;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return -1;
  for (const key in value) {
    if (!isStorableText(key)) return -1;
    const size = jsonBytesBound((value as Record<string, unknown>)[key], depthLeft - 1);
    if (size < 0) return -1;
    bytes += key.length * 6 + 4 + size;
  }
  return bytes;
}

/** `checkEvent`, asking zod only about events the fast check does not accept outright. */
export function checkEventFast(raw: unknown, now: Date): Checked {
  const event = fastEventBody(raw);
  if (event === undefined) return checkEvent(raw, now);
  const errors = timeErrors(event, now);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, event };
}
