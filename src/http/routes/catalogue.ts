import { createRoute, z } from '@hono/zod-openapi';
import { ActionTypeBody, ActionTypeEntry } from '../../catalogue/action-type.ts';
import { actionKey } from '../../schemas/common.ts';
import { errorResponses, json } from '../../schemas/views.ts';
import { getActionType, listActionTypes, putActionType, retireActionType } from '../../store/catalogue.ts';
import { parseWith, readBody } from '../body.ts';
import { type App, type Deps, actorOf, route } from '../env.ts';

const ActionTypeView = ActionTypeEntry.extend({ retired_at: z.string().nullable(), updated_at: z.string() }).openapi('ActionType');
const keyParam = { params: z.object({ key: actionKey }) };
const ListQuery = z.object({ retired: z.enum(['true', 'false']).optional() }).strict();

export function catalogueRoutes(app: App, { db }: Deps): void {
  route(
    app,
    createRoute({
      method: 'get',
      path: '/api/v1/actions',
      summary: 'The action catalogue',
      request: { query: ListQuery },
      responses: { 200: json(z.array(ActionTypeView)), ...errorResponses() },
    }),
    'read',
    async (c) => c.json(await listActionTypes(db, parseWith(ListQuery, c.req.query()).retired === 'true')),
  );

  route(
    app,
    createRoute({ method: 'get', path: '/api/v1/actions/{key}', summary: 'One action type', request: keyParam, responses: { 200: json(ActionTypeView), ...errorResponses(404) } }),
    'read',
    async (c) => c.json(await getActionType(db, parseWith(actionKey, c.req.param('key')))),
  );

  route(
    app,
    createRoute({
      method: 'put',
      path: '/api/v1/actions/{key}',
      summary: 'Create or replace an action type',
      request: { ...keyParam, body: { required: true, content: { 'application/json': { schema: ActionTypeBody } } } },
      responses: { 200: json(ActionTypeView), ...errorResponses(415) },
    }),
    'admin',
    async (c) => {
      const key = parseWith(actionKey, c.req.param('key'));
      return c.json(await putActionType(db, key, await readBody(c, ActionTypeBody), actorOf(c)));
    },
  );

  route(
    app,
    createRoute({
      method: 'delete',
      path: '/api/v1/actions/{key}',
      summary: 'Retire an action type: new events naming it are refused, recorded ones keep their meaning',
      request: keyParam,
      responses: { 200: json(ActionTypeView), ...errorResponses(404) },
    }),
    'admin',
    async (c) => c.json(await retireActionType(db, parseWith(actionKey, c.req.param('key')), actorOf(c))),
  );
}
