import { canonicalJson } from '../core/event.ts';
import { instantOf, isRecord } from './values.ts';

type Json = Record<string, unknown>;

/** What the LRS itself sets on every statement it stores. */
export interface LrsFields {
  id: string;
  stored: string;
  authority: Json;
  version: string;
}

/**
 * The statement as Vklad stores and returns it: its id first, `stored`, `authority` and a `version`
 * set by the LRS, `timestamp` defaulting to `stored`, and single context activities turned into
 * arrays, as the specification asks of an LRS.
 */
export function asStored(statement: Json, fields: LrsFields): Json {
  const { id: _id, stored: _stored, authority: _authority, version, timestamp, ...rest } = statement;
  const out: Json = { id: fields.id, ...withContextArrays(rest) };
  out.timestamp = timestamp ?? fields.stored;
  out.stored = fields.stored;
  out.authority = fields.authority;
  out.version = version ?? fields.version;
  return out;
}

function withContextArrays(statement: Json): Json {
  const out = { ...statement };
  if (isRecord(out.context) && isRecord(out.context.contextActivities)) {
    const lists = Object.fromEntries(Object.entries(out.context.contextActivities).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));
    out.context = { ...out.context, contextActivities: lists };
  }
  if (isRecord(out.object) && out.object.objectType === 'SubStatement') out.object = withContextArrays(out.object);
  return out;
}

/**
 * The parts of a statement that make it what it is. Left out, as the immutability rules allow:
 * what the LRS assigns (id, stored, authority, version), the verb's display, activity definitions,
 * the spelling of timestamps, the letter case of UUIDs and the order of a Group's members. A timestamp the client left out is ignored.
 */
export function comparable(statement: Json, ignoreTimestamp: boolean): string {
  const { id: _id, stored: _s, authority: _a, version: _v, timestamp, ...rest } = withContextArrays(statement);
  const core = strip(rest) as Json;
  if (!ignoreTimestamp && typeof timestamp === 'string') core.timestamp = instantOf(timestamp);
  return canonicalJson(core);
}

const UUID_KEYS = new Set(['registration']);

function strip(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => strip(v));
  if (!isRecord(value)) return UUID_KEYS.has(key) && typeof value === 'string' ? value.toLowerCase() : value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'definition' || k === 'display') continue;
    if (k === 'timestamp' && typeof v === 'string') out[k] = instantOf(v);
    else if (k === 'member' && Array.isArray(v)) out[k] = v.map((m) => strip(m)).sort((a, b) => canonicalJson(a).localeCompare(canonicalJson(b)));
    else if (k === 'id' && value.objectType === 'StatementRef' && typeof v === 'string') out[k] = v.toLowerCase();
    else out[k] = strip(v, k);
  }
  return out;
}
