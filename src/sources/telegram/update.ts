import { z } from '@hono/zod-openapi';
import type { EventInput } from '../../core/event.ts';

// The parts of the Bot API's Update and Message that Vklad reads; Telegram adds fields over time, so others pass.
const telegramId = z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);

const User = z.looseObject({ id: telegramId, is_bot: z.boolean() });
const Chat = z.looseObject({ id: telegramId, type: z.string() });

const Message = z.looseObject({
  message_id: z.number().int(),
  from: User.optional(),
  sender_chat: Chat.optional(),
  date: z.number().int().nonnegative(),
  chat: Chat,
  text: z.string().optional(),
  caption: z.string().optional(),
});

export const TelegramUpdate = z.looseObject({
  update_id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  message: Message.optional(),
});
export type TelegramUpdate = z.infer<typeof TelegramUpdate>;
type Message = z.infer<typeof Message>;

/** Content a member writes or sends; a message with none of these is a service message (joined, left, pinned, ...). */
const CONTENT_KINDS = [
  'text',
  'photo',
  'video',
  'animation',
  'audio',
  'document',
  'voice',
  'video_note',
  'sticker',
  'poll',
  'contact',
  'location',
  'venue',
  'dice',
  'story',
  'paid_media',
  'checklist',
] as const;

export type Reading = { counted: true; event: EventInput } | { counted: false; reason: string };

/**
 * What an update means for Vklad: a member's message in one of the source's chats becomes
 * `telegram.message.sent`; everything else is ignored with the reason why.
 */
export function readUpdate(update: TelegramUpdate, source: string, chats: readonly number[]): Reading {
  const message = update.message;
  if (!message) return { counted: false, reason: `update kind ${updateKind(update)} is not counted` };
  if (!chats.includes(message.chat.id)) return { counted: false, reason: `chat ${message.chat.id} is not one of the source's chats` };
  if (message.sender_chat) return { counted: false, reason: 'sent on behalf of a chat' };
  if (!message.from) return { counted: false, reason: 'no sender' };
  if (message.from.is_bot) return { counted: false, reason: 'sent by a bot' };
  const kind = CONTENT_KINDS.find((k) => message[k] !== undefined);
  if (!kind) return { counted: false, reason: 'a service message' };
  const written = message.text ?? message.caption ?? '';
  return {
    counted: true,
    event: {
      source,
      source_event_id: String(update.update_id),
      action: 'telegram.message.sent',
      actor: { provider: 'telegram', external_id: String(message.from.id) },
      occurred_at: new Date(message.date * 1000).toISOString(),
      object: `telegram:chat:${message.chat.id}`,
      attributes: { chars: [...written].length, words: countWords(written), kind, ...(isForwarded(message) ? { forwarded: true } : {}) },
    },
  };
}

const updateKind = (update: TelegramUpdate): string => Object.keys(update).find((k) => k !== 'update_id') ?? '(empty)';

const isForwarded = (message: Message): boolean => message['forward_origin'] !== undefined || message['forward_date'] !== undefined;

/** Words as runs of letters or digits, so punctuation and emoji alone are not words. */
export const countWords = (text: string): number => text.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu)?.length ?? 0;
