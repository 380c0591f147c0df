import type { Database, Queryable } from '../db/database.ts';
import { type FieldError, conflict, invalid, notFound } from '../errors.ts';
import { memberAccount } from '../ledger/conventions.ts';
import { hold, releaseHold, settleHold } from '../ledger/holds.ts';
import { fieldErrors } from '../schemas/common.ts';
import { badgesEarned } from './achievements.ts';
import { type RewardRow, rewardOf } from './catalogue.ts';
import { ineligibility } from './eligibility.ts';
import { inTransaction } from './in-transaction.ts';
import { getLevelScale, standingOn } from './levels.ts';
import { earnedPoints } from './earned.ts';
import { issueCode } from './pool.ts';
import { RedeemBody, type RedeemInput, type RedemptionView, findRedemption, getRedemption } from './redemption.ts';

export const REDEEMED = 'sink:pts:redeemed';

export interface RedeemOutcome {
  status: 'created' | 'exists';
  redemption: RedemptionView;
}

/**
 * Buys a reward with points, in two phases: reserve (eligibility, stock, limit, the price held on the
 * member's points), then issue a code and settle the hold to `sink:pts:redeemed`. If the code cannot
 * be issued the hold is released and the redemption ends `failed`. The same id again answers with
 * what was done, finishing a redemption that an earlier attempt left pending. `now` is epoch ms.
 */
export async function redeem(db: Database, input: unknown, actor: string, now: number): Promise<RedeemOutcome> {
  const request = parseRequest(input);
  const reserved = await reserveRedemption(db, request, actor, now);
  const finished = await completeRedemption(db, request.id, actor, now);
  return { status: reserved.status, redemption: finished };
}

function parseRequest(input: unknown): RedeemInput {
  const parsed = RedeemBody.safeParse(input);
  if (!parsed.success) throw invalid(fieldErrors(parsed.error), 'The redemption is invalid; nothing was done');
  return parsed.data;
}

/** Phase one: checks the member may have the reward now and holds its price, all in one transaction. */
export async function reserveRedemption(db: Database, input: unknown, actor: string, now: number): Promise<RedeemOutcome> {
  const r = parseRequest(input);
  const earlier = await findRedemption(db, r.id);
  if (earlier) return { status: 'exists', redemption: sameRequest(earlier, r) };
  const created = await db.transaction(async (tx) => {
    const member = await memberFacts(tx, r.member, now);
    // The reward's row lock serialises its redemptions: stock and per-member limits are counted under it.
    const [row] = await tx.query<RewardRow>('select * from rewards where key = $1 for update', [r.reward]);
    if (!row) throw notFound(`Reward ${r.reward}`);
    // Claimed first, so a concurrent request with the same id answers `exists` rather than counting against the limit.
    const claimed = await tx.query(
      `insert into redemptions (id, reward_key, member_id, price, state, hold_id, actor, requested_at)
       values ($1, $2, $3, $4, 'pending', $5, $6, $7) on conflict (id) do nothing returning id`,
      [r.id, r.reward, r.member, row.price, holdId(r.id), actor, new Date(now).toISOString()],
    );
    if (claimed.length === 0) return false;
    const reward = rewardOf(row);
    const reasons = ineligibility(reward, member, member.scale, now);
    if (reasons.length > 0) throw conflict(`Member ${r.member} cannot redeem ${r.reward}`, reasons);
    if (row.stock !== null && row.taken >= row.stock) throw conflict(`Reward ${r.reward} is out of stock`, [{ field: 'reward', reason: 'is out of stock' }]);
    if (row.per_member_limit !== null) {
      const [live] = await tx.query<{ n: number }>(
        `select count(*)::int as n from redemptions where reward_key = $1 and member_id = $2 and id <> $3 and state in ('pending', 'completed')`,
        [r.reward, r.member, r.id],
      );
      if (live!.n >= row.per_member_limit) {
        throw conflict(`Member ${r.member} has reached the limit for ${r.reward}`, [{ field: 'reward', reason: `at most ${row.per_member_limit} per member` }]);
      }
    }
    await hold(inTransaction(tx, db.engine), {
      id: holdId(r.id),
      from: memberAccount.available(r.member),
      to: REDEEMED,
      amount: row.price,
      asset: 'PTS',
      cause: `redemption:${r.id}`,
      actor,
      at: now,
    });
    await tx.query('update rewards set taken = taken + 1 where key = $1', [r.reward]);
    return true;
  });
  const redemption = await getRedemption(db, r.id);
  return created ? { status: 'created', redemption } : { status: 'exists', redemption: sameRequest(redemption, r) };
}

