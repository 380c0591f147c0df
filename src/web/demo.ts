import type { Database } from '../db/database.ts';
import { putReward } from '../loyalty/catalogue.ts';
import { getLevelScale, putLevelScale } from '../loyalty/levels.ts';
import { RewardEntry } from '../loyalty/reward.ts';
import { linkIdentity } from '../store/members.ts';
import { emailIdentity, memberByIdentity } from './auth/identity.ts';
import { issueLinkToken } from './auth/tokens.ts';

const ACTOR = 'demo';
const LINK_MS = 24 * 3_600_000;

const LEVELS = [
  { key: 'bronze', threshold: 300, title: { en: 'Bronze', ru: 'Бронза' } },
  { key: 'silver', threshold: 1_500, title: { en: 'Silver', ru: 'Серебро' } },
  { key: 'gold', threshold: 5_000, title: { en: 'Gold', ru: 'Золото' } },
  { key: 'platinum', threshold: 15_000, title: { en: 'Platinum', ru: 'Платина' } },
];

const REWARDS = [
  { key: 'subscription-10', title: { en: '10% off next month’s subscription', ru: 'Скидка 10% на подписку следующего месяца' }, benefit: { kind: 'percent_discount', percent: 10, on: 'subscription' }, price: 300, per_member_limit: 3 },
  { key: 'subscription-25', title: { en: '25% off next month’s subscription', ru: 'Скидка 25% на подписку следующего месяца' }, benefit: { kind: 'percent_discount', percent: 25, on: 'subscription' }, price: 900, eligibility: { level: 'silver' } },
  { key: 'workshop-500', title: { en: '500 ₽ off a weekend workshop', ru: 'Скидка 500 ₽ на выездной семинар' }, benefit: { kind: 'amount_discount', amount_minor: 50_000, currency: 'RUB', on: 'product:workshop' }, price: 600, stock: 40 },
  { key: 'mentor-session', title: { en: 'An hour with a mentor', ru: 'Час с наставником' }, benefit: { kind: 'privilege', privilege: 'mentor_session' }, price: 1_500, eligibility: { level: 'gold' }, per_member_limit: 1 },
  { key: 'club-evening', title: { en: 'A seat at the members’ club evening', ru: 'Место на клубном вечере участников' }, benefit: { kind: 'privilege', privilege: 'club_evening' }, price: 400, stock: 25, eligibility: { achievements: ['streak-7'] } },
];

/**
 * Makes the demo's site worth opening: a level scale and a rewards catalogue when there are none,
 * an e-mail address for a sample member and an operator, and a sign-in link for each.
 * Answers the lines to print.
 */
export async function prepareDemoSite(db: Database, options: { url: string; now: Date }): Promise<string[]> {
  if ((await getLevelScale(db)).levels.length === 0) await putLevelScale(db, { window_days: 365, levels: LEVELS }, ACTOR);
  const [{ n }] = (await db.query<{ n: number }>('select count(*)::int as n from rewards')) as [{ n: number }];
  if (n === 0) for (const { key, ...reward } of REWARDS.map((r) => RewardEntry.parse(r))) await putReward(db, key, reward, ACTOR);
  await optInSome(db);
  const [operator] = await db.query<{ id: number }>(`select id from members where 'operator' = any(roles) and merged_into is null order by id limit 1`);
  const member = await sampleMember(db);
  const people = [
    ...(member !== null ? [{ who: 'a member', id: member, address: 'member@vklad.demo' }] : []),
    ...(operator ? [{ who: 'an operator', id: operator.id, address: 'operator@vklad.demo' }] : []),
  ];
  const lines = [];
  for (const person of people) {
    const identity = emailIdentity(person.address);
    // The address stays with whoever had it first, so the printed address and link name one member.
    let id = await memberByIdentity(db, identity.provider, identity.external_id);
    if (id === null) await linkIdentity(db, (id = person.id), identity, ACTOR);
    const token = await issueLinkToken(db, id, options.now, LINK_MS);
    lines.push(`sign in as ${person.who} (#${id}, ${person.address}): ${options.url}/signin/link/${token}`);
  }
  lines.push('(links work once, for 24 hours; ask for new ones on the sign-in page with the addresses above: the link is printed here)');
  return lines;
}

/**
 * Leaderboards are opt-in, so an untouched demo would show an empty one: as if three in five
 * members who earned points had chosen to appear. Only when nobody has chosen anything yet.
 */
async function optInSome(db: Database): Promise<void> {
  await db.query(
    `insert into member_preferences (member_id, leaderboard_shown)
     select m.id, true from members m
     where m.merged_into is null and m.id % 5 < 3 and exists (select 1 from awards w where w.member_id = m.id)
       and not exists (select 1 from member_preferences)`,
  );
}

/**
 * A member worth showing: among those with the most points still pending (the most active last
 * week), the tenth — engaged, not the most extreme. Read from the small accounts table.
 */
async function sampleMember(db: Database): Promise<number | null> {
  const rows = await db.query<{ address: string }>(
    `select address from accounts where address ~ '^member:[0-9]+:pts:pending$' and balance > 0 order by balance desc, address limit 10`,
  );
  const chosen = rows.at(-1);
  return chosen ? Number(chosen.address.split(':')[1]) : null;
}
