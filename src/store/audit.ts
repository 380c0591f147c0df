import type { Queryable } from '../db/database.ts';

/** Records who did what to whom and why; written in the same transaction as the change itself. */
export async function audit(tx: Queryable, actor: string, action: string, subject: string, details: object): Promise<void> {
  await tx.query('insert into audit_log (actor, action, subject, details) values ($1, $2, $3, $4)', [
    actor,
    action,
    subject,
    JSON.stringify(details),
  ]);
}

export interface AuditEntry {
  id: number;
  at: Date;
  actor: string;
  action: string;
  subject: string;
  details: Record<string, unknown>;
}

export async function listAudit(db: Queryable, subject?: string, limit = 100): Promise<AuditEntry[]> {
  return db.query<AuditEntry>(
    `select id, at, actor, action, subject, details from audit_log
     where $1::text is null or subject = $1 order by id desc limit $2`,
    [subject ?? null, limit],
  );
}
