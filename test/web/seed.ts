import type { Database } from '../../src/db/database.ts';
import { putLevelScale } from '../../src/loyalty/levels.ts';
import { putReward } from '../../src/loyalty/catalogue.ts';
import { RewardBody } from '../../src/loyalty/reward.ts';
import { runScoringPass } from '../../src/services/scoring-pass.ts';
import { ingestEvents } from '../../src/store/events.ts';
import { createMembers } from '../../src/store/members.ts';
import { emailIdentity } from '../../src/web/auth/identity.ts';

export const NOW = new Date('2025-10-15T12:00:00Z');
const DAY = 86_400_000;

export interface Seeded {
  member: number;
  other: number;
  author: number;
  operator: number;
}

/**
 * A small community: a learner with three weeks of reading and writing (points, a streak, a met
 * goal), another learner, an author and an operator; a level scale and two rewards.
 */
export async function seedCommunity(db: Database, now = NOW): Promise<Seeded> {
  const [member, other, author, operator] = await createMembers(
    db,
    [
      { display_name: 'Anna Learner', roles: ['student'], identities: [{ provider: 'forum', external_id: 'f-anna' }, emailIdentity('anna@example.org')] },
      { display_name: 'Boris Other', roles: ['student'], identities: [{ provider: 'forum', external_id: 'f-boris' }, emailIdentity('boris@example.org')] },
      { display_name: 'Vera Author', roles: ['author'], identities: [{ provider: 'forum', external_id: 'f-vera' }, emailIdentity('vera@example.org')] },
      { display_name: 'Oleg Operator', roles: ['operator'], identities: [{ provider: 'forum', external_id: 'f-oleg' }, emailIdentity('oleg@example.org')] },
    ],
    'test',
  );
  const events = [];
  for (let d = 20; d >= 0; d--) {
    const at = new Date(now.getTime() - d * DAY - 3 * 3_600_000).toISOString();
    for (let n = 0; n < 6; n++) {
      events.push({ source: 'course', source_event_id: `read-${member}-${d}-${n}`, action: 'course.section.read', actor: { member_id: member! }, occurred_at: at, object: `section:${n}` });
    }
    events.push({ source: 'forum', source_event_id: `post-${member}-${d}`, action: 'forum.post.created', actor: { member_id: member! }, occurred_at: at, attributes: { words: 150 } });
    if (d % 3 === 0) events.push({ source: 'forum', source_event_id: `post-${other}-${d}`, action: 'forum.post.created', actor: { member_id: other! }, occurred_at: at, attributes: { words: 90 } });
  }
  await ingestEvents(db, events, { atomic: true, unknownIdentity: () => 'create' });
  await runScoringPass(db, { now, all: true });
  // Leaderboards are opt-in: Anna chose to appear, Boris has not.
  await db.query('insert into member_preferences (member_id, leaderboard_shown) values ($1, true)', [member]);
  await putLevelScale(db, { window_days: 365, levels: [{ key: 'bronze', threshold: 50, title: { en: 'Bronze', ru: 'Бронза' } }, { key: 'silver', threshold: 100_000, title: { en: 'Silver', ru: 'Серебро' } }] }, 'test');
  await putReward(db, 'discount-20', RewardBody.parse({ title: { en: '20% off the subscription', ru: 'Скидка 20% на подписку' }, benefit: { kind: 'percent_discount', percent: 20, on: 'subscription' }, price: 100 }), 'test');
  await putReward(db, 'mentor-session', RewardBody.parse({ title: { en: 'A session with a mentor', ru: 'Сессия с наставником' }, benefit: { kind: 'privilege', privilege: 'mentor_session' }, price: 1_000_000 }), 'test');
  return { member: member!, other: other!, author: author!, operator: operator! };
}
