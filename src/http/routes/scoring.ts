import { createRoute, z } from '@hono/zod-openapi';
import { text } from '../../schemas/common.ts';
import { errorResponses, json } from '../../schemas/views.ts';
import { renderTrail } from '../../scoring/index.ts';
import { whatIf } from '../../services/what-if.ts';
import { memberAchievements, memberAwards } from '../../store/awards.ts';
import { getMember } from '../../store/members.ts';
import { adoptPolicy, listPolicies } from '../../store/policies.ts';
import { parseWith, readBody } from '../body.ts';
import { pathId } from '../params.ts';
import { type App, type Deps, actorOf, route } from '../env.ts';

const AwardView = z
  .object({
    key: z.string(),
    event_id: z.number().int().nullable(),
    action: z.string().nullable().openapi({ description: 'The action awarded; null for a weekly goal or badge bonus' }),
    points: z.number().int(),
    at: z.string(),
    pending_until: z.string(),
    policy_version: z.string(),
    trail: z.array(z.record(z.string(), z.unknown())).openapi({ description: 'Each rule that shaped the award, as data' }),
    why: z.object({ en: z.string(), ru: z.string() }).openapi({ example: { en: 'base 6, 4th post today x0.5, contribution x1.5 = 5', ru: 'база 6, 4-й пост за день x0.5, вклад x1.5 = 5' } }),
  })
  .openapi('Award');

const AwardsQuery = z.object({ cursor: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(500).default(50) }).strict();
const PolicyView = z.object({ version: z.string(), effective_from: z.string(), adopted_at: z.string(), adopted_by: z.string() }).openapi('Policy');
const PolicyText = z.object({ text: text(200_000).openapi({ description: 'The policy, YAML or JSON' }) }).strict();
const Adoption = PolicyText.extend({
  mode: z.enum(['forward', 'rescore']).openapi({ description: 'forward: effective from today or later; rescore: from any date, posting corrections' }),
}).strict();
const Share = z.object({ current: z.number(), candidate: z.number() });
const Gain = z.object({ member: z.number().int(), current: z.number(), candidate: z.number(), difference: z.number() });
const WhatIfView = z
  .object({
    candidate: z.object({ version: z.string(), effective_from: z.string() }),
    members: z.number().int(),
    events: z.number().int(),
    total: Share,
    gainers: z.array(Gain),
    losers: z.array(Gain),
    by_action: z.record(z.string(), Share),
    by_kind: z.record(z.string(), Share),
    by_role: z.record(z.string(), Share),
  })
  .openapi('WhatIf');

export function scoringRoutes(app: App, deps: Deps): void {
  const { db } = deps;
  route(
    app,
    createRoute({
      method: 'get',
      path: '/api/v1/members/{id}/awards',
      summary: "A member's awards, newest first, each with the rules that made it",
      request: { params: z.object({ id: z.string() }), query: AwardsQuery },
      responses: { 200: json(z.object({ awards: z.array(AwardView), next_cursor: z.string().nullable() })), ...errorResponses(404) },
    }),
    'read',
    async (c) => {
      const member = pathId(c);
      const query = parseWith(AwardsQuery, c.req.query());
      await getMember(db, member);
      const page = await memberAwards(db, member, query);
      return c.json({
        awards: page.awards.map((a) => ({
          key: a.key,
          event_id: a.event_id,
          action: a.action,
          points: a.points,
          at: new Date(a.at).toISOString(),
          pending_until: new Date(a.pending_until).toISOString(),
          policy_version: a.policy_version,
          trail: a.trail as unknown as Record<string, unknown>[],
          why: { en: renderTrail(a.trail, a.points, 'en'), ru: renderTrail(a.trail, a.points, 'ru') },
        })),
        next_cursor: page.next_cursor,
      });
    },
  );

  route(
    app,
    createRoute({
      method: 'get',
      path: '/api/v1/members/{id}/achievements',
      summary: 'Badges a member has earned',
      request: { params: z.object({ id: z.string() }) },
      responses: { 200: json(z.object({ achievements: z.array(z.object({ badge: z.string(), n: z.number().int(), at: z.string() })) })), ...errorResponses(404) },
    }),
    'read',
    async (c) => {
      const member = pathId(c);
      await getMember(db, member);
      const earned = await memberAchievements(db, member);
      return c.json({ achievements: earned.map((a) => ({ badge: a.badge, n: a.n, at: new Date(a.at).toISOString() })) });
    },
  );

  route(
    app,
    createRoute({
      method: 'get',
      path: '/api/v1/policies',
      summary: 'Adopted scoring policy versions, by effective date',
      responses: { 200: json(z.object({ policies: z.array(PolicyView) })), ...errorResponses() },
    }),
    'read',
    async (c) => c.json({ policies: await listPolicies(db) }),
  );

  route(
    app,
    createRoute({
      method: 'post',
      path: '/api/v1/policies',
      summary: 'Adopt a scoring policy version (audited); the members it affects are re-scored by the next pass',
      request: { body: { required: true, content: { 'application/json': { schema: Adoption } } } },
      responses: { 201: json(z.object({ policy: PolicyView, members_marked: z.number().int() }), 'Adopted'), ...errorResponses(415) },
    }),
    'admin',
    async (c) => {
      const body = await readBody(c, Adoption);
      return c.json(await adoptPolicy(db, body.text, { mode: body.mode, actor: actorOf(c), now: deps.now() }), 201);
    },
  );

  route(
    app,
    createRoute({
      method: 'post',
      path: '/api/v1/policies/what-if',
      summary: 'Replay the whole history under a candidate policy and report who and what gains or loses; changes nothing',
      request: { body: { required: true, content: { 'application/json': { schema: PolicyText } } } },
      responses: { 200: json(WhatIfView), ...errorResponses(415) },
    }),
    'admin',
    async (c) => c.json(await whatIf(db, (await readBody(c, PolicyText)).text)),
  );
}
