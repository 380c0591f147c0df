import type { Context } from 'hono';
import { invalid } from '../errors.ts';
import type { Env } from './env.ts';

/** The `{id}` of a path as a positive integer (a member or an event), or a 400 naming it. */
export function pathId(c: Context<Env>): number {
  const id = Number(c.req.param('id'));
  if (!Number.isSafeInteger(id) || id <= 0) throw invalid([{ field: 'id', reason: 'must be a positive integer' }]);
  return id;
}
