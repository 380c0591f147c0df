import { z } from '@hono/zod-openapi';
import type { Database, Queryable } from '../db/database.ts';
import { conflict, invalid, notFound } from '../errors.ts';
import { fieldErrors, text } from '../schemas/common.ts';
import type { Reward } from './reward.ts';

export const CODE_STATES = ['valid', 'already used', 'expired', 'unknown'] as const;
export type CodeState = (typeof CODE_STATES)[number];

export interface CodeCheck {
  code: string;
  status: CodeState;
  /** What the code gives; absent for an unknown code. */
  reward?: { key: string; benefit: Reward['benefit'] };
  member_id?: number;
  expires_at?: string | null;
  consumed_at?: string | null;
  consumed_by?: string | null;
}

interface CodeRow {
  code: string;
  reward_key: string;
  benefit: Reward['benefit'];
  member_id: number;
  expires_at: Date | null;
  consumed_at: Date | null;
  consumed_by: string | null;
}

// Only issued codes exist for the shop: a code still waiting in a pool is as unknown as a made-up one.
const ISSUED_CODE_SQL = `
  select c.code, c.reward_key, r.benefit, d.member_id, c.expires_at, c.consumed_at, c.consumed_by
  from reward_codes c join rewards r on r.key = c.reward_key join redemptions d on d.id = c.redemption_id
  where c.code = $1 and d.state = 'completed'`;

const stateOf = (row: CodeRow | undefined, now: number): CodeState => {
  if (!row) return 'unknown';
  if (row.consumed_at !== null) return 'already used';
  if (row.expires_at !== null && row.expires_at.getTime() <= now) return 'expired';
  return 'valid';
};

const viewOf = (code: string, row: CodeRow | undefined, now: number): CodeCheck =>
  row
    ? {
        code,
        status: stateOf(row, now),
        reward: { key: row.reward_key, benefit: row.benefit },
        member_id: row.member_id,
        expires_at: row.expires_at?.toISOString() ?? null,
        consumed_at: row.consumed_at?.toISOString() ?? null,
        consumed_by: row.consumed_by,
      }
    : { code, status: 'unknown' };

/** What a code is worth at `now` (epoch ms), as the shop or billing side asks before applying it. */
export async function checkCode(db: Queryable, code: string, now: number): Promise<CodeCheck> {
  const [row] = await db.query<CodeRow>(ISSUED_CODE_SQL, [code]);
  return viewOf(code, row, now);
}

export const ConsumeBody = z
  .object({ consumer: text(200).openapi({ description: 'The shop or billing reference of the order using the code', example: 'order:8812' }) })
  .strict()
  .openapi('CodeConsumption');

/**
 * Marks a code used, once. The same consumer again answers `exists`; any other consumer, an
 * expired code or an unknown one is refused.
 */
export async function consumeCode(db: Database, code: string, input: unknown, now: number): Promise<{ status: 'consumed' | 'exists'; check: CodeCheck }> {
  const parsed = ConsumeBody.safeParse(input);
  if (!parsed.success) throw invalid(fieldErrors(parsed.error));
  const { consumer } = parsed.data;
  return db.transaction(async (tx) => {
    const [row] = await tx.query<CodeRow>(`${ISSUED_CODE_SQL} for update of c`, [code]);
    const state = stateOf(row, now);
    if (state === 'unknown') throw notFound(`Code ${code}`);
    if (state === 'already used') {
      if (row!.consumed_by === consumer) return { status: 'exists', check: viewOf(code, row, now) };
      throw conflict(`Code ${code} was already used by ${row!.consumed_by}`, [{ field: 'code', reason: `already used by ${row!.consumed_by}` }]);
    }
    if (state === 'expired') throw conflict(`Code ${code} expired at ${row!.expires_at!.toISOString()}`, [{ field: 'code', reason: 'expired' }]);
    const [used] = await tx.query<Pick<CodeRow, 'consumed_at' | 'consumed_by'>>(
      'update reward_codes set consumed_at = $2, consumed_by = $3 where code = $1 returning consumed_at, consumed_by',
      [code, new Date(now).toISOString(), consumer],
    );
    return { status: 'consumed', check: viewOf(code, { ...row!, ...used! }, now) };
  });
}
