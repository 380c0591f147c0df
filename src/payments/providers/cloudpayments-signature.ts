import { createHmac, timingSafeEqual } from 'node:crypto';
import { VkladError } from '../../errors.ts';

/** What CloudPayments puts in Content-HMAC: base64 HMAC-SHA256 of the request body, keyed by the API secret. */
export function cloudPaymentsHmac(secret: string, rawBody: Uint8Array): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}

/**
 * Checks the notification's Content-HMAC (or X-Content-HMAC) against the raw body, in constant time.
 * Either header may carry it; CloudPayments computes X-Content-HMAC over decoded parameters, which for a
 * URL-encoded body differs from the bytes received, so only a header matching the bytes is trusted.
 */
export function verifyCloudPaymentsHmac(headers: { content?: string; xContent?: string }, rawBody: Uint8Array, secret: string): void {
  const presented = [headers.content, headers.xContent].filter((h): h is string => typeof h === 'string' && h.length > 0);
  if (presented.length === 0) throw new VkladError('unauthorized', 'The Content-HMAC header is required');
  const expected = Buffer.from(cloudPaymentsHmac(secret, rawBody), 'base64');
  const matches = presented.map((h) => {
    const given = Buffer.from(h.trim(), 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches.includes(true)) throw new VkladError('unauthorized', 'The Content-HMAC does not match the body');
}
