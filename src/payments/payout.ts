import { z } from '@hono/zod-openapi';
import type { Database } from '../db/database.ts';
import { VkladError, conflict, invalid } from '../errors.ts';
import { fiatAccount } from '../ledger/conventions.ts';
import { postTransaction } from '../ledger/post.ts';
import { fieldErrors, memberId, text } from '../schemas/common.ts';
import { CURRENCIES, type Currency } from './record.ts';

export const PayoutBody = z
  .object({
    /** The idempotency key: the same id again answers `exists`. */
    id: text(200).openapi({ example: 'bank-2025-11-000123' }),
    author_id: memberId,
    currency: z.enum(CURRENCIES, { error: 'must be RUB or USD' }),
    amount: z.number({ error: 'must be a positive integer in minor units' }).int('must be a positive integer in minor units').positive('must be a positive integer in minor units'),
    reference: text(500).optional().openapi({ description: 'The bank transfer or provider payout it was paid by' }),
  })
  .strict()
  .openapi('PayoutInput');

export type PayoutInput = z.infer<typeof PayoutBody>;

// The ledger names the fields of its transaction; a payout's caller knows them by these names.
const PAYOUT_FIELDS: Record<string, string> = {
  'postings[0].amount': 'amount',
  'postings[0].from': 'author_id',
  'postings[0].to': 'currency',
  'postings[0].asset': 'currency',
  memo: 'reference',
};

/**
 * Records money paid out to an author: author:<id>:<CUR> → payouts:<CUR> (code `payout`). An author
 * account never goes below zero: paying out more than it holds is refused, naming the amount.
 */
export async function recordPayout(db: Database, input: unknown, actor: string): Promise<{ status: 'created' | 'exists'; transaction_id: string }> {
  const parsed = PayoutBody.safeParse(input);
  if (!parsed.success) throw invalid(fieldErrors(parsed.error), 'The payout is invalid; nothing was recorded');
  const p = parsed.data;
  const from = fiatAccount.author(p.author_id, p.currency as Currency);
  try {
    const outcome = await postTransaction(db, {
      id: `payout:${p.id}`,
      code: 'payout',
      cause: `payout:${p.id}`,
      actor,
      memo: p.reference,
      postings: [{ from, to: fiatAccount.payouts(p.currency), amount: p.amount, asset: p.currency }],
    });
    return { status: outcome.status, transaction_id: outcome.id };
  } catch (error) {
    if (error instanceof VkladError && error.code === 'conflict' && error.message.startsWith('Insufficient funds')) {
      throw conflict(`Insufficient funds: ${error.errors[0]?.reason ?? from}`, [{ field: 'amount', reason: `is more than ${from} holds (${error.errors[0]?.reason ?? ''})` }]);
    }
    if (error instanceof VkladError && error.code === 'conflict') {
      throw conflict('A payout with the same id was recorded with different content', error.errors.map((e) => ({ field: PAYOUT_FIELDS[e.field] ?? e.field, reason: e.reason })));
    }
    throw error;
  }
}
