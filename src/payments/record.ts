import { z } from '@hono/zod-openapi';
import { canonicalJson } from '../core/event.ts';
import type { Database, Queryable } from '../db/database.ts';
import { conflict, invalid } from '../errors.ts';
import { fiatAccount } from '../ledger/conventions.ts';
import { postValidated } from '../ledger/post.ts';
import { differingFields, validateTransactions } from '../ledger/transaction.ts';
import { fieldErrors, memberId, slug, text, timestamp } from '../schemas/common.ts';
import { audit } from '../store/audit.ts';
import { bookingPeriod, latestClosed, lockPeriods } from '../revenue/period.ts';

export type Currency = 'RUB' | 'USD';
export const CURRENCIES = ['RUB', 'USD'] as const;

export interface PaymentNotice {
  provider: string;
  provider_payment_id: string;
  member: { member_id: number } | { provider: string; external_id: string };
  /** Minor units (kopecks, cents), > 0. */
  amount: number;
  currency: Currency;
  /** The month the subscription pays for, YYYY-MM. */
  period: string;
  occurred_at: string;
}

export interface RefundNotice {
  provider: string;
  /** The payment refunded or charged back. */
  provider_payment_id: string;
  provider_refund_id: string;
  kind: 'refund' | 'chargeback';
  /** Minor units, at most what is left of the payment. */
  amount: number;
  occurred_at: string;
}

const minorUnits = z
  .number({ error: 'must be a positive integer in minor units (kopecks, cents)' })
  .int('must be a positive integer in minor units (kopecks, cents)')
  .positive('must be a positive integer in minor units (kopecks, cents)')
  .max(1_000_000_000_000, 'must be at most 1000000000000');

export const PaymentNoticeBody = z
  .object({
    provider: slug,
    provider_payment_id: text(200),
    member: z.union([z.object({ member_id: memberId }).strict(), z.object({ provider: slug, external_id: text(200) }).strict()], {
      error: 'must be {"member_id": 42} or {"provider": "stripe", "external_id": "cus_..."}',
    }),
    amount: minorUnits,
    currency: z.enum(CURRENCIES, { error: 'must be RUB or USD' }),
    period: z.string().regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/, 'must be a month, YYYY-MM'),
    occurred_at: timestamp,
  })
  .strict()
  .openapi('PaymentInput');

export const RefundNoticeBody = z
  .object({
    provider: slug,
    provider_payment_id: text(200),
    provider_refund_id: text(200),
    kind: z.enum(['refund', 'chargeback'], { error: 'must be refund or chargeback' }),
    amount: minorUnits,
    occurred_at: timestamp,
  })
  .strict()
  .openapi('RefundInput');

function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalid(fieldErrors(parsed.error), 'The notice is invalid; nothing was recorded');
  return parsed.data;
}

/** The statement as canonical JSON, the time normalised, so that a repeat compares field by field. */
const statement = (notice: PaymentNotice | RefundNotice): string =>
  canonicalJson({ ...notice, occurred_at: new Date(notice.occurred_at).toISOString() });

function compareRepeat(stored: string, incoming: string, what: string): void {
  const fields = differingFields(stored, incoming);
  if (fields.length > 0) {
    throw conflict(`A ${what} with the same provider id was recorded with different content`, fields.map((field) => ({ field, reason: `differs from the ${what} as recorded` })));
  }
}

/**
 * Records a subscription payment and books it into the revenue of its period (or of the first open
 * one, when that period has closed): payments:<CUR> → revenue:<CUR>:<period>. Idempotent by
 * (provider, provider_payment_id); the same id with other content is a conflict naming the fields.
 */
export async function recordPayment(db: Database, notice: PaymentNotice, actor: string): Promise<{ status: 'created' | 'exists'; payment_id: number }> {
  const n = parse(PaymentNoticeBody, notice) as PaymentNotice;
  const content = statement(n);
  return db.transaction(async (tx) => {
    const repeat = await findPayment(tx, n.provider, n.provider_payment_id);
    if (repeat) {
      compareRepeat(repeat.content, content, 'payment');
      return { status: 'exists' as const, payment_id: repeat.id };
    }
    const member = await resolvePayer(tx, n.member);
    await lockPeriods(tx, 'shared');
    const booked = bookingPeriod(n.period, await latestClosed(tx));
    const [row] = await tx.query<{ id: number }>(
      `insert into payments (provider, provider_payment_id, member_id, amount, currency, period, booked_period, occurred_at, content, recorded_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) on conflict (provider, provider_payment_id) do nothing returning id`,
      [n.provider, n.provider_payment_id, member, n.amount, n.currency, n.period, booked, n.occurred_at, content, actor],
    );
    if (!row) {
      // Recorded meanwhile by a concurrent notice.
      const stored = (await findPayment(tx, n.provider, n.provider_payment_id))!;
      compareRepeat(stored.content, content, 'payment');
      return { status: 'exists' as const, payment_id: stored.id };
    }
    const id = Number(row.id);
    await postValidated(
      tx,
      validateTransactions([
        {
          id: `payment:${id}`,
          code: 'payment',
          cause: `payment:${n.provider}:${n.provider_payment_id}`,
          actor,
          memo: `member ${member}, period ${n.period}${booked === n.period ? '' : `, booked in ${booked} (period closed)`}`,
          postings: [{ from: fiatAccount.payments(n.currency), to: fiatAccount.revenue(n.currency, booked), amount: n.amount, asset: n.currency }],
        },
      ]),
    );
    await audit(tx, actor, 'payment.record', `payment:${id}`, { ...n, member_id: member, booked_period: booked });
    return { status: 'created' as const, payment_id: id };
  });
}

