import type { Context } from 'hono';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { Access } from './access.ts';
import type { WebConfig } from './config.ts';
import type { Locale } from './i18n/index.ts';
import type { Mailer } from './auth/mailer.ts';
import type { RateLimiter } from './auth/rate-limit.ts';
import type { Member } from './session.ts';

/** What every page handler can reach. */
export interface WebDeps {
  db: Database;
  now: () => Date;
  config: WebConfig;
  app: Config;
  mailer: Mailer;
  limiter: RateLimiter;
}

/** The signed-in member and what their roles let them see. */
export interface Viewer extends Member {
  access: Access[];
}

export type WebEnv = {
  Variables: {
    viewer: Viewer | null;
    /** The browser's cookie value: what its CSRF token and forum nonce are bound to. */
    browser: string;
    csrf: string;
    locale: Locale;
  };
};

export type WebContext = Context<WebEnv>;
