import { createRoute, z } from '@hono/zod-openapi';
import { memberId, text } from '../../schemas/common.ts';
import { errorResponses, json } from '../../schemas/views.ts';
import { ContentBody, getContent, listContent, putContent } from '../../store/content.ts';
import { parseWith, readBody } from '../body.ts';
import { type App, type Deps, actorOf, route } from '../env.ts';

const ContentView = ContentBody.extend({ id: z.string(), updated_at: z.string() }).openapi('Content');
const idParam = { params: z.object({ id: text(200) }) };
const ListQuery = z.object({ parent: text(200).optional(), author: z.coerce.number().pipe(memberId).optional() }).strict();

export function contentRoutes(app: App, { db }: Deps): void {
  route(
    app,
    createRoute({
      method: 'get',
      path: '/api/v1/content',
      summary: 'Content by parent or author',
      request: { query: ListQuery },
      responses: { 200: json(z.array(ContentView)), ...errorResponses() },
    }),
    'read',
    async (c) => c.json(await listContent(db, parseWith(ListQuery, c.req.query()))),
  );

  route(
    app,
    createRoute({ method: 'get', path: '/api/v1/content/{id...}', summary: 'One content item with its authors', request: idParam, responses: { 200: json(ContentView), ...errorResponses(404) } }),
    'read',
    async (c) => c.json(await getContent(db, parseWith(text(200), c.req.param('id')))),
  );

  route(
    app,
    createRoute({
      method: 'put',
      path: '/api/v1/content/{id...}',
      summary: 'Create or replace a course, section, post... with its parent and co-authors',
      request: { ...idParam, body: { required: true, content: { 'application/json': { schema: ContentBody } } } },
      responses: { 200: json(ContentView), ...errorResponses(415) },
    }),
    'admin',
    async (c) => {
      const id = parseWith(text(200), c.req.param('id'));
      return c.json(await putContent(db, id, await readBody(c, ContentBody), actorOf(c)));
    },
  );
}
