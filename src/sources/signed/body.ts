import { z } from '@hono/zod-openapi';
import { slug } from '../../schemas/common.ts';
import { EventBody, INGEST_LIMITS } from '../../schemas/event.ts';

/** An event as a signed source sends it: the events API's shape; `source` may be left out, it is the source's name. */
export const SignedEvent = EventBody.extend({ source: slug.optional() }).openapi('SignedEventInput');
export const SignedBatch = z.array(SignedEvent).min(1).max(INGEST_LIMITS.events_per_request);
