import type { PaymentNotice, RefundNotice } from '../record.ts';

export type { Currency, PaymentNotice, RefundNotice } from '../record.ts';

export type MemberRef = PaymentNotice['member'];

/** What one notification asks of Vklad: record a payment, record refunds, or nothing (and why). */
export type ProviderOutcome =
  | { kind: 'payment'; notice: PaymentNotice }
  | { kind: 'refunds'; notices: RefundNotice[] }
  | { kind: 'ignored'; reason: string };
