import { describe, expect, it } from 'vitest';
import { getBalance } from '../../src/ledger/reads.ts';
import { whatIf } from '../../src/services/what-if.ts';
import { listAudit } from '../../src/store/audit.ts';
import { createMembers, getMember } from '../../src/store/members.ts';
import { listPolicies } from '../../src/store/policies.ts';
import { STORES } from '../helpers/stores.ts';
import { signedIn } from './app.ts';
import { seededSite } from './site.ts';
import { candidatePolicy } from './operator-fixtures.ts';


const en = { 'accept-language': 'en' };
const cell = (text: string, id: string): string => new RegExp(`id="${id}">([^<]*)<`).exec(text)?.[1] ?? '';
const fmt = (n: number) => new Intl.NumberFormat('en-GB').format(n);

describe.each(STORES)('operator pages ($name)', (kind) => {
  const site = seededSite(kind);
  /** An operator's browser, in English unless a page is asked for in another language. */
  const operator = async () => {
    const browser = await signedIn(site.app, site.store.db, site.seeded.operator);
    browser.jar.set('vk_lang', 'en');
    return browser;
  };

  it('the hub links every operator page, and the menu shows Operator only to operators', async () => {
    const oleg = await operator();
    const hub = await oleg.get('/operator', en);
    expect(hub.status).toBe(200);
    for (const s of ['policies', 'members', 'catalogue', 'content', 'rewards', 'sources', 'analytics', 'audit']) expect(hub.text).toContain(`href="/operator/${s}"`);
    const anna = await signedIn(site.app, site.store.db, site.seeded.member);
    expect((await anna.get('/', en)).text).not.toContain('href="/operator"');
    expect((await anna.get('/operator', en)).status).toBe(403);
  });

  it('what-if: the candidate is compared on the whole history, by kind, role and action, with gainers and losers, and nothing changes', async () => {
    const text = candidatePolicy('2025-10-test', '2025-09-01');
    const expected = await whatIf(site.store.db, text);
    const oleg = await operator();
    const form = await oleg.get('/operator/policies', en);
    expect(form.text).toContain('2025-09'); // the adopted version is listed
    expect(form.text).toContain('<textarea id="candidate-text" name="text"');
    const page = await oleg.post('/operator/policies/what-if', { text });
    expect(page.status).toBe(200);
    expect(cell(page.text, 'total-current')).toBe(fmt(expected.total.current));
    expect(cell(page.text, 'total-candidate')).toBe(fmt(expected.total.candidate));
    expect(expected.total.candidate).not.toBe(expected.total.current);
    expect(page.text).toMatch(/<svg class="chart pairs" id="kind-chart"[^>]*role="img"/);
    expect(page.text).toMatch(/<svg class="chart pairs" id="role-chart"/);
    expect(page.text).toMatch(/<svg class="chart changes" id="moves-chart"/);
    // Every kind and role of the report has its row with both numbers.
    for (const [key, share] of Object.entries(expected.by_kind)) {
      expect(page.text).toMatch(new RegExp(`<th scope="row">${key === 'bonus' ? 'goal and badge bonuses' : key}</th><td class="num">${fmt(share.current)}</td><td class="num">${fmt(share.candidate)}</td>`));
    }
    for (const key of Object.keys(expected.by_role)) expect(page.text).toContain(`<th scope="row">${key === 'bonus' ? 'goal and badge bonuses' : key}</th>`);
    expect(page.text).toContain('forum.post.created');
    const boris = expected.gainers.find((g) => g.member === site.seeded.other)!;
    expect(boris.difference).toBeGreaterThan(0);
    expect(page.text).toContain(`<a href="/operator/members/${site.seeded.other}">#${site.seeded.other} Boris Other</a>`);
    expect(page.text).toContain(`+${fmt(boris.difference)}`);
    // The adoption form carries the same text; nothing was adopted by looking.
    expect(page.text).toContain('action="/operator/policies/adopt"');
    expect((await listPolicies(site.store.db)).map((p) => p.version)).toEqual(['2025-09']);
  });

  it('what-if refuses a broken policy, naming the problem next to the text', async () => {
    const oleg = await operator();
    await oleg.get('/operator/policies', en);
    const broken = candidatePolicy('2025-10-broken', '2025-09-01').replace('points: 12', 'points: many');
    const page = await oleg.post('/operator/policies/what-if', { text: broken });
    expect(page.status).toBe(400);
    expect(page.text).toContain('aria-invalid="true"');
    expect(page.text).toMatch(/<p class="field-error" id="candidate-text-error">[^<]*forum\.post\.created/);
    expect(page.text).toContain('role="alert"');
    const empty = await oleg.post('/operator/policies/what-if', { text: '' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('id="candidate-text-error">This is required.');
  });

  it('adoption: forward refuses a past date by the text; with a re-score it is adopted and audited', async () => {
    const oleg = await operator();
    await oleg.get('/operator/policies', en);
    const text = candidatePolicy('2025-10-adopt', '2025-10-01');
    const forward = await oleg.post('/operator/policies/adopt', { text, mode: 'forward' });
    expect(forward.status).toBe(400);
    expect(forward.text).toMatch(/id="candidate-text-error">effective_from: is before today/);
    expect((await listPolicies(site.store.db)).map((p) => p.version)).not.toContain('2025-10-adopt');
    const rescore = await oleg.post('/operator/policies/adopt', { text, mode: 'rescore' });
    expect(rescore.status).toBe(303);
    expect(rescore.location).toMatch(/^\/operator\/policies\?adopted=2025-10-adopt&marked=\d+$/);
    expect((await listPolicies(site.store.db)).map((p) => p.version)).toContain('2025-10-adopt');
    const [entry] = await listAudit(site.store.db, 'policy:2025-10-adopt');
    expect(entry!.actor).toBe(`member:${site.seeded.operator}`);
    const shown = await oleg.get(rescore.location!, en);
    expect(shown.text).toContain('Version 2025-10-adopt adopted');
  });

  it('adjustment: the reason is required and shown as missing by its field; posted once with its reason in the audit log', async () => {
    const oleg = await operator();
    const account = `member:${site.seeded.member}:pts`;
    const before = (await getBalance(site.store.db, account)).balance;
    const page = await oleg.get(`/operator/members/${site.seeded.member}`, en);
    expect(page.text).toContain('Anna Learner');
    expect(cell(page.text, 'available')).toBe(fmt(before));
    const request = /name="request" value="([^"]+)"/.exec(page.text)![1]!;

    const noReason = await oleg.post(`/operator/members/${site.seeded.member}/adjust`, { request, amount: '25', reason: ' ' });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toMatch(/<textarea id="adjust-reason" name="reason" required aria-required="true" aria-invalid="true"/);
    expect(noReason.text).toContain('id="adjust-reason-error">This is required.');
    expect(noReason.text).toContain('value="25"'); // what was typed is kept
    const notNumber = await oleg.post(`/operator/members/${site.seeded.member}/adjust`, { request, amount: '2.5', reason: 'x' });
    expect(notNumber.text).toContain('id="adjust-amount-error">Enter a whole number');
    expect((await getBalance(site.store.db, account)).balance).toBe(before);

    const done = await oleg.post(`/operator/members/${site.seeded.member}/adjust`, { request, amount: '25', reason: 'Forum import missed her posts of 3 October' });
    expect(done.status).toBe(303);
    expect(done.location).toBe(`/operator/members/${site.seeded.member}?done=adjusted`);
    const again = await oleg.post(`/operator/members/${site.seeded.member}/adjust`, { request, amount: '25', reason: 'Forum import missed her posts of 3 October' });
    expect(again.status).toBe(303);
    expect((await getBalance(site.store.db, account)).balance).toBe(before + 25);
    const after = await oleg.get(done.location!, en);
    expect(after.text).toContain('The adjustment was posted.');
    expect(after.text).toContain('Forum import missed her posts of 3 October');
    expect(after.text).toContain('ledger.adjust');
    const log = await oleg.get(`/operator/audit?subject=${encodeURIComponent(account)}`, en);
    expect(log.text).toContain('Forum import missed her posts of 3 October');

    // Taking away more than there is is refused, by the amount.
    const tooMuch = await oleg.post(`/operator/members/${site.seeded.member}/adjust`, { request: 'another-request-1', amount: String(-(before + 26) * 10), reason: 'test' });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.text).toContain('role="alert"');
    expect((await getBalance(site.store.db, account)).balance).toBe(before + 25);
  });

  it('members: found by name or identity; an identity linked, a taken one refused by its field; roles set; members merged', async () => {
    const oleg = await operator();
    const byName = await oleg.get('/operator/members?q=boris', en);
    expect(byName.text).toContain(`<a href="/operator/members/${site.seeded.other}">Boris Other</a>`);
    expect(byName.text).not.toContain('Anna Learner');
    expect((await oleg.get('/operator/members?q=f-anna', en)).text).toContain('Anna Learner');

    const [twin] = await createMembers(site.store.db, [{ display_name: 'Anna Twin', identities: [{ provider: 'telegram', external_id: 'tg-anna' }] }], 'test');
    await oleg.get(`/operator/members/${site.seeded.member}`, en);
    const taken = await oleg.post(`/operator/members/${site.seeded.member}/link`, { provider: 'telegram', external_id: 'tg-anna' });
    expect(taken.status).toBe(400);
    expect(taken.text).toContain(`id="link-external_id-error">is linked to member ${twin}`);
    const linked = await oleg.post(`/operator/members/${site.seeded.member}/link`, { provider: 'wallet', external_id: 'So1anaWa11et' });
    expect(linked.status).toBe(303);
    expect((await getMember(site.store.db, site.seeded.member)).identities.map((i) => i.external_id)).toContain('So1anaWa11et');

    const badRoles = await oleg.post(`/operator/members/${twin}/roles`, { roles: 'Mentor!' });
    expect(badRoles.text).toContain('id="roles-roles-error"');
    expect((await oleg.post(`/operator/members/${twin}/roles`, { roles: 'student, mentor' })).status).toBe(303);
    expect((await getMember(site.store.db, twin!)).roles).toEqual(['mentor', 'student']);

    const self = await oleg.post(`/operator/members/${twin}/merge`, { into: String(twin) });
    expect(self.text).toContain('id="merge-into-error">must differ');
    const merged = await oleg.post(`/operator/members/${twin}/merge`, { into: String(site.seeded.member) });
    expect(merged.location).toBe(`/operator/members/${site.seeded.member}?done=merged`);
    expect((await getMember(site.store.db, twin!)).merged_into).toBe(site.seeded.member);
    expect((await getMember(site.store.db, site.seeded.member)).identities.map((i) => i.external_id)).toContain('tg-anna');
  });

  it('every operator page answers in Russian too', async () => {
    const oleg = await signedIn(site.app, site.store.db, site.seeded.operator);
    expect((await oleg.get('/operator', { 'accept-language': 'ru' })).text).toContain('Политика начисления');
    expect((await oleg.get(`/operator/members/${site.seeded.member}`, { 'accept-language': 'ru' })).text).toContain('Исправить баланс');
    expect((await oleg.get('/operator/audit', { 'accept-language': 'ru' })).text).toContain('Журнал аудита');
  });
});
