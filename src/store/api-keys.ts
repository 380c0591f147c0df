import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database, Queryable } from '../db/database.ts';
import { notFound } from '../errors.ts';
import { audit } from './audit.ts';

export const SCOPES = ['ingest', 'read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export interface Principal {
  key_id: string;
  scopes: Scope[];
}

export const ADMIN_KEY_ID = 'env-admin';

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Keys look like `vk_<id>_<secret>`: the id finds the row, the secret is compared by its hash. */
export async function createApiKey(db: Database, name: string, scopes: Scope[], actor: string): Promise<{ id: string; key: string }> {
  const id = randomBytes(6).toString('hex');
  const key = `vk_${id}_${randomBytes(24).toString('base64url')}`;
  await db.transaction(async (tx) => {
    await tx.query('insert into api_keys (id, name, scopes, secret_sha256) values ($1, $2, $3, $4)', [id, name, scopes, sha256(key)]);
    await audit(tx, actor, 'api_key.create', `api_key:${id}`, { name, scopes });
  });
  return { id, key };
}

export async function revokeApiKey(db: Database, id: string, actor: string): Promise<void> {
  await db.transaction(async (tx) => {
    const rows = await tx.query('update api_keys set revoked_at = coalesce(revoked_at, now()) where id = $1 returning id', [id]);
    if (rows.length === 0) throw notFound(`API key ${id}`);
    await audit(tx, actor, 'api_key.revoke', `api_key:${id}`, {});
  });
}

export async function listApiKeys(db: Queryable) {
  return db.query<{ id: string; name: string; scopes: Scope[]; created_at: Date; revoked_at: Date | null }>(
    'select id, name, scopes, created_at, revoked_at from api_keys order by created_at',
  );
}

/** Who a presented key belongs to, or null. `adminKey` is the bootstrap key from the environment. */
export async function authenticate(db: Queryable, presented: string, adminKey: string | undefined): Promise<Principal | null> {
  const digest = sha256(presented);
  if (adminKey && timingSafeEqual(digest, sha256(adminKey))) return { key_id: ADMIN_KEY_ID, scopes: ['admin'] };
  const match = /^vk_([0-9a-f]{12})_[A-Za-z0-9_-]{32}$/.exec(presented);
  if (!match) return null;
  const [row] = await db.query<{ scopes: Scope[]; secret_sha256: Buffer }>(
    'select scopes, secret_sha256 from api_keys where id = $1 and revoked_at is null',
    [match[1]],
  );
  if (!row || !timingSafeEqual(Buffer.from(row.secret_sha256), digest)) return null;
  return { key_id: match[1]!, scopes: row.scopes };
}

/** Admin may do everything; other scopes only what they name. */
export const allows = (principal: Principal, scope: Scope): boolean =>
  principal.scopes.includes('admin') || principal.scopes.includes(scope);
