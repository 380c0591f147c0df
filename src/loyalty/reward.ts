import { z } from '@hono/zod-openapi';
import { slug, text, timestamp } from '../schemas/common.ts';

/** Reward keys, level keys and privileges: lowercase words joined by "-" or "_". */
export const rewardKey = z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, 'must be 1-64 lowercase letters, digits, "-" or "_", starting with a letter');

export const Title = z.object({ en: text(200), ru: text(200) }).strict().openapi({ example: { en: 'Mentor session', ru: 'Сессия с наставником' } });

/** What a discount applies to: the subscription, or one product of the shop. */
const Target = z.string().regex(/^(subscription|product:[A-Za-z0-9_./-]{1,100})$/, 'must be "subscription" or "product:<id>"');

export const Benefit = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('percent_discount'), percent: z.number().int().min(1).max(100), on: Target }).strict(),
    z.object({ kind: z.literal('amount_discount'), amount_minor: z.number().int().positive().max(100_000_000), currency: z.enum(['RUB', 'USD']), on: Target }).strict(),
    z.object({ kind: z.literal('privilege'), privilege: rewardKey.openapi({ example: 'mentor_session' }) }).strict(),
  ])
  .openapi('RewardBenefit');

export const Eligibility = z
  .object({
    /** Any one of these roles; empty means every role. */
    roles: z.array(slug).max(20).default([]),
    /** Every one of these achievements (badge ids). */
    achievements: z.array(slug).max(20).default([]),
    /** At least this level. */
    level: rewardKey.nullable().default(null),
  })
  .strict();

const RewardFields = {
    title: Title,
    benefit: Benefit,
    price: z.number().int().positive().max(1_000_000_000).openapi({ description: 'Price in points', example: 300 }),
    stock: z.number().int().min(0).max(10_000_000).nullable().default(null).openapi({ description: 'How many can be redeemed in all; null for unlimited' }),
    per_member_limit: z.number().int().positive().max(10_000).nullable().default(null),
    valid_from: timestamp.nullable().default(null),
    valid_until: timestamp.nullable().default(null),
    eligibility: Eligibility.default({ roles: [], achievements: [], level: null }),
    codes: z
      .object({ source: z.enum(['pool', 'generate']), valid_days: z.number().int().positive().max(3660).nullable().default(null) })
      .strict()
      .default({ source: 'generate', valid_days: null }),
};

const validDates = (r: { valid_from: string | null; valid_until: string | null }, ctx: z.RefinementCtx) => {
  if (r.valid_from && r.valid_until && Date.parse(r.valid_from) >= Date.parse(r.valid_until)) {
    ctx.addIssue({ code: 'custom', path: ['valid_until'], message: 'must be later than valid_from' });
  }
};

export const RewardBody = z.object(RewardFields).strict().superRefine(validDates).openapi('RewardInput');
export type RewardInput = z.infer<typeof RewardBody>;

/** A reward as a catalogue file lists it: with its key. */
export const RewardEntry = z.object({ key: rewardKey, ...RewardFields }).strict().superRefine(validDates);

export type Reward = RewardInput & { key: string; taken: number; retired_at: string | null; updated_at: string };
