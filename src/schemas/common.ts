import { z } from '@hono/zod-openapi';
import type { FieldError } from '../errors.ts';

// A missing field reads "is required" rather than "expected string, received undefined".
z.config({
  customError: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined),
});

/** Text that PostgreSQL can store as it is: well-formed Unicode, no NUL. */
/** Whether the runtime knows this IANA time zone (Europe/Moscow). */
export const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** A time zone field: an IANA name the runtime knows. */
export const timeZone = () => z.string().refine(isTimeZone, 'must be an IANA time zone, like Europe/Moscow');

export const isStorableText = (value: string): boolean => value.isWellFormed() && !value.includes('\u0000');

export const text = (max: number) =>
  z.string().min(1).max(max).refine(isStorableText, 'must be well-formed Unicode text without NUL characters');

/** Lowercase identifiers: sources, providers, roles, kinds. */
export const SLUG = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
export const slug = z.string().regex(SLUG, 'must be 1-64 lowercase letters, digits, "_", "-" or "."');

/** Catalogue keys such as `course.section.read`. */
export const ACTION_KEY = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
export const actionKey = z.string().max(100).regex(ACTION_KEY, 'must be dotted lowercase words, like course.section.read');

export const memberId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const timestamp = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 timestamp with an offset, like 2025-09-01T10:00:00+03:00' });
/** The pattern `timestamp` checks, zod's own. */
export const TIMESTAMP = (timestamp as unknown as { _zod: { pattern: RegExp } })._zod.pattern;

/** Turns a zod failure into field errors; a leading array index becomes the batch item. */
export function fieldErrors(error: z.ZodError, inBatch = false): FieldError[] {
  return error.issues.flatMap((issue) => {
    const path = [...issue.path];
    const item = inBatch && typeof path[0] === 'number' ? (path.shift() as number) : undefined;
    const base = path.map(String).join('.');
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    return keys.map((key) => ({
      field: [base, key].filter(Boolean).join('.') || '(body)',
      reason: key === undefined ? issue.message : 'is not a known field',
      ...(item === undefined ? {} : { item }),
    }));
  });
}
