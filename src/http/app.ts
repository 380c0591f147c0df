import { OpenAPIHono } from '@hono/zod-openapi';
import { VkladError } from '../errors.ts';
import { authenticateRequests } from './auth.ts';
import type { App, Deps, Env } from './env.ts';
import { problem } from './problem.ts';
import { catalogueRoutes } from './routes/catalogue.ts';
import { contentRoutes } from './routes/content.ts';
import { eventRoutes } from './routes/events.ts';
import { memberRoutes } from './routes/members.ts';
import { ledgerRoutes } from './routes/ledger.ts';
import { rewardRoutes } from './routes/rewards.ts';
import { scoringRoutes } from './routes/scoring.ts';
import { paymentRoutes } from './routes/payments.ts';
import { revenueRoutes } from './routes/revenue.ts';
import { sourceRoutes } from './routes/sources.ts';
import { webRoutes } from '../web/index.ts';
import { signedHookRoutes } from './routes/hooks-signed.ts';
import { discourseHookRoutes } from './routes/hooks-discourse.ts';
import { xapiRoutes } from './routes/xapi.ts';
import { telegramHookRoutes } from './routes/hooks-telegram.ts';
import { paymentHookRoutes } from './routes/payment-hooks.ts';

/** The HTTP application: health, the OpenAPI document and the JSON API under /api/v1. */
export function createApp(deps: Deps): App {
  const app = new OpenAPIHono<Env>();
  app.onError((error, c) => problem(c, error));
  app.notFound((c) => problem(c, new VkladError('not_found', `No route for ${c.req.method} ${c.req.path}`)));

  app.get('/healthz', async (c) => {
    await deps.db.query('select 1');
    return c.json({ status: 'ok', store: deps.db.engine });
  });

  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'A Vklad API key: vk_<id>_<secret>',
  });
  app.get('/api/openapi.json', (c) =>
    c.json(
      app.getOpenAPI31Document({
        openapi: '3.1.0',
        info: { title: 'Vklad API', version: '1', description: 'Recording, rewarding and paying for contribution' },
      }),
    ),
  );

  app.use('/api/v1/*', authenticateRequests(deps.db, deps.config.adminKey));
  eventRoutes(app, deps);
  memberRoutes(app, deps);
  ledgerRoutes(app, deps);
  rewardRoutes(app, deps);
  scoringRoutes(app, deps);
  paymentRoutes(app, deps);
  revenueRoutes(app, deps);
  catalogueRoutes(app, deps);
  contentRoutes(app, deps);
  sourceRoutes(app, deps);
  signedHookRoutes(app, deps);
  discourseHookRoutes(app, deps);
  xapiRoutes(app, deps);
  telegramHookRoutes(app, deps);
  paymentHookRoutes(app, deps);
  // Last: the site answers a person's wrong link with a page, after every other route had its turn.
  webRoutes(app, deps);
  return app;
}
