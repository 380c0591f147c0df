import { z } from '@hono/zod-openapi';
import { actionKey, slug, text } from '../schemas/common.ts';

export const ActionTypeBody = z
  .object({
    kind: z.enum(['learning', 'contribution']),
    role: slug.openapi({ description: 'The role the action belongs to', example: 'student' }),
    minutes: z.number().int().min(0).max(24 * 60).openapi({ description: 'Estimated minutes of effort', example: 15 }),
    tags: z.array(slug).max(20).default([]).openapi({ description: 'Cuts for reporting', example: ['course', 'reading'] }),
    title: z.object({ en: text(200), ru: text(200) }).strict(),
  })
  .strict()
  .openapi('ActionTypeInput');

export type ActionTypeInput = z.infer<typeof ActionTypeBody>;

export const ActionTypeEntry = ActionTypeBody.extend({ key: actionKey }).strict();
export type ActionType = ActionTypeInput & { key: string };
