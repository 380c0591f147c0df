import { z } from '@hono/zod-openapi';
import { VkladError } from '../../errors.ts';
import { slug } from '../../schemas/common.ts';
import { EventBody, INGEST_LIMITS } from '../../schemas/event.ts';

/** An event as a signed source sends it: the events API's shape; `source` may be left out, it is the source's name. */
export const SignedEvent = EventBody.extend({ source: slug.optional() }).openapi('SignedEventInput');
export const SignedBatch = z.array(SignedEvent).min(1).max(INGEST_LIMITS.events_per_request);

const tooLarge = () => new VkladError('payload_too_large', `The body must be at most ${INGEST_LIMITS.body_bytes} bytes`);

/** The raw body, counted as it arrives so a body without an honest Content-Length cannot exhaust memory. */
export async function readRawBody(request: Request, maxBytes = INGEST_LIMITS.body_bytes): Promise<Uint8Array> {
  if (Number(request.headers.get('content-length') ?? 0) > maxBytes) throw tooLarge();
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses verified bytes as JSON, strictly: JSON media type, valid UTF-8, well-formed JSON. */
export function parseJsonBytes(contentType: string | undefined, bytes: Uint8Array): unknown {
  if (!/^application\/([a-z.+-]*\+)?json\s*(;|$)/i.test(contentType ?? '')) {
    throw new VkladError('unsupported_media_type', 'The body must be application/json');
  }
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
