import { agentIds } from './agents.ts';
import { isRecord } from './values.ts';

type Json = Record<string, unknown>;
export type StatementFormat = 'exact' | 'ids' | 'canonical';

const isAgentLike = (v: unknown): v is Json =>
  isRecord(v) && (v.objectType === 'Agent' || v.objectType === 'Group' || ['mbox', 'mbox_sha1sum', 'openid', 'account'].some((k) => v[k] !== undefined));
const isActivity = (v: unknown): v is Json => isRecord(v) && (v.objectType === undefined || v.objectType === 'Activity') && typeof v.id === 'string';

/** `format=ids`: agents and groups by identifier only, activities and verbs by id only. */
export function idsOnly(statement: Json): Json {
  const visit = (value: unknown, key: string): unknown => {
    if (Array.isArray(value)) return value.map((v) => visit(v, key));
    if (!isRecord(value)) return value;
    if (['actor', 'authority', 'instructor', 'team', 'agent', 'group', 'member'].includes(key) && isAgentLike(value)) return agentIds(value);
    if (key === 'object' && isAgentLike(value)) return agentIds(value);
    if (key === 'verb') return { id: value.id };
    if ((key === 'object' || ['parent', 'grouping', 'category', 'other'].includes(key)) && isActivity(value)) {
      return value.objectType === undefined ? { id: value.id } : { objectType: value.objectType, id: value.id };
    }
    if (key === 'extensions') return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visit(v, k)]));
  };
  return visit(statement, '') as Json;
}

const LANGUAGE_MAPS = new Set(['display', 'name', 'description']);

/**
 * `format=canonical`: each language map reduced to the one language the client prefers
 * (Accept-Language), else the first one given.
 */
export function canonical(statement: Json, acceptLanguage: string | undefined): Json {
  const preferred = (acceptLanguage ?? '')
    .split(',')
    .map((part) => part.split(';')[0]!.trim().toLowerCase())
    .filter((tag) => tag !== '' && tag !== '*');
  const pick = (map: Json): Json => {
    const tags = Object.keys(map);
    const exact = preferred.map((p) => tags.find((t) => t.toLowerCase() === p)).find(Boolean);
    const prefix = preferred.map((p) => tags.find((t) => t.toLowerCase().split('-')[0] === p.split('-')[0])).find(Boolean);
    const chosen = exact ?? prefix ?? tags[0];
    return chosen === undefined ? {} : { [chosen]: map[chosen] };
  };
  const visit = (value: unknown, key: string): unknown => {
    if (Array.isArray(value)) return value.map((v) => visit(v, key));
    if (!isRecord(value)) return value;
    if (key === 'extensions') return value;
    if (LANGUAGE_MAPS.has(key) && Object.values(value).every((v) => typeof v === 'string')) return pick(value);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visit(v, k)]));
  };
  return visit(statement, '') as Json;
}
