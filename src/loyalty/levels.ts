import { z } from '@hono/zod-openapi';
import type { Database, Queryable } from '../db/database.ts';
import { conflict } from '../errors.ts';
import { audit } from '../store/audit.ts';
import { earnedPoints } from './earned.ts';
import { Title, rewardKey } from './reward.ts';

const Level = z
  .object({ key: rewardKey, threshold: z.number().int().min(0).max(1_000_000_000).openapi({ description: 'Points earned in the window' }), title: Title })
  .strict();

export const LevelScaleBody = z
  .object({
    window_days: z.number().int().min(1).max(3660).default(365),
    levels: z.array(Level).max(50),
  })
  .strict()
  .superRefine((s, ctx) => {
    s.levels.forEach((level, i) => {
      if (i > 0 && level.threshold <= s.levels[i - 1]!.threshold) ctx.addIssue({ code: 'custom', path: ['levels', i, 'threshold'], message: 'must be higher than the previous level' });
      if (s.levels.findIndex((l) => l.key === level.key) !== i) ctx.addIssue({ code: 'custom', path: ['levels', i, 'key'], message: 'is used by another level' });
    });
  })
  .openapi('LevelScale');

export type LevelScale = z.infer<typeof LevelScaleBody>;
export type Level = LevelScale['levels'][number];

const NO_LEVELS: LevelScale = { window_days: 365, levels: [] };

export async function getLevelScale(db: Queryable): Promise<LevelScale> {
  const [row] = await db.query<LevelScale>('select window_days, levels from level_scale');
  return row ?? NO_LEVELS;
}

/** Replaces the scale; a level that a live reward requires cannot be dropped. */
export async function putLevelScale(db: Database, scale: LevelScale, actor: string): Promise<LevelScale> {
  return db.transaction(async (tx) => {
    const before = await tx.query<LevelScale>('select window_days, levels from level_scale for update');
    const keys = scale.levels.map((l) => l.key);
    const orphaned = await tx.query<{ key: string; level: string }>(
      `select key, eligibility->>'level' as level from rewards
       where retired_at is null and eligibility->>'level' is not null and not (eligibility->>'level' = any($1::text[])) order by key`,
      [keys],
    );
    if (orphaned.length > 0) {
      throw conflict('Live rewards require levels this scale drops', orphaned.map((o) => ({ field: 'levels', reason: `reward ${o.key} requires level ${o.level}` })));
    }
    await tx.query(
      `insert into level_scale (singleton, window_days, levels) values (true, $1, $2)
       on conflict (singleton) do update set window_days = excluded.window_days, levels = excluded.levels, updated_at = now()`,
      [scale.window_days, JSON.stringify(scale.levels)],
    );
    await audit(tx, actor, 'levels.update', 'levels', { before: before[0] ?? null, after: scale });
    return scale;
  });
}

export interface LevelStanding {
  earned: number;
  window_days: number;
  level: Level | null;
  next: (Level & { missing: number }) | null;
}

/** Where `earned` points put a member on the scale. */
export function standingOn(scale: LevelScale, earned: number): LevelStanding {
  const reached = scale.levels.filter((l) => l.threshold <= earned);
  const next = scale.levels.find((l) => l.threshold > earned);
  return { earned, window_days: scale.window_days, level: reached.at(-1) ?? null, next: next ? { ...next, missing: next.threshold - earned } : null };
}

/** A level ranks at least `required` when it is that level or one above it. */
export function reaches(scale: LevelScale, level: Level | null, required: string): boolean {
  const rank = (key: string | undefined) => scale.levels.findIndex((l) => l.key === key);
  return level !== null && rank(level.key) >= rank(required) && rank(required) >= 0;
}

/** A member's level at `now` (epoch ms), from points earned over the trailing window. */
export async function memberStanding(db: Queryable, member: number, now: number): Promise<LevelStanding> {
  const scale = await getLevelScale(db);
  return standingOn(scale, await earnedPoints(db, member, now - scale.window_days * 86_400_000, now));
}
