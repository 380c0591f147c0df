import { createHash } from 'node:crypto';
import type { Actor } from '../core/event.ts';
import { isRecord } from './values.ts';

type Json = Record<string, unknown>;

/**
 * One text per inverse functional identifier: two Agents (or identified Groups) are the same
 * exactly when their keys are equal. Null for an anonymous Group.
 */
export function agentKey(agent: Json): string | null {
  if (typeof agent.mbox === 'string') return `mbox:${agent.mbox.toLowerCase()}`;
  if (typeof agent.mbox_sha1sum === 'string') return `mbox_sha1sum:${agent.mbox_sha1sum.toLowerCase()}`;
  if (typeof agent.openid === 'string') return `openid:${agent.openid}`;
  if (isRecord(agent.account)) return `account:${JSON.stringify([agent.account.homePage, agent.account.name])}`;
  return null;
}

/** The agent reduced to its identifier (what `format=ids` returns). */
export function agentIds(agent: Json): Json {
  const out: Json = {};
  if (agent.objectType !== undefined) out.objectType = agent.objectType;
  for (const key of ['mbox', 'mbox_sha1sum', 'openid', 'account']) if (agent[key] !== undefined) out[key] = agent[key];
  if (agent.objectType === 'Group' && Array.isArray(agent.member) && agentKey(agent) === null) {
    out.member = agent.member.map((m) => agentIds(m as Json));
  }
  return out;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Whom a statement's actor is in Vklad. An account is the platform's own user (provider = homePage,
 * external id = account name); an email is kept only as the SHA-256 of the lowercased address, so the
 * address itself is never stored twice; mbox_sha1sum and openid are their own providers. A Group has no
 * single member to credit, so it maps to nobody.
 */
export function vkladActor(actor: Json): Actor | null {
  if (actor.objectType === 'Group') return null;
  if (isRecord(actor.account)) return { provider: String(actor.account.homePage), external_id: String(actor.account.name) };
  if (typeof actor.mbox === 'string') return { provider: 'email', external_id: sha256(actor.mbox.slice('mailto:'.length).toLowerCase()) };
  if (typeof actor.mbox_sha1sum === 'string') return { provider: 'xapi_mbox_sha1sum', external_id: actor.mbox_sha1sum.toLowerCase() };
  if (typeof actor.openid === 'string') return { provider: 'openid', external_id: actor.openid };
  return null;
}

/** Keys of the actor itself and, for a Group, of its members. */
function keysOf(actor: unknown): string[] {
  if (!isRecord(actor)) return [];
  const own = agentKey(actor);
  const members = Array.isArray(actor.member) ? actor.member.flatMap((m) => (isRecord(m) ? [agentKey(m)] : [])) : [];
  return [own, ...members].filter((k): k is string => k !== null);
}

const isActivity = (o: unknown): o is Json => isRecord(o) && (o.objectType === undefined || o.objectType === 'Activity');
const isActorObject = (o: unknown): boolean => isRecord(o) && (o.objectType === 'Agent' || o.objectType === 'Group');

function contextActivities(context: unknown): Json[] {
  if (!isRecord(context) || !isRecord(context.contextActivities)) return [];
  return Object.values(context.contextActivities).flatMap((list) => (Array.isArray(list) ? list : [list])).filter(isRecord);
}

function contextAgents(context: unknown): string[] {
  if (!isRecord(context)) return [];
  const wrapped = [
    ...(Array.isArray(context.contextAgents) ? context.contextAgents.map((c) => (isRecord(c) ? c.agent : undefined)) : []),
    ...(Array.isArray(context.contextGroups) ? context.contextGroups.map((c) => (isRecord(c) ? c.group : undefined)) : []),
  ];
  return [context.instructor, context.team, ...wrapped].flatMap(keysOf);
}

/** What the query filters look at, gathered once when a statement is stored. */
export interface StatementIndex {
  agents: string[];
  relatedAgents: string[];
  activities: string[];
  relatedActivities: string[];
}

export function indexOf(statement: Json): StatementIndex {
  const object = statement.object;
  const agents = [...keysOf(statement.actor), ...(isActorObject(object) ? keysOf(object) : [])];
  const activities = isActivity(object) ? [String(object.id)] : [];
  const parts = [statement, ...(isRecord(object) && object.objectType === 'SubStatement' ? [object] : [])];
  const relatedAgents = parts.flatMap((p) => [
    ...keysOf(p.actor),
    ...(isActorObject(p.object) ? keysOf(p.object) : []),
    ...contextAgents(p.context),
  ]);
  relatedAgents.push(...keysOf(statement.authority));
  const relatedActivities = parts.flatMap((p) => [
    ...(isActivity(p.object) ? [String(p.object.id)] : []),
    ...contextActivities(p.context).map((a) => String(a.id)),
  ]);
  const unique = (list: string[]) => [...new Set(list)];
  return { agents: unique(agents), relatedAgents: unique(relatedAgents), activities, relatedActivities: unique(relatedActivities) };
}

/** Every Activity object a statement carries, with its definition, to keep the canonical definitions. */
export function activitiesIn(statement: Json): Json[] {
  const object = statement.object;
  const parts = [statement, ...(isRecord(object) && object.objectType === 'SubStatement' ? [object] : [])];
  return parts.flatMap((p) => [...(isActivity(p.object) ? [p.object] : []), ...contextActivities(p.context)]);
}
