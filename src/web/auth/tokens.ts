import type { Queryable } from '../../db/database.ts';
import { newToken, sha256 } from '../session.ts';

/** A DiscourseConnect nonce for this browser, good once and for `ttlMs`. */
export async function issueNonce(db: Queryable, browser: string, now: Date, ttlMs: number): Promise<string> {
  const nonce = newToken();
  await db.query(
    `insert into web_sign_in_tokens (token_sha256, kind, browser_sha256, created_at, expires_at) values ($1, 'forum_nonce', $2, $3, $4)`,
    [sha256(nonce), sha256(browser), now.toISOString(), new Date(now.getTime() + ttlMs).toISOString()],
  );
  await sweep(db, now);
  return nonce;
}

/** Uses up a nonce: true only once, only before it expires, only from the browser it was issued to. */
export async function consumeNonce(db: Queryable, nonce: string, browser: string, now: Date): Promise<boolean> {
  const used = await db.query(
    `update web_sign_in_tokens set used_at = $3
     where token_sha256 = $1 and kind = 'forum_nonce' and browser_sha256 = $2 and used_at is null and expires_at > $3
     returning 1`,
    [sha256(nonce), sha256(browser), now.toISOString()],
  );
  return used.length === 1;
}

/** A sign-in link token for a member, good once and for `ttlMs`. */
export async function issueLinkToken(db: Queryable, member: number, now: Date, ttlMs: number): Promise<string> {
  const token = newToken();
  await db.query(
    `insert into web_sign_in_tokens (token_sha256, kind, member_id, created_at, expires_at) values ($1, 'email_link', $2, $3, $4)`,
    [sha256(token), member, now.toISOString(), new Date(now.getTime() + ttlMs).toISOString()],
  );
  await sweep(db, now);
  return token;
}

/** Whether a link token could still be used, without using it (the confirmation page asks this). */
export async function linkTokenLive(db: Queryable, token: string, now: Date): Promise<boolean> {
  const rows = await db.query(`select 1 from web_sign_in_tokens where token_sha256 = $1 and kind = 'email_link' and used_at is null and expires_at > $2`, [
    sha256(token),
    now.toISOString(),
  ]);
  return rows.length === 1;
}

/** Uses up a link token, answering the member it signs in; null when unknown, used or expired. */
export async function consumeLinkToken(db: Queryable, token: string, now: Date): Promise<number | null> {
  const [row] = await db.query<{ member_id: number }>(
    `update web_sign_in_tokens set used_at = $2
     where token_sha256 = $1 and kind = 'email_link' and used_at is null and expires_at > $2 returning member_id`,
    [sha256(token), now.toISOString()],
  );
  return row?.member_id ?? null;
}

// Tokens a day past their expiry are swept as new ones are issued: no timer to run.
const sweep = (db: Queryable, now: Date) =>
  db.query('delete from web_sign_in_tokens where expires_at <= $1', [new Date(now.getTime() - 86_400_000).toISOString()]);
