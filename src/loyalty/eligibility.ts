import type { FieldError } from '../errors.ts';
import { type LevelScale, type LevelStanding, reaches } from './levels.ts';
import type { Reward } from './reward.ts';

/** What is known about the member when they ask for a reward. */
export interface MemberFacts {
  roles: string[];
  achievements: string[];
  standing: LevelStanding;
}

/** Every reason the member cannot have this reward at `now` (epoch ms); empty when they can. */
export function ineligibility(reward: Reward, member: MemberFacts, scale: LevelScale, now: number): FieldError[] {
  const reasons: FieldError[] = [];
  const no = (field: string, reason: string) => reasons.push({ field, reason });
  if (reward.retired_at !== null) no('reward', 'is retired');
  if (reward.valid_from !== null && now < Date.parse(reward.valid_from)) no('reward', `is not available before ${reward.valid_from}`);
  if (reward.valid_until !== null && now >= Date.parse(reward.valid_until)) no('reward', `was available until ${reward.valid_until}`);
  const { roles, achievements, level } = reward.eligibility;
  if (roles.length > 0 && !roles.some((r) => member.roles.includes(r))) no('member', `needs one of the roles ${roles.join(', ')}`);
  const missing = achievements.filter((a) => !member.achievements.includes(a));
  if (missing.length > 0) no('member', `needs the achievements ${missing.join(', ')}`);
  if (level !== null && !reaches(scale, member.standing.level, level)) {
    no('member', `needs level ${level}; has ${member.standing.level?.key ?? 'none'} with ${member.standing.earned} points earned in ${scale.window_days} days`);
  }
  return reasons;
}
