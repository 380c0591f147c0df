import { setCookie } from 'hono/cookie';
import { createMembers } from '../../store/members.ts';
import type { Page } from '../access.ts';
import { clientAddress } from '../auth/client.ts';
import { providerUrl, verifiedPayload } from '../auth/discourse.ts';
import { currentMember, emailIdentity, memberByIdentity } from '../auth/identity.ts';
import { consumeLinkToken, consumeNonce, issueLinkToken, issueNonce, linkTokenLive } from '../auth/tokens.ts';
import { forumSignIn, secureCookies } from '../config.ts';
import type { WebContext, WebDeps } from '../context.ts';
import { csrfField, html } from '../html.ts';
import { type Lang, isLang } from '../i18n/index.ts';
import { message, render } from '../layout.ts';
import { LANG_COOKIE, endSession, startSession } from '../session.ts';

/** Only a path on this site: never another site, so a sign-in link cannot send people elsewhere. */
export const safeNext = (next: unknown): string =>
  typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';

const ADDRESS = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,}$/;

function signInForm(c: WebContext, deps: WebDeps, notice: string | null = null, address = '') {
  const { t } = c.get('locale');
  const next = safeNext(c.req.query('next'));
  return html`
    ${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
    ${forumSignIn(deps.config)
      ? html`<section aria-labelledby="forum-h"><h2 id="forum-h">${t.signIn.forumTitle}</h2>
          <p>${t.signIn.forumText}</p>
          <p><a class="button" href="/signin/forum?next=${encodeURIComponent(next)}">${t.signIn.forumButton}</a></p></section>`
      : ''}
    <section aria-labelledby="email-h"><h2 id="email-h">${t.signIn.emailTitle}</h2>
      <form method="post" action="/signin/email">
        ${csrfField(c)}
        <label for="address">${t.signIn.emailLabel}</label>
        <input id="address" name="address" type="email" autocomplete="email" required maxlength="254" value="${address}">
        <button type="submit">${t.signIn.emailButton}</button>
      </form>
    </section>`;
}

/** The member's language preference, if they chose one, becomes the browser's. */
async function adoptLanguage(c: WebContext, deps: WebDeps, member: number): Promise<void> {
  const [row] = await deps.db.query<{ language: Lang | null }>('select language from member_preferences where member_id = $1', [member]);
  if (row?.language) setLangCookie(c, deps, row.language);
}

const setLangCookie = (c: WebContext, deps: WebDeps, lang: Lang) =>
  setCookie(c, LANG_COOKIE, lang, { path: '/', sameSite: 'Lax', secure: secureCookies(deps.config), maxAge: 365 * 86_400 });

async function finishSignIn(c: WebContext, deps: WebDeps, member: number, next: string): Promise<Response> {
  await startSession(c, deps.db, deps.config, member, deps.now());
  await adoptLanguage(c, deps, member);
  return c.redirect(safeNext(next), 303);
}

function limited(c: WebContext, deps: WebDeps, address: string | null): boolean {
  const { per_ip, per_address } = deps.config.limits;
  const keys = [{ key: `ip:${clientAddress(c, deps.config)}`, limit: per_ip }];
  if (address !== null) keys.push({ key: `address:${address}`, limit: per_address });
  return !deps.limiter.attempt(keys, deps.now().getTime());
}

