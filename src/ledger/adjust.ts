import { z } from '@hono/zod-openapi';
import type { Database } from '../db/database.ts';
import { invalid } from '../errors.ts';
import { audit } from '../store/audit.ts';
import { ISSUER, MAX_AMOUNT, assetOf } from './conventions.ts';
import { type PostOutcome, postValidated } from './post.ts';
import { LedgerAddress, Moment, zodFieldErrors } from './transaction.ts';

const text = (max: number) => z.string().trim().min(1, 'is required').max(max);

export const AdjustmentBody = z
  .object({
    id: text(200),
    account: LedgerAddress,
    /** Signed: positive credits the account, negative debits it. */
    amount: z.number().int('must be a non-zero integer').refine((n) => n !== 0 && Math.abs(n) <= MAX_AMOUNT, 'must be a non-zero integer'),
    /** The other side; by default the asset's issuance account. */
    against: LedgerAddress.optional(),
    reason: text(1000),
    actor: text(200),
    at: Moment.optional(),
  })
  .strict();
export type AdjustmentInput = z.infer<typeof AdjustmentBody>;

/** An operator's correction of a balance, with the reason, written to the audit log in the same transaction. */
export async function adjustBalance(db: Database, input: unknown): Promise<PostOutcome> {
  const parsed = AdjustmentBody.safeParse(input);
  if (!parsed.success) throw invalid(zodFieldErrors(parsed.error), 'The adjustment is invalid; nothing was posted');
  const a = parsed.data;
  const asset = assetOf(a.account)!;
  const against = a.against ?? ISSUER[asset];
  if (!against) throw invalid([{ field: 'against', reason: `is required for ${asset}, which has no issuance account` }]);
  if (assetOf(against) !== asset || against === a.account) {
    throw invalid([{ field: 'against', reason: `must be another ${asset} account` }]);
  }
  const posting = a.amount > 0 ? { from: against, to: a.account } : { from: a.account, to: against };
  return db.transaction(async (tx) => {
    const [outcome] = await postValidated(tx, [
      { id: a.id, code: 'adjustment', cause: 'operator adjustment', actor: a.actor, memo: a.reason, at: a.at, postings: [{ ...posting, amount: Math.abs(a.amount), asset }] },
    ]);
    if (outcome!.status === 'created') {
      // Read under the lock the posting holds, so `before` is exactly `after` less this adjustment.
      const [after] = await tx.query<{ balance: number; held: number }>('select balance, held from accounts where address = $1', [a.account]);
      const before = { balance: after!.balance - a.amount, held: after!.held };
      await audit(tx, a.actor, 'ledger.adjust', a.account, { transaction: a.id, reason: a.reason, amount: a.amount, against, before, after });
    }
    return outcome!;
  });
}
