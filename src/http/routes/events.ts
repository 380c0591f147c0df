import { createRoute, z } from '@hono/zod-openapi';
import { invalid } from '../../errors.ts';
import { actionKey, memberId, slug, text, timestamp } from '../../schemas/common.ts';
import { EventBatch, EventBody, INGEST_LIMITS, timeErrors } from '../../schemas/event.ts';
import { EventView, IngestResult, errorResponses, json } from '../../schemas/views.ts';
import { type Outcome, getEvent, ingestEvents, listEvents, voidEvent } from '../../store/events.ts';
import type { EventInput } from '../../core/event.ts';
import { ResolutionCache } from '../../store/resolution-cache.ts';
import { parseWith, readBody, readJson } from '../body.ts';
import { pathId } from '../params.ts';
import { type App, type Deps, actorOf, route } from '../env.ts';

const IngestBody = z.union([EventBody, EventBatch]).openapi({
  description: `One event, or an array of 1 to ${INGEST_LIMITS.events_per_request} events stored all or nothing`,
});

const BatchResult = z.object({ created: z.number().int(), existing: z.number().int(), results: z.array(IngestResult) });

const ListQuery = z
  .object({
    member: z.coerce.number().pipe(memberId).optional(),
    action: actionKey.optional(),
    source: slug.optional(),
    from: timestamp.optional(),
    to: timestamp.optional(),
    parked: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

const VoidBody = z
  .object({
    event_id: memberId.optional().openapi({ description: 'Vklad event id; or give source and source_event_id' }),
    source: slug.optional(),
    source_event_id: text(200).optional(),
    reason: text(500),
  })
  .strict()
  .refine((b) => (b.event_id !== undefined) !== (b.source !== undefined && b.source_event_id !== undefined), {
    message: 'give either event_id or both source and source_event_id',
  })
  .openapi('VoidInput');

const Cursor = z.object({ occurred_at: z.string(), id: z.number().int() });
const encodeCursor = (e: { occurred_at: string; id: number }) =>
  Buffer.from(JSON.stringify({ occurred_at: e.occurred_at, id: e.id })).toString('base64url');

function decodeCursor(cursor: string | undefined) {
  if (cursor === undefined) return undefined;
  try {
    return Cursor.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw invalid([{ field: 'cursor', reason: 'is not a cursor this API returned' }]);
  }
}

const view = (o: Outcome) => {
  if (o.status !== 'created' && o.status !== 'exists') throw new Error(`unexpected outcome ${o.status}`);
  return { status: o.status, id: o.id, member_id: o.member_id };
};

export function eventRoutes(app: App, deps: Deps): void {
  const cache = new ResolutionCache();
  route(
    app,
    createRoute({
      method: 'post',
      path: '/api/v1/events',
      summary: 'Record one event or a batch (all or nothing)',
      request: { body: { required: true, content: { 'application/json': { schema: IngestBody } } } },
      responses: {
        200: json(z.union([IngestResult, BatchResult]), 'Already stored; nothing changed'),
        201: json(z.union([IngestResult, BatchResult]), 'Stored'),
        ...errorResponses(409, 413, 415),
      },
    }),
    'ingest',
    async (c) => {
      const body = await readJson(c, INGEST_LIMITS.body_bytes);
      const many = Array.isArray(body);
      const events = (many ? parseWith(EventBatch, body, true) : [parseWith(EventBody, body)]) as EventInput[];
      const now = deps.now();
      const late = events.flatMap((e, item) => timeErrors(e, now).map((err) => (many ? { ...err, item } : err)));
      if (late.length > 0) throw invalid(late);
      const outcomes = await ingestEvents(deps.db, events, { atomic: true, unknownIdentity: deps.config.unknownIdentity, cache });
      const results = outcomes.map(view);
      const created = results.filter((r) => r.status === 'created').length;
      const status = created > 0 ? 201 : 200;
      if (!many) return c.json(results[0]!, status);
      return c.json({ created, existing: results.length - created, results }, status);
    },
  );

  route(
    app,
    createRoute({
      method: 'get',
      path: '/api/v1/events',
      summary: 'List events by member, action, source and time, in occurrence order',
      request: { query: ListQuery },
      responses: { 200: json(z.object({ events: z.array(EventView), next_cursor: z.string().nullable() })), ...errorResponses() },
    }),
    'read',
    async (c) => {
      const query = parseWith(ListQuery, c.req.query());
      const events = await listEvents(deps.db, { ...query, after: decodeCursor(query.cursor) });
      const last = events.at(-1);
      return c.json({ events, next_cursor: events.length === query.limit && last ? encodeCursor(last) : null });
    },
  );

  route(
    app,
    createRoute({
      method: 'get',
      path: '/api/v1/events/{id}',
      summary: 'One event',
      request: { params: z.object({ id: z.string() }) },
      responses: { 200: json(EventView), ...errorResponses(404) },
    }),
    'read',
    async (c) => {
      return c.json(await getEvent(deps.db, pathId(c)));
    },
  );

  route(
    app,
    createRoute({
      method: 'post',
      path: '/api/v1/events/voids',
      summary: 'Void an event: a new fact, never a delete; voiding twice keeps the first void',
      request: { body: { required: true, content: { 'application/json': { schema: VoidBody } } } },
      responses: { 200: json(EventView, 'Already voided'), 201: json(EventView, 'Voided'), ...errorResponses(404, 415) },
    }),
    'ingest',
    async (c) => {
      const body = await readBody(c, VoidBody);
      const ref = body.event_id !== undefined ? { event_id: body.event_id } : { source: body.source!, source_event_id: body.source_event_id! };
      const { event, voided_now } = await voidEvent(deps.db, ref, body.reason, actorOf(c));
      return c.json(event, voided_now ? 201 : 200);
    },
  );
}

