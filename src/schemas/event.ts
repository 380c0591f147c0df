import { z } from '@hono/zod-openapi';
import type { EventInput } from '../core/event.ts';
import { type FieldError } from '../errors.ts';
import { actionKey, fieldErrors, isStorableText, memberId, slug, text, timestamp } from './common.ts';

export const INGEST_LIMITS = {
  events_per_request: 1000,
  body_bytes: 8 * 1024 * 1024,
  attributes_bytes: 16 * 1024,
  attributes_depth: 8,
  clock_skew_ms: 5 * 60 * 1000,
  oldest_occurred_at: '2000-01-01T00:00:00Z',
} as const;

const Actor = z
  .object({
    member_id: memberId.optional(),
    provider: slug.optional(),
    external_id: text(200).optional(),
  })
  .strict()
  .superRefine((actor, ctx) => {
    const byMember = actor.member_id !== undefined;
    const byIdentity = actor.provider !== undefined || actor.external_id !== undefined;
    if (byMember === byIdentity) {
      ctx.addIssue({ code: 'custom', message: 'must be either {member_id} or {provider, external_id}' });
    } else if (byIdentity && (actor.provider === undefined || actor.external_id === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'an identity needs both provider and external_id' });
    }
  })
  .openapi('Actor', { description: 'The member, by Vklad id or by an identity in another system' });

const Attributes = z
  .record(z.string(), z.unknown())
  .superRefine((attributes, ctx) => {
    const problem = attributesProblem(attributes);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .openapi({ description: 'Free facts about the action (word count, score, chat...)', example: { words: 120 } });

export const EventBody = z
  .object({
    source: slug.openapi({ example: 'forum' }),
    source_event_id: text(200).openapi({ example: 'post-18231' }),
    action: actionKey.openapi({ example: 'forum.post.created' }),
    actor: Actor,
    occurred_at: timestamp.openapi({ example: '2025-09-01T10:00:00+03:00' }),
    object: text(200).nullable().optional().openapi({ description: 'Id of the content the action is about', example: 'post:18231' }),
    attributes: Attributes.optional(),
  })
  .strict()
  .openapi('EventInput');

export const EventBatch = z.array(EventBody).min(1).max(INGEST_LIMITS.events_per_request);

/** Why an event's attributes cannot be stored, if they cannot. */
export function attributesProblem(attributes: Record<string, unknown>): string | undefined {
  const problem = jsonProblem(attributes, INGEST_LIMITS.attributes_depth);
  if (problem) return problem;
  if (Buffer.byteLength(JSON.stringify(attributes)) > INGEST_LIMITS.attributes_bytes) {
    return `must be at most ${INGEST_LIMITS.attributes_bytes} bytes as JSON`;
  }
  return undefined;
}

/** Why a JSON value cannot be stored as jsonb, if it cannot. */
function jsonProblem(value: unknown, depthLeft: number): string | undefined {
  if (typeof value === 'string') return isStorableText(value) ? undefined : 'must hold only well-formed Unicode text without NUL characters';
  if (value === null || typeof value !== 'object') return undefined;
  if (depthLeft === 0) return `must nest at most ${INGEST_LIMITS.attributes_depth} levels deep`;
  for (const [key, inner] of Object.entries(value)) {
    const problem = jsonProblem(key, depthLeft) ?? jsonProblem(inner, depthLeft - 1);
    if (problem) return problem;
  }
  return undefined;
}

const OLDEST = Date.parse(INGEST_LIMITS.oldest_occurred_at);

/** Checks that need the current time: nothing from the future beyond clock skew, nothing absurdly old. */
export function timeErrors(event: EventInput, now: Date): FieldError[] {
  const at = Date.parse(event.occurred_at);
  if (at > now.getTime() + INGEST_LIMITS.clock_skew_ms) {
    return [{ field: 'occurred_at', reason: 'is in the future' }];
  }
  if (at < OLDEST) {
    return [{ field: 'occurred_at', reason: `is before ${INGEST_LIMITS.oldest_occurred_at}` }];
  }
  return [];
}
