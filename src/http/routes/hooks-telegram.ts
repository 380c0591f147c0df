import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { VkladError, notFound } from '../../errors.ts';
import { logDelivery } from '../../sources/deliveries.ts';
import { activeSource, secretMatches } from '../../sources/registry.ts';
import { receiveUpdate } from '../../sources/telegram/receive.ts';
import { ResolutionCache } from '../../store/resolution-cache.ts';
import { readJson } from '../body.ts';
import type { App, Deps, Env } from '../env.ts';

const MAX_UPDATE_BYTES = 1024 * 1024;

/**
 * Telegram's webhook: `POST /hooks/telegram` for the source named "telegram", `/hooks/telegram/{name}` for
 * more bots. Anything Telegram sent correctly is answered 200, counted or not, so it does not retry.
 */
export function telegramHookRoutes(app: App, deps: Deps): void {
  const cache = new ResolutionCache();
  const receive = async (c: Context<Env>, name: string): Promise<Response> => {
    const source = await activeSource(deps.db, name, 'telegram');
    if (!source) throw notFound(`Telegram source ${name}`);
    const now = deps.now();
    const outcome = await logDelivery(deps.db, source.name, now, async () => {
      if (!secretMatches(c.req.header('x-telegram-bot-api-secret-token'), source.secret)) {
        throw new VkladError('unauthorized', 'The X-Telegram-Bot-Api-Secret-Token header does not match the source\'s secret');
      }
      const body = await readJson(c, MAX_UPDATE_BYTES);
      return receiveUpdate(source, body, { db: deps.db, now, unknownIdentity: deps.config.unknownIdentity, cache });
    });
    return c.json({ status: outcome.status, ...(outcome.reason ? { reason: outcome.reason } : {}) }, 200);
  };
  app.post('/hooks/telegram', (c) => receive(c, 'telegram'));
  app.post('/hooks/telegram/:name', (c) => receive(c, c.req.param('name')));
  for (const path of ['/hooks/telegram', '/hooks/telegram/{name}']) {
    app.openAPIRegistry.registerPath({
      method: 'post',
      path,
      summary: 'Telegram Bot API webhook: counts members\' messages in the source\'s chats',
      description: 'Authenticated by the X-Telegram-Bot-Api-Secret-Token header (the secret_token given to setWebhook).',
      ...(path.includes('{name}') ? { request: { params: z.object({ name: z.string() }) } } : {}),
      responses: { 200: { description: 'accepted, duplicate or ignored' }, 400: { description: 'Not an Update' }, 401: { description: 'Wrong secret token' }, 404: { description: 'No such Telegram source' } },
    });
  }
}
