import { z } from '@hono/zod-openapi';
import { actionKey, slug, timeZone } from '../schemas/common.ts';
import type { ActionType } from '../catalogue/action-type.ts';

const factor = (what: string) => z.number().min(0, `must be between 0 and 1${what}`).max(1, `must be between 0 and 1${what}`);
const count = z.number().int('must be a whole number').min(1, 'must be at least 1').max(1_000_000, 'must be at most 1000000');
const words = z.object({ en: z.string().min(1).max(60), ru: z.string().min(1).max(60) }).strict();

/** A window in the community's time zone: `full` actions at full value, each further one worth `then` times the one before, none beyond `max`. */
const Window = z
  .object({ full: z.number().int('must be a whole number').min(0, 'must not be negative').max(1_000_000).optional(), then: factor('').optional(), max: count.optional() })
  .strict()
  .refine((w) => w.full !== undefined || w.max !== undefined, { message: 'needs full or max', path: ['max'] })
  .refine((w) => w.full === undefined || w.max === undefined || w.full <= w.max, { message: 'must not be below full', path: ['max'] });

const Condition = z.union([
  z.object({ at_least: z.number() }).strict(),
  z.object({ equals: z.union([z.string(), z.number(), z.boolean()]) }).strict(),
], { error: 'must be {at_least: N} or {equals: value}' });

const Peer = z
  .object({
    /** The event attribute naming the other member: a Vklad member id, or an external id in the actor's own provider. */
    from: z.string().min(1, 'must name an attribute').max(64, 'must be at most 64 characters').default('peer'),
    /** One counted signal per other member per day or week. */
    distinct: z.enum(['day', 'week']).optional(),
    /** Factor for a signal returned by its receiver in the same week. */
    reciprocal: factor('').optional(),
  })
  .strict();

const ActionRule = z
  .object({
    points: z.number().min(0, 'must not be negative').max(1_000_000, 'must be at most 1000000'),
    kind: slug.optional(),
    role: slug.optional(),
    minutes: z.number().int('must be a whole number').min(0, 'must not be negative').max(1440, 'must be at most 1440').optional(),
    /** Counts toward streaks; peer signals received are usually not the member's own activity. */
    active: z.boolean().default(true),
    min_words: z.number().int('must be a whole number').min(1, 'must be at least 1').optional(),
    when: z.record(z.string().min(1).max(64), Condition).optional(),
    peer: Peer.optional(),
    per_day: Window.optional(),
    per_week: Window.optional(),
    noun: words.optional(),
  })
  .strict();

const Streak = z
  .object({ unit: z.enum(['day', 'week']), step: z.number().min(0, 'must not be negative').max(1, 'must be at most 1'), max: z.number().min(0, 'must not be negative').max(10, 'must be at most 10') })
  .strict();

const Goal = z
  .object({ minutes: count, bonus: z.number().int('must be a whole number').min(0, 'must not be negative').max(1_000_000) })
  .strict();

const Metric = z
  .object({
    streak_days: count.optional(),
    streak_weeks: count.optional(),
    goal_weeks: count.optional(),
    count: z.object({ action: actionKey, at_least: count }).strict().optional(),
  })
  .strict()
  .refine((m) => Object.keys(m).length === 1, 'must name exactly one of streak_days, streak_weeks, goal_weeks, count');

const Badge = z
  .object({
    id: slug,
    title: words.optional(),
    when: Metric,
    bonus: z.number().int('must be a whole number').min(0, 'must not be negative').max(1_000_000).default(0),
    repeat: z.boolean().default(false),
  })
  .strict();

const isDate = (text: string): boolean => {
  const ms = Date.parse(`${text}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().startsWith(text);
};

const PolicyShape = z
  .object({
    version: z.union([z.string().min(1).max(64), z.number()], { error: 'must be text, like 2025-09' }).transform(String),
    effective_from: z.string({ error: 'must be a date, like 2025-09-01' }).regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date, like 2025-09-01').refine(isDate, 'is not a calendar date'),
    timezone: timeZone(),
    kinds: z.record(slug, z.number().min(0, 'must not be negative').max(100, 'must be at most 100')),
    roles: z.record(slug, z.number().min(0, 'must not be negative').max(100, 'must be at most 100')).default({}),
    actions: z.record(actionKey, ActionRule),
    streak: Streak.optional(),
    weekly_goal: Goal.optional(),
    achievements: z.array(Badge).max(200).default([]),
    pending_days: z.number().int('must be a whole number').min(0, 'must not be negative').max(365, 'must be at most 365').default(0),
    /** Points not spent within this many months expire, oldest first. */
    points_expire_after_months: z.number().int('must be a whole number').min(1, 'must be at least 1').max(120, 'must be at most 120').optional(),
  })
  .strict();

/** The policy schema; kind, role and minutes an action leaves out come from the catalogue. */
export function policySchema(catalogue: readonly ActionType[] = []) {
  const known = new Map(catalogue.map((a) => [a.key, a]));
  return PolicyShape.superRefine((p, ctx) => {
    // Runs even when other fields failed, so it must not trust their shape.
    for (const [key, rule] of Object.entries(p.actions ?? {})) {
      const entry = known.get(key);
      rule.kind ??= entry?.kind;
      rule.role ??= entry?.role;
      rule.minutes ??= entry?.minutes ?? 0;
      if (rule.kind === undefined) ctx.addIssue({ code: 'custom', path: ['actions', key, 'kind'], message: 'is required (the catalogue has no such action)' });
      else if (p.kinds && !(rule.kind in p.kinds)) ctx.addIssue({ code: 'custom', path: ['actions', key, 'kind'], message: `must be one of the kinds: ${Object.keys(p.kinds).join(', ')}` });
    }
    const ids = new Set<string>();
    (p.achievements ?? []).forEach((badge, i) => {
      if (ids.has(badge.id)) ctx.addIssue({ code: 'custom', path: ['achievements', i, 'id'], message: 'is used by another achievement' });
      ids.add(badge.id);
      const action = badge.when?.count?.action;
      if (action !== undefined && p.actions && !(action in p.actions)) ctx.addIssue({ code: 'custom', path: ['achievements', i, 'when', 'count', 'action'], message: 'must be an action of this policy' });
    });
  });
}

export type Policy = z.output<typeof PolicyShape>;
export type ActionPolicy = Policy['actions'][string];
export type WindowPolicy = NonNullable<ActionPolicy['per_day']>;
export type BadgePolicy = Policy['achievements'][number];
