import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { STORES, type TestStore } from '../helpers/stores.ts';
import { type Api, NOW, anEvent, apiFor, countEvents } from '../helpers/api.ts';
import { registerSource, rotateSecret } from '../../src/sources/registry.ts';
import { sourceStatus } from '../../src/sources/deliveries.ts';
import { REPLAY_WINDOW_SECONDS, signPayload, signatureMatches, timestampProblem } from '../../src/sources/signed/signature.ts';

const SECRET = 'partner-secret-0123456789abcdef';
const nowSeconds = Math.floor(NOW.getTime() / 1000);

describe('signing', () => {
  it('signs timestamp + "." + raw body with HMAC-SHA256, as a sender computes it', () => {
    // Computed independently: echo -n '1760529600.{"a":1}' | openssl dgst -sha256 -hmac 'partner-secret-0123456789abcdef'
    expect(signPayload(SECRET, 1760529600, '{"a":1}')).toBe('sha256=fc8f9aa81e52a9d467e18876f6fc3071b5d42eced318408783861b2c1bbb082c');
  });

  it('accepts its own signature and refuses any change to secret, timestamp or body', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 16 }), fc.nat(), fc.uint8Array(), fc.uint8Array({ minLength: 1 }), (secret, ts, body, flip) => {
        const signature = signPayload(secret, ts, body);
        expect(signatureMatches(signature, secret, String(ts), body)).toBe(true);
        expect(signatureMatches(signature, `${secret}x`, String(ts), body)).toBe(false);
        expect(signatureMatches(signature, secret, String(ts + 1), body)).toBe(false);
        const changed = Uint8Array.from([...body, flip[0]!]);
        expect(signatureMatches(signature, secret, String(ts), changed)).toBe(false);
      }),
    );
  });

  it('refuses malformed signature headers', () => {
    const body = Buffer.from('{}');
    const good = signPayload(SECRET, 1, body);
    for (const header of [undefined, '', good.slice(7), `sha1=${good.slice(7)}`, good.slice(0, -2), `${good}00`, 'sha256=zz']) {
      expect(signatureMatches(header, SECRET, '1', body)).toBe(false);
    }
    expect(signatureMatches(good.toUpperCase().replace('SHA256=', 'sha256='), SECRET, '1', body)).toBe(true);
  });

  it('keeps timestamps within five minutes either way', () => {
    expect(timestampProblem(String(nowSeconds), NOW)).toBeNull();
    expect(timestampProblem(String(nowSeconds - REPLAY_WINDOW_SECONDS), NOW)).toBeNull();
    expect(timestampProblem(String(nowSeconds + REPLAY_WINDOW_SECONDS), NOW)).toBeNull();
    expect(timestampProblem(String(nowSeconds - REPLAY_WINDOW_SECONDS - 1), NOW)).toContain('old');
    expect(timestampProblem(String(nowSeconds + REPLAY_WINDOW_SECONDS + 1), NOW)).toContain('ahead');
    for (const bad of [undefined, '', '-5', '1.5', '1e9', ' 1760529600', String(NOW.getTime())]) expect(timestampProblem(bad, NOW)).not.toBeNull();
  });
});

