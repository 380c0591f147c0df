import { createRoute, z } from '@hono/zod-openapi';
import { notFound } from '../../errors.ts';
import { slug } from '../../schemas/common.ts';
import { errorResponses, json } from '../../schemas/views.ts';
import { DELIVERY_STATUSES, sourceStatus } from '../../sources/deliveries.ts';
import { SOURCE_KINDS, type Source, getSource, hookPath, listSources, registerSource, rotateSecret, updateSource } from '../../sources/registry.ts';
import { readBody } from '../body.ts';
import { type App, type Deps, actorOf, route } from '../env.ts';

const NewSource = z
  .object({
    name: slug.openapi({ example: 'telegram' }),
    kind: z.enum(SOURCE_KINDS),
    secret: z.string().optional().openapi({ description: 'Leave out to have a strong one generated' }),
    settings: z.record(z.string(), z.unknown()).optional().openapi({ description: 'Per kind; Telegram: { "chats": [chat ids] }', example: { chats: [-1001234567890] } }),
  })
  .strict()
  .openapi('SourceInput');

const NewSecret = z.object({ secret: z.string().optional() }).strict();

const SourceChange = z
  .object({
    settings: z.record(z.string(), z.unknown()).optional().openapi({ description: 'Replaces the settings whole' }),
    disabled: z.boolean().optional().openapi({ description: 'true: deliveries are refused (404) and not counted' }),
  })
  .strict()
  .openapi('SourceChange');

const SourceView = z
  .object({
    name: z.string(),
    kind: z.string(),
    settings: z.record(z.string(), z.unknown()),
    hook: z.string().nullable().openapi({ description: 'Where the source delivers, when it follows from the name' }),
    disabled_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('Source');

const WithSecret = SourceView.extend({ secret: z.string().openapi({ description: 'Shown once: now, and at each rotation' }) });

const StatusView = z
  .object({
    name: z.string(),
    kind: z.string(),
    disabled_at: z.string().nullable(),
    last_received_at: z.string().nullable().openapi({ description: 'The last delivery that brought a new event' }),
    last_delivery_at: z.string().nullable(),
    counts: z.object(Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, z.number().int()]))),
    events: z.number().int().openapi({ description: 'Events stored from this source\'s deliveries' }),
    recent_rejects: z.array(z.object({ at: z.string(), reason: z.string() })).openapi({ description: 'The latest 20, newest first' }),
  })
  .openapi('SourceStatus');

const nameParam = { params: z.object({ name: z.string() }) };

const view = (s: Source) => ({
  name: s.name,
  kind: s.kind,
  settings: s.settings,
  hook: hookPath(s),
  disabled_at: s.disabled_at,
  created_at: s.created_at,
});

/** Registered sources: register, list, status, rotate the secret. Secrets are shown only when made. */
export function sourceRoutes(app: App, deps: Deps): void {
  route(
    app,
    createRoute({
      method: 'get',
      path: '/api/v1/sources',
      summary: 'Registered sources with their status',
      responses: { 200: json(z.object({ sources: z.array(SourceView.extend({ status: StatusView })) })), ...errorResponses() },
    }),
    'read',
    async (c) => {
      const sources = await listSources(deps.db);
      const withStatus = [];
      for (const s of sources) withStatus.push({ ...view(s), status: await sourceStatus(deps.db, s.name) });
      return c.json({ sources: withStatus });
    },
  );

  route(
    app,
    createRoute({
      method: 'post',
      path: '/api/v1/sources',
      summary: 'Register a source; its secret is in this answer and never shown again',
      request: { body: { required: true, content: { 'application/json': { schema: NewSource } } } },
      responses: { 201: json(WithSecret, 'Registered'), ...errorResponses(409, 415) },
    }),
    'admin',
    async (c) => {
      const body = await readBody(c, NewSource);
      const source = await registerSource(deps.db, body, actorOf(c));
      return c.json({ ...view(source), secret: source.secret }, 201);
    },
  );

  route(
    app,
    createRoute({
      method: 'get',
      path: '/api/v1/sources/{name}',
      summary: 'A source\'s status: last event received, counts per outcome, latest rejections with reasons',
      request: nameParam,
      responses: { 200: json(SourceView.extend({ status: StatusView })), ...errorResponses(404) },
    }),
    'read',
    async (c) => {
      const source = await getSource(deps.db, c.req.param('name')!);
      if (!source) throw notFound(`Source ${c.req.param('name')}`);
      return c.json({ ...view(source), status: await sourceStatus(deps.db, source.name) });
    },
  );

  route(
    app,
    createRoute({
      method: 'patch',
      path: '/api/v1/sources/{name}',
      summary: 'Change a source\'s settings (such as the Telegram chats counted) or switch it off and on',
      request: { ...nameParam, body: { required: true, content: { 'application/json': { schema: SourceChange } } } },
      responses: { 200: json(SourceView), ...errorResponses(404, 415) },
    }),
    'admin',
    async (c) => {
      const body = await readBody(c, SourceChange);
      return c.json(view(await updateSource(deps.db, c.req.param('name')!, body, actorOf(c))));
    },
  );

  route(
    app,
    createRoute({
      method: 'post',
      path: '/api/v1/sources/{name}/secret',
      summary: 'Rotate a source\'s secret (given, or generated when the body is empty); the old one stops working at once',
      request: { ...nameParam, body: { required: false, content: { 'application/json': { schema: NewSecret } } } },
      responses: { 200: json(WithSecret, 'Rotated'), ...errorResponses(404, 415) },
    }),
    'admin',
    async (c) => {
      const hasBody = Number(c.req.header('content-length') ?? 0) > 0 || c.req.header('content-type') !== undefined;
      const body = hasBody ? await readBody(c, NewSecret) : {};
      const source = await rotateSecret(deps.db, c.req.param('name')!, actorOf(c), body.secret);
      return c.json({ ...view(source), secret: source.secret });
    },
  );
}
