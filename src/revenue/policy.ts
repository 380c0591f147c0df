import { z } from '@hono/zod-openapi';
import { actionKey } from '../schemas/common.ts';
import { parseYamlWith } from '../schemas/yaml.ts';

/** A revenue split policy version: who gets what share, and how much each action weighs. */
export interface RevenuePolicy {
  version: string;
  effective_from: string;
  /** Percent of revenue; they add up to 100. */
  shares: { platform: number; treasury: number; authors: number };
  no_activity: 'common_pool' | 'platform';
  weights: Record<string, number>;
}

const percent = z.number({ error: 'must be a number of percent' }).min(0, 'must not be negative').max(100, 'must be at most 100');
const isDate = (s: string) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

const schema = (actions?: ReadonlySet<string>) =>
  z
    .object({
      version: z.union([z.string().min(1).max(64), z.number()], { error: 'must be text, like 2025-10' }).transform(String),
      effective_from: z.string({ error: 'must be a date, like 2025-10-01' }).regex(/^\d{4}-\d{2}-01$/, 'must be the first day of a month, like 2025-10-01').refine(isDate, 'is not a calendar date'),
      shares: z
        .object({ platform: percent, treasury: percent, authors: percent })
        .strict()
        .superRefine((shares, ctx) => {
          const sum = shares.platform + shares.treasury + shares.authors;
          if (Math.abs(sum - 100) > 1e-9) ctx.addIssue({ code: 'custom', message: `must add up to 100 (they add up to ${sum})` });
        }),
      no_activity: z.enum(['common_pool', 'platform'], { error: 'must be common_pool or platform' }),
      weights: z
        .record(actionKey, z.number({ error: 'must be a number' }).min(0, 'must not be negative').max(1_000_000, 'must be at most 1000000'))
        .superRefine((weights, ctx) => {
          for (const action of Object.keys(weights)) {
            if (actions && !actions.has(action)) ctx.addIssue({ code: 'custom', path: [action], message: 'is not an action in the catalogue' });
          }
        }),
    })
    .strict();

/** Parses a revenue policy from YAML or JSON text; throws `validation_failed` naming line, field and reason. */
export function parseRevenuePolicy(text: string, catalogue?: ReadonlySet<string>): RevenuePolicy {
  return parseYamlWith(schema(catalogue), text, 'The revenue policy');
}