export const signInPages: Page[] = [
  {
    method: 'GET',
    path: '/signin',
    roles: ['anyone'],
    handler: (c, deps) => (c.get('viewer') ? c.redirect('/', 303) : render(c, c.get('locale').t.signIn.title, signInForm(c, deps))),
  },
  {
    method: 'GET',
    path: '/signin/forum',
    roles: ['anyone'],
    handler: async (c, deps) => {
      const { t } = c.get('locale');
      if (!forumSignIn(deps.config)) return message(c, t.signIn.title, t.signIn.forumOff, 404);
      if (limited(c, deps, null)) return message(c, t.signIn.title, t.signIn.tooMany, 429);
      const nonce = await issueNonce(deps.db, c.get('browser'), deps.now(), deps.config.tokenMs);
      const back = `${deps.config.publicUrl}/signin/forum/return?next=${encodeURIComponent(safeNext(c.req.query('next')))}`;
      return c.redirect(providerUrl(deps.config.forumUrl!, deps.config.discourseSecret!, nonce, back), 303);
    },
  },
  {
    method: 'GET',
    path: '/signin/forum/return',
    roles: ['anyone'],
    example: '/signin/forum/return?sso=x&sig=00',
    handler: async (c, deps) => {
      const { t } = c.get('locale');
      if (!forumSignIn(deps.config)) return message(c, t.signIn.title, t.signIn.forumOff, 404);
      const payload = verifiedPayload(c.req.query('sso') ?? '', c.req.query('sig') ?? '', deps.config.discourseSecret!);
      if (!payload) return message(c, t.signIn.title, t.signIn.forumBadSignature, 400);
      const nonce = payload.get('nonce') ?? '';
      if (!(await consumeNonce(deps.db, nonce, c.get('browser'), deps.now()))) return message(c, t.signIn.title, t.signIn.forumStale, 400);
      const externalId = payload.get('external_id');
      if (!externalId) return message(c, t.signIn.title, t.signIn.forumBadSignature, 400);
      let member = await memberByIdentity(deps.db, 'forum', externalId);
      if (member === null && deps.app.unknownIdentity('forum') === 'create') {
        // Someone new on the forum is new to Vklad too, just as their first post would make them.
        const name = payload.get('name') || payload.get('username') || null;
        const [created] = await createMembers(deps.db, [{ display_name: name, identities: [{ provider: 'forum', external_id: externalId }] }], 'web:forum-sign-in');
        member = created!;
      }
      if (member === null) return message(c, t.signIn.title, t.signIn.unknownMember, 403);
      return finishSignIn(c, deps, member, c.req.query('next') ?? '/');
    },
  },
  {
    method: 'POST',
    path: '/signin/email',
    roles: ['anyone'],
    exampleForm: { address: 'nobody@example.org' },
    handler: async (c, deps) => {
      const { t, lang } = c.get('locale');
      const form = await c.req.parseBody();
      const address = typeof form.address === 'string' ? form.address.trim().toLowerCase() : '';
      if (address.length > 254 || !ADDRESS.test(address)) return render(c, t.signIn.title, signInForm(c, deps, t.signIn.emailInvalid, address), 400);
      if (limited(c, deps, address)) return render(c, t.signIn.title, signInForm(c, deps, t.signIn.tooMany), 429);
      const identity = emailIdentity(address);
      const member = await memberByIdentity(deps.db, identity.provider, identity.external_id);
      if (member !== null) {
        const token = await issueLinkToken(deps.db, member, deps.now(), deps.config.tokenMs);
        await deps.mailer.sendSignInLink(address, `${deps.config.publicUrl}/signin/link/${token}`, lang);
      }
      // The same answer whether or not the address is known: the form does not reveal who is a member.
      return message(c, t.signIn.title, t.signIn.emailSent);
    },
  },
  {
    method: 'GET',
    path: '/signin/link/:token',
    roles: ['anyone'],
    example: '/signin/link/unknown',
    handler: async (c, deps) => {
      const { t } = c.get('locale');
      const token = c.req.param('token') ?? '';
      if (!(await linkTokenLive(deps.db, token, deps.now()))) return message(c, t.signIn.title, t.signIn.linkStale, 400);
      // Confirmed with a button: mail scanners that open links do not use them up.
      return render(
        c,
        t.signIn.title,
        html`<form method="post" action="/signin/link/${token}">${csrfField(c)}<p>${t.signIn.linkConfirm}</p><button type="submit">${t.signIn.linkButton}</button></form>`,
      );
    },
  },
  {
    method: 'POST',
    path: '/signin/link/:token',
    roles: ['anyone'],
    example: '/signin/link/unknown',
    handler: async (c, deps) => {
      const { t } = c.get('locale');
      if (limited(c, deps, null)) return message(c, t.signIn.title, t.signIn.tooMany, 429);
      const member = await consumeLinkToken(deps.db, c.req.param('token') ?? '', deps.now());
      if (member === null) return message(c, t.signIn.title, t.signIn.linkStale, 400);
      return finishSignIn(c, deps, await currentMember(deps.db, member), '/');
    },
  },
  {
    method: 'POST',
    path: '/signout',
    roles: ['member'],
    handler: async (c, deps) => {
      await endSession(c, deps.db);
      return c.redirect('/signin', 303);
    },
  },
  {
    method: 'POST',
    path: '/lang',
    roles: ['anyone'],
    exampleForm: { lang: 'en', back: '/' },
    handler: async (c, deps) => {
      const form = await c.req.parseBody();
      const lang = isLang(form.lang) ? form.lang : c.get('locale').lang;
      setLangCookie(c, deps, lang);
      const viewer = c.get('viewer');
      if (viewer) {
        await deps.db.query(
          `insert into member_preferences (member_id, language, updated_at) values ($1, $2, $3)
           on conflict (member_id) do update set language = excluded.language, updated_at = excluded.updated_at`,
          [viewer.id, lang, deps.now().toISOString()],
        );
      }
      return c.redirect(safeNext(form.back), 303);
    },
  },
];
