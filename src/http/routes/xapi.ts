import { createRoute } from '@hono/zod-openapi';
import { errorResponses, json } from '../../schemas/views.ts';
import { documentRoutes } from '../../xapi/document-routes.ts';
import { Mapping, loadMapping, saveMapping } from '../../xapi/mapping.ts';
import { SUPPORTED_VERSIONS, versionHeader, xapiAuth, xapiCors } from '../../xapi/protocol.ts';
import { statementRoutes } from '../../xapi/statement-routes.ts';
import { readBody } from '../body.ts';
import { type App, type Deps, actorOf, route } from '../env.ts';

/**
 * Vklad as an xAPI Learning Record Store under /xapi (HTTP Basic with Vklad API keys, outside the
 * bearer-authenticated /api/v1), and the statement-to-event mapping under /api/v1/xapi/mapping.
 */
export function xapiRoutes(app: App, deps: Deps): void {
  app.use('/xapi/*', xapiCors, versionHeader, xapiAuth(deps.db, deps.config.adminKey));
  app.get('/xapi/about', (c) => c.json({ version: SUPPORTED_VERSIONS }));
  statementRoutes(app, deps);
  documentRoutes(app, deps);

  route(
    app,
    createRoute({
      method: 'get',
      path: '/api/v1/xapi/mapping',
      summary: 'How xAPI statements become activity events',
      responses: { 200: json(Mapping), ...errorResponses() },
    }),
    'admin',
    async (c) => c.json(await loadMapping(deps.db)),
  );

  route(
    app,
    createRoute({
      method: 'put',
      path: '/api/v1/xapi/mapping',
      summary: 'Replace the xAPI statement-to-event mapping (applies to statements stored from now on)',
      request: { body: { required: true, content: { 'application/json': { schema: Mapping } } } },
      responses: { 200: json(Mapping), ...errorResponses(415) },
    }),
    'admin',
    async (c) => c.json(await saveMapping(deps.db, await readBody(c, Mapping), actorOf(c))),
  );
}
