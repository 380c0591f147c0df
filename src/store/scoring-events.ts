import type { Queryable } from '../db/database.ts';
import type { ScoringEvent } from '../scoring/index.ts';

/** Which attribute of an action's events names the other member of a peer signal. */
export type PeerAttributes = Map<string, string>;

interface Row {
  id: number;
  member_id: number;
  action: string;
  at: number;
  object_id: string | null;
  attributes: Record<string, unknown>;
  peer: number | null;
}

// The peer attribute holds a Vklad member id (a number) or an external id in the actor's own provider
// (the forum user who liked a post is a forum user too). Voided events are left out: they count nowhere.
const SELECT_SQL = `
  with peer_actions as (select * from json_to_recordset($2::json) as p(action text, attr text)),
  signals as (
    select e.id, e.member_id, e.action, e.occurred_at, e.object_id, e.attributes,
      case when jsonb_typeof(e.attributes -> p.attr) = 'number'
        then (select coalesce(m.merged_into, m.id) from members m where m.id = (e.attributes ->> p.attr)::numeric)
        else (select i.member_id from identities i where i.provider = e.actor_provider and i.external_id = e.attributes ->> p.attr)
      end as peer
    from events e join peer_actions p on p.action = e.action
    where e.member_id is not null and not exists (select 1 from event_voids v where v.event_id = e.id)
  )
  select id, member_id, action, (extract(epoch from occurred_at) * 1000)::bigint as at, object_id, attributes, null::bigint as peer
  from events e
  where member_id = any($1::bigint[]) and action not in (select action from peer_actions)
    and not exists (select 1 from event_voids v where v.event_id = e.id)
  union all
  select id, member_id, action, (extract(epoch from occurred_at) * 1000)::bigint, object_id, attributes, peer
  from signals where member_id = any($1::bigint[]) or (peer = any($1::bigint[]) and action = any($3::text[]))`;

/**
 * The events that decide the awards of `members`: their own, and the peer signals others sent them
 * in actions where a returned signal is damped (whether A's like of B is returned depends on B's events).
 */
export async function scoringEvents(db: Queryable, members: number[], peers: PeerAttributes, damped: Set<string>): Promise<ScoringEvent[]> {
  const peerActions = JSON.stringify([...peers].map(([action, attr]) => ({ action, attr })));
  const rows = await db.query<Row>(SELECT_SQL, [members, peerActions, [...damped]]);
  return rows.map((r) => ({
    id: r.id,
    member: r.member_id,
    action: r.action,
    at: r.at,
    object: r.object_id,
    attributes: r.attributes,
    peer: r.peer,
  }));
}
