import type { Database, Queryable } from '../db/database.ts';
import { invalid, notFound } from '../errors.ts';
import { audit } from '../store/audit.ts';
import { getLevelScale } from './levels.ts';
import type { Reward, RewardInput } from './reward.ts';

export interface RewardRow {
  key: string;
  title_en: string;
  title_ru: string;
  benefit: Reward['benefit'];
  price: number;
  stock: number | null;
  taken: number;
  per_member_limit: number | null;
  valid_from: Date | null;
  valid_until: Date | null;
  eligibility: Reward['eligibility'];
  code_source: Reward['codes']['source'];
  code_valid_days: number | null;
  retired_at: Date | null;
  updated_at: Date;
}

export const rewardOf = (r: RewardRow): Reward => ({
  key: r.key,
  title: { en: r.title_en, ru: r.title_ru },
  benefit: r.benefit,
  price: r.price,
  stock: r.stock,
  taken: r.taken,
  per_member_limit: r.per_member_limit,
  valid_from: r.valid_from?.toISOString() ?? null,
  valid_until: r.valid_until?.toISOString() ?? null,
  eligibility: r.eligibility,
  codes: { source: r.code_source, valid_days: r.code_valid_days },
  retired_at: r.retired_at?.toISOString() ?? null,
  updated_at: r.updated_at.toISOString(),
});

export async function listRewards(db: Queryable, includeRetired = false): Promise<Reward[]> {
  const rows = await db.query<RewardRow>('select * from rewards where $1 or retired_at is null order by key', [includeRetired]);
  return rows.map(rewardOf);
}

export async function getReward(db: Queryable, key: string): Promise<Reward> {
  const [row] = await db.query<RewardRow>('select * from rewards where key = $1', [key]);
  if (!row) throw notFound(`Reward ${key}`);
  return rewardOf(row);
}

const UPSERT_SQL = `
  insert into rewards (key, title_en, title_ru, benefit, price, stock, per_member_limit, valid_from, valid_until, eligibility, code_source, code_valid_days)
  values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
  on conflict (key) do update set title_en = excluded.title_en, title_ru = excluded.title_ru, benefit = excluded.benefit,
    price = excluded.price, stock = excluded.stock, per_member_limit = excluded.per_member_limit, valid_from = excluded.valid_from,
    valid_until = excluded.valid_until, eligibility = excluded.eligibility, code_source = excluded.code_source,
    code_valid_days = excluded.code_valid_days, retired_at = null, updated_at = now()`;

/**
 * Creates or replaces a reward (bringing a retired one back). Redemptions already made keep the
 * price they paid; a lower stock than already taken simply means none are left.
 */
export async function putReward(db: Database, key: string, input: RewardInput, actor: string): Promise<Reward> {
  return db.transaction(async (tx) => {
    if (input.eligibility.level !== null) {
      const scale = await getLevelScale(tx);
      if (!scale.levels.some((l) => l.key === input.eligibility.level)) {
        throw invalid([{ field: 'eligibility.level', reason: `is not a level of the scale (${scale.levels.map((l) => l.key).join(', ') || 'no levels defined'})` }]);
      }
    }
    const [before] = await tx.query<RewardRow>('select * from rewards where key = $1 for update', [key]);
    await tx.query(UPSERT_SQL, [
      key,
      input.title.en,
      input.title.ru,
      JSON.stringify(input.benefit),
      input.price,
      input.stock,
      input.per_member_limit,
      input.valid_from,
      input.valid_until,
      JSON.stringify(input.eligibility),
      input.codes.source,
      input.codes.valid_days,
    ]);
    const after = await getReward(tx, key);
    await audit(tx, actor, before ? 'reward.update' : 'reward.create', `reward:${key}`, { before: before ? rewardOf(before) : null, after });
    return after;
  });
}

/** Retires a reward: it can no longer be redeemed; codes already issued stay valid. */
export async function retireReward(db: Database, key: string, actor: string): Promise<Reward> {
  return db.transaction(async (tx) => {
    const rows = await tx.query('update rewards set retired_at = coalesce(retired_at, now()), updated_at = now() where key = $1 returning key', [key]);
    if (rows.length === 0) throw notFound(`Reward ${key}`);
    await audit(tx, actor, 'reward.retire', `reward:${key}`, {});
    return getReward(tx, key);
  });
}