const holdId = (redemption: string): string => `redemption:${redemption}`;

function sameRequest(stored: RedemptionView, r: RedeemInput): RedemptionView {
  const differ: FieldError[] = [];
  if (stored.member_id !== r.member) differ.push({ field: 'member', reason: `differs from redemption ${r.id} as made (member ${stored.member_id})` });
  if (stored.reward !== r.reward) differ.push({ field: 'reward', reason: `differs from redemption ${r.id} as made (${stored.reward})` });
  if (differ.length > 0) throw conflict('A redemption with the same id was made with different content', differ);
  return stored;
}

async function memberFacts(tx: Queryable, member: number, now: number) {
  const [row] = await tx.query<{ roles: string[]; merged_into: number | null }>('select roles, merged_into from members where id = $1', [member]);
  if (!row) throw notFound(`Member ${member}`);
  if (row.merged_into !== null) throw invalid([{ field: 'member', reason: `member ${member} was merged into member ${row.merged_into}` }]);
  const scale = await getLevelScale(tx);
  const earned = await earnedPoints(tx, member, now - scale.window_days * 86_400_000, now);
  return { roles: row.roles, achievements: await badgesEarned(tx, member, now), standing: standingOn(scale, earned), scale };
}

/**
 * Phase two: issues a code and settles the hold. If no code can be issued, the hold is released and
 * the redemption fails with the reason; a redemption already finished is answered as it stands.
 */
export async function completeRedemption(db: Database, id: string, actor: string, now: number): Promise<RedemptionView> {
  const failure = await db.transaction(async (tx): Promise<string | null> => {
    const [r] = await tx.query<{ reward_key: string; state: string; hold_id: string }>('select reward_key, state, hold_id from redemptions where id = $1 for update', [id]);
    if (!r) throw notFound(`Redemption ${id}`);
    if (r.state !== 'pending') return null;
    const [reward] = await tx.query<RewardRow>('select * from rewards where key = $1', [r.reward_key]);
    const code = await issueCode(tx, reward!, id, now);
    if (!code) return `reward ${r.reward_key} has no codes left in its pool`;
    await settleHold(inTransaction(tx, db.engine), { id: r.hold_id, actor, code: 'redemption_settle', at: now });
    await tx.query(`update redemptions set state = 'completed', resolved_at = $2 where id = $1`, [id, new Date(now).toISOString()]);
    return null;
  });
  if (failure !== null) await releaseRedemption(db, id, 'failed', failure, actor, now);
  const redemption = await getRedemption(db, id);
  if (redemption.state === 'failed') {
    throw conflict(`Redemption ${id} failed: ${redemption.failure}; the ${redemption.price} points held were released`, [{ field: 'reward', reason: redemption.failure! }]);
  }
  return redemption;
}

/** Gives back a pending redemption's points and its unit of stock. */
async function releaseRedemption(db: Database, id: string, state: 'failed' | 'cancelled', reason: string | null, actor: string, now: number): Promise<boolean> {
  const [known] = await db.query<{ reward_key: string }>('select reward_key from redemptions where id = $1', [id]);
  if (!known) throw notFound(`Redemption ${id}`);
  return db.transaction(async (tx) => {
    // Reward first, then the redemption: the order reservation takes them in.
    await tx.query('select 1 from rewards where key = $1 for update', [known.reward_key]);
    const [r] = await tx.query<{ state: string; hold_id: string }>('select state, hold_id from redemptions where id = $1 for update', [id]);
    if (r!.state !== 'pending') return false;
    await releaseHold(inTransaction(tx, db.engine), { id: r!.hold_id, actor, at: now });
    await tx.query('update rewards set taken = taken - 1 where key = $1', [known.reward_key]);
    await tx.query('update redemptions set state = $2, failure = $3, resolved_at = $4 where id = $1', [id, state, reason, new Date(now).toISOString()]);
    return true;
  });
}

/** Cancels a redemption that has not completed: the hold is released. A completed one has delivered its code. */
export async function cancelRedemption(db: Database, id: string, actor: string, now: number): Promise<{ status: 'cancelled' | 'exists'; redemption: RedemptionView }> {
  const cancelled = await releaseRedemption(db, id, 'cancelled', 'cancelled', actor, now);
  const redemption = await getRedemption(db, id);
  if (cancelled || redemption.state === 'cancelled') return { status: cancelled ? 'cancelled' : 'exists', redemption };
  throw conflict(`Redemption ${id} is ${redemption.state}; only a pending one can be cancelled`, [
    { field: 'id', reason: redemption.state === 'completed' ? `is completed: code ${redemption.code} was issued and the points settled` : `is ${redemption.state}` },
  ]);
}
