import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import type { Queryable } from '../db/database.ts';
import { secureCookies, type WebConfig } from './config.ts';

export const SESSION_COOKIE = 'vk_session';
export const LANG_COOKIE = 'vk_lang';

export const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();
export const newToken = (): string => randomBytes(32).toString('base64url');

/** The person behind a signed-in browser. */
export interface Member {
  id: number;
  name: string | null;
  roles: string[];
}

/**
 * Every browser carries a random cookie from its first visit; signing in stores the hash of a new
 * one, so the cookie an anonymous visitor had never becomes a session (no fixation).
 */
export function browserToken(c: Context, config: WebConfig): string {
  const existing = getCookie(c, SESSION_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = newToken();
  setSessionCookie(c, config, token, null);
  return token;
}

function setSessionCookie(c: Context, config: WebConfig, token: string, maxAgeMs: number | null): void {
  setCookie(c, SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: secureCookies(config),
    ...(maxAgeMs === null ? {} : { maxAge: Math.floor(maxAgeMs / 1000) }),
  });
}

/** The CSRF token of a browser: derived from its cookie, which a page on another site cannot read. */
export const csrfToken = (browser: string): string => createHash('sha256').update(`csrf:${browser}`).digest('base64url');

export function csrfValid(browser: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const expected = Buffer.from(csrfToken(browser));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** The member a browser is signed in as, following merges to the member that remains. */
export async function sessionMember(db: Queryable, browser: string, now: Date): Promise<Member | null> {
  const [row] = await db.query<{ id: number; display_name: string | null; roles: string[] }>(
    `with recursive chain(id, depth) as (
       select s.member_id, 0 from web_sessions s where s.token_sha256 = $1 and s.expires_at > $2
       union all
       select m.merged_into, c.depth + 1 from chain c join members m on m.id = c.id where m.merged_into is not null and c.depth < 10
     )
     select m.id, m.display_name, m.roles from chain c join members m on m.id = c.id
     where m.merged_into is null order by c.depth desc limit 1`,
    [sha256(browser), now.toISOString()],
  );
  return row ? { id: row.id, name: row.display_name, roles: row.roles } : null;
}

/** Signs the browser in as `member` under a fresh cookie; the old cookie's session, if any, ends. */
export async function startSession(c: Context, db: Queryable, config: WebConfig, member: number, now: Date): Promise<void> {
  const old = getCookie(c, SESSION_COOKIE);
  if (old) await db.query('delete from web_sessions where token_sha256 = $1', [sha256(old)]);
  const token = newToken();
  await db.query('insert into web_sessions (token_sha256, member_id, created_at, expires_at) values ($1, $2, $3, $4)', [
    sha256(token),
    member,
    now.toISOString(),
    new Date(now.getTime() + config.sessionMs).toISOString(),
  ]);
  // Old sessions are swept as new ones begin: no timer to run.
  await db.query('delete from web_sessions where expires_at <= $1', [now.toISOString()]);
  setSessionCookie(c, config, token, config.sessionMs);
}

export async function endSession(c: Context, db: Queryable): Promise<void> {
  const token = getCookie(c, SESSION_COOKIE);
  if (token) await db.query('delete from web_sessions where token_sha256 = $1', [sha256(token)]);
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}
