import type { EventInput } from '../../core/event.ts';
import type { Database } from '../../db/database.ts';
import { type UnknownIdentityMode, ingestEvents, replaceEventAttributes, restoreEvent, voidEvent } from '../../store/events.ts';
import type { DeliveryStatus } from '../deliveries.ts';
import { FORUM_PROVIDER, type Plan, keys } from './mapping.ts';

export interface Applied {
  status: DeliveryStatus;
  /** Events newly stored. */
  events: number;
  reason?: string;
}

export interface ApplyOptions {
  unknownIdentity: (provider: string) => UnknownIdentityMode;
  /** Who the audit log names for voids, restorations and edits: the source. */
  actor: string;
}

const changed = (events: number, reason: string): Applied => ({ status: 'accepted', events, reason });
const same = (reason: string): Applied => ({ status: 'duplicate', events: 0, reason });

/**
 * Carries out a plan. Each step is idempotent and atomic on its own, so a retried delivery (Discourse
 * retries failures, under a new event id) finds what the first one did and changes nothing more.
 */
export async function applyPlan(db: Database, plan: Plan, options: ApplyOptions): Promise<Applied> {
  switch (plan.kind) {
    case 'ignore':
      return { status: 'ignored', events: 0, reason: plan.reason };
    case 'record':
      return record(db, plan.events, plan.revised, options);
    case 'void':
      return voidKey(db, plan.source, plan.key, plan.reason, options);
    case 'restore': {
      const ref = { source: plan.source, source_event_id: plan.key };
      const { restored, stored } = await restoreEvent(db, ref, 'restored in Discourse', options.actor);
      if (restored) return changed(0, 'restored');
      if (!stored) return record(db, [plan.otherwise], true, options);
      return same('was not voided');
    }
    case 'accept':
      return accept(db, plan, options);
    case 'unaccept': {
      await db.query('delete from discourse_solutions where source = $1 and topic_id = $2 and post_id = $3', [plan.source, plan.topic, plan.post]);
      return voidKey(db, plan.source, plan.key, 'solution unaccepted in Discourse', options);
    }
  }
}

/**
 * Records events; one already stored is the same fact again (a retry), or, with `revised`, possibly a
 * newer version of it (an edit), whose attributes then replace the stored ones: still one event, one award.
 */
export async function record(db: Database, events: EventInput[], revised: boolean, options: ApplyOptions): Promise<Applied> {
  const outcomes = await ingestEvents(db, events, { atomic: false, unknownIdentity: options.unknownIdentity });
  let created = 0;
  let replaced = 0;
  for (const [n, outcome] of outcomes.entries()) {
    if (outcome.status === 'created') created += 1;
    if (outcome.status === 'rejected') {
      return { status: 'ignored', events: created, reason: outcome.errors.map((e) => `${e.field} ${e.reason}`).join('; ') };
    }
    if (outcome.status === 'conflict' && revised) {
      const event = events[n]!;
      const ref = { source: event.source, source_event_id: event.source_event_id };
      if ((await replaceEventAttributes(db, ref, event.attributes ?? {}, options.actor, { newerBy: 'revision' })).replaced) replaced += 1;
    }
  }
  if (created > 0) return changed(created, 'recorded');
  if (replaced > 0) return changed(0, 'revised');
  return same('already recorded');
}

async function voidKey(db: Database, source: string, key: string, reason: string, options: ApplyOptions): Promise<Applied> {
  const [stored] = await db.query<{ id: number }>('select id from events where source = $1 and source_event_id = $2', [source, key]);
  if (!stored) return { status: 'ignored', events: 0, reason: 'nothing recorded to void' };
  const { voided_now } = await voidEvent(db, { event_id: Number(stored.id) }, reason, options.actor);
  return voided_now ? changed(0, 'voided') : same('already voided');
}

/**
 * An accepted solution counts for the answer's author, from whoever accepted it. Discourse's webhook
 * does not name the accepter; the topic's author (who accepts in all but staff cases) stands in, as
 * Vklad knows the topic. A newer acceptance in the same topic voids the older one, as Discourse sends
 * no unaccept for it.
 */
async function accept(db: Database, plan: Extract<Plan, { kind: 'accept' }>, options: ApplyOptions): Promise<Applied> {
  const source = plan.event.source;
  let event = plan.event;
  if (event.attributes?.accepted_by === undefined) {
    const [topic] = await db.query<{ author: string }>(
      'select actor_external_id as author from events where source = $1 and source_event_id = $2 and actor_provider = $3',
      [source, keys.topic(plan.topic), FORUM_PROVIDER],
    );
    if (topic) event = { ...event, attributes: { ...event.attributes, accepted_by: topic.author } };
  }
  const recorded = await record(db, [event], false, options);
  const { restored } = await restoreEvent(db, { source, source_event_id: event.source_event_id }, 'solution accepted again in Discourse', options.actor);
  const previous = await db.transaction(async (tx) => {
    const [row] = await tx.query<{ post_id: string }>('select post_id from discourse_solutions where source = $1 and topic_id = $2 for update', [
      source,
      plan.topic,
    ]);
    await tx.query(
      `insert into discourse_solutions (source, topic_id, post_id) values ($1, $2, $3)
       on conflict (source, topic_id) do update set post_id = excluded.post_id`,
      [source, plan.topic, plan.post],
    );
    return row ? Number(row.post_id) : null;
  });
  if (previous !== null && previous !== plan.post) {
    await voidKey(db, source, keys.solution(previous), 'another answer accepted in Discourse', options);
  }
  return restored ? changed(0, 'restored') : recorded;
}
