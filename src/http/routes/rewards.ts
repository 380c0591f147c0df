import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { getReward, listRewards, putReward, retireReward } from '../../loyalty/catalogue.ts';
import { CODE_STATES, ConsumeBody, checkCode, consumeCode } from '../../loyalty/code-check.ts';
import { CODE_PATTERN } from '../../loyalty/code-text.ts';
import { LevelScaleBody, getLevelScale, memberStanding, putLevelScale } from '../../loyalty/levels.ts';
import { GenerateBody, UploadBody, generateCodes, uploadCodes } from '../../loyalty/pool.ts';
import { cancelRedemption, redeem } from '../../loyalty/redeem.ts';
import { REDEMPTIONS_LIMIT, RedeemBody, getRedemption, memberRedemptions } from '../../loyalty/redemption.ts';
import { RewardBody, rewardKey } from '../../loyalty/reward.ts';
import { errorResponses, json } from '../../schemas/views.ts';
import { parseWith, readBody } from '../body.ts';
import { pathId } from '../params.ts';
import { type App, type Deps, type Env, actorOf, route } from '../env.ts';

const RewardView = z
  .object({ key: z.string(), taken: z.number().int(), retired_at: z.string().nullable(), updated_at: z.string() })
  .passthrough()
  .openapi('Reward', { description: 'A reward as given (see RewardInput), with its key, how many were taken and retirement' });
const PoolView = z.object({ reward: z.string(), added: z.number().int(), free: z.number().int() }).openapi('CodePool');
const RedemptionView = z
  .object({
    id: z.string(),
    reward: z.string(),
    member_id: z.number().int(),
    price: z.number().int(),
    state: z.enum(['pending', 'completed', 'failed', 'cancelled']),
    hold_id: z.string(),
    settled_by: z.string().nullable(),
    code: z.string().nullable(),
    code_expires_at: z.string().nullable(),
    failure: z.string().nullable(),
    actor: z.string(),
    requested_at: z.string(),
    resolved_at: z.string().nullable(),
  })
  .openapi('Redemption');
const CodeCheckView = z
  .object({ code: z.string(), status: z.enum(CODE_STATES), reward: z.object({ key: z.string(), benefit: z.unknown() }).optional(), member_id: z.number().int().optional(), expires_at: z.string().nullable().optional(), consumed_at: z.string().nullable().optional(), consumed_by: z.string().nullable().optional() })
  .openapi('CodeCheck');
const StandingView = z.object({ earned: z.number().int(), window_days: z.number().int(), level: z.unknown().nullable(), next: z.unknown().nullable() }).openapi('LevelStanding');

const ListQuery = z.object({ retired: z.enum(['true', 'false']).optional() }).strict();
const LimitQuery = z.object({ limit: z.coerce.number().int().min(1).max(REDEMPTIONS_LIMIT).default(50) }).strict();
const Code = z.string().regex(CODE_PATTERN, 'is not a code this store could have issued');

const keyParam = { params: z.object({ key: rewardKey }) };
const idParam = { params: z.object({ id: z.string() }) };
const codeParam = { params: z.object({ code: z.string() }) };
const body = (schema: z.ZodType) => ({ body: { required: true, content: { 'application/json': { schema } } } });

const pathKey = (c: Context<Env>): string => parseWith(z.object({ key: rewardKey }), { key: c.req.param('key') }).key;

