import type { Context } from 'hono';
import type { z } from '@hono/zod-openapi';
import { VkladError, invalid } from '../errors.ts';
import { fieldErrors } from '../schemas/common.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const JSON_TYPE = /^application\/([a-z.+-]*\+)?json\s*(;|$)/i;

/** Reads a JSON body strictly: JSON media type, size limit, valid UTF-8, well-formed JSON. */
export async function readJson(c: Context, maxBytes: number): Promise<unknown> {
  requireJson(c.req.header('content-type'));
  return parseUtf8Json(await readRawBody(c.req.raw, maxBytes));
}

/** Parses bytes already read (and, for a signed hook, verified) as JSON, as strictly as readJson. */
export function parseJsonBytes(contentType: string | undefined, bytes: Uint8Array): unknown {
  requireJson(contentType);
  return parseUtf8Json(bytes);
}

function requireJson(contentType: string | undefined): void {
  if (!JSON_TYPE.test(contentType ?? '')) throw new VkladError('unsupported_media_type', 'The body must be application/json');
}

function parseUtf8Json(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new VkladError('malformed_body', 'The body is not valid UTF-8', [{ field: '(body)', reason: 'is not valid UTF-8' }]);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new VkladError('malformed_body', 'The body is not valid JSON', [{ field: '(body)', reason: (error as Error).message }]);
  }
}

const tooLarge = (maxBytes: number) => new VkladError('payload_too_large', `The body must be at most ${maxBytes} bytes`);

/**
 * The raw body, refused beyond `maxBytes`: by its Content-Length, and counted as it arrives, so a
 * body without an honest Content-Length cannot exhaust memory. Signed hooks verify these bytes.
 */
export async function readRawBody(request: Request, maxBytes: number): Promise<Uint8Array> {
  if (Number(request.headers.get('content-length') ?? 0) > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Validates a value against a schema, turning failures into field errors. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, inBatch = false): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalid(fieldErrors(parsed.error, inBatch));
  return parsed.data;
}

export async function readBody<S extends z.ZodType>(c: Context, schema: S, maxBytes = 1024 * 1024): Promise<z.infer<S>> {
  return parseWith(schema, await readJson(c, maxBytes));
}
