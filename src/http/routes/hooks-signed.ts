import { z } from '@hono/zod-openapi';
import { notFound } from '../../errors.ts';
import { INGEST_LIMITS } from '../../schemas/event.ts';
import { IngestResult, json } from '../../schemas/views.ts';
import { logDelivery } from '../../sources/deliveries.ts';
import { activeSource } from '../../sources/registry.ts';
import { SignedBatch, SignedEvent } from '../../sources/signed/body.ts';
import { readRawBody } from '../body.ts';
import { type Received, receiveSigned } from '../../sources/signed/receive.ts';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../sources/signed/signature.ts';
import { ResolutionCache } from '../../store/resolution-cache.ts';
import type { App, Deps } from '../env.ts';

const view = (results: Received['results']) =>
  results.map((o) => {
    if (o.status !== 'created' && o.status !== 'exists') throw new Error(`unexpected outcome ${o.status}`);
    return { status: o.status, id: o.id, member_id: o.member_id };
  });

/** `POST /hooks/sources/{name}`: events from a registered source of kind "signed", HMAC-signed with a timestamp. */
export function signedHookRoutes(app: App, deps: Deps): void {
  const cache = new ResolutionCache();
  app.post('/hooks/sources/:name', async (c) => {
    const source = await activeSource(deps.db, c.req.param('name'), 'signed');
    if (!source) throw notFound(`Signed source ${c.req.param('name')}`);
    const now = deps.now();
    let received: Received | undefined;
    await logDelivery(deps.db, source.name, now, async () => {
      received = await receiveSigned(
        source,
        {
          timestamp: c.req.header(TIMESTAMP_HEADER),
          signature: c.req.header(SIGNATURE_HEADER),
          contentType: c.req.header('content-type'),
          body: await readRawBody(c.req.raw, INGEST_LIMITS.body_bytes),
        },
        { db: deps.db, now, unknownIdentity: deps.config.unknownIdentity, cache },
      );
      return received;
    });
    const results = view(received!.results);
    const created = results.filter((r) => r.status === 'created').length;
    const status = created > 0 ? 201 : 200;
    if (!received!.many) return c.json(results[0]!, status);
    return c.json({ created, existing: results.length - created, results }, status);
  });

  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/hooks/sources/{name}',
    summary: 'Events from a registered source of kind "signed" (all or nothing)',
    description:
      'Headers: X-Vklad-Timestamp (unix seconds, within 5 minutes of the server clock) and X-Vklad-Signature: ' +
      'sha256=<hex HMAC-SHA256(source secret, timestamp + "." + raw body)>. Each event\'s source is the registered name.',
    request: {
      params: z.object({ name: z.string() }),
      headers: z.object({ 'x-vklad-timestamp': z.string(), 'x-vklad-signature': z.string() }),
      body: { required: true, content: { 'application/json': { schema: z.union([SignedEvent, SignedBatch]) } } },
    },
    responses: {
      200: json(z.union([IngestResult, z.object({ created: z.number().int(), existing: z.number().int(), results: z.array(IngestResult) })]), 'Already stored'),
      201: { description: 'Stored' },
      400: { description: 'Invalid events; nothing stored' },
      401: { description: 'Missing or wrong signature, or a timestamp outside 5 minutes; nothing stored' },
      404: { description: 'No such signed source' },
      409: { description: 'An event id seen before with different content' },
      413: { description: 'Body too large' },
      415: { description: 'Not application/json' },
    },
  });
}