describe.each(STORES)('signed webhook ($name)', (kind) => {
  let store: TestStore;
  let hook: Api;
  const status = () => sourceStatus(store.db, 'partner');

  /** Sends a body signed as a sender would; `tamper` changes what is sent after signing. */
  const send = (body: unknown, options: { ts?: number; secret?: string; headers?: Record<string, string>; path?: string; raw?: string } = {}) => {
    const text = options.raw ?? JSON.stringify(body);
    const ts = options.ts ?? nowSeconds;
    return hook.request('POST', options.path ?? '/hooks/sources/partner', text, {
      'content-type': 'application/json',
      'x-vklad-timestamp': String(ts),
      'x-vklad-signature': signPayload(options.secret ?? SECRET, ts, text),
      ...options.headers,
    });
  };
  const event = (overrides: Record<string, unknown> = {}) => {
    const { source: _source, ...rest } = anEvent({ action: 'event.attended', object: 'meetup:2025-10', attributes: {}, ...overrides });
    return rest;
  };

  beforeAll(async () => {
    store = await kind.open();
    hook = apiFor(store.db, { key: null });
    await registerSource(store.db, { name: 'partner', kind: 'signed', secret: SECRET }, 'test');
  });
  afterAll(() => store.destroy());

  it('stores one signed event under the source\'s name', async () => {
    const body = event({ source_event_id: 'meetup-1' });
    const res = await send(body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'created' });
    const [row] = await store.db.query('select source, source_event_id, action from events where id = $1', [res.body.id]);
    expect(row).toEqual({ source: 'partner', source_event_id: 'meetup-1', action: 'event.attended' });
  });

  it('forces the source to the registered name, whatever the body says', async () => {
    const res = await send({ ...event({ source_event_id: 'meetup-2' }), source: 'forum' });
    expect(res.status).toBe(201);
    const [row] = await store.db.query('select source from events where id = $1', [res.body.id]);
    expect(row).toEqual({ source: 'partner' });
  });

  it('stores a batch, and answers a re-delivery as existing', async () => {
    const batch = [event(), event(), event()];
    const first = await send(batch);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ created: 3, existing: 0 });
    const before = await countEvents(store.db);
    const again = await send(batch, { ts: nowSeconds + 60 });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: 0, existing: 3 });
    expect(await countEvents(store.db)).toBe(before);
    expect((await status()).counts.duplicate).toBeGreaterThanOrEqual(1);
  });

  const refusals: [string, (body: unknown) => ReturnType<typeof send>, string][] = [
    ['no signature', (b) => send(b, { headers: { 'x-vklad-signature': '' } }), 'X-Vklad-Signature'],
    ['a signature by another secret', (b) => send(b, { secret: 'someone-elses-secret-0123' }), 'X-Vklad-Signature'],
    ['a body changed after signing', (b) => send(b, { headers: { 'x-vklad-signature': signPayload(SECRET, nowSeconds, '{}') } }), 'X-Vklad-Signature'],
    ['no timestamp', (b) => send(b, { headers: { 'x-vklad-timestamp': '' } }), 'replay'],
    ['a timestamp changed after signing', (b) => send(b, { headers: { 'x-vklad-timestamp': String(nowSeconds + 1) } }), 'X-Vklad-Signature'],
    ['a replay six minutes old', (b) => send(b, { ts: nowSeconds - 360 }), 'replay'],
    ['a timestamp six minutes ahead', (b) => send(b, { ts: nowSeconds + 360 }), 'replay'],
  ];
  it.each(refusals)('refuses %s with 401 before reading the body, storing nothing', async (_what, request, reason) => {
    const before = await countEvents(store.db);
    const rejected = (await status()).counts.rejected;
    const res = await request(event());
    expect(res.status).toBe(401);
    expect(await countEvents(store.db)).toBe(before);
    const after = await status();
    expect(after.counts.rejected).toBe(rejected + 1);
    expect(after.recent_rejects[0]!.reason).toContain(reason);
  });

  it('checks the signature before the body: an unsigned non-JSON body is a 401, not a 400', async () => {
    const res = await hook.request('POST', '/hooks/sources/partner', 'not json', { 'content-type': 'application/json', 'x-vklad-timestamp': String(nowSeconds) });
    expect(res.status).toBe(401);
  });

  const badBodies: [string, { body?: unknown; raw?: string; headers?: Record<string, string> }, number][] = [
    ['not JSON', { raw: '{"action": "private words' }, 400],
    ['another media type', { raw: 'a=1', headers: { 'content-type': 'text/plain' } }, 415],
    ['an empty array', { body: [] }, 400],
    ['a JSON string', { body: 'event' }, 400],
    ['no action', { body: { ...event(), action: undefined } }, 400],
    ['an action not in the catalogue', { body: event({ action: 'no.such.action' }) }, 400],
    ['an unknown field', { body: { ...event(), extra: 1 } }, 400],
    ['an actor with neither member nor identity', { body: event({ actor: {} }) }, 400],
    ['a member that does not exist', { body: event({ actor: { member_id: 999_999 } }) }, 400],
    ['a time in the future', { body: event({ occurred_at: '2030-01-01T00:00:00Z' }) }, 400],
    ['a time without offset', { body: event({ occurred_at: '2025-10-01T10:00:00' }) }, 400],
    ['a batch with one bad event', { body: [event(), event({ action: 'no.such.action' })] }, 400],
    ['a batch over 1000 events', { body: Array.from({ length: 1001 }, () => event()) }, 400],
    ['attributes with NUL', { body: event({ attributes: { note: 'a\u0000b' } }) }, 400],
  ];
  it.each(badBodies)('answers %s with 4xx, storing nothing, and logs the reason', async (_what, { body, raw, headers }, code) => {
    const before = await countEvents(store.db);
    const rejected = (await status()).counts.rejected;
    const res = await send(body, { raw, headers });
    expect(res.status).toBe(code);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await countEvents(store.db)).toBe(before);
    const after = await status();
    expect(after.counts.rejected).toBe(rejected + 1);
    expect(after.recent_rejects[0]!.reason).toBe(after.recent_rejects[0]!.reason.slice(0, 300));
    expect(after.recent_rejects[0]!.reason).not.toContain('private words');
  });

  it('answers 409 to an event id seen before with other content, storing nothing', async () => {
    const first = event();
    await send(first);
    const res = await send({ ...first, object: 'meetup:other' });
    expect(res.status).toBe(409);
  });

  it('refuses a body over 8 MB with 413', async () => {
    const res = await send(null, { raw: `{"pad":"${'x'.repeat(8 * 1024 * 1024)}"}` });
    expect(res.status).toBe(413);
  });

  it('answers 404 for an unknown source and for a source of another kind', async () => {
    await registerSource(store.db, { name: 'tg-bot', kind: 'telegram', secret: SECRET }, 'test');
    expect((await send(event(), { path: '/hooks/sources/nobody' })).status).toBe(404);
    expect((await send(event(), { path: '/hooks/sources/tg-bot' })).status).toBe(404);
  });

  it('stops accepting the old secret the moment it is rotated', async () => {
    await registerSource(store.db, { name: 'rotating', kind: 'signed', secret: SECRET }, 'test');
    const path = '/hooks/sources/rotating';
    expect((await send(event(), { path })).status).toBe(201);
    const { secret } = await rotateSecret(store.db, 'rotating', 'test');
    expect((await send(event(), { path })).status).toBe(401);
    expect((await send(event(), { path, secret })).status).toBe(201);
  });

  it('keeps at most the last 20 rejections however many arrive', async () => {
    for (let n = 0; n < 30; n += 1) await send(event(), { ts: nowSeconds - 1000 });
    const s = await status();
    expect(s.recent_rejects).toHaveLength(20);
    const [rows] = await store.db.query<{ n: number }>("select count(*)::int as n from source_rejects where source = 'partner'");
    expect(rows!.n).toBe(20);
  });
});
