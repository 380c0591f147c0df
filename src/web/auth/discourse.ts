import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * DiscourseConnect with the forum as identity provider: Vklad sends a signed payload carrying a
 * nonce and where to come back; the forum sends back a signed payload naming the user.
 * Payloads are base64 of URL-encoded fields; signatures are hex HMAC-SHA256 of the base64 text.
 */
export const signPayload = (sso: string, secret: string): string => createHmac('sha256', secret).update(sso).digest('hex');

export const encodePayload = (fields: Record<string, string>): string => Buffer.from(new URLSearchParams(fields).toString(), 'utf8').toString('base64');

/** The forum URL to send the browser to. */
export function providerUrl(forumUrl: string, secret: string, nonce: string, returnUrl: string): string {
  const sso = encodePayload({ nonce, return_sso_url: returnUrl });
  return `${forumUrl}/session/sso_provider?${new URLSearchParams({ sso, sig: signPayload(sso, secret) })}`;
}

/** The fields of a payload the forum signed; null when the signature is not the forum's. */
export function verifiedPayload(sso: string, sig: string, secret: string): URLSearchParams | null {
  if (!/^[0-9a-f]{64}$/i.test(sig)) return null;
  const expected = Buffer.from(signPayload(sso, secret), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(sig, 'hex'))) return null;
  return new URLSearchParams(Buffer.from(sso, 'base64').toString('utf8'));
}
