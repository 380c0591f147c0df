import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Access, type Page, accessOf, decide } from '../../src/web/access.ts';
import { PAGES } from '../../src/web/pages/index.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';
import { en } from '../../src/web/i18n/en.ts';
import { ru } from '../../src/web/i18n/ru.ts';
import { signedIn, webApp } from './app.ts';
import { Browser } from './browser.ts';
import { NOW, type Seeded, seedCommunity } from './seed.ts';

type Persona = 'visitor' | 'member' | 'author' | 'operator';
const PERSONAS: Persona[] = ['visitor', 'member', 'author', 'operator'];

/** Who may open a page that names these roles, written out from the rules rather than computed by the guard. */
const MAY: Record<Access, readonly Persona[]> = {
  anyone: ['visitor', 'member', 'author', 'operator'],
  member: ['member', 'author', 'operator'],
  author: ['author', 'operator'],
  operator: ['operator'],
};
const allowed = (roles: readonly Access[], who: Persona) => roles.some((r) => MAY[r].includes(who));

/** Pages only authors and operators may open, until the site has its own: the guard is the same. */
const RESTRICTED: Page[] = [
  { method: 'GET', path: '/matrix/author', roles: ['author'], handler: (c) => c.text('author page') },
  { method: 'POST', path: '/matrix/operator', roles: ['operator'], handler: (c) => c.text('operator form') },
  { method: 'GET', path: '/matrix/operator/:id', roles: ['operator'], example: '/matrix/operator/7', handler: (c) => c.text('operator page') },
];
const ALL = [...PAGES, ...RESTRICTED];

const ROLES_OF: Record<Exclude<Persona, 'visitor'>, string[]> = { member: ['student'], author: ['author'], operator: ['operator'] };

describe('the guard', () => {
  it('decides every combination of page roles and persona as the rules say', () => {
    const combos: Access[][] = [['anyone'], ['member'], ['author'], ['operator'], ['author', 'operator'], ['member', 'author']];
    for (const roles of combos) {
      for (const who of PERSONAS) {
        const viewer = who === 'visitor' ? null : { id: 1, name: null, roles: ROLES_OF[who], access: accessOf(ROLES_OF[who]) };
        const expected = allowed(roles, who) ? 'allow' : who === 'visitor' ? 'sign_in' : 'forbid';
        expect(decide(roles, viewer), `${roles.join('+')} for ${who}`).toBe(expected);
      }
    }
  });

  it('knows every page: paths with parameters give an example', () => {
    for (const page of PAGES) {
      if (page.path.includes(':')) expect(page.example, `${page.method} ${page.path}`).toBeDefined();
      expect(page.roles.length, `${page.method} ${page.path}`).toBeGreaterThan(0);
    }
    const keys = PAGES.map((p) => `${p.method} ${p.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe.each(STORES)('authorisation matrix: every persona against every page and form ($name)', (kind) => {
  let store: TestStore;
  let seeded: Seeded;
  beforeAll(async () => {
    store = await kind.open();
    seeded = await seedCommunity(store.db);
  });
  afterAll(async () => store.destroy());

  const idOf = (who: Persona): number | null => (who === 'visitor' ? null : { member: seeded.member, author: seeded.author, operator: seeded.operator }[who]);

  it.each(PERSONAS)('as %s', async (who) => {
    // A sign-in per page: the sign-in rate limit is raised so that the matrix can grow with the site.
    const app = webApp(store.db, { now: () => NOW, pages: ALL, web: { limits: { window_ms: 60_000, per_ip: 100_000, per_address: 100_000 } } });
    const failures: string[] = [];
    for (const page of ALL) {
      const member = idOf(who);
      const browser = member === null ? new Browser(app) : await signedIn(app, store.db, member);
      await browser.get('/signin');
      const path = page.example ?? page.path;
      const reply = page.method === 'GET' ? await browser.get(path) : await browser.post(path, page.exampleForm ?? {});
      const deniedToSignIn = reply.status === 401 || (reply.status === 303 && reply.location?.startsWith('/signin?next=') === true);
      const forbidden = reply.status === 403 && (reply.text.includes(en.errors.forbidden) || reply.text.includes(ru.errors.forbidden));
      const verdict = forbidden ? 'forbidden' : deniedToSignIn ? 'sign_in' : 'allowed';
      const expected = allowed(page.roles, who) ? 'allowed' : who === 'visitor' ? 'sign_in' : 'forbidden';
      if (verdict !== expected) failures.push(`${page.method} ${path}: expected ${expected}, got ${reply.status} ${reply.location ?? ''}`);
      if (reply.status >= 500) failures.push(`${page.method} ${path}: ${reply.status}`);
    }
    expect(failures).toEqual([]);
  });
});
