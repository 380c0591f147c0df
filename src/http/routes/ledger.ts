import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { AdjustmentBody, adjustBalance } from '../../ledger/adjust.ts';
import { assetOf, memberAccount } from '../../ledger/conventions.ts';
import { HISTORY_LIMIT, accountHistory, getBalance, getTransaction } from '../../ledger/reads.ts';
import { errorResponses, json } from '../../schemas/views.ts';
import { parseWith, readBody } from '../body.ts';
import { pathId } from '../params.ts';
import { type App, type Deps, type Env, actorOf, route } from '../env.ts';

const Address = z.string().max(200).refine((a) => assetOf(a) !== undefined, 'must be a ledger address such as member:42:pts').openapi({ example: 'member:42:pts' });

const BalanceView = z
  .object({
    address: z.string(),
    asset: z.string(),
    posted: z.number().int(),
    held: z.number().int(),
    available: z.number().int().openapi({ description: 'posted minus held' }),
    pending: z.number().int().openapi({ description: 'Awarded points not yet available (member point accounts; 0 otherwise)' }),
  })
  .openapi('Balance');
const MemberBalanceView = BalanceView.extend({ member_id: z.number().int(), debt: z.number().int().openapi({ description: 'Points owed after awards were taken back' }) }).openapi('MemberBalance');

const HistoryQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(HISTORY_LIMIT.max).default(HISTORY_LIMIT.default),
    cursor: z.string().max(30).optional(),
  })
  .strict();
const HistoryView = z
  .object({
    entries: z.array(
      z.object({
        entry_id: z.number().int(),
        transaction_id: z.string(),
        code: z.string(),
        cause: z.string(),
        actor: z.string(),
        memo: z.string().nullable(),
        at: z.string(),
        amount: z.number().int(),
        balance_after: z.number().int().openapi({ description: 'The running balance right after this entry' }),
      }),
    ),
    next_cursor: z.string().nullable(),
  })
  .openapi('AccountHistory');

const AdjustmentRequest = AdjustmentBody.omit({ actor: true }).openapi('AdjustmentInput');
const PostOutcomeView = z.object({ status: z.enum(['created', 'exists']), id: z.string() }).openapi('PostOutcome');
const TransactionView = z.record(z.string(), z.unknown()).openapi('Transaction');

const addressParam = { params: z.object({ address: Address }) };
const idParam = { params: z.object({ id: z.string() }) };

const pathAddress = (c: Context<Env>): string => parseWith(z.object({ address: Address }), { address: c.req.param('address') }).address;

/** The pending twin of a member's point account holds awards not yet available. */
const pendingTwin = (address: string): string | null => (/^member:\d+:pts$/.test(address) ? `${address}:pending` : null);

export function ledgerRoutes(app: App, { db }: Deps): void {
  async function balanceOf(address: string) {
    const b = await getBalance(db, address);
    const twin = pendingTwin(address);
    const pending = twin ? (await getBalance(db, twin)).balance : 0;
    return { address, asset: b.asset, posted: b.balance, held: b.held, available: b.available, pending };
  }

  route(
    app,
    createRoute({ method: 'get', path: '/api/v1/accounts/{address}/balance', summary: 'Posted, held, available and pending amounts of an account', request: addressParam, responses: { 200: json(BalanceView), ...errorResponses() } }),
    'read',
    async (c) => c.json(await balanceOf(pathAddress(c))),
  );

  route(
    app,
    createRoute({ method: 'get', path: '/api/v1/members/{id}/balance', summary: "A member's points: posted, held, available, pending and owed", request: idParam, responses: { 200: json(MemberBalanceView), ...errorResponses() } }),
    'read',
    async (c) => {
      const member = pathId(c);
      const debt = (await getBalance(db, memberAccount.debt(member))).balance;
      return c.json({ member_id: member, ...(await balanceOf(memberAccount.available(member))), debt });
    },
  );

  route(
    app,
    createRoute({
      method: 'get',
      path: '/api/v1/accounts/{address}/history',
      summary: "An account's entries, newest first, each with the running balance; page with `cursor`",
      request: { ...addressParam, query: HistoryQuery },
      responses: { 200: json(HistoryView), ...errorResponses() },
    }),
    'read',
    async (c) => {
      const address = pathAddress(c);
      const q = parseWith(HistoryQuery, c.req.query());
      return c.json(await accountHistory(db, address, { limit: q.limit, cursor: q.cursor ?? null }));
    },
  );

  route(
    app,
    createRoute({
      method: 'post',
      path: '/api/v1/adjustments',
      summary: 'Adjust a balance, with a required reason; audited with before and after. The same id again changes nothing',
      request: { body: { required: true, content: { 'application/json': { schema: AdjustmentRequest } } } },
      responses: { 201: json(PostOutcomeView, 'Posted'), 200: json(PostOutcomeView, 'Already posted'), ...errorResponses(409, 415) },
    }),
    'admin',
    async (c) => {
      const body = await readBody(c, AdjustmentRequest);
      const outcome = await adjustBalance(db, { ...body, actor: actorOf(c) });
      return c.json(outcome, outcome.status === 'created' ? 201 : 200);
    },
  );

  route(
    app,
    createRoute({ method: 'get', path: '/api/v1/transactions/{id}', summary: 'A ledger transaction with its postings and entries', request: idParam, responses: { 200: json(TransactionView), ...errorResponses(404) } }),
    'read',
    async (c) => c.json(await getTransaction(db, c.req.param('id') ?? '')),
  );
}
