import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a request's timestamp may be from our clock, either way, before it is refused as a replay. */
export const REPLAY_WINDOW_SECONDS = 5 * 60;

export const TIMESTAMP_HEADER = 'x-vklad-timestamp';
export const SIGNATURE_HEADER = 'x-vklad-signature';

/** The signature a sender puts in X-Vklad-Signature: `sha256=` + hex HMAC-SHA256(secret, timestamp + "." + raw body). */
export function signPayload(secret: string, timestamp: string | number, body: Uint8Array | string): string {
  return `sha256=${digest(secret, String(timestamp), typeof body === 'string' ? Buffer.from(body) : body).toString('hex')}`;
}

const digest = (secret: string, timestamp: string, body: Uint8Array): Buffer =>
  createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();

/** Why a timestamp header is refused, or null when it is within the window. */
export function timestampProblem(header: string | undefined, now: Date): string | null {
  if (header === undefined || !/^\d{1,12}$/.test(header)) return 'X-Vklad-Timestamp must be unix seconds';
  const skew = Number(header) - Math.floor(now.getTime() / 1000);
  if (Math.abs(skew) > REPLAY_WINDOW_SECONDS) {
    return `X-Vklad-Timestamp is ${Math.abs(skew)} s ${skew < 0 ? 'old' : 'ahead'}, outside ${REPLAY_WINDOW_SECONDS} s`;
  }
  return null;
}

/** Whether the signature header matches; compared in constant time on equal-length digests. */
export function signatureMatches(header: string | undefined, secret: string, timestamp: string, body: Uint8Array): boolean {
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header?.trim() ?? '');
  const expected = digest(secret, timestamp, body);
  // A malformed header is still compared, against zeros, so every refusal costs the same.
  const presented = match ? Buffer.from(match[1]!, 'hex') : Buffer.alloc(expected.length);
  return timingSafeEqual(presented, expected) && match !== null;
}
