import { z } from '@hono/zod-openapi';

/**
 * The parts of Discourse's webhook serializers Vklad reads (WebHookPostSerializer, WebHookTopicViewSerializer,
 * WebHookLikeSerializer); every other field is allowed and ignored, since Discourse adds fields over versions.
 */
const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
// Discourse's own users (system, bots) have ids of zero and below.
const userId = z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
const time = z.string().max(40).refine((v) => !Number.isNaN(Date.parse(v)), 'must be a timestamp');
const body = z.string().max(1_000_000);

export const DiscoursePost = z.looseObject({
  id,
  user_id: userId,
  username: z.string().max(200).optional(),
  post_number: id,
  // 1 regular, 2 moderator action, 3 small action, 4 whisper.
  post_type: z.number().int().min(1).max(100).default(1),
  topic_id: id,
  topic_archetype: z.string().max(50).nullish(),
  created_at: time,
  updated_at: time.nullish(),
  version: z.number().int().min(0).max(1_000_000).default(1),
  raw: body.nullish(),
  cooked: body.nullish(),
});
export type DiscoursePost = z.infer<typeof DiscoursePost>;

const BasicUser = z.looseObject({ id: userId, username: z.string().max(200).optional() });

export const DiscourseTopic = z
  .looseObject({
    id,
    archetype: z.string().max(50).default('regular'),
    created_at: time,
    word_count: z.number().int().min(0).nullish(),
    user_id: userId.optional(),
    created_by: BasicUser.optional(),
  })
  .refine((t) => t.created_by !== undefined || t.user_id !== undefined, { message: 'needs created_by or user_id', path: ['created_by'] });
export type DiscourseTopic = z.infer<typeof DiscourseTopic>;

export const DiscourseLike = z.looseObject({ post: DiscoursePost, user: BasicUser });
export type DiscourseLike = z.infer<typeof DiscourseLike>;

/** Which payload each X-Discourse-Event-Type carries, under a key of the same name. */
export const PAYLOADS = { post: DiscoursePost, topic: DiscourseTopic, like: DiscourseLike, solved: DiscoursePost } as const;
export type PayloadType = keyof typeof PAYLOADS;
