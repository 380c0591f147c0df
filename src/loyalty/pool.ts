import { z } from '@hono/zod-openapi';
import type { Database, Queryable } from '../db/database.ts';
import { VkladError, conflict, invalid, notFound } from '../errors.ts';
import { fieldErrors, timestamp } from '../schemas/common.ts';
import { audit } from '../store/audit.ts';
import { CODE_PATTERN, newCode } from './code-text.ts';
import type { RewardRow } from './catalogue.ts';

export const POOL_LIMIT = 10_000;

export const UploadBody = z
  .object({
    codes: z.array(z.string().regex(CODE_PATTERN, 'must be 4-64 letters, digits, "-" or "_"')).min(1).max(POOL_LIMIT),
    /** The end date the shop gave these codes, if any. */
    expires_at: timestamp.nullable().default(null),
  })
  .strict()
  .openapi('CodeUpload');
export type Upload = z.infer<typeof UploadBody>;

export const GenerateBody = z.object({ count: z.number().int().min(1).max(POOL_LIMIT) }).strict().openapi('CodeGeneration');

export interface PoolReport {
  reward: string;
  added: number;
  /** Codes in the pool not issued yet. */
  free: number;
}

async function lockPoolReward(tx: Queryable, key: string): Promise<void> {
  const [row] = await tx.query<Pick<RewardRow, 'code_source'>>('select code_source from rewards where key = $1 for update', [key]);
  if (!row) throw notFound(`Reward ${key}`);
  if (row.code_source !== 'pool') throw invalid([{ field: 'reward', reason: `${key} makes a fresh code at each redemption (codes.source is generate), it has no pool` }]);
}

async function report(tx: Queryable, key: string, added: number): Promise<PoolReport> {
  const [row] = await tx.query<{ free: number }>('select count(*)::int as free from reward_codes where reward_key = $1 and redemption_id is null', [key]);
  return { reward: key, added, free: row!.free };
}

/** Adds the shop's codes to a reward's pool, all or none: a code anyone has ever had (in any pool) is refused. */
export async function uploadCodes(db: Database, key: string, input: unknown, actor: string): Promise<PoolReport> {
  const parsed = UploadBody.safeParse(input);
  if (!parsed.success) throw invalid(fieldErrors(parsed.error), 'The codes are invalid; none were added');
  const { codes, expires_at } = parsed.data;
  const repeated = codes.flatMap((code, item) => (codes.indexOf(code) !== item ? [{ field: 'codes', reason: `${code} appears twice in the upload`, item }] : []));
  if (repeated.length > 0) throw invalid(repeated, 'The codes are invalid; none were added');
  return db.transaction(async (tx) => {
    await lockPoolReward(tx, key);
    const added = await tx.query<{ code: string }>(
      `insert into reward_codes (code, reward_key, origin, pool_expires_at)
       select code, $2, 'uploaded', $3 from unnest($1::text[]) as c(code) on conflict (code) do nothing returning code`,
      [codes, key, expires_at],
    );
    if (added.length < codes.length) {
      const fresh = new Set(added.map((a) => a.code));
      const taken = codes.flatMap((code, item) => (fresh.has(code) ? [] : [{ field: 'codes', reason: `${code} is already known; a code is issued at most once`, item }]));
      throw conflict('Some codes are already known; none were added', taken);
    }
    await audit(tx, actor, 'reward.codes.upload', `reward:${key}`, { added: added.length, expires_at });
    return report(tx, key, added.length);
  });
}

/** Fills a reward's pool with `count` fresh random codes. */
export async function generateCodes(db: Database, key: string, count: number, actor: string): Promise<PoolReport> {
  const parsed = GenerateBody.safeParse({ count });
  if (!parsed.success) throw invalid(fieldErrors(parsed.error));
  return db.transaction(async (tx) => {
    await lockPoolReward(tx, key);
    let added = 0;
    // 60-bit codes almost never collide; when one does, it is simply drawn again.
    for (let round = 0; added < count; round += 1) {
      if (round > 10) throw new VkladError('internal', 'Could not draw unique codes');
      const codes = Array.from({ length: count - added }, newCode);
      const rows = await tx.query(
        `insert into reward_codes (code, reward_key, origin) select code, $2, 'generated' from unnest($1::text[]) as c(code)
         on conflict (code) do nothing returning code`,
        [codes, key],
      );
      added += rows.length;
    }
    await audit(tx, actor, 'reward.codes.generate', `reward:${key}`, { added });
    return report(tx, key, added);
  });
}

export interface IssuedCode {
  code: string;
  expires_at: Date | null;
}

/**
 * Issues one code to a redemption, inside its transaction: the next free code of the pool (a code
 * another transaction is taking is skipped, never shared), or a fresh one. Null when the pool is dry.
 */
export async function issueCode(tx: Queryable, reward: Pick<RewardRow, 'key' | 'code_source' | 'code_valid_days'>, redemption: string, now: number): Promise<IssuedCode | null> {
  const at = new Date(now).toISOString();
  const validDays = reward.code_valid_days;
  if (reward.code_source === 'pool') {
    const [row] = await tx.query<IssuedCode>(
      `update reward_codes set redemption_id = $2, issued_at = $3,
         expires_at = least(pool_expires_at, $3::timestamptz + make_interval(days => $4::int))
       where code = (select code from reward_codes where reward_key = $1 and redemption_id is null
                     and (pool_expires_at is null or pool_expires_at > $3) order by code limit 1 for update skip locked)
         and redemption_id is null
       returning code, expires_at`,
      [reward.key, redemption, at, validDays],
    );
    return row ?? null;
  }
  for (;;) {
    const [row] = await tx.query<IssuedCode>(
      `insert into reward_codes (code, reward_key, origin, redemption_id, issued_at, expires_at)
       values ($1, $2, 'generated', $3, $4, $4::timestamptz + make_interval(days => $5::int))
       on conflict (code) do nothing returning code, expires_at`,
      [newCode(), reward.key, redemption, at, validDays],
    );
    if (row) return row;
  }
}
