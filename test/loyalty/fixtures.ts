import { randomBytes } from 'node:crypto';
import type { Database } from '../../src/db/database.ts';
import { postTransaction } from '../../src/ledger/post.ts';
import { putReward } from '../../src/loyalty/catalogue.ts';
import { RewardBody } from '../../src/loyalty/reward.ts';
import { createMembers } from '../../src/store/members.ts';

export const newId = (prefix = 'r'): string => `${prefix}-${randomBytes(6).toString('hex')}`;

export const DAY = 86_400_000;
export const NOW = Date.parse('2025-10-15T12:00:00Z');

export async function aMember(db: Database, roles: string[] = ['student']): Promise<number> {
  const [id] = await createMembers(db, [{ roles }], 'test');
  return id!;
}

/** Points from issuance as an award, so they count as earned. */
export async function award(db: Database, member: number, points: number, at = NOW - DAY): Promise<void> {
  await postTransaction(db, { id: newId('award'), code: 'award', cause: 'test', actor: 'scoring', at, postings: [{ from: 'world:pts', to: `member:${member}:pts`, amount: points, asset: 'PTS' }] });
}

/** A reward with a fresh key; fields can be overridden. */
export async function aReward(db: Database, overrides: Record<string, unknown> = {}): Promise<string> {
  const key = newId('reward');
  const input = RewardBody.parse({
    title: { en: 'Subscription discount', ru: 'Скидка на подписку' },
    benefit: { kind: 'percent_discount', percent: 20, on: 'subscription' },
    price: 7,
    ...overrides,
  });
  await putReward(db, key, input, 'test');
  return key;
}
