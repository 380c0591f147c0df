import { describe, expect, it } from 'vitest';
import { getReward } from '../../src/loyalty/catalogue.ts';
import { recordDelivery } from '../../src/sources/deliveries.ts';
import { registerSource } from '../../src/sources/registry.ts';
import { listAudit } from '../../src/store/audit.ts';
import { getActionType } from '../../src/store/catalogue.ts';
import { getContent } from '../../src/store/content.ts';
import { authorsOf } from '../../src/web/pages/operator/content.ts';
import { STORES } from '../helpers/stores.ts';
import { signedIn } from './app.ts';
import { seededSite } from './site.ts';
import { NOW } from './seed.ts';

describe('authors written as “12:60, 14:40”', () => {
  it('reads members with shares, a bare number as share 1, and refuses anything else', () => {
    expect(authorsOf('12:60, 14:40')).toEqual([{ member_id: 12, share: 60 }, { member_id: 14, share: 40 }]);
    expect(authorsOf('#7')).toEqual([{ member_id: 7, share: 1 }]);
    expect(authorsOf('')).toEqual([]);
    expect(authorsOf('anna:50')).toBeNull();
    expect(authorsOf('12:')).toBeNull();
  });
});

describe.each(STORES)('operator catalogue, content, rewards and sources ($name)', (kind) => {
  const site = seededSite(kind);
  const operator = async () => {
    const browser = await signedIn(site.app, site.store.db, site.seeded.operator);
    browser.jar.set('vk_lang', 'en');
    await browser.get('/operator');
    return browser;
  };
  const action = { key: 'wiki.page.edited', kind: 'contribution', role: 'student', minutes: '25', tags: 'wiki, writing', title_en: 'Edited a wiki page', title_ru: 'Правил страницу вики' };

  it('catalogue: an action type is added, refused by its fields when wrong, edited and retired, each audited', async () => {
    const oleg = await operator();
    const page = await oleg.get('/operator/catalogue');
    expect(page.text).toContain('<code>course.section.read</code>');
    const bad = await oleg.post('/operator/catalogue', { ...action, key: 'Wiki Page', minutes: '-5', title_ru: '' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('id="action-key-error">must be dotted lowercase words');
    expect(bad.text).toMatch(/id="action-minutes-error">[^<]*&gt;=0/);
    expect(bad.text).toContain('id="action-title_ru-error"');
    expect(bad.text).toContain('value="Edited a wiki page"');
    await expect(getActionType(site.store.db, 'wiki.page.edited')).rejects.toThrow();

    const saved = await oleg.post('/operator/catalogue', action);
    expect(saved.location).toBe('/operator/catalogue?saved=wiki.page.edited');
    expect(await getActionType(site.store.db, 'wiki.page.edited')).toMatchObject({ kind: 'contribution', minutes: 25, tags: ['wiki', 'writing'], title: { ru: 'Правил страницу вики' } });
    const edit = await oleg.get('/operator/catalogue?edit=wiki.page.edited');
    expect(edit.text).toContain('value="wiki, writing"');
    await oleg.post('/operator/catalogue', { ...action, minutes: '30' });
    expect((await getActionType(site.store.db, 'wiki.page.edited')).minutes).toBe(30);
    expect((await oleg.post('/operator/catalogue/wiki.page.edited/retire')).status).toBe(303);
    expect((await getActionType(site.store.db, 'wiki.page.edited')).retired_at).not.toBeNull();
    expect((await listAudit(site.store.db, 'action:wiki.page.edited')).map((e) => e.action)).toEqual(['action_type.retire', 'action_type.update', 'action_type.create']);
    expect((await oleg.get('/operator/catalogue')).text).not.toContain('<code>wiki.page.edited</code>');
    expect((await oleg.get('/operator/catalogue?retired=1')).text).toContain('<code>wiki.page.edited</code> (retired)');
  });

  it('content: a course and its section with co-authors; unknown authors and parents refused by their fields', async () => {
    const oleg = await operator();
    const course = await oleg.post('/operator/content', { id: 'course:st', kind: 'course', title: 'Systems thinking', authors: `${site.seeded.author}:100` });
    expect(course.status).toBe(303);
    const orphan = await oleg.post('/operator/content', { id: 'section:st-1', kind: 'section', title: 'Intro', parent_id: 'course:nope', authors: '' });
    expect(orphan.status).toBe(400);
    expect(orphan.text).toContain('id="content-parent_id-error">content course:nope does not exist');
    const ghost = await oleg.post('/operator/content', { id: 'section:st-1', kind: 'section', title: 'Intro', parent_id: 'course:st', authors: '999999:50' });
    expect(ghost.text).toContain('id="content-authors-error">members 999999 do not exist');
    const words = await oleg.post('/operator/content', { id: 'section:st-1', kind: 'section', title: 'Intro', parent_id: 'course:st', authors: 'vera' });
    expect(words.text).toContain('id="content-authors-error">Write member numbers with shares');
    const section = await oleg.post('/operator/content', { id: 'section:st-1', kind: 'section', title: 'Intro', parent_id: 'course:st', authors: `${site.seeded.author}:60, ${site.seeded.other}:40` });
    expect(section.location).toBe('/operator/content?saved=section%3Ast-1&parent=course%3Ast');
    expect((await getContent(site.store.db, 'section:st-1')).authors).toEqual([{ member_id: site.seeded.other, share: 40 }, { member_id: site.seeded.author, share: 60 }].sort((a, b) => a.member_id - b.member_id));
    const top = await oleg.get('/operator/content');
    expect(top.text).toContain('<code>course:st</code>');
    expect(top.text).not.toContain('<code>section:st-1</code>');
    expect(top.text).toContain('href="/operator/content?parent=course%3Ast">1</a>');
    expect((await oleg.get('/operator/content?parent=course%3Ast')).text).toContain('<code>section:st-1</code>');
    expect((await oleg.get('/operator/content?edit=section%3Ast-1')).text).toContain(`value="${Math.min(site.seeded.author, site.seeded.other)}:`);
  });

  it('rewards: a reward is added and refused by its fields; a pool reward takes uploaded and generated codes; a reward is retired', async () => {
    const oleg = await operator();
    const page = await oleg.get('/operator/rewards');
    expect(page.text).toContain('<code>discount-20</code>');
    const reward = { key: 'shop-500', title_en: '500 off the shop', title_ru: 'Скидка 500 в магазине', benefit: 'amount_discount', amount_minor: '50000', currency: 'RUB', on: 'product:shop', price: '400', stock: '', per_member_limit: '2', code_source: 'pool' };
    const bad = await oleg.post('/operator/rewards', { ...reward, price: '0', on: 'the shop' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('id="reward-price-error"');
    expect(bad.text).toContain('id="reward-on-error">must be &quot;subscription&quot; or &quot;product:&lt;id&gt;&quot;');
    expect((await oleg.post('/operator/rewards', reward)).location).toBe('/operator/rewards?saved=shop-500');
    expect(await getReward(site.store.db, 'shop-500')).toMatchObject({ price: 400, stock: null, per_member_limit: 2, benefit: { kind: 'amount_discount', amount_minor: 50_000 }, codes: { source: 'pool' } });

    const shelf = await oleg.get('/operator/rewards');
    expect(shelf.text).toContain('0 free in the pool');
    const badCodes = await oleg.post('/operator/rewards/shop-500/codes', { action: 'upload', codes: 'SHOP-0001\nno spaces allowed!' });
    expect(badCodes.status).toBe(400);
    expect(badCodes.text).toMatch(/id="pool-shop-500-codes-error">codes\.\d/);
    const uploaded = await oleg.post('/operator/rewards/shop-500/codes', { action: 'upload', codes: 'SHOP-0001\nSHOP-0002' });
    expect(uploaded.location).toBe('/operator/rewards?added=shop-500&n=2&free=2');
    const again = await oleg.post('/operator/rewards/shop-500/codes', { action: 'upload', codes: 'SHOP-0002' });
    expect(again.text).toContain('SHOP-0002 is already known');
    expect((await oleg.post('/operator/rewards/shop-500/codes', { action: 'generate', count: '3' })).location).toBe('/operator/rewards?added=shop-500&n=3&free=5');
    expect((await oleg.get('/operator/rewards?added=shop-500&n=3&free=5')).text).toContain('Added 3 codes to shop-500; 5 are free.');
    const generated = await oleg.post('/operator/rewards/discount-20/codes', { action: 'generate', count: '3' });
    expect(generated.text).toContain('it has no pool');

    expect((await oleg.post('/operator/rewards/shop-500/retire')).status).toBe(303);
    expect((await getReward(site.store.db, 'shop-500')).retired_at).not.toBeNull();
  });

  it('sources: each with its state and counts, the latest refusals, and never its secret', async () => {
    const source = await registerSource(site.store.db, { name: 'lms', kind: 'signed' }, 'test');
    await recordDelivery(site.store.db, 'lms', { status: 'accepted', events: 3, at: NOW });
    await recordDelivery(site.store.db, 'lms', { status: 'rejected', reason: 'signature does not match', at: NOW });
    await recordDelivery(site.store.db, 'lms', { status: 'rejected', reason: 'events[0].action is not in the catalogue', at: new Date(NOW.getTime() + 1000) });
    const oleg = await operator();
    const page = await oleg.get('/operator/sources');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<code>/hooks/sources/lms</code>');
    expect(page.text).toMatch(/<td class="num">1<\/td><td class="num">0<\/td><td class="num">0<\/td><td class="num neg">2<\/td><td class="num">3<\/td>/);
    expect(page.text.indexOf('events[0].action is not in the catalogue')).toBeLessThan(page.text.indexOf('signature does not match'));
    expect(page.text).not.toContain(source.secret);
  });
});
