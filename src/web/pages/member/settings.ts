import type { Page } from '../../access.ts';
import type { WebContext, WebDeps } from '../../context.ts';
import { csrfField, html } from '../../html.ts';
import { LANGS, type Lang, isLang } from '../../i18n/index.ts';
import { render } from '../../layout.ts';
import { setCookie } from 'hono/cookie';
import { secureCookies } from '../../config.ts';
import { LANG_COOKIE } from '../../session.ts';

const NAMES = { ru: 'Русский', en: 'English' } as const;

async function preferences(deps: WebDeps, member: number): Promise<{ language: Lang | null; leaderboard_shown: boolean }> {
  const [row] = await deps.db.query<{ language: Lang | null; leaderboard_shown: boolean }>('select language, leaderboard_shown from member_preferences where member_id = $1', [member]);
  return row ?? { language: null, leaderboard_shown: false };
}

async function show(c: WebContext, deps: WebDeps, saved: boolean): Promise<Response> {
  const { t, lang } = c.get('locale');
  const prefs = await preferences(deps, c.get('viewer')!.id);
  return render(
    c,
    t.settings.title,
    html`${saved ? html`<p class="success" role="status">${t.settings.saved}</p>` : ''}
<form method="post" action="/settings">
  ${csrfField(c)}
  <fieldset><legend>${t.settings.language}</legend>
    ${LANGS.map((l) => html`<label class="inline"><input type="radio" name="language" value="${l}"${l === (prefs.language ?? lang) ? html` checked` : ''}> <span lang="${l}">${NAMES[l]}</span></label>`)}
  </fieldset>
  <fieldset><legend>${t.settings.leaderboard}</legend>
    <label class="inline"><input type="checkbox" name="leaderboard_shown" value="1"${prefs.leaderboard_shown ? html` checked` : ''}> ${t.settings.show}</label>
    <p class="muted">${t.settings.showHelp}</p>
  </fieldset>
  <button type="submit">${t.settings.save}</button>
</form>`,
  );
}

export const settingsPages: Page[] = [
  { method: 'GET', path: '/settings', roles: ['member'], handler: (c, deps) => show(c, deps, c.req.query('saved') === '1') },
  {
    method: 'POST',
    path: '/settings',
    roles: ['member'],
    exampleForm: { language: 'ru' },
    handler: async (c, deps) => {
      const form = await c.req.parseBody();
      const language = isLang(form.language) ? form.language : c.get('locale').lang;
      const shown = form.leaderboard_shown === '1';
      await deps.db.query(
        `insert into member_preferences (member_id, language, leaderboard_shown, updated_at) values ($1, $2, $3, $4)
         on conflict (member_id) do update set language = excluded.language, leaderboard_shown = excluded.leaderboard_shown, updated_at = excluded.updated_at`,
        [c.get('viewer')!.id, language, shown, deps.now().toISOString()],
      );
      setCookie(c, LANG_COOKIE, language, { path: '/', sameSite: 'Lax', secure: secureCookies(deps.config), maxAge: 365 * 86_400 });
      return c.redirect('/settings?saved=1', 303);
    },
  },
];
