import { createRoute, z } from '@hono/zod-openapi';
import { memberId, slug, text } from '../../schemas/common.ts';
import { MemberView, errorResponses, json } from '../../schemas/views.ts';
import { listAudit } from '../../store/audit.ts';
import { createMembers, getMember, linkIdentity, mergeMembers, setRoles } from '../../store/members.ts';
import { readBody } from '../body.ts';
import { pathId } from '../params.ts';
import { type App, type Deps, actorOf, route } from '../env.ts';

const Identity = z.object({ provider: slug, external_id: text(200) }).strict().openapi('Identity');
const Roles = z.array(slug).max(20);
const NewMember = z
  .object({ display_name: text(200).nullable().optional(), roles: Roles.default(['student']), identities: z.array(Identity).max(20).default([]) })
  .strict()
  .openapi('MemberInput');
const RolesBody = z.object({ roles: Roles }).strict();
const MergeBody = z.object({ into: memberId }).strict();
const idParam = { params: z.object({ id: z.string().openapi({ example: '42' }) }) };

export function memberRoutes(app: App, deps: Deps): void {
  const { db } = deps;
  route(
    app,
    createRoute({
      method: 'post',
      path: '/api/v1/members',
      summary: 'Create a member with roles and identities',
      request: { body: { required: true, content: { 'application/json': { schema: NewMember } } } },
      responses: { 201: json(MemberView, 'Created'), ...errorResponses(409, 415) },
    }),
    'admin',
    async (c) => {
      const [id] = await createMembers(db, [await readBody(c, NewMember)], actorOf(c));
      return c.json(await getMember(db, id!), 201);
    },
  );

  route(
    app,
    createRoute({ method: 'get', path: '/api/v1/members/{id}', summary: 'A member with identities and roles', request: idParam, responses: { 200: json(MemberView), ...errorResponses(404) } }),
    'read',
    async (c) => c.json(await getMember(db, pathId(c))),
  );

  route(
    app,
    createRoute({
      method: 'put',
      path: '/api/v1/members/{id}/roles',
      summary: 'Replace the roles of a member',
      request: { ...idParam, body: { required: true, content: { 'application/json': { schema: RolesBody } } } },
      responses: { 200: json(MemberView), ...errorResponses(415) },
    }),
    'admin',
    async (c) => c.json(await setRoles(db, pathId(c), (await readBody(c, RolesBody)).roles, actorOf(c))),
  );

  route(
    app,
    createRoute({
      method: 'post',
      path: '/api/v1/members/{id}/identities',
      summary: 'Link an identity; events parked under it are attributed to the member',
      request: { ...idParam, body: { required: true, content: { 'application/json': { schema: Identity } } } },
      responses: { 200: json(z.object({ member: MemberView, parked_events_attributed: z.number().int() })), ...errorResponses(409, 415) },
    }),
    'admin',
    async (c) => c.json(await linkIdentity(db, pathId(c), await readBody(c, Identity), actorOf(c))),
  );

  route(
    app,
    createRoute({
      method: 'post',
      path: '/api/v1/members/{id}/merge',
      summary: 'Merge this member into another: identities, events, roles and authorship move (audited)',
      request: { ...idParam, body: { required: true, content: { 'application/json': { schema: MergeBody } } } },
      responses: {
        200: json(z.object({ member: MemberView, identities_moved: z.number().int(), events_moved: z.number().int() })),
        ...errorResponses(415),
      },
    }),
    'admin',
    async (c) => c.json(await mergeMembers(db, pathId(c), (await readBody(c, MergeBody)).into, actorOf(c))),
  );

  route(
    app,
    createRoute({
      method: 'get',
      path: '/api/v1/members/{id}/audit',
      summary: 'Audit log entries about a member',
      request: idParam,
      responses: { 200: json(z.array(z.record(z.string(), z.unknown()))), ...errorResponses() },
    }),
    'admin',
    async (c) => c.json(await listAudit(db, `member:${pathId(c)}`)),
  );
}
