import { createHmac, timingSafeEqual } from 'node:crypto';

const HEADER = /^sha256=([0-9a-f]{64})$/i;

/** The X-Discourse-Event-Signature Discourse sends: "sha256=" and the hex HMAC-SHA256 of the raw body. */
export const discourseSignature = (secret: string, body: Uint8Array): string =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** Whether the header signs these exact bytes with this secret; compared in constant time. */
export function signatureMatches(secret: string, body: Uint8Array, header: string | undefined): boolean {
  const presented = HEADER.exec(header?.trim() ?? '');
  if (!presented) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(presented[1]!, 'hex'));
}
