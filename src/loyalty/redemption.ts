import { z } from '@hono/zod-openapi';
import type { Queryable } from '../db/database.ts';
import { notFound } from '../errors.ts';
import { memberId, text } from '../schemas/common.ts';
import { rewardKey } from './reward.ts';

export const RedeemBody = z
  .object({
    id: text(150).openapi({ description: 'Chosen by the client: asking again with the same id never redeems twice', example: 'shop-7f3a2c' }),
    member: memberId,
    reward: rewardKey,
  })
  .strict()
  .openapi('RedemptionRequest');
export type RedeemInput = z.infer<typeof RedeemBody>;

export type RedemptionState = 'pending' | 'completed' | 'failed' | 'cancelled';

export interface RedemptionView {
  id: string;
  reward: string;
  member_id: number;
  price: number;
  state: RedemptionState;
  hold_id: string;
  /** The ledger transaction that moved the points to `sink:pts:redeemed`, once completed. */
  settled_by: string | null;
  code: string | null;
  code_expires_at: string | null;
  failure: string | null;
  actor: string;
  requested_at: string;
  resolved_at: string | null;
}

interface Row {
  id: string;
  reward_key: string;
  member_id: number;
  price: number;
  state: RedemptionState;
  hold_id: string;
  settled_by: string | null;
  code: string | null;
  code_expires_at: Date | null;
  failure: string | null;
  actor: string;
  requested_at: Date;
  resolved_at: Date | null;
}

const SELECT = `
  select d.id, d.reward_key, d.member_id, d.price, d.state, d.hold_id, h.settled_by, c.code, c.expires_at as code_expires_at,
         d.failure, d.actor, d.requested_at, d.resolved_at
  from redemptions d left join holds h on h.id = d.hold_id left join reward_codes c on c.redemption_id = d.id`;

const viewOf = (r: Row): RedemptionView => ({
  id: r.id,
  reward: r.reward_key,
  member_id: r.member_id,
  price: r.price,
  state: r.state,
  hold_id: r.hold_id,
  settled_by: r.settled_by,
  code: r.code,
  code_expires_at: r.code_expires_at?.toISOString() ?? null,
  failure: r.failure,
  actor: r.actor,
  requested_at: r.requested_at.toISOString(),
  resolved_at: r.resolved_at?.toISOString() ?? null,
});

export async function findRedemption(db: Queryable, id: string): Promise<RedemptionView | null> {
  const [row] = await db.query<Row>(`${SELECT} where d.id = $1`, [id]);
  return row ? viewOf(row) : null;
}

export async function getRedemption(db: Queryable, id: string): Promise<RedemptionView> {
  const found = await findRedemption(db, id);
  if (!found) throw notFound(`Redemption ${id}`);
  return found;
}

export const REDEMPTIONS_LIMIT = 200;

/** A member's redemptions, newest first. */
export async function memberRedemptions(db: Queryable, member: number, limit = REDEMPTIONS_LIMIT): Promise<RedemptionView[]> {
  const rows = await db.query<Row>(`${SELECT} where d.member_id = $1 order by d.requested_at desc, d.id desc limit $2`, [member, Math.min(limit, REDEMPTIONS_LIMIT)]);
  return rows.map(viewOf);
}
