import { readFileSync } from 'node:fs';
import type { Hono, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { VkladError } from '../errors.ts';
import type { App, Deps } from '../http/env.ts';
import { type Page, accessOf, decide } from './access.ts';
import { type Mailer, logMailer } from './auth/mailer.ts';
import { RateLimiter } from './auth/rate-limit.ts';
import { type WebConfig, webConfigFromEnv } from './config.ts';
import type { WebContext, WebDeps, WebEnv } from './context.ts';
import { isLang, localeOf, preferredLang } from './i18n/index.ts';
import { message } from './layout.ts';
import { PAGES } from './pages/index.ts';
import { LANG_COOKIE, browserToken, csrfToken, csrfValid, sessionMember } from './session.ts';

/** Deps as the HTTP app has them; tests and the demo may add the web configuration and a mailer. */
export type WebMount = Deps & { web?: WebConfig; mailer?: Mailer };

const STYLE = readFileSync(new URL('./static/style.css', import.meta.url), 'utf8');
const FORM_LIMIT = 64 * 1024;

/** The web pages at /: server-rendered HTML, each page behind the roles its definition names. */
export function webRoutes(app: App, deps: WebMount, pages: readonly Page[] = PAGES): void {
  const config = deps.web ?? webConfigFromEnv(process.env, deps.config.port);
  const web: WebDeps = {
    db: deps.db,
    now: deps.now,
    config,
    app: deps.config,
    mailer: deps.mailer ?? logMailer,
    limiter: new RateLimiter(config.limits.window_ms),
  };
  const router = app as unknown as Hono<WebEnv>;
  router.get('/static/style.css', (c) => c.body(STYLE, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600' }));
  const prepare = visitor(web);
  for (const page of pages) {
    router.on(page.method, page.path, prepare, guard(page), (c) => serve(c, page, web));
  }
  // A person who follows a wrong link gets a page; programs (the API, xAPI, hooks) their JSON answers.
  router.get('*', async (c, next) => {
    if (MACHINE_PATHS.test(c.req.path) || !c.req.header('accept')?.includes('text/html')) return next();
    await prepare(c, async () => undefined);
    const { t } = c.get('locale');
    return message(c, t.errors.notFoundTitle, t.errors.notFound, 404);
  });
}

const MACHINE_PATHS = /^\/(api|xapi|hooks|healthz)(\/|$)/;

/** Who is asking, in which language, with which CSRF token. */
function visitor(deps: WebDeps): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const browser = browserToken(c, deps.config);
    const member = await sessionMember(deps.db, browser, deps.now());
    const chosen = getCookie(c, LANG_COOKIE);
    const lang = isLang(chosen) ? chosen : preferredLang(c.req.header('accept-language'));
    c.set('browser', browser);
    c.set('csrf', csrfToken(browser));
    c.set('viewer', member ? { ...member, access: accessOf(member.roles) } : null);
    c.set('locale', localeOf(lang, deps.config.timeZone));
    // Pages show one member's data: never cached by shared caches, never framed by other sites.
    c.header('cache-control', 'private, no-store');
    c.header('x-frame-options', 'DENY');
    c.header('x-content-type-options', 'nosniff');
    c.header('referrer-policy', 'same-origin');
    await next();
  };
}

/** The page's roles decide; every form POST must also carry the browser's CSRF token. */
function guard(page: Page): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const { t } = c.get('locale');
    const decision = decide(page.roles, c.get('viewer'));
    if (decision === 'sign_in') {
      if (page.method === 'GET') return c.redirect(`/signin?next=${encodeURIComponent(c.req.path)}`, 303);
      return message(c, t.errors.signInTitle, t.errors.signInNeeded, 401);
    }
    if (decision === 'forbid') return message(c, t.errors.forbiddenTitle, t.errors.forbidden, 403);
    if (page.method === 'POST') {
      if (Number(c.req.header('content-length') ?? 0) > FORM_LIMIT) return message(c, t.errors.badRequestTitle, t.errors.tooLarge, 400);
      const form = await c.req.parseBody();
      if (!csrfValid(c.get('browser'), form._csrf)) return message(c, t.errors.forbiddenTitle, t.errors.csrf, 403);
    }
    await next();
  };
}

async function serve(c: WebContext, page: Page, deps: WebDeps): Promise<Response> {
  try {
    return await page.handler(c, deps);
  } catch (error) {
    if (!(error instanceof VkladError)) throw error;
    const { t } = c.get('locale');
    const status = error.status === 404 ? 404 : error.status === 409 ? 409 : error.status === 403 ? 403 : 400;
    return message(c, status === 404 ? t.errors.notFoundTitle : t.errors.badRequestTitle, error.errors.map((e) => `${e.field}: ${e.reason}`).join('; ') || error.message, status);
  }
}
