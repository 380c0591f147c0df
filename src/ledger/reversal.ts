import { z } from '@hono/zod-openapi';
import type { Database } from '../db/database.ts';
import { conflict, invalid, notFound } from '../errors.ts';
import type { TransactionCode } from './conventions.ts';
import { type PostOutcome, postValidated } from './post.ts';
import { Moment, type Posting, zodFieldErrors } from './transaction.ts';

const text = (max: number) => z.string().min(1, 'is required').max(max);

export const ReversalBody = z.object({ id: text(200), original: text(200), actor: text(200), cause: text(500).optional(), at: Moment.optional() }).strict();
export type ReversalInput = z.infer<typeof ReversalBody>;

// A code that has its own reversal code keeps it; every other correction is a `correction`.
const REVERSAL_CODE: Partial<Record<string, TransactionCode>> = { award: 'award_reversal' };

/**
 * Posts a new transaction with the original's postings reversed. A transaction is reversed at most
 * once, and a reversal is never itself reversed: to undo a correction, post a new transaction.
 */
export async function reverseTransaction(db: Database, input: unknown): Promise<PostOutcome> {
  const parsed = ReversalBody.safeParse(input);
  if (!parsed.success) throw invalid(zodFieldErrors(parsed.error), 'The reversal is invalid; nothing was posted');
  const r = parsed.data;
  return db.transaction(async (tx) => {
    // Locking the original serialises reversals of one transaction.
    const [original] = await tx.query<{ id: string; code: string; reverses: string | null; content: string }>(
      'select id, code, reverses, content from transactions where id = $1 for update',
      [r.original],
    );
    if (!original) throw notFound(`Transaction ${r.original}`);
    if (original.reverses !== null) {
      throw conflict(`Transaction ${original.id} is itself the reversal of ${original.reverses}; post a new transaction instead`, [
        { field: 'original', reason: 'is a reversal, which is never reversed' },
      ]);
    }
    const [earlier] = await tx.query<{ id: string }>('select id from transactions where reverses = $1', [original.id]);
    if (earlier && earlier.id !== r.id) {
      throw conflict(`Transaction ${original.id} was already reversed by ${earlier.id}`, [{ field: 'original', reason: `already reversed by ${earlier.id}` }]);
    }
    const postings = (JSON.parse(original.content) as { postings: Posting[] }).postings;
    const [outcome] = await postValidated(tx, [
      {
        id: r.id,
        code: REVERSAL_CODE[original.code] ?? 'correction',
        cause: r.cause ?? `reversal of ${original.id}`,
        actor: r.actor,
        at: r.at,
        reverses: original.id,
        postings: postings.map((p) => ({ ...p, from: p.to, to: p.from })),
      },
    ]);
    return outcome!;
  });
}
