import { randomBytes } from 'node:crypto';
import type { Database } from '../../src/db/database.ts';
import { postTransaction } from '../../src/ledger/post.ts';
import type { TransactionInput } from '../../src/ledger/transaction.ts';

/** A fresh id, so tests sharing one store never collide. */
export const newId = (prefix = 'tx'): string => `${prefix}-${randomBytes(6).toString('hex')}`;

let nextMember = 1000;
/** A member number no other test in this process uses. */
export const newMember = (): number => (nextMember += 1);

export const transfer = (from: string, to: string, amount: number, extra: Partial<TransactionInput> = {}): TransactionInput => ({
  id: newId(),
  code: 'correction',
  cause: 'test',
  actor: 'operator:test',
  postings: [{ from, to, amount, asset: 'PTS' }],
  ...extra,
});

/** Gives a member points from issuance. */
export async function fund(db: Database, address: string, amount: number, at?: number): Promise<void> {
  await postTransaction(db, transfer('world:pts', address, amount, { code: 'award', at }));
}
