import { randomUUID } from 'node:crypto';
import type { Database } from '../db/database.ts';
import { type FieldError, VkladError, invalid } from '../errors.ts';
import type { UnknownIdentityMode } from '../store/events.ts';
import { ingestEvents, voidEvent } from '../store/events.ts';
import { type Attachments, attachmentErrors } from './attachments.ts';
import { eventFor, loadMapping } from './mapping.ts';
import { signatureErrors } from './signature.ts';
import { asStored } from './statement-form.ts';
import { type Prepared, markMapped, storeStatements } from './statement-store.ts';
import { statementErrors } from './validate.ts';
import { isRecord } from './values.ts';

type Json = Record<string, unknown>;

const idOf = (s: Json): string => String(s.id).toLowerCase();

export interface Recording {
  db: Database;
  now: Date;
  /** Who stores the statements: the LRS sets it as their authority. */
  authority: Json;
  /** The version set on statements that carry none. */
  version: string;
  unknownIdentity: (provider: string) => UnknownIdentityMode;
  /** Who voids events, for the audit log. */
  actor: string;
}

/**
 * Validates, stores and maps statements, all of them or none: returns their ids in order. A statement
 * stored now becomes an activity event when the mapping says so; a statement voided now voids its event.
 */
export async function recordStatements(statements: unknown[], inBatch: boolean, attachments: Attachments, r: Recording): Promise<string[]> {
  const errors: FieldError[] = statements.flatMap((s, item) => statementErrors(s).map((e) => (inBatch ? { ...e, item } : e)));
  if (errors.length === 0) errors.push(...attachmentErrors(statements, attachments, inBatch));
  if (errors.length === 0) {
    errors.push(...statements.flatMap((s, item) => signatureErrors(s as Json, attachments).map((e) => (inBatch ? { ...e, item } : e))));
  }
  if (errors.length > 0) throw invalid(errors, 'Some statements are invalid; none were stored');

  const stored = r.now.toISOString();
  const prepared: Prepared[] = (statements as Json[]).map((incoming) => ({
    incoming,
    statement: asStored(incoming, { id: typeof incoming.id === 'string' ? incoming.id : randomUUID(), stored, authority: r.authority, version: r.version }),
  }));
  const result = await storeStatements(r.db, prepared, attachments);

  // Mapping follows the commit of the statements; until it is noted done, a resend of the statement redoes it
  // (events are keyed by statement id, so doing it twice counts once).
  const voided = new Set(result.voidedNow);
  const storedNow = prepared.map((p) => p.statement).filter((s) => result.stored.includes(idOf(s)));
  await becomeEvents([...storedNow.filter((s) => !voided.has(idOf(s))), ...result.unmapped], r);
  for (const id of result.voidedNow) await voidItsEvent(id, r);
  await markMapped(r.db, [...storedNow, ...result.unmapped].map(idOf));
  return prepared.map((p) => String(p.statement.id));
}

async function becomeEvents(statements: Json[], r: Recording): Promise<void> {
  if (statements.length === 0) return;
  const mapping = await loadMapping(r.db);
  const ids = statements.flatMap((s) => (isRecord(s.object) && typeof s.object.id === 'string' ? [s.object.id] : []));
  const rows = await r.db.query<{ id: string; type: string | null }>("select id, definition->>'type' as type from xapi_activities where id = any($1)", [ids]);
  const types = new Map(rows.map((row) => [row.id, row.type ?? undefined]));
  const events = statements.flatMap((s) => eventFor(s, mapping, (id) => types.get(id)) ?? []);
  // Not atomic: a statement whose action was retired meanwhile stays a statement only.
  if (events.length > 0) await ingestEvents(r.db, events, { atomic: false, unknownIdentity: r.unknownIdentity });
}

async function voidItsEvent(statementId: string, r: Recording): Promise<void> {
  try {
    await voidEvent(r.db, { source: 'xapi', source_event_id: statementId }, `xAPI statement ${statementId} was voided`, r.actor);
  } catch (error) {
    // An unmapped statement has no event to void.
    if (!(error instanceof VkladError && error.code === 'not_found')) throw error;
  }
}
