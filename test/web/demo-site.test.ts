import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postTransaction } from '../../src/ledger/post.ts';
import { listRewards } from '../../src/loyalty/catalogue.ts';
import { getLevelScale } from '../../src/loyalty/levels.ts';
import { createMembers } from '../../src/store/members.ts';
import { prepareDemoSite } from '../../src/web/demo.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';
import { webApp } from './app.ts';
import { Browser } from './browser.ts';
import { NOW } from './seed.ts';

describe.each(STORES)('the demo site ($name)', (kind) => {
  let store: TestStore;
  beforeEach(async () => void (store = await kind.open()));
  afterEach(async () => store.destroy());

  it('adds levels and rewards once, and prints sign-in links for a member and an operator that work', async () => {
    const [member, operator, ...others] = await createMembers(
      store.db,
      [{ display_name: 'Sample Member', roles: ['student'] }, { display_name: 'Sample Operator', roles: ['operator'] }, ...Array.from({ length: 10 }, () => ({ roles: ['student'] }))],
      'test',
    );
    // Half of the others earned points: three in five of those appear on the leaderboards.
    const earners = others.filter((_, i) => i % 2 === 0);
    for (const m of earners) {
      await store.db.query(`insert into awards (key, member_id, points, at, policy_version, pending_until, trail) values ($1, $2, 5, now(), '2025-09', now(), '[]')`, [`a-${m}`, m]);
    }
    // The sample member is one of those most active last week: points still pending.
    await postTransaction(store.db, { id: 'week-1', code: 'award', cause: 'test', actor: 'test', at: NOW.getTime(), postings: [{ from: 'world:pts', to: `member:${member}:pts:pending`, amount: 50, asset: 'PTS' }] });
    const lines = await prepareDemoSite(store.db, { url: 'http://localhost:8080', now: NOW });
    expect((await getLevelScale(store.db)).levels.map((l) => l.key)).toEqual(['bronze', 'silver', 'gold', 'platinum']);
    expect((await listRewards(store.db)).length).toBe(5);
    expect(lines[0]).toMatch(new RegExp(`^sign in as a member \\(#${member}, member@vklad.demo\\): http://localhost:8080/signin/link/\\S+$`));
    expect(lines[1]).toMatch(new RegExp(`^sign in as an operator \\(#${operator}, operator@vklad.demo\\): `));
    const again = await prepareDemoSite(store.db, { url: 'http://localhost:8080', now: NOW });
    expect(again[0]).toContain(`(#${member}, member@vklad.demo)`);
    expect((await listRewards(store.db)).length).toBe(5);
    const shown = async () => (await store.db.query<{ member_id: number }>('select member_id from member_preferences where leaderboard_shown order by member_id')).map((r) => Number(r.member_id));
    const chosen = earners.filter((m) => m % 5 < 3);
    expect(chosen.length).toBeGreaterThan(1);
    expect(await shown()).toEqual(chosen);
    await store.db.query('update member_preferences set leaderboard_shown = false where member_id = $1', [chosen[0]]);
    await prepareDemoSite(store.db, { url: 'http://localhost:8080', now: NOW });
    expect(await shown()).toEqual(chosen.slice(1)); // a choice made is kept

    const app = webApp(store.db, { now: () => NOW });
    const browser = new Browser(app);
    const path = new URL(lines[1]!.split(': ')[1]!).pathname;
    await browser.get(path);
    expect((await browser.post(path)).status).toBe(303);
    expect((await browser.get('/')).text).toContain('Sample Operator');
    // The e-mail form now knows the demo addresses.
    const mailer = { sent: [] as string[], async sendSignInLink(to: string) { this.sent.push(to); } };
    const other = new Browser(webApp(store.db, { now: () => NOW, mailer }));
    await other.visit();
    await other.post('/signin/email', { address: 'member@vklad.demo' });
    expect(mailer.sent).toEqual(['member@vklad.demo']);
  });
});
