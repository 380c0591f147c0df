/** The value shapes the xAPI specification names, as predicates. */

export const VOIDED_VERB = 'http://adlnet.gov/expapi/verbs/voided';

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

// An absolute IRI: a scheme, a colon, and no whitespace or characters IRIs exclude.
const IRI = /^[a-z][a-z0-9+.-]*:[^\s<>"{}|\\^`]+$/i;
export const isIri = (value: unknown): value is string => typeof value === 'string' && IRI.test(value);

/** An IRL is an IRI that can be fetched: here, one with an http(s) scheme and a host. */
export const isIrl = (value: unknown): value is string => isIri(value) && /^https?:\/\/[^/\s]+/i.test(value);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

export const isMailto = (value: unknown): value is string => typeof value === 'string' && /^mailto:[^@\s:/]+@[^@\s]+\.[^@\s]+$/i.test(value);

export const isSha1 = (value: unknown): value is string => typeof value === 'string' && /^[0-9a-f]{40}$/i.test(value);

export const isSha2 = (value: unknown): value is string => typeof value === 'string' && /^[0-9a-f]{56,128}$/i.test(value);

// RFC 5646 in its common shape: a primary subtag and subtags of up to 8 letters or digits.
export const isLanguageTag = (value: unknown): value is string =>
  typeof value === 'string' && /^[a-z]{1,8}(-[a-z0-9]{1,8})*$/i.test(value);

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)$/i;

/** ISO 8601 date and time with a time zone; "-00:00" (an unknown offset) is refused as the spec says. */
export function timestampError(value: unknown): string | null {
  if (typeof value !== 'string') return 'must be a string';
  const m = TIMESTAMP.exec(value);
  if (!m) return 'must be an ISO 8601 timestamp with a time zone, like 2025-09-01T10:00:00+03:00';
  if (/^-00(:?00)?$/.test(m[8]!)) return 'must not use the unknown offset -00:00';
  if (Number.isNaN(instantOf(value))) return 'is not a real date and time';
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return 'is not a real date';
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59) return 'is not a real time of day';
  return null;
}

/** Epoch milliseconds of a valid timestamp (any offset spelling), NaN otherwise. */
export function instantOf(value: string): number {
  const m = TIMESTAMP.exec(value);
  if (!m) return Number.NaN;
  let zone = m[8]!.toUpperCase();
  if (zone !== 'Z') zone = zone.length === 3 ? `${zone}:00` : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const fraction = (m[7] ?? '').slice(0, 3).padEnd(3, '0');
  return Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}.${fraction}${zone}`);
}

const DURATION = /^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$/;
export const isDuration = (value: unknown): value is string => typeof value === 'string' && DURATION.test(value);

/** xAPI versions Vklad speaks; a statement's `version` and the request header must be one of these lines. */
export const isXapiVersion = (value: unknown): value is string => typeof value === 'string' && /^(1\.0|2\.0)(\.\d+)?$/.test(value);

export const isMediaType = (value: unknown): value is string =>
  typeof value === 'string' && /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+(\s*;.*)?$/i.test(value);
