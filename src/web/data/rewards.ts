import type { Queryable } from '../../db/database.ts';
import { getBalance } from '../../ledger/reads.ts';
import { memberAccount } from '../../ledger/conventions.ts';
import { badgesEarned } from '../../loyalty/achievements.ts';
import { listRewards } from '../../loyalty/catalogue.ts';
import { getLevelScale, memberStanding, reaches } from '../../loyalty/levels.ts';
import { type RedemptionView, memberRedemptions } from '../../loyalty/redemption.ts';
import type { Reward } from '../../loyalty/reward.ts';

/** Why a member cannot have a reward now, as data a page words in the member's language. */
export type Obstacle =
  | { kind: 'not_yet'; from: string }
  | { kind: 'ended'; until: string }
  | { kind: 'roles'; roles: string[] }
  | { kind: 'badges'; badges: string[] }
  | { kind: 'level'; level: string }
  | { kind: 'sold_out' }
  | { kind: 'limit'; limit: number }
  | { kind: 'points'; missing: number };

export interface StoreShelf {
  available: number;
  rewards: { reward: Reward; obstacles: Obstacle[]; levelTitle: { en: string; ru: string } | null }[];
  redemptions: RedemptionView[];
}

/**
 * The rewards a member can browse, each with what stands between them and it. The same checks
 * redemption makes (src/loyalty/eligibility.ts) decide in the end; these only word them ahead.
 */
export async function storeShelf(db: Queryable, member: { id: number; roles: string[] }, now: number): Promise<StoreShelf> {
  const [balance, rewards, badges, standing, scale, redemptions] = await Promise.all([
    getBalance(db, memberAccount.available(member.id)),
    listRewards(db),
    badgesEarned(db, member.id, now),
    memberStanding(db, member.id, now),
    getLevelScale(db),
    memberRedemptions(db, member.id, 100),
  ]);
  const live = new Map<string, number>();
  for (const r of redemptions) if (r.state === 'pending' || r.state === 'completed') live.set(r.reward, (live.get(r.reward) ?? 0) + 1);
  return {
    available: balance.available,
    redemptions,
    rewards: rewards.map((reward) => {
      const obstacles: Obstacle[] = [];
      const { roles, achievements, level } = reward.eligibility;
      if (reward.valid_from !== null && now < Date.parse(reward.valid_from)) obstacles.push({ kind: 'not_yet', from: reward.valid_from });
      if (reward.valid_until !== null && now >= Date.parse(reward.valid_until)) obstacles.push({ kind: 'ended', until: reward.valid_until });
      if (roles.length > 0 && !roles.some((r) => member.roles.includes(r))) obstacles.push({ kind: 'roles', roles });
      const missing = achievements.filter((a) => !badges.includes(a));
      if (missing.length > 0) obstacles.push({ kind: 'badges', badges: missing });
      if (level !== null && !reaches(scale, standing.level, level)) obstacles.push({ kind: 'level', level });
      if (reward.stock !== null && reward.taken >= reward.stock) obstacles.push({ kind: 'sold_out' });
      if (reward.per_member_limit !== null && (live.get(reward.key) ?? 0) >= reward.per_member_limit) obstacles.push({ kind: 'limit', limit: reward.per_member_limit });
      if (balance.available < reward.price) obstacles.push({ kind: 'points', missing: reward.price - balance.available });
      const levelTitle = level === null ? null : (scale.levels.find((l) => l.key === level)?.title ?? null);
      return { reward, obstacles, levelTitle };
    }),
  };
}
