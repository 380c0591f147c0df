import { z } from '@hono/zod-openapi';
import { LineCounter, isNode, parseDocument, type Document } from 'yaml';
import { VkladError } from '../errors.ts';
import type { PolicyFieldError } from '../scoring/policy-loader.ts';
import { actionKey } from '../schemas/common.ts';

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
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw failure(doc.errors.map((e) => ({ field: '(policy)', reason: e.message.split('\n')[0]!, line: lines.linePos(e.pos[0]).line })));
  }
  const parsed = schema(catalogue).safeParse(doc.toJS());
  if (parsed.success) return parsed.data;
  throw failure(
    parsed.error.issues.flatMap((issue) => {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
      return keys.map((key) => {
        const path = key === undefined ? issue.path : [...issue.path, key];
        return { field: path.map(String).join('.') || '(policy)', reason: key === undefined ? issue.message : 'is not a known field', line: lineOf(doc, path, lines) };
      });
    }),
  );
}

function lineOf(doc: Document, path: readonly PropertyKey[], lines: LineCounter): number {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return 1;
}

function failure(errors: PolicyFieldError[]): VkladError {
  const said = errors.map((e) => `line ${e.line}, ${e.field}: ${e.reason}`).join('; ');
  return new VkladError('validation_failed', `The revenue policy is invalid: ${said}`, errors);
}
