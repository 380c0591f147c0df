import { OpenAPIHono } from '@hono/zod-openapi';
import { createApp } from '../../src/http/app.ts';
import type { Env } from '../../src/http/env.ts';
import type { Page } from '../../src/web/access.ts';
import { webRoutes } from '../../src/web/index.ts';
import type { Database } from '../../src/db/database.ts';
import type { Mailer } from '../../src/web/auth/mailer.ts';
import { type WebConfig, webConfigFromEnv } from '../../src/web/config.ts';
import { testConfig } from '../helpers/stores.ts';
import type { Config } from '../../src/config.ts';
import { issueLinkToken } from '../../src/web/auth/tokens.ts';
import { Browser } from './browser.ts';
import { NOW } from './seed.ts';

export const SECRET = 'discourse-connect-test-secret';

/** Sign-in links the app "sent", newest last. */
export class CapturingMailer implements Mailer {
  readonly sent: { to: string; link: string }[] = [];
  async sendSignInLink(to: string, link: string) {
    this.sent.push({ to, link });
  }
}

export function webApp(db: Database, options: { now: () => Date; forumUrl?: string; web?: Partial<WebConfig>; config?: Partial<Config>; mailer?: Mailer; pages?: Page[] }) {
  const web = {
    ...webConfigFromEnv({ VKLAD_PUBLIC_URL: 'http://localhost', ...(options.forumUrl ? { VKLAD_FORUM_URL: options.forumUrl, VKLAD_DISCOURSE_CONNECT_SECRET: SECRET } : {}) }),
    ...options.web,
  };
  const deps = { db, config: testConfig(options.config), now: options.now, web, mailer: options.mailer ?? new CapturingMailer() };
  if (!options.pages) return createApp(deps);
  // Only the web pages given, as the site would mount them.
  const app = new OpenAPIHono<Env>();
  webRoutes(app, deps, options.pages);
  return app;
}

/** Signs a browser in as `member` through a sign-in link, as the demo prints them. */
export async function signedIn(app: ReturnType<typeof webApp>, db: Database, member: number, now = NOW): Promise<Browser> {
  const browser = new Browser(app);
  const token = await issueLinkToken(db, member, now, 60_000);
  await browser.get(`/signin/link/${token}`);
  const done = await browser.post(`/signin/link/${token}`);
  if (done.status !== 303) throw new Error(`sign-in failed: ${done.status}`);
  return browser;
}

