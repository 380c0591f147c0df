import type { Queryable } from '../db/database.ts';
import { notFound } from '../errors.ts';
import type { Currency } from './record.ts';

export interface PaymentView {
  payment_id: number;
  provider: string;
  provider_payment_id: string;
  member_id: number;
  amount: number;
  currency: Currency;
  period: string;
  /** The period whose revenue it joined: `period`, or the first open one if that had closed. */
  booked_period: string;
  occurred_at: string;
  recorded_at: string;
  refunds: { refund_id: number; provider_refund_id: string; kind: 'refund' | 'chargeback'; amount: number; booked_period: string; occurred_at: string }[];
  /** What is left after refunds and chargebacks. */
  net: number;
}

export interface PaymentFilter {
  member?: number | undefined;
  period?: string | undefined;
  after?: number | undefined;
  limit: number;
}

const SELECT = `
  select p.id, p.provider, p.provider_payment_id, p.member_id, p.amount, p.currency, p.period, p.booked_period, p.occurred_at, p.recorded_at,
    coalesce((select json_agg(json_build_object('refund_id', r.id, 'provider_refund_id', r.provider_refund_id, 'kind', r.kind, 'amount', r.amount,
      'booked_period', r.booked_period, 'occurred_at', r.occurred_at) order by r.id) from payment_refunds r where r.payment_id = p.id), '[]') as refunds
  from payments p`;

interface Row {
  id: number;
  provider: string;
  provider_payment_id: string;
  member_id: number;
  amount: number;
  currency: Currency;
  period: string;
  booked_period: string;
  occurred_at: Date;
  recorded_at: Date;
  refunds: PaymentView['refunds'] | string;
}

function view(r: Row): PaymentView {
  const refunds = (typeof r.refunds === 'string' ? JSON.parse(r.refunds) : r.refunds) as PaymentView['refunds'];
  const normal = refunds.map((x) => ({ ...x, refund_id: Number(x.refund_id), amount: Number(x.amount), occurred_at: new Date(x.occurred_at).toISOString() }));
  return {
    payment_id: Number(r.id),
    provider: r.provider,
    provider_payment_id: r.provider_payment_id,
    member_id: Number(r.member_id),
    amount: Number(r.amount),
    currency: r.currency,
    period: r.period,
    booked_period: r.booked_period,
    occurred_at: r.occurred_at.toISOString(),
    recorded_at: r.recorded_at.toISOString(),
    refunds: normal,
    net: Number(r.amount) - normal.reduce((s, x) => s + x.amount, 0),
  };
}

export async function getPayment(db: Queryable, id: number): Promise<PaymentView> {
  const [row] = await db.query<Row>(`${SELECT} where p.id = $1`, [id]);
  if (!row) throw notFound(`Payment ${id}`);
  return view(row);
}

/** Payments in id order, filtered by member and period paid for; `after` pages on from a payment id. */
export async function listPayments(db: Queryable, filter: PaymentFilter): Promise<PaymentView[]> {
  const rows = await db.query<Row>(
    `${SELECT} where ($1::bigint is null or p.member_id = $1) and ($2::text is null or p.period = $2) and p.id > $3 order by p.id limit $4`,
    [filter.member ?? null, filter.period ?? null, filter.after ?? 0, filter.limit],
  );
  return rows.map(view);
}