/**
 * Records a refund or chargeback of a recorded payment: the money leaves the revenue of the payment's
 * period while it is open; after the close, it leaves the first open period and what the payment
 * allocated is taken back from its recipients at that period's close.
 */
export async function recordRefund(db: Database, notice: RefundNotice, actor: string): Promise<{ status: 'created' | 'exists'; refund_id: number }> {
  const n = parse(RefundNoticeBody, notice) as RefundNotice;
  const content = statement(n);
  return db.transaction(async (tx) => {
    const repeat = await findRefund(tx, n.provider, n.provider_refund_id);
    if (repeat) {
      compareRepeat(repeat.content, content, 'refund');
      return { status: 'exists' as const, refund_id: repeat.id };
    }
    const [payment] = await tx.query<{ id: number; amount: number; currency: Currency; booked_period: string }>(
      'select id, amount, currency, booked_period from payments where provider = $1 and provider_payment_id = $2 for update',
      [n.provider, n.provider_payment_id],
    );
    if (!payment) throw invalid([{ field: 'provider_payment_id', reason: `no payment ${n.provider_payment_id} from ${n.provider} is recorded` }], 'The notice is invalid; nothing was recorded');
    const again = await findRefund(tx, n.provider, n.provider_refund_id);
    if (again) {
      compareRepeat(again.content, content, 'refund');
      return { status: 'exists' as const, refund_id: again.id };
    }
    const [{ refunded } = { refunded: 0 }] = await tx.query<{ refunded: number }>(
      'select coalesce(sum(amount), 0)::bigint as refunded from payment_refunds where payment_id = $1',
      [payment.id],
    );
    const left = Number(payment.amount) - Number(refunded);
    if (n.amount > left) throw invalid([{ field: 'amount', reason: `is more than is left of the payment (${left})` }], 'The notice is invalid; nothing was recorded');
    await lockPeriods(tx, 'shared');
    const booked = bookingPeriod(payment.booked_period, await latestClosed(tx));
    const [row] = await tx.query<{ id: number }>(
      `insert into payment_refunds (payment_id, provider, provider_refund_id, kind, amount, booked_period, occurred_at, content, recorded_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id`,
      [payment.id, n.provider, n.provider_refund_id, n.kind, n.amount, booked, n.occurred_at, content, actor],
    );
    const id = Number(row!.id);
    await postValidated(
      tx,
      validateTransactions([
        {
          id: `refund:${id}`,
          code: 'correction',
          cause: `${n.kind}:${n.provider}:${n.provider_refund_id}`,
          actor,
          memo: `${n.kind} of payment ${payment.id}${booked === payment.booked_period ? '' : `; period ${payment.booked_period} closed, taken back at the close of ${booked}`}`,
          postings: [{ from: fiatAccount.revenue(payment.currency, booked), to: fiatAccount.payments(payment.currency), amount: n.amount, asset: payment.currency }],
        },
      ]),
    );
    await audit(tx, actor, `payment.${n.kind}`, `payment:${payment.id}`, { ...n, refund_id: id, booked_period: booked });
    return { status: 'created' as const, refund_id: id };
  });
}

async function findPayment(tx: Queryable, provider: string, id: string): Promise<{ id: number; content: string } | undefined> {
  const [row] = await tx.query<{ id: number; content: string }>('select id, content from payments where provider = $1 and provider_payment_id = $2', [provider, id]);
  return row && { id: Number(row.id), content: row.content };
}

async function findRefund(tx: Queryable, provider: string, id: string): Promise<{ id: number; content: string } | undefined> {
  const [row] = await tx.query<{ id: number; content: string }>('select id, content from payment_refunds where provider = $1 and provider_refund_id = $2', [provider, id]);
  return row && { id: Number(row.id), content: row.content };
}

/** The member who pays: by id (followed through merges) or by a linked identity. */
async function resolvePayer(tx: Queryable, member: PaymentNotice['member']): Promise<number> {
  if ('member_id' in member) {
    const [row] = await tx.query<{ survivor: number }>('select coalesce(merged_into, id) as survivor from members where id = $1', [member.member_id]);
    if (!row) throw invalid([{ field: 'member.member_id', reason: `member ${member.member_id} does not exist` }], 'The notice is invalid; nothing was recorded');
    return Number(row.survivor);
  }
  const [row] = await tx.query<{ survivor: number }>(
    `select coalesce(m.merged_into, m.id) as survivor from identities i join members m on m.id = i.member_id
     where i.provider = $1 and i.external_id = $2`,
    [member.provider, member.external_id],
  );
  if (!row) {
    throw invalid([{ field: 'member.external_id', reason: `no member is linked to ${member.provider}:${member.external_id}; link the identity first` }], 'The notice is invalid; nothing was recorded');
  }
  return Number(row.survivor);
}
