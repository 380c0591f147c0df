import { decide } from './access.ts';
import type { WebContext } from './context.ts';
import { type Html, csrfField, html } from './html.ts';
import { LANGS } from './i18n/index.ts';
import { NAV } from './nav.ts';

const LANG_NAMES = { ru: 'Русский', en: 'English' } as const;

/** Every page: skip link, header with navigation and the language switch, main content, footer. */
export function layout(c: WebContext, title: string, body: Html): Html {
  const { t, lang } = c.get('locale');
  const viewer = c.get('viewer');
  const here = c.req.path;
  const links = NAV.filter((item) => decide(item.roles, viewer) === 'allow');
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Vklad</title>
<link rel="stylesheet" href="/static/style.css">
</head>
<body>
<a class="skip" href="#main">${t.layout.skip}</a>
<header class="top">
  <a class="brand" href="/">${t.layout.brand}</a>
  <nav aria-label="${t.layout.nav}">
    <ul>
      ${links.map((item) => html`<li><a href="${item.href}"${item.href === here ? html` aria-current="page"` : ''}>${item.label(t)}</a></li>`)}
    </ul>
  </nav>
  <div class="tools">
    <form method="post" action="/lang" class="lang">
      ${csrfField(c)}<input type="hidden" name="back" value="${c.req.url.slice(new URL(c.req.url).origin.length)}">
      <span id="lang-label" class="visually-hidden">${t.layout.language}</span>
      ${LANGS.map((l) => html`<button type="submit" name="lang" value="${l}" lang="${l}" aria-describedby="lang-label" aria-pressed="${l === lang ? 'true' : 'false'}">${LANG_NAMES[l]}</button>`)}
    </form>
    ${viewer
      ? html`<span class="who">${viewer.name ?? `#${viewer.id}`}</span>
        <form method="post" action="/signout">${csrfField(c)}<button type="submit" class="link">${t.layout.signOut}</button></form>`
      : html`<a href="/signin">${t.layout.signIn}</a>`}
  </div>
</header>
<main id="main" tabindex="-1">
<h1>${title}</h1>
${body}
</main>
<footer><p>${t.layout.footer}</p></footer>
</body>
</html>`;
}

export type Status = 200 | 400 | 401 | 403 | 404 | 409 | 429;

/** Renders a page inside the layout. */
export const render = (c: WebContext, title: string, body: Html, status: Status = 200): Response | Promise<Response> =>
  c.html(layout(c, title, body), status);

/** A page that only says something: errors, confirmations. */
export const message = (c: WebContext, title: string, text: string, status: Status = 200) =>
  render(c, title, html`<p>${text}</p>`, status);
