import { createRoute, z } from '@hono/zod-openapi';
import { listPayments, getPayment } from '../../payments/list.ts';
import { PayoutBody, recordPayout } from '../../payments/payout.ts';
import { PaymentNoticeBody, RefundNoticeBody, recordPayment, recordRefund, type PaymentNotice, type RefundNotice } from '../../payments/record.ts';
import { memberId } from '../../schemas/common.ts';
import { errorResponses, json } from '../../schemas/views.ts';
import { parseWith, readJson } from '../body.ts';
import { type App, type Deps, actorOf, route } from '../env.ts';
import { pathId } from '../params.ts';

const Refund = z.object({ refund_id: z.number().int(), provider_refund_id: z.string(), kind: z.enum(['refund', 'chargeback']), amount: z.number().int(), booked_period: z.string(), occurred_at: z.string() });
const PaymentView = z
  .object({
    payment_id: z.number().int(),
    provider: z.string(),
    provider_payment_id: z.string(),
    member_id: z.number().int(),
    amount: z.number().int().openapi({ description: 'Minor units (kopecks, cents)' }),
    currency: z.enum(['RUB', 'USD']),
    period: z.string().openapi({ description: 'The month paid for' }),
    booked_period: z.string().openapi({ description: 'The period whose revenue it joined (the first open one if its own had closed)' }),
    occurred_at: z.string(),
    recorded_at: z.string(),
    refunds: z.array(Refund),
    net: z.number().int(),
  })
  .openapi('Payment');

const ListQuery = z
  .object({
    member: z.coerce.number().pipe(memberId).optional(),
    period: z.string().regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/, 'must be a month, YYYY-MM').optional(),
    after: z.coerce.number().int().min(0).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

/** Payments, refunds and payouts: the money that enters and leaves. */
export function paymentRoutes(app: App, { db }: Deps): void {
  route(
    app,
    createRoute({
      method: 'post',
      path: '/api/v1/payments',
      summary: 'Record a subscription payment (idempotent by provider and provider payment id)',
      request: { body: { required: true, content: { 'application/json': { schema: PaymentNoticeBody } } } },
      responses: {
        201: json(z.object({ status: z.literal('created'), payment_id: z.number().int() }), 'Recorded'),
        200: json(z.object({ status: z.literal('exists'), payment_id: z.number().int() }), 'Already recorded with the same content'),
        ...errorResponses(409, 415),
      },
    }),
    'admin',
    async (c) => {
      const outcome = await recordPayment(db, (await readJson(c, 64 * 1024)) as PaymentNotice, actorOf(c));
      return c.json(outcome, outcome.status === 'created' ? 201 : 200);
    },
  );

  route(
    app,
    createRoute({
      method: 'get',
      path: '/api/v1/payments',
      summary: 'Payments in id order, by member and period paid for',
      request: { query: ListQuery },
      responses: { 200: json(z.object({ payments: z.array(PaymentView), next_after: z.number().int().nullable() })), ...errorResponses() },
    }),
    'read',
    async (c) => {
      const query = parseWith(ListQuery, c.req.query());
      const payments = await listPayments(db, query);
      return c.json({ payments, next_after: payments.length === query.limit ? payments.at(-1)!.payment_id : null });
    },
  );

  route(
    app,
    createRoute({
      method: 'get',
      path: '/api/v1/payments/{id}',
      summary: 'One payment with its refunds and chargebacks',
      request: { params: z.object({ id: z.string() }) },
      responses: { 200: json(PaymentView), ...errorResponses(404) },
    }),
    'read',
    async (c) => c.json(await getPayment(db, pathId(c))),
  );

  route(
    app,
    createRoute({
      method: 'post',
      path: '/api/v1/refunds',
      summary: 'Record a refund or chargeback of a recorded payment (idempotent by provider refund id)',
      request: { body: { required: true, content: { 'application/json': { schema: RefundNoticeBody } } } },
      responses: {
        201: json(z.object({ status: z.literal('created'), refund_id: z.number().int() }), 'Recorded'),
        200: json(z.object({ status: z.literal('exists'), refund_id: z.number().int() }), 'Already recorded'),
        ...errorResponses(409, 415),
      },
    }),
    'admin',
    async (c) => {
      const outcome = await recordRefund(db, (await readJson(c, 64 * 1024)) as RefundNotice, actorOf(c));
      return c.json(outcome, outcome.status === 'created' ? 201 : 200);
    },
  );

  route(
    app,
    createRoute({
      method: 'post',
      path: '/api/v1/payouts',
      summary: "Record money paid out to an author (never more than the author's account holds)",
      request: { body: { required: true, content: { 'application/json': { schema: PayoutBody } } } },
      responses: {
        201: json(z.object({ status: z.literal('created'), transaction_id: z.string() }), 'Recorded'),
        200: json(z.object({ status: z.literal('exists'), transaction_id: z.string() }), 'Already recorded'),
        ...errorResponses(409, 415),
      },
    }),
    'admin',
    async (c) => {
      const outcome = await recordPayout(db, await readJson(c, 64 * 1024), actorOf(c));
      return c.json(outcome, outcome.status === 'created' ? 201 : 200);
    },
  );
}
