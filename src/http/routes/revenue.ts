import { createRoute, z } from '@hono/zod-openapi';
import { accountingCsv } from '../../revenue/accounting-export.ts';
import { authorAccrual } from '../../revenue/accrual.ts';
import { closePeriod } from '../../revenue/close.ts';
import { adoptRevenuePolicy, listRevenuePolicies } from '../../revenue/policies.ts';
import { compareAllocations } from '../../revenue/report.ts';
import { authorStatement, statementCsv, statementHtml } from '../../revenue/statement.ts';
import { errorResponses, json } from '../../schemas/views.ts';
import { parseWith, readBody } from '../body.ts';
import { type App, type Deps, actorOf, route } from '../env.ts';
import { pathId } from '../params.ts';

const Period = z.string().regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/, 'must be a month, YYYY-MM');
const periodParam = { params: z.object({ period: Period }) };
const authorParam = z.object({ id: z.string() });

const Amounts = z.record(z.string(), z.number().int());
const CloseView = z
  .object({
    status: z.enum(['closed', 'already_closed']),
    period: z.string(),
    policy_version: z.string(),
    closed_at: z.string(),
    currencies: z.array(z.object({ currency: z.string(), revenue: z.number().int(), posted: Amounts, carried: Amounts, payers: z.number().int() })),
  })
  .openapi('PeriodClose');

const AccrualView = z
  .object({
    author_id: z.number().int(),
    period: z.string(),
    status: z.enum(['open', 'closed']),
    currencies: z.array(z.object({ currency: z.string(), from_members: z.number().int(), from_pool: z.number().int(), adjustments: z.number().int(), total: z.number().int(), learners: z.number().int() })),
    pool_as_of: z.string().nullable(),
  })
  .openapi('Accrual');

const ComparisonView = z.record(z.string(), z.unknown()).openapi('RevenueComparison');
const StatementQuery = z.object({ format: z.enum(['json', 'csv', 'html']).default('json'), lang: z.enum(['en', 'ru']).default('en') }).strict();
const ExportQuery = z.object({ from: z.string().max(40).optional(), to: z.string().max(40).optional() }).strict();
const PolicyText = z.object({ text: z.string().min(1).max(100_000) }).strict().openapi('RevenuePolicyText');
const PolicyView = z.object({ version: z.string(), effective_from: z.string(), adopted_at: z.string(), adopted_by: z.string() }).openapi('RevenuePolicy');

/** Revenue: the split policy, provisional accruals, period close, the comparison report, statements and the accounting export. */
export function revenueRoutes(app: App, { db, now }: Deps): void {
  route(
    app,
    createRoute({
      method: 'get',
      path: '/api/v1/authors/{id}/accrual',
      summary: "An author's accrual for a period: provisional while it is open, final once closed",
      request: { params: authorParam, query: z.object({ period: Period }) },
      responses: { 200: json(AccrualView), ...errorResponses(404) },
    }),
    'read',
    async (c) => c.json(await authorAccrual(db, pathId(c), parseWith(z.object({ period: Period }).strict(), c.req.query()).period)),
  );

  route(
    app,
    createRoute({
      method: 'post',
      path: '/api/v1/revenue/periods/{period}/close',
      summary: 'Close a period: post the final split to authors, treasury and platform and freeze it (closing again answers that it is closed)',
      request: periodParam,
      responses: { 200: json(CloseView), ...errorResponses() },
    }),
    'admin',
    async (c) => c.json(await closePeriod(db, c.req.param('period') ?? '', actorOf(c), now())),
  );

  route(
    app,
    createRoute({
      method: 'get',
      path: '/api/v1/revenue/periods/{period}/comparison',
      summary: 'What each author gets under user-centric and under plain pro-rata allocation, from the same payments and actions',
      request: periodParam,
      responses: { 200: json(ComparisonView), ...errorResponses() },
    }),
    'read',
    async (c) => c.json(await compareAllocations(db, c.req.param('period') ?? '')),
  );

  route(
    app,
    createRoute({
      method: 'get',
      path: '/api/v1/authors/{id}/statements/{period}',
      summary: "An author's statement for a closed period: per content, from how many learners; JSON, CSV or HTML (en, ru)",
      request: { params: z.object({ id: z.string(), period: Period }), query: StatementQuery },
      responses: { 200: json(z.record(z.string(), z.unknown())), ...errorResponses(404, 409) },
    }),
    'read',
    async (c) => {
      const query = parseWith(StatementQuery, c.req.query());
      const statement = await authorStatement(db, pathId(c), c.req.param('period') ?? '');
      if (query.format === 'csv') return c.body(statementCsv(statement), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="statement-${statement.author_id}-${statement.period}.csv"` });
      if (query.format === 'html') return c.html(statementHtml(statement, query.lang));
      return c.json(statement);
    },
  );

  route(
    app,
    createRoute({
      method: 'get',
      path: '/api/v1/revenue/export.csv',
      summary: 'Every movement of money (RUB, USD) as CSV for accounting, optionally between two moments',
      request: { query: ExportQuery },
      responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } }, ...errorResponses() },
    }),
    'admin',
    async (c) => c.body(await accountingCsv(db, parseWith(ExportQuery, c.req.query())), 200, { 'content-type': 'text/csv; charset=utf-8' }),
  );

  route(
    app,
    createRoute({
      method: 'get',
      path: '/api/v1/revenue/policies',
      summary: 'Adopted revenue split policy versions, by effective date',
      responses: { 200: json(z.object({ policies: z.array(PolicyView) })), ...errorResponses() },
    }),
    'read',
    async (c) => c.json({ policies: await listRevenuePolicies(db) }),
  );

  route(
    app,
    createRoute({
      method: 'post',
      path: '/api/v1/revenue/policies',
      summary: 'Adopt a revenue split policy version from its effective month on (audited)',
      request: { body: { required: true, content: { 'application/json': { schema: PolicyText } } } },
      responses: { 201: json(PolicyView, 'Adopted'), ...errorResponses(415) },
    }),
    'admin',
    async (c) => c.json(await adoptRevenuePolicy(db, (await readBody(c, PolicyText)).text, actorOf(c)), 201),
  );
}
