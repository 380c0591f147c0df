import { createHmac, timingSafeEqual } from 'node:crypto';
import { VkladError, invalid } from '../../errors.ts';

/** How far a signed timestamp may be from our clock: Stripe's recommended replay window. */
export const STRIPE_TOLERANCE_S = 300;

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** The v1 signature Stripe computes: hex HMAC-SHA256 of "<timestamp>.<raw body>" with the endpoint secret. */
export function stripeSignature(secret: string, timestamp: number, rawBody: Uint8Array): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/**
 * Checks `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>...]` against the raw body. Any v1 may match
 * (Stripe sends several while a secret is rolled); other schemes (v0) are not trusted. Throws 400 for a
 * header that cannot be read and 401 for a wrong signature or a timestamp outside the replay window.
 */
export function verifyStripeSignature(
  header: string | undefined,
  rawBody: Uint8Array,
  secret: string,
  now_s: number,
  tolerance_s = STRIPE_TOLERANCE_S,
): void {
  if (!header) throw new VkladError('unauthorized', 'The Stripe-Signature header is required');
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const element of header.split(',')) {
    const at = element.indexOf('=');
    const key = element.slice(0, at).trim();
    const value = element.slice(at + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    if (key === 'v1' && HEX_SHA256.test(value)) signatures.push(value);
  }
  if (timestamp === undefined || signatures.length === 0) {
    throw invalid([{ field: 'Stripe-Signature', reason: 'must be t=<unix time>,v1=<hex HMAC-SHA256>' }], 'The Stripe-Signature header cannot be read');
  }
  const expected = Buffer.from(stripeSignature(secret, timestamp, rawBody), 'hex');
  // Every candidate is compared, so the time taken says nothing about which one came close.
  const matched = signatures.map((s) => timingSafeEqual(Buffer.from(s, 'hex'), expected)).includes(true);
  if (!matched) throw new VkladError('unauthorized', 'The Stripe-Signature does not match the body');
  if (Math.abs(now_s - timestamp) > tolerance_s) {
    throw new VkladError('unauthorized', `The Stripe-Signature timestamp is more than ${tolerance_s} s from now: a replay is refused`);
  }
}
