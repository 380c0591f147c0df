import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TelegramUpdate, countWords, readUpdate } from '../../src/sources/telegram/update.ts';

const CHATS = [-1001, -1002];

const message = fc.record(
  {
    message_id: fc.nat(),
    date: fc.integer({ min: 1_600_000_000, max: 1_800_000_000 }),
    chat: fc.record({ id: fc.constantFrom(-1001, -1002, -1003, 42), type: fc.constantFrom('supergroup', 'group', 'private') }),
    from: fc.record({ id: fc.integer({ min: 1, max: 9_999_999_999 }), is_bot: fc.boolean() }),
    sender_chat: fc.record({ id: fc.constant(-1001), type: fc.constant('supergroup') }),
    text: fc.string({ maxLength: 50 }),
    caption: fc.string({ maxLength: 20 }),
    photo: fc.constant([{ file_id: 'f', file_unique_id: 'u', width: 1, height: 1 }]),
    new_chat_members: fc.constant([{ id: 5, is_bot: false }]),
  },
  { requiredKeys: ['message_id', 'date', 'chat'] },
);

const update = fc.record(
  {
    update_id: fc.nat({ max: 2 ** 40 }),
    message,
    edited_message: message,
  },
  { requiredKeys: ['update_id'] },
);

describe('reading a Telegram update', () => {
  it('counts exactly the content messages members write in the chats, once per update id (property)', () => {
    fc.assert(
      fc.property(update, (raw) => {
        const parsed = TelegramUpdate.parse(raw);
        const reading = readUpdate(parsed, 'telegram', CHATS);
        const m = raw.message;
        const counts =
          m !== undefined &&
          CHATS.includes(m.chat.id) &&
          m.sender_chat === undefined &&
          m.from !== undefined &&
          !m.from.is_bot &&
          (m.text !== undefined || m.photo !== undefined);
        expect(reading.counted).toBe(counts);
        if (!reading.counted) return;
        const { event } = reading;
        expect(event).toMatchObject({
          source: 'telegram',
          source_event_id: String(raw.update_id),
          action: 'telegram.message.sent',
          actor: { provider: 'telegram', external_id: String(m!.from!.id) },
          object: `telegram:chat:${m!.chat.id}`,
        });
        const written = m!.text ?? m!.caption ?? '';
        expect(event.attributes).toMatchObject({ chars: [...written].length, words: countWords(written) });
        expect(Date.parse(event.occurred_at)).toBe(m!.date * 1000);
      }),
      { numRuns: 2000 },
    );
  });

  it('counts words as runs of letters or digits in any script', () => {
    expect(countWords('Прочитала раздел про роли — очень помогло!')).toBe(6);
    expect(countWords('systems-thinking isn’t 1 idea, it’s 10')).toBe(6);
    expect(countWords('👍 +1 !!!')).toBe(1);
    expect(countWords('   ')).toBe(0);
    expect(countWords('汉字 テスト')).toBe(2);
  });
});
