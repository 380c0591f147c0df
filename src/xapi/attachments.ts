import type { Context } from 'hono';
import { type FieldError, VkladError, invalid } from '../errors.ts';
import type { Queryable } from '../db/database.ts';
import { readJson } from '../http/body.ts';
import { type Part, boundaryOf, parseMultipart, sha2Matches } from './multipart.ts';
import { isRecord } from './values.ts';

export interface AttachmentContent {
  contentType: string;
  content: Buffer;
}

/** Attachment contents by lowercased SHA-2 hash. */
export type Attachments = Map<string, AttachmentContent>;

/**
 * A statements request body: JSON, or multipart/mixed whose first part is the JSON and whose other
 * parts are the attachments' contents, each named by X-Experience-API-Hash.
 */
export async function readStatementsBody(c: Context, maxBytes: number): Promise<{ body: unknown; attachments: Attachments }> {
  const boundary = boundaryOf(c.req.header('content-type'));
  if (boundary === null) return { body: await readJson(c, maxBytes), attachments: new Map() };
  if (Number(c.req.header('content-length') ?? 0) > maxBytes) throw new VkladError('payload_too_large', `The body must be at most ${maxBytes} bytes`);
  const raw = Buffer.from(await c.req.arrayBuffer());
  if (raw.byteLength > maxBytes) throw new VkladError('payload_too_large', `The body must be at most ${maxBytes} bytes`);
  const [first, ...rest] = parseMultipart(raw, boundary);
  if (!first || !/^application\/json\s*(;|$)/i.test(first.headers['content-type'] ?? '')) {
    throw invalid([{ field: '(body)', reason: 'the first part of a multipart/mixed body must be the statements as application/json' }]);
  }
  let body: unknown;
  try {
    body = JSON.parse(first.body.toString('utf8'));
  } catch (error) {
    throw new VkladError('malformed_body', 'The statements part is not valid JSON', [{ field: '(body)', reason: (error as Error).message }]);
  }
  return { body, attachments: attachmentParts(rest) };
}

function attachmentParts(parts: Part[]): Attachments {
  const errors: FieldError[] = [];
  const found: Attachments = new Map();
  parts.forEach((part, n) => {
    const field = `(part ${n + 2})`;
    const hash = part.headers['x-experience-api-hash'];
    if (!hash) return errors.push({ field, reason: 'needs an X-Experience-API-Hash header' });
    if ((part.headers['content-transfer-encoding'] ?? '').toLowerCase() !== 'binary') errors.push({ field, reason: 'needs Content-Transfer-Encoding: binary' });
    if (!sha2Matches(part.body, hash)) errors.push({ field, reason: 'its content does not have the SHA-2 hash its header names' });
    found.set(hash.toLowerCase(), { contentType: part.headers['content-type'] ?? 'application/octet-stream', content: part.body });
  });
  if (errors.length > 0) throw invalid(errors);
  return found;
}

/** The attachments a statement declares, with their paths, from the statement and a SubStatement. */
export function declaredAttachments(statement: unknown): { path: string; sha2: string; fileUrl: boolean }[] {
  if (!isRecord(statement)) return [];
  const lists: [string, unknown][] = [['attachments', statement.attachments]];
  if (isRecord(statement.object) && statement.object.objectType === 'SubStatement') lists.push(['object.attachments', statement.object.attachments]);
  return lists.flatMap(([path, list]) =>
    Array.isArray(list)
      ? list.flatMap((a, i) => (isRecord(a) && typeof a.sha2 === 'string' ? [{ path: `${path}.${i}`, sha2: a.sha2.toLowerCase(), fileUrl: a.fileUrl !== undefined }] : []))
      : [],
  );
}

/** Every attachment without fileUrl must come as a part; every part must be some attachment's. */
export function attachmentErrors(statements: unknown[], sent: Attachments, inBatch: boolean): FieldError[] {
  const declared = statements.map(declaredAttachments);
  const errors: FieldError[] = declared.flatMap((list, item) =>
    list.flatMap((a) => (a.fileUrl || sent.has(a.sha2) ? [] : [{ ...(inBatch ? { item } : {}), field: `${a.path}.sha2`, reason: 'no fileUrl and no multipart/mixed part with this hash was sent' }])),
  );
  const used = new Set(declared.flat().map((a) => a.sha2));
  for (const hash of sent.keys()) if (!used.has(hash)) errors.push({ field: '(body)', reason: `a part with hash ${hash} belongs to no attachment of these statements` });
  return errors;
}

export async function storeAttachments(tx: Queryable, sent: Attachments): Promise<void> {
  for (const [sha2, a] of sent) {
    await tx.query('insert into xapi_attachments (sha2, content_type, content) values ($1, $2, $3) on conflict (sha2) do nothing', [sha2, a.contentType, a.content]);
  }
}

/** The stored contents of the attachments these statements declare without a fileUrl. */
export async function attachmentsOf(db: Queryable, statements: unknown[]): Promise<Part[]> {
  const hashes = [...new Set(statements.flatMap(declaredAttachments).filter((a) => !a.fileUrl).map((a) => a.sha2))];
  if (hashes.length === 0) return [];
  const rows = await db.query<{ sha2: string; content_type: string; content: Uint8Array }>(
    'select sha2, content_type, content from xapi_attachments where sha2 = any($1) order by sha2',
    [hashes],
  );
  return rows.map((r) => ({
    headers: { 'Content-Type': r.content_type, 'Content-Transfer-Encoding': 'binary', 'X-Experience-API-Hash': r.sha2 },
    body: Buffer.from(r.content),
  }));
}
