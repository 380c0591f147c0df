/**
 * What a provider's notification says, in Vklad's words. The shapes are the ones `src/payments/record.ts`
 * records; they are restated here only until that module is in the tree.
 */
export type Currency = 'RUB' | 'USD';

export type MemberRef = { member_id: number } | { provider: string; external_id: string };

export interface PaymentNotice {
  provider: string;
  provider_payment_id: string;
  member: MemberRef;
  /** Minor units (kopecks, cents). */
  amount: number;
  currency: Currency;
  /** The month paid for, YYYY-MM. */
  period: string;
  occurred_at: string;
}

export interface RefundNotice {
  provider: string;
  /** The payment refunded or charged back. */
  provider_payment_id: string;
  provider_refund_id: string;
  kind: 'refund' | 'chargeback';
  amount: number;
  occurred_at: string;
}

/** What one notification asks of Vklad: record a payment, record refunds, or nothing (and why). */
export type ProviderOutcome =
  | { kind: 'payment'; notice: PaymentNotice }
  | { kind: 'refunds'; notices: RefundNotice[] }
  | { kind: 'ignored'; reason: string };
