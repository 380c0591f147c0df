import type { Context } from 'hono';
import { invalid } from '../errors.ts';
import { agentKey } from './agents.ts';
import { actorErrors } from './validate.ts';
import { isIri, isUuid, timestampError } from './values.ts';

type Json = Record<string, unknown>;

/** The query parameters of a request, refusing any the resource does not define and any given twice. */
export function queryParams(c: Context, allowed: string[]): Record<string, string> {
  const all = c.req.queries();
  const errors = Object.entries(all).flatMap(([name, values]) => {
    if (!allowed.includes(name)) return [{ field: name, reason: 'is not a parameter of this resource' }];
    if (values.length > 1) return [{ field: name, reason: 'must be given once' }];
    return [];
  });
  if (errors.length > 0) throw invalid(errors);
  return Object.fromEntries(Object.entries(all).map(([name, values]) => [name, values[0]!]));
}

export function required(params: Record<string, string>, name: string): string {
  const value = params[name];
  if (value === undefined || value === '') throw invalid([{ field: name, reason: 'is required' }]);
  return value;
}

/** An `agent` parameter: JSON of an Agent or an identified Group, with its identifier key. */
export function agentParam(text: string, field = 'agent'): { agent: Json; key: string } {
  let agent: unknown;
  try {
    agent = JSON.parse(text);
  } catch {
    throw invalid([{ field, reason: 'must be the JSON of an Agent' }]);
  }
  const errors = actorErrors(agent, field);
  if (errors.length > 0) throw invalid(errors);
  const key = agentKey(agent as Json);
  if (key === null) throw invalid([{ field, reason: 'must have an identifier (mbox, mbox_sha1sum, openid or account)' }]);
  return { agent: agent as Json, key };
}

export function iriParam(value: string | undefined, field: string): string | undefined {
  if (value !== undefined && !isIri(value)) throw invalid([{ field, reason: 'must be an absolute IRI' }]);
  return value;
}

export function uuidParam(value: string | undefined, field: string): string | undefined {
  if (value !== undefined && !isUuid(value)) throw invalid([{ field, reason: 'must be a UUID' }]);
  return value;
}

export function timestampParam(value: string | undefined, field: string): string | undefined {
  if (value === undefined) return undefined;
  const reason = timestampError(value);
  if (reason) throw invalid([{ field, reason }]);
  return value;
}

export function booleanParam(value: string | undefined, field: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value !== 'true' && value !== 'false') throw invalid([{ field, reason: 'must be true or false' }]);
  return value === 'true';
}
