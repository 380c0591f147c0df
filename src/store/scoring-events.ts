import type { Queryable } from '../db/database.ts';
import type { ScoringEvent } from '../scoring/index.ts';

/** Which attribute of an action's events names the other member of a peer signal. */
export type PeerAttributes = Map<string, string>;

const peerActions = (peers: PeerAttributes): string => JSON.stringify([...peers].map(([action, attr]) => ({ action, attr })));

// The peer attribute holds a Vklad member id (a number) or an external id in the actor's own provider
// (the forum user who liked a post is a forum user too). Voided events are not signals.
const REFRESH_SQL = (scope: string) => `
  insert into peer_signals (event_id, member_id, peer_id, action)
  select e.id, e.member_id, coalesce(m.merged_into, m.id, i.member_id), e.action
  from events e
  join json_to_recordset($1::json) as p(action text, attr text) on p.action = e.action
  left join members m on m.id = case when jsonb_typeof(e.attributes -> p.attr) = 'number' then (e.attributes ->> p.attr)::numeric end
  left join identities i on jsonb_typeof(e.attributes -> p.attr) = 'string' and i.provider = e.actor_provider and i.external_id = e.attributes ->> p.attr
  where ${scope} and not exists (select 1 from event_voids v where v.event_id = e.id)`;

/** Re-resolves the peer signals of some members (or of everyone), as the current events and identities say. */
export async function refreshPeerSignals(tx: Queryable, members: number[] | 'all', peers: PeerAttributes): Promise<void> {
  if (members === 'all') {
    await tx.query('delete from peer_signals');
    await tx.query(REFRESH_SQL('e.member_id is not null'), [peerActions(peers)]);
    return;
  }
  await tx.query('delete from peer_signals where member_id = any($1::bigint[])', [members]);
  await tx.query(REFRESH_SQL('e.member_id = any($2::bigint[])'), [peerActions(peers), members]);
}

interface Row {
  id: number;
  member_id: number;
  action: string;
  at: number;
  object_id: string | null;
  attributes: Record<string, unknown>;
  peer: number | null;
}

const EVENTS_SQL = `
  select e.id, e.member_id, e.action, (extract(epoch from e.occurred_at) * 1000)::bigint as at, e.object_id, e.attributes, s.peer_id as peer
  from events e left join peer_signals s on s.event_id = e.id
  where e.member_id = any($1::bigint[]) and not exists (select 1 from event_voids v where v.event_id = e.id)`;

/** The members' own events, with the other member of each peer signal (peer signals refreshed first). */
export async function memberEvents(db: Queryable, members: number[]): Promise<ScoringEvent[]> {
  const rows = await db.query<Row>(EVENTS_SQL, [members]);
  return rows.map((r) => ({ id: r.id, member: r.member_id, action: r.action, at: r.at, object: r.object_id, attributes: r.attributes, peer: r.peer }));
}

/**
 * Signals others sent these members in actions where a returned signal is damped: whether A's like
 * of B counts in full depends on B's likes of A. Only what the engine needs to see a signal returned.
 */
export async function signalsTo(db: Queryable, members: number[], damped: Set<string>): Promise<ScoringEvent[]> {
  if (damped.size === 0) return [];
  const rows = await db.query<Row>(
    `select e.id, e.member_id, e.action, (extract(epoch from e.occurred_at) * 1000)::bigint as at, null as object_id, '{}'::jsonb as attributes, s.peer_id as peer
     from peer_signals s join events e on e.id = s.event_id
     where s.peer_id = any($1::bigint[]) and s.action = any($2::text[]) and s.member_id <> all($1::bigint[])`,
    [members, [...damped]],
  );
  return rows.map((r) => ({ id: r.id, member: r.member_id, action: r.action, at: r.at, object: null, attributes: {}, peer: r.peer }));
}
