import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { VkladError, invalid, notFound } from '../../errors.ts';
import { fieldErrors } from '../../schemas/common.ts';
import { recordDelivery } from '../../sources/deliveries.ts';
import { applyPlan } from '../../sources/discourse/apply.ts';
import { planDelivery } from '../../sources/discourse/mapping.ts';
import { PAYLOADS, type PayloadType } from '../../sources/discourse/payloads.ts';
import { signatureMatches } from '../../sources/discourse/signature.ts';
import { activeSource } from '../../sources/registry.ts';
import { readRawBody } from '../body.ts';
import type { App, Deps } from '../env.ts';

/** Discourse posts carry the whole post; a few megabytes is far beyond its longest post. */
export const DISCOURSE_BODY_BYTES = 4 * 1024 * 1024;
export const DEFAULT_DISCOURSE_SOURCE = 'discourse';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const JSON_TYPE = /^application\/json\s*(;|$)/i;

/**
 * POST /hooks/discourse and /hooks/discourse/{name}: Discourse webhooks. The signature is checked on
 * the raw bytes before anything else is read; every outcome is counted for the source's status.
 */
export function discourseHookRoutes(app: App, deps: Deps): void {
  app.post('/hooks/discourse', (c) => receive(c, deps, DEFAULT_DISCOURSE_SOURCE));
  app.post('/hooks/discourse/:name', (c) => receive(c, deps, c.req.param('name')));
  for (const path of ['/hooks/discourse', '/hooks/discourse/{name}']) {
    app.openAPIRegistry.registerPath({
      method: 'post',
      path,
      summary: 'Discourse webhook: topics, posts, edits, deletions, likes and accepted solutions (see docs/discourse.md)',
      description: 'Authenticated by X-Discourse-Event-Signature: "sha256=" and the hex HMAC-SHA256 of the raw body, keyed by the source\'s secret.',
      ...(path.includes('{name}') ? { request: { params: z.object({ name: z.string() }) } } : {}),
      responses: {
        200: { description: 'accepted, duplicate or ignored, with the reason' },
        400: { description: 'Not a Discourse payload; the field is named' },
        401: { description: 'Missing or wrong signature' },
        404: { description: 'No such Discourse source, or it is disabled' },
        413: { description: 'Body over 4 MB' },
        415: { description: 'Not application/json' },
      },
    });
  }
}

async function receive(c: Context, deps: Deps, name: string): Promise<Response> {
  const source = await activeSource(deps.db, name, 'discourse');
  // As for every source kind: an unknown or disabled source is not found and not counted. Discourse
  // deactivates a webhook that keeps getting 404 after its retries, which is what disabling means.
  if (!source) throw notFound(`Discourse source ${name}`);
  const at = deps.now();
  try {
    const bytes = await readRawBody(c.req.raw, DISCOURSE_BODY_BYTES);
    if (!signatureMatches(source.secret, bytes, c.req.header('x-discourse-event-signature'))) {
      throw new VkladError('unauthorized', 'The signature is missing or wrong');
    }
    if (!JSON_TYPE.test(c.req.header('content-type') ?? '')) {
      throw new VkladError('unsupported_media_type', 'Set the webhook\'s content type to application/json');
    }
    const body = parseJson(bytes);
    const type = c.req.header('x-discourse-event-type') ?? '';
    if (type === 'ping') {
      await recordDelivery(deps.db, name, { status: 'ignored', reason: 'ping', at });
      return c.json({ status: 'ignored', reason: 'ping' });
    }
    const event = c.req.header('x-discourse-event');
    if (!type || !event) {
      throw invalid([{ field: type ? 'X-Discourse-Event' : 'X-Discourse-Event-Type', reason: 'is required' }], 'Not a Discourse webhook');
    }
    if (!Object.hasOwn(PAYLOADS, type)) {
      await recordDelivery(deps.db, name, { status: 'ignored', reason: `${type} events are not counted`, at });
      return c.json({ status: 'ignored', reason: `${type} events are not counted` });
    }
    const payload = payloadOf(body, type as PayloadType);
    const plan = planDelivery({ source: name, event, type: type as PayloadType, payload, receivedAt: at.toISOString() });
    const applied = await applyPlan(deps.db, plan, { unknownIdentity: deps.config.unknownIdentity, actor: `source:${name}` });
    await recordDelivery(deps.db, name, { status: applied.status, events: applied.events, at, ...(applied.reason ? { reason: applied.reason } : {}) });
    return c.json(applied);
  } catch (error) {
    if (error instanceof VkladError && error.status < 500) {
      await recordDelivery(deps.db, name, { status: 'rejected', reason: error.message, at });
    }
    throw error;
  }
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(utf8.decode(bytes));
  } catch (error) {
    throw new VkladError('malformed_body', 'The body is not valid UTF-8 JSON', [{ field: '(body)', reason: (error as Error).message }]);
  }
}

/** The payload sits under a key named after the event type, as Discourse builds the body. */
function payloadOf(body: unknown, type: PayloadType): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body) || !Object.hasOwn(body, type)) {
    throw invalid([{ field: type, reason: 'is required: the payload sits under the event type' }], 'Not a Discourse payload');
  }
  const parsed = PAYLOADS[type].safeParse((body as Record<string, unknown>)[type]);
  if (!parsed.success) throw invalid(fieldErrors(parsed.error).map((e) => ({ ...e, field: `${type}.${e.field}` })), 'Not a Discourse payload');
  return parsed.data;
}