export function rewardRoutes(app: App, { db, now }: Deps): void {
  const clock = () => now().getTime();

  route(
    app,
    createRoute({ method: 'get', path: '/api/v1/rewards', summary: 'The rewards catalogue', request: { query: ListQuery }, responses: { 200: json(z.array(RewardView)), ...errorResponses() } }),
    'read',
    async (c) => c.json(await listRewards(db, parseWith(ListQuery, c.req.query()).retired === 'true')),
  );

  route(
    app,
    createRoute({ method: 'get', path: '/api/v1/rewards/{key}', summary: 'One reward', request: keyParam, responses: { 200: json(RewardView), ...errorResponses(404) } }),
    'read',
    async (c) => c.json(await getReward(db, pathKey(c))),
  );

  route(
    app,
    createRoute({ method: 'put', path: '/api/v1/rewards/{key}', summary: 'Create or replace a reward (audited)', request: { ...keyParam, ...body(RewardBody) }, responses: { 200: json(RewardView), ...errorResponses(415) } }),
    'admin',
    async (c) => {
      const key = pathKey(c);
      return c.json(await putReward(db, key, await readBody(c, RewardBody), actorOf(c)));
    },
  );

  route(
    app,
    createRoute({ method: 'delete', path: '/api/v1/rewards/{key}', summary: 'Retire a reward: no new redemptions; issued codes stay valid', request: keyParam, responses: { 200: json(RewardView), ...errorResponses(404) } }),
    'admin',
    async (c) => c.json(await retireReward(db, pathKey(c), actorOf(c))),
  );

  route(
    app,
    createRoute({ method: 'post', path: '/api/v1/rewards/{key}/codes', summary: "Upload the shop's single-use codes to a reward's pool, all or none", request: { ...keyParam, ...body(UploadBody) }, responses: { 201: json(PoolView, 'Added'), ...errorResponses(404, 409, 415) } }),
    'admin',
    async (c) => {
      const key = pathKey(c);
      return c.json(await uploadCodes(db, key, await readBody(c, UploadBody), actorOf(c)), 201);
    },
  );

  route(
    app,
    createRoute({ method: 'post', path: '/api/v1/rewards/{key}/codes/generate', summary: "Fill a reward's pool with random codes", request: { ...keyParam, ...body(GenerateBody) }, responses: { 201: json(PoolView, 'Added'), ...errorResponses(404, 415) } }),
    'admin',
    async (c) => {
      const key = pathKey(c);
      return c.json(await generateCodes(db, key, (await readBody(c, GenerateBody)).count, actorOf(c)), 201);
    },
  );

  route(
    app,
    createRoute({ method: 'get', path: '/api/v1/levels', summary: 'The level scale: thresholds of points earned over a trailing window', responses: { 200: json(LevelScaleBody), ...errorResponses() } }),
    'read',
    async (c) => c.json(await getLevelScale(db)),
  );

  route(
    app,
    createRoute({ method: 'put', path: '/api/v1/levels', summary: 'Replace the level scale (audited)', request: body(LevelScaleBody), responses: { 200: json(LevelScaleBody), ...errorResponses(409, 415) } }),
    'admin',
    async (c) => c.json(await putLevelScale(db, await readBody(c, LevelScaleBody), actorOf(c))),
  );

  route(
    app,
    createRoute({ method: 'get', path: '/api/v1/members/{id}/level', summary: "A member's level and how far the next one is", request: idParam, responses: { 200: json(StandingView), ...errorResponses() } }),
    'read',
    async (c) => c.json(await memberStanding(db, pathId(c), clock())),
  );

  route(
    app,
    createRoute({
      method: 'post',
      path: '/api/v1/redemptions',
      summary: 'Redeem a reward for a member: hold the price, issue a code, settle. The same id again answers what was done',
      request: body(RedeemBody),
      responses: { 201: json(z.object({ status: z.literal('created'), redemption: RedemptionView }), 'Redeemed'), 200: json(z.object({ status: z.literal('exists'), redemption: RedemptionView }), 'Already redeemed'), ...errorResponses(404, 409, 415) },
    }),
    'ingest',
    async (c) => {
      const outcome = await redeem(db, await readBody(c, RedeemBody), actorOf(c), clock());
      return c.json(outcome, outcome.status === 'created' ? 201 : 200);
    },
  );

  route(
    app,
    createRoute({ method: 'get', path: '/api/v1/redemptions/{id}', summary: 'One redemption', request: idParam, responses: { 200: json(RedemptionView), ...errorResponses(404) } }),
    'read',
    async (c) => c.json(await getRedemption(db, c.req.param('id') ?? '')),
  );

  route(
    app,
    createRoute({ method: 'post', path: '/api/v1/redemptions/{id}/cancel', summary: 'Cancel a pending redemption, releasing its hold', request: idParam, responses: { 200: json(z.object({ status: z.enum(['cancelled', 'exists']), redemption: RedemptionView })), ...errorResponses(404, 409) } }),
    'ingest',
    async (c) => c.json(await cancelRedemption(db, c.req.param('id') ?? '', actorOf(c), clock())),
  );

  route(
    app,
    createRoute({ method: 'get', path: '/api/v1/members/{id}/redemptions', summary: "A member's redemptions, newest first", request: { ...idParam, query: LimitQuery }, responses: { 200: json(z.array(RedemptionView)), ...errorResponses() } }),
    'read',
    async (c) => c.json(await memberRedemptions(db, pathId(c), parseWith(LimitQuery, c.req.query()).limit)),
  );

  route(
    app,
    createRoute({ method: 'get', path: '/api/v1/codes/{code}', summary: 'Check a code: valid, already used, expired or unknown', request: codeParam, responses: { 200: json(CodeCheckView), ...errorResponses() } }),
    'read',
    async (c) => {
      const code = c.req.param('code') ?? '';
      // A string no code could ever be is simply unknown: the shop asks about what customers type.
      return c.json(Code.safeParse(code).success ? await checkCode(db, code, clock()) : { code, status: 'unknown' });
    },
  );

  route(
    app,
    createRoute({ method: 'post', path: '/api/v1/codes/{code}/consume', summary: 'Mark a code used by an order; the same consumer again answers exists', request: { ...codeParam, ...body(ConsumeBody) }, responses: { 200: json(z.object({ status: z.enum(['consumed', 'exists']), check: CodeCheckView })), ...errorResponses(404, 409, 415) } }),
    'ingest',
    async (c) => {
      const code = parseWith(z.object({ code: Code }), { code: c.req.param('code') }).code;
      return c.json(await consumeCode(db, code, await readBody(c, ConsumeBody), clock()));
    },
  );
}
