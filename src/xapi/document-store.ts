import { createHash } from 'node:crypto';
import type { Database, Queryable } from '../db/database.ts';
import { conflict, invalid } from '../errors.ts';
import { PreconditionFailed } from './precondition.ts';
import { isRecord } from './values.ts';

export type DocumentKind = 'state' | 'activity_profile' | 'agent_profile';

/** Where documents live: the parts of the key that are not the document's own id ('' when not used). */
export interface DocumentScope {
  kind: DocumentKind;
  activityId: string;
  agentKey: string;
  registration: string;
}

export interface StoredDocument {
  content: Buffer;
  contentType: string;
  etag: string;
  updatedAt: Date;
}

/** The client's If-Match / If-None-Match headers, as sent. */
export interface Preconditions {
  ifMatch: string | undefined;
  ifNoneMatch: string | undefined;
}

export const etagOf = (content: Uint8Array): string => `"${createHash('sha1').update(content).digest('hex')}"`;

const tags = (header: string): string[] => header.split(',').map((t) => t.trim().replace(/^W\//, ''));

/**
 * HTTP preconditions as xAPI uses them: a failed If-Match or If-None-Match is 412; a PUT that would
 * overwrite a document without either header is 409 where the resource asks for it (the profiles).
 */
export function checkPreconditions(current: StoredDocument | null, given: Preconditions, putNeedsPrecondition: boolean): void {
  const failed = () => new PreconditionFailed();
  if (given.ifMatch !== undefined) {
    if (!current) throw failed();
    const wanted = tags(given.ifMatch);
    if (!wanted.includes('*') && !wanted.includes(current.etag)) throw failed();
  }
  if (given.ifNoneMatch !== undefined && current) {
    const unwanted = tags(given.ifNoneMatch);
    if (unwanted.includes('*') || unwanted.includes(current.etag)) throw failed();
  }
  if (putNeedsPrecondition && current && given.ifMatch === undefined && given.ifNoneMatch === undefined) {
    throw conflict('The document exists: GET it, then PUT with If-Match set to its ETag (or If-None-Match: * to create only)');
  }
}

const keyText = (scope: DocumentScope, id: string): string => JSON.stringify([scope.kind, scope.activityId, scope.agentKey, scope.registration, id]);

interface Row {
  content: Uint8Array;
  content_type: string;
  etag: string;
  updated_at: Date;
}

const toDocument = (r: Row): StoredDocument => ({ content: Buffer.from(r.content), contentType: r.content_type, etag: r.etag, updatedAt: r.updated_at });

const WHERE = 'kind = $1 and activity_id = $2 and agent_key = $3 and registration = $4';
const scopeParams = (s: DocumentScope) => [s.kind, s.activityId, s.agentKey, s.registration];

export async function getDocument(db: Queryable, scope: DocumentScope, id: string): Promise<StoredDocument | null> {
  const [row] = await db.query<Row>(`select content, content_type, etag, updated_at from xapi_documents where ${WHERE} and document_id = $5`, [
    ...scopeParams(scope),
    id,
  ]);
  return row ? toDocument(row) : null;
}

/** Ids of the documents in a scope, changed after `since` when given; with the newest change for Last-Modified. */
export async function listDocumentIds(db: Queryable, scope: DocumentScope, since: string | null): Promise<{ ids: string[]; lastModified: Date | null }> {
  const rows = await db.query<{ document_id: string; updated_at: Date }>(
    `select document_id, updated_at from xapi_documents where ${WHERE} and ($5::timestamptz is null or updated_at > $5) order by document_id`,
    [...scopeParams(scope), since],
  );
  const newest = rows.reduce<Date | null>((m, r) => (m === null || r.updated_at > m ? r.updated_at : m), null);
  return { ids: rows.map((r) => r.document_id), lastModified: newest };
}

export interface Write {
  content: Buffer;
  contentType: string;
  /** POST merges a JSON object into the stored JSON object; PUT replaces. */
  merge: boolean;
  preconditions: Preconditions;
  putNeedsPrecondition: boolean;
  now: Date;
}

const isJsonType = (type: string): boolean => /^application\/json\s*(;|$)/i.test(type);

function jsonObject(content: Buffer, field: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(content.toString('utf8'));
    if (isRecord(value)) return value;
  } catch {
    // reported below
  }
  throw invalid([{ field, reason: 'must be a JSON object to be merged' }]);
}

/** Writes one document under its preconditions; one writer per document at a time. */
export async function writeDocument(db: Database, scope: DocumentScope, id: string, write: Write): Promise<StoredDocument> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock(hashtext($1))', [keyText(scope, id)]);
    const current = await getDocument(tx, scope, id);
    checkPreconditions(current, write.preconditions, !write.merge && write.putNeedsPrecondition);
    let { content, contentType } = write;
    if (write.merge && isJsonType(contentType)) jsonObject(content, '(body)');
    if (write.merge && current) {
      if (!isJsonType(current.contentType) || !isJsonType(contentType)) {
        throw invalid([{ field: '(body)', reason: 'both the stored and the posted document must be application/json to be merged' }]);
      }
      const merged = { ...jsonObject(current.content, '(stored document)'), ...jsonObject(content, '(body)') };
      content = Buffer.from(JSON.stringify(merged));
      contentType = 'application/json';
    }
    const etag = etagOf(content);
    await tx.query(
      `insert into xapi_documents (kind, activity_id, agent_key, registration, document_id, content, content_type, etag, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       on conflict (kind, activity_id, agent_key, registration, document_id)
       do update set content = excluded.content, content_type = excluded.content_type, etag = excluded.etag, updated_at = excluded.updated_at`,
      [...scopeParams(scope), id, content, contentType, etag, write.now],
    );
    return { content, contentType, etag, updatedAt: write.now };
  });
}

/** Deletes one document (under If-Match when given), or every document of a scope when id is null. */
export async function deleteDocuments(db: Database, scope: DocumentScope, id: string | null, preconditions: Preconditions): Promise<void> {
  await db.transaction(async (tx) => {
    if (id === null) {
      await tx.query(`delete from xapi_documents where ${WHERE}`, scopeParams(scope));
      return;
    }
    await tx.query('select pg_advisory_xact_lock(hashtext($1))', [keyText(scope, id)]);
    const current = await getDocument(tx, scope, id);
    if (preconditions.ifMatch !== undefined || preconditions.ifNoneMatch !== undefined) checkPreconditions(current, preconditions, false);
    await tx.query(`delete from xapi_documents where ${WHERE} and document_id = $5`, [...scopeParams(scope), id]);
  });
}
