import { getConnInfo } from '@hono/node-server/conninfo';
import type { WebConfig } from '../config.ts';
import type { WebContext } from '../context.ts';

/** The client's address for rate limiting: the socket's, or the proxy's word when told to trust it. */
export function clientAddress(c: WebContext, config: WebConfig): string {
  if (config.trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // Requests made in-process (tests) have no socket.
    return 'local';
  }
}
