import type { EventInput } from '../core/event.ts';
import type { Database, Queryable } from '../db/database.ts';
import { VkladError, notFound } from '../errors.ts';
import { type IngestOptions, type Outcome, ingestEvents } from '../store/events.ts';

export const DELIVERY_STATUSES = ['accepted', 'duplicate', 'ignored', 'rejected'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** How many of a source's latest rejections are kept; older ones are overwritten in place. */
export const KEPT_REJECTS = 20;
const REASON_CHARS = 300;

export interface DeliveryOutcome {
  status: DeliveryStatus;
  /** Why it was rejected or ignored: our own words, never the body. */
  reason?: string;
  /** Events newly stored by this delivery. */
  events?: number;
  at?: Date;
}

/**
 * Counts one delivery from a registered source. The log is bounded: one row of counters per source
 * and a ring of the last KEPT_REJECTS rejections, so a flood of bad requests cannot grow the database.
 */
export async function recordDelivery(db: Queryable, source: string, outcome: DeliveryOutcome): Promise<void> {
  const at = outcome.at ?? new Date();
  const n = (s: DeliveryStatus) => (outcome.status === s ? 1 : 0);
  const [row] = await db.query<{ rejected: number }>(
    `insert into source_deliveries as d (source, accepted, duplicate, ignored, rejected, events, last_received_at, last_delivery_at)
     values ($1, $2::bigint, $3::bigint, $4::bigint, $5::bigint, $6::bigint, case when $2::bigint = 1 then $7::timestamptz end, $7::timestamptz)
     on conflict (source) do update set
       accepted = d.accepted + excluded.accepted,
       duplicate = d.duplicate + excluded.duplicate,
       ignored = d.ignored + excluded.ignored,
       rejected = d.rejected + excluded.rejected,
       events = d.events + excluded.events,
       last_received_at = coalesce(excluded.last_received_at, d.last_received_at),
       last_delivery_at = excluded.last_delivery_at
     returning rejected`,
    [source, n('accepted'), n('duplicate'), n('ignored'), n('rejected'), Math.max(0, outcome.events ?? 0), at],
  );
  if (outcome.status !== 'rejected') return;
  // The counter was raised under the row lock, so concurrent rejections land in different slots.
  await db.query(
    `insert into source_rejects (source, slot, seq, at, reason) values ($1, $2, $3, $4, $5)
     on conflict (source, slot) do update set seq = excluded.seq, at = excluded.at, reason = excluded.reason`,
    [source, (row!.rejected - 1) % KEPT_REJECTS, row!.rejected, at, (outcome.reason ?? 'rejected').slice(0, REASON_CHARS)],
  );
}

export interface SourceStatus {
  name: string;
  kind: string;
  disabled_at: Date | null;
  last_received_at: Date | null;
  last_delivery_at: Date | null;
  counts: Record<DeliveryStatus, number>;
  events: number;
  recent_rejects: { at: Date; reason: string }[];
}

/** What a source has sent: when it last brought an event, counts per outcome, and the latest rejections, newest first. */
export async function sourceStatus(db: Queryable, name: string): Promise<SourceStatus> {
  const [row] = await db.query<{
    name: string;
    kind: string;
    disabled_at: Date | null;
    accepted: number | null;
    duplicate: number | null;
    ignored: number | null;
    rejected: number | null;
    events: number | null;
    last_received_at: Date | null;
    last_delivery_at: Date | null;
  }>(
    `select s.name, s.kind, s.disabled_at, d.accepted, d.duplicate, d.ignored, d.rejected, d.events, d.last_received_at, d.last_delivery_at
     from sources s left join source_deliveries d on d.source = s.name where s.name = $1`,
    [name],
  );
  if (!row) throw notFound(`Source ${name}`);
  const rejects = await db.query<{ at: Date; reason: string }>(
    'select at, reason from source_rejects where source = $1 order by seq desc',
    [name],
  );
  return {
    name: row.name,
    kind: row.kind,
    disabled_at: row.disabled_at,
    last_received_at: row.last_received_at,
    last_delivery_at: row.last_delivery_at,
    counts: { accepted: row.accepted ?? 0, duplicate: row.duplicate ?? 0, ignored: row.ignored ?? 0, rejected: row.rejected ?? 0 },
    events: row.events ?? 0,
    recent_rejects: rejects,
  };
}

/** A rejection's reason as the log keeps it: the error in our own words and the fields it names, never the body. */
export function rejectionReason(error: VkladError): string {
  // A JSON parser's complaint quotes the text around the fault, so for a malformed body only our own words are kept.
  if (error.code === 'malformed_body') return error.message;
  const fields = error.errors.slice(0, 3).map((e) => `${e.item === undefined ? '' : `[${e.item}] `}${e.field} ${e.reason}`);
  const more = error.errors.length > 3 ? [`and ${error.errors.length - 3} more`] : [];
  return [error.message, ...fields, ...more].join('; ');
}

/**
 * Runs a hook's work for a registered source and logs what became of the delivery; a refusal is logged
 * with its reason and thrown on, so the sender gets the same answer as from the API.
 */
export async function logDelivery(db: Database, source: string, at: Date, work: () => Promise<DeliveryOutcome>): Promise<DeliveryOutcome> {
  let outcome: DeliveryOutcome;
  try {
    outcome = await work();
  } catch (error) {
    if (!(error instanceof VkladError)) throw error;
    await recordDelivery(db, source, { status: 'rejected', reason: rejectionReason(error), at });
    throw error;
  }
  await recordDelivery(db, source, { ...outcome, at });
  return outcome;
}

/** Stores a delivery's events all or nothing, as the events API does; new events make it accepted, none a duplicate. */
export async function storeDelivered(
  db: Database,
  events: EventInput[],
  options: Pick<IngestOptions, 'unknownIdentity' | 'cache'>,
): Promise<{ outcome: DeliveryOutcome; results: Outcome[] }> {
  const results = await ingestEvents(db, events, { ...options, atomic: true });
  const created = results.filter((r) => r.status === 'created').length;
  return { outcome: { status: created > 0 ? 'accepted' : 'duplicate', events: created }, results };
}
