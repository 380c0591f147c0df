import { z } from '@hono/zod-openapi';

/** Response shapes, for the OpenAPI document. */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string(),
    errors: z.array(z.object({ field: z.string(), reason: z.string(), item: z.number().int().optional() })).optional(),
  })
  .openapi('Problem');

export const EventView = z
  .object({
    id: z.number().int(),
    source: z.string(),
    source_event_id: z.string(),
    action: z.string(),
    actor: z.union([z.object({ member_id: z.number().int() }), z.object({ provider: z.string(), external_id: z.string() })]),
    member_id: z.number().int().nullable().openapi({ description: 'The member the event is attributed to; null while parked' }),
    occurred_at: z.string(),
    object: z.string().nullable(),
    attributes: z.record(z.string(), z.unknown()),
    received_at: z.string(),
    voided: z.object({ reason: z.string(), by: z.string(), at: z.string() }).nullable(),
  })
  .openapi('Event');

export const IngestResult = z
  .object({
    status: z.enum(['created', 'exists']),
    id: z.number().int(),
    member_id: z.number().int().nullable(),
  })
  .openapi('IngestResult');

export const MemberView = z
  .object({
    id: z.number().int(),
    display_name: z.string().nullable(),
    roles: z.array(z.string()),
    identities: z.array(z.object({ provider: z.string(), external_id: z.string(), linked_at: z.string() })),
    merged_into: z.number().int().nullable(),
    created_at: z.string(),
  })
  .openapi('Member');

const problems = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((s) => [s, { description: 'Problem', content: { 'application/problem+json': { schema: Problem } } }]),
  );

export const json = (schema: z.ZodType, description = 'OK') => ({ description, content: { 'application/json': { schema } } });

/** Responses every authenticated endpoint may give, plus the ones named. */
export const errorResponses = (...statuses: number[]) => problems(400, 401, 403, ...statuses);
