import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORES, type TestStore } from '../helpers/stores.ts';
import { type Api, apiFor, countEvents } from '../helpers/api.ts';
import { registerSource } from '../../src/sources/registry.ts';
import { sourceStatus } from '../../src/sources/deliveries.ts';
import { COMMUNITY_CHAT, fixtures, member, messageUpdate } from './telegram-fixtures.ts';

const SECRET = 'tg-secret-0123456789abcdef';

describe.each(STORES)('Telegram webhook ($name)', (kind) => {
  let store: TestStore;
  let hook: Api;
  const post = (body: unknown, headers: Record<string, string> = {}, path = '/hooks/telegram') =>
    hook.request('POST', path, body, { 'x-telegram-bot-api-secret-token': SECRET, ...headers });
  const status = () => sourceStatus(store.db, 'telegram');

  beforeAll(async () => {
    store = await kind.open();
    hook = apiFor(store.db, { key: null });
    await registerSource(store.db, { name: 'telegram', kind: 'telegram', secret: SECRET, settings: { chats: [COMMUNITY_CHAT] } }, 'test');
  });
  afterAll(() => store.destroy());

  it('counts a member\'s message in a configured chat as telegram.message.sent with its length', async () => {
    const update = fixtures.text();
    const res = await post(update);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'accepted' });
    const [event] = await store.db.query<Record<string, unknown>>('select * from events where source = $1 and source_event_id = $2', [
      'telegram',
      String(update.update_id),
    ]);
    expect(event).toMatchObject({
      action: 'telegram.message.sent',
      actor_provider: 'telegram',
      actor_external_id: String(update.message.from.id),
      object_id: `telegram:chat:${COMMUNITY_CHAT}`,
      attributes: { chars: 42, words: 6, kind: 'text' },
    });
    expect((event!['occurred_at'] as Date).toISOString()).toBe('2025-10-15T03:46:40.000Z');
    const [identity] = await store.db.query('select member_id from identities where provider = $1 and external_id = $2', ['telegram', String(update.message.from.id)]);
    expect(identity).toEqual({ member_id: event!['member_id'] });
  });

  it('counts media with a caption by the caption, and a sticker with no words', async () => {
    const photo = fixtures.photoWithCaption();
    const sticker = fixtures.sticker();
    expect((await post(photo)).body.status).toBe('accepted');
    expect((await post(sticker)).body.status).toBe('accepted');
    const rows = await store.db.query<{ source_event_id: string; attributes: object }>(
      'select source_event_id, attributes from events where source_event_id = any($1) order by source_event_id',
      [[String(photo.update_id), String(sticker.update_id)]],
    );
    expect(rows.map((r) => r.attributes)).toEqual([
      { chars: 13, words: 2, kind: 'photo' },
      { chars: 0, words: 0, kind: 'sticker' },
    ]);
  });

  it('marks a forwarded message as forwarded', async () => {
    const update = fixtures.forwarded();
    await post(update);
    const [row] = await store.db.query<{ attributes: object }>('select attributes from events where source_event_id = $1', [String(update.update_id)]);
    expect(row!.attributes).toEqual({ chars: 16, words: 2, kind: 'text', forwarded: true });
  });

  it('answers a re-delivered update as a duplicate and stores it once', async () => {
    const update = fixtures.text();
    expect((await post(update)).body.status).toBe('accepted');
    const before = await countEvents(store.db);
    const again = await post(update);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ status: 'duplicate' });
    expect(await countEvents(store.db)).toBe(before);
  });

  const skipped: [string, () => unknown, string][] = [
    ['a bot', fixtures.fromBot, 'sent by a bot'],
    ['an anonymous administrator', fixtures.anonymousAdmin, 'sent on behalf of a chat'],
    ['a linked channel\'s automatic forward', fixtures.channelForward, 'sent on behalf of a chat'],
    ['a member joining', fixtures.memberJoined, 'a service message'],
    ['a member leaving', fixtures.memberLeft, 'a service message'],
    ['a pinned message', fixtures.pinned, 'a service message'],
    ['a new chat title', fixtures.titleChanged, 'a service message'],
    ['a message in another chat', fixtures.otherChat, 'is not one of the source\'s chats'],
    ['a private message to the bot', fixtures.privateChat, 'is not one of the source\'s chats'],
    ['an edited message', fixtures.edited, 'update kind edited_message is not counted'],
    ['a channel post', fixtures.channelPost, 'update kind channel_post is not counted'],
    ['a callback query', fixtures.callbackQuery, 'update kind callback_query is not counted'],
    ['a reaction', fixtures.reaction, 'update kind message_reaction is not counted'],
    ['a chat member change', fixtures.chatMember, 'update kind chat_member is not counted'],
  ];
  it.each(skipped)('skips %s with 200, stores nothing and logs it as ignored', async (_what, make, reason) => {
    const before = await countEvents(store.db);
    const ignoredBefore = (await status()).counts.ignored;
    const res = await post(make());
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ignored');
    expect(res.body.reason).toContain(reason);
    expect(await countEvents(store.db)).toBe(before);
    expect((await status()).counts.ignored).toBe(ignoredBefore + 1);
  });

  it('does not count an edit of a counted message a second time', async () => {
    const original = fixtures.text();
    await post(original);
    const before = await countEvents(store.db);
    const res = await post({ update_id: original.update_id + 1_000_000, edited_message: { ...original.message, edit_date: 1_760_500_500, text: 'Новый текст' } });
    expect(res.body.status).toBe('ignored');
    expect(await countEvents(store.db)).toBe(before);
  });

  const wrongSecrets: [string, Record<string, string>][] = [
    ['a missing secret token', { 'x-telegram-bot-api-secret-token': '' }],
    ['a wrong secret token', { 'x-telegram-bot-api-secret-token': 'tg-secret-0123456789abcdeX' }],
    ['a secret token of another length', { 'x-telegram-bot-api-secret-token': `${SECRET}0` }],
  ];
  it.each(wrongSecrets)('refuses %s with 401, stores nothing and logs the rejection', async (_what, headers) => {
    const before = await countEvents(store.db);
    const rejected = (await status()).counts.rejected;
    const res = await hook.request('POST', '/hooks/telegram', fixtures.text(), headers);
    expect(res.status).toBe(401);
    expect(await countEvents(store.db)).toBe(before);
    const after = await status();
    expect(after.counts.rejected).toBe(rejected + 1);
    expect(after.recent_rejects[0]!.reason).toContain('X-Telegram-Bot-Api-Secret-Token');
  });

  it('refuses without a header at all', async () => {
    const res = await hook.request('POST', '/hooks/telegram', fixtures.text());
    expect(res.status).toBe(401);
  });

  const badBodies: [string, unknown, Record<string, string>, number][] = [
    ['not JSON', '{"update_id": 1, "secret_note": "Прочитала',  {}, 400],
    ['not UTF-8', new Uint8Array([0x7b, 0xff, 0x7d]), {}, 400],
    ['another media type', 'update_id=1', { 'content-type': 'application/x-www-form-urlencoded' }, 415],
    ['a JSON array', [fixtures.text()], {}, 400],
    ['no update_id', { message: fixtures.text().message }, {}, 400],
    ['a negative update_id', { ...fixtures.text(), update_id: -5 }, {}, 400],
    ['an update_id that is a string', { ...fixtures.text(), update_id: '5' }, {}, 400],
    ['a message without a chat', { update_id: 9, message: { message_id: 1, date: 1_760_500_000, from: member(), text: 'hi' } }, {}, 400],
    ['a message with a non-numeric date', messageUpdate({ date: 'yesterday' }), {}, 400],
    ['a sender without is_bot', messageUpdate({ from: { id: 5, first_name: 'X' } }), {}, 400],
    ['a message dated in the future', messageUpdate({ date: 1_900_000_000 }), {}, 400],
    ['a body over 1 MB', messageUpdate({ text: 'x'.repeat(1024 * 1024) }), {}, 413],
  ];
  it.each(badBodies)('answers %s with 4xx, stores nothing and logs the reason', async (_what, body, headers, code) => {
    const before = await countEvents(store.db);
    const rejected = (await status()).counts.rejected;
    const res = await post(body, headers);
    expect(res.status).toBe(code);
    expect(await countEvents(store.db)).toBe(before);
    const after = await status();
    expect(after.counts.rejected).toBe(rejected + 1);
    expect(after.recent_rejects[0]!.reason).not.toContain('Прочитала');
  });

  it('answers 409 to an update id seen before with another message, and keeps the first', async () => {
    const update = fixtures.text();
    await post(update);
    const res = await post({ ...update, message: { ...update.message, text: 'совсем другое' } });
    expect(res.status).toBe(409);
  });

  it('serves more than one bot, each with its own secret and chats', async () => {
    const chat = -1002222222222;
    await registerSource(store.db, { name: 'telegram-mentors', kind: 'telegram', secret: 'mentors-secret-0123456789', settings: { chats: [chat] } }, 'test');
    const update = messageUpdate({ chat: { id: chat, type: 'supergroup', title: 'Менторы' } });
    expect((await post(update, {}, '/hooks/telegram/telegram-mentors')).status).toBe(401);
    const res = await post(update, { 'x-telegram-bot-api-secret-token': 'mentors-secret-0123456789' }, '/hooks/telegram/telegram-mentors');
    expect(res.body).toEqual({ status: 'accepted' });
    const [row] = await store.db.query('select source from events where source_event_id = $1 and source = $2', [String(update.update_id), 'telegram-mentors']);
    expect(row).toEqual({ source: 'telegram-mentors' });
    // The default bot does not count the mentors' chat.
    expect((await post(messageUpdate({ chat: { id: chat, type: 'supergroup' } }))).body.status).toBe('ignored');
  });

  it('answers 404 for an unknown source or a source of another kind, logging nothing', async () => {
    await registerSource(store.db, { name: 'partner', kind: 'signed' }, 'test');
    expect((await post(fixtures.text(), {}, '/hooks/telegram/nobody')).status).toBe(404);
    expect((await post(fixtures.text(), {}, '/hooks/telegram/partner')).status).toBe(404);
    expect((await sourceStatus(store.db, 'partner')).counts).toEqual({ accepted: 0, duplicate: 0, ignored: 0, rejected: 0 });
  });

  it('keeps the status: last event, counts per outcome and events stored', async () => {
    const s = await status();
    expect(s.kind).toBe('telegram');
    expect(s.last_received_at).toBeInstanceOf(Date);
    expect(s.counts.accepted).toBe(s.events);
    expect(s.counts.duplicate).toBeGreaterThanOrEqual(1);
    expect(s.recent_rejects.length).toBeGreaterThan(0);
  });
});
