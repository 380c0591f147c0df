// Updates in the shape of the Telegram Bot API's Update and Message objects (core.telegram.org/bots/api#update).

export const COMMUNITY_CHAT = -1001234567890;
export const OTHER_CHAT = -1009876543210;

let nextUpdate = 500_000_000;
let nextMessage = 100;
const updateId = () => nextUpdate++;

export const member = (id = 391_234_567) => ({ id, is_bot: false, first_name: 'Анна', username: `user${id}`, language_code: 'ru' });
const chat = (id = COMMUNITY_CHAT) => ({ id, title: 'Системное мышление — сообщество', type: 'supergroup' });

/** A member's message: fields override those of the message. */
export function messageUpdate(fields: Record<string, unknown> = {}) {
  return {
    update_id: updateId(),
    message: {
      message_id: nextMessage++,
      from: member(),
      chat: chat(),
      date: 1_760_500_000, // 2025-10-15T03:46:40Z
      text: 'Прочитала раздел про роли — очень помогло!',
      ...fields,
    },
  };
}

export const fixtures = {
  text: () => messageUpdate(),
  photoWithCaption: () =>
    messageUpdate({
      text: undefined,
      photo: [{ file_id: 'AgACAgIAAxkBAAIB', file_unique_id: 'AQADw', width: 90, height: 67, file_size: 1200 }],
      caption: 'Схема системы',
    }),
  sticker: () =>
    messageUpdate({
      text: undefined,
      sticker: { file_id: 'CAACAgIAAxkBAAIC', file_unique_id: 'AgADBQ', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false },
    }),
  forwarded: () =>
    messageUpdate({ forward_origin: { type: 'user', sender_user: member(42), date: 1_760_400_000 }, text: 'Интересная мысль' }),
  fromBot: () => messageUpdate({ from: { id: 7_000_000_001, is_bot: true, first_name: 'HelperBot', username: 'helper_bot' } }),
  // An anonymous administrator: `from` is the fake user GroupAnonymousBot, `sender_chat` the group itself.
  anonymousAdmin: () =>
    messageUpdate({ from: { id: 1_087_968_824, is_bot: true, first_name: 'Group', username: 'GroupAnonymousBot' }, sender_chat: chat() }),
  // A linked channel's post automatically forwarded into the discussion group.
  channelForward: () =>
    messageUpdate({
      from: { id: 777_000, is_bot: false, first_name: 'Telegram' },
      sender_chat: { id: -1001111111111, title: 'Канал сообщества', type: 'channel' },
      is_automatic_forward: true,
    }),
  memberJoined: () => messageUpdate({ text: undefined, new_chat_members: [member(55)] }),
  memberLeft: () => messageUpdate({ text: undefined, left_chat_member: member(56) }),
  pinned: () => messageUpdate({ text: undefined, pinned_message: { message_id: 3, date: 1_760_400_000, chat: chat() } }),
  titleChanged: () => messageUpdate({ text: undefined, new_chat_title: 'Новое имя' }),
  otherChat: () => messageUpdate({ chat: chat(OTHER_CHAT) }),
  privateChat: () => messageUpdate({ chat: { id: 391_234_567, first_name: 'Анна', type: 'private' } }),
  edited: () => {
    const { update_id, message } = messageUpdate({ edit_date: 1_760_500_100, text: 'Исправленный текст' });
    return { update_id, edited_message: message };
  },
  channelPost: () => {
    const { update_id, message } = messageUpdate({ from: undefined, sender_chat: chat(-1001111111111), chat: chat(-1001111111111) });
    return { update_id, channel_post: message };
  },
  callbackQuery: () => ({
    update_id: updateId(),
    callback_query: { id: '4382bfdwdsb323b2d9', from: member(), chat_instance: '-5212', data: 'vote:1' },
  }),
  reaction: () => ({
    update_id: updateId(),
    message_reaction: { chat: chat(), message_id: 5, user: member(), date: 1_760_500_000, old_reaction: [], new_reaction: [{ type: 'emoji', emoji: '👍' }] },
  }),
  chatMember: () => ({
    update_id: updateId(),
    chat_member: { chat: chat(), from: member(), date: 1_760_500_000, old_chat_member: { status: 'left', user: member(57) }, new_chat_member: { status: 'member', user: member(57) } },
  }),
};
