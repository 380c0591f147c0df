import { randomBytes } from 'node:crypto';
import type { Database } from '../../src/db/database.ts';
import type { PaymentNotice } from '../../src/payments/record.ts';

export const uid = (prefix: string): string => `${prefix}-${randomBytes(5).toString('hex')}`;

/** Creates members with the given names (display names) and returns their ids in order. */
export async function newMembers(db: Database, count: number): Promise<number[]> {
  const rows = await db.query<{ id: number }>('insert into members (display_name) select $1 || g from generate_series(1, $2::int) g returning id', [uid('m'), count]);
  return rows.map((r) => Number(r.id));
}

export const aPayment = (member: number, overrides: Partial<PaymentNotice> = {}): PaymentNotice => ({
  provider: 'stripe',
  provider_payment_id: uid('pi'),
  member: { member_id: member },
  amount: 100_00,
  currency: 'RUB',
  period: '2025-10',
  occurred_at: '2025-10-02T10:00:00Z',
  ...overrides,
});
