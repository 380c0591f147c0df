import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { STORES, type TestStore } from '../helpers/stores.ts';
import { type Api, apiFor } from '../helpers/api.ts';
import { createApiKey } from '../../src/store/api-keys.ts';
import { listAudit } from '../../src/store/audit.ts';
import { KEPT_REJECTS, type DeliveryStatus, recordDelivery, sourceStatus } from '../../src/sources/deliveries.ts';
import { getSource, hookPath, registerSource, rotateSecret, secretMatches, validateSource } from '../../src/sources/registry.ts';

describe('source validation', () => {
  const fields = (input: Parameters<typeof validateSource>[0]) => {
    try {
      validateSource(input);
      return [];
    } catch (error) {
      return (error as { errors: { field: string }[] }).errors.map((e) => e.field);
    }
  };

  it('names every wrong field', () => {
    expect(fields({ name: 'Forum!', kind: 'myspace', secret: 'short' })).toEqual(['name', 'kind', 'secret']);
    expect(fields({ name: 'tg', kind: 'telegram', settings: { chats: ['x'] } })).toEqual(['settings.chats.0']);
    expect(fields({ name: 'tg', kind: 'telegram', settings: { chat: [1] } })).toEqual(['settings.chat']);
    expect(fields({ name: 'tg', kind: 'telegram', secret: 'has spaces and = signs!!' })).toEqual(['secret']);
    expect(fields({ name: 'partner', kind: 'signed', secret: 'printable=ascii!0123' })).toEqual([]);
    expect(fields({ name: 'stripe', kind: 'stripe', settings: { timezone: 'Mars/Olympus', test_mode: 'yes' } })).toEqual(['settings.timezone', 'settings.test_mode']);
    expect(fields({ name: 'cp', kind: 'cloudpayments', settings: { test_mode: true } })).toEqual([]);
  });

  it('tells each kind of source where its hook is', () => {
    expect(hookPath({ name: 'discourse', kind: 'discourse' })).toBe('/hooks/discourse');
    expect(hookPath({ name: 'forum2', kind: 'discourse' })).toBe('/hooks/discourse/forum2');
    expect(hookPath({ name: 'stripe', kind: 'stripe' })).toBe('/hooks/stripe');
    expect(hookPath({ name: 'cp-eu', kind: 'cloudpayments' })).toBe('/hooks/cloudpayments/cp-eu');
    expect(hookPath({ name: 'bot2', kind: 'telegram' })).toBe('/hooks/telegram/bot2');
    expect(hookPath({ name: 'partner', kind: 'signed' })).toBe('/hooks/sources/partner');
    expect(hookPath({ name: 'old', kind: 'myspace' })).toBeNull();
  });

  it('compares secrets whatever their lengths', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(secretMatches(a, b)).toBe(a === b);
      }),
    );
    expect(secretMatches(undefined, 'x')).toBe(false);
  });
});

describe.each(STORES)('source registry ($name)', (kind) => {
  let store: TestStore;
  let admin: Api;
  let reader: Api;
  let ingester: Api;
  beforeAll(async () => {
    store = await kind.open();
    admin = apiFor(store.db);
    reader = apiFor(store.db, { key: (await createApiKey(store.db, 'reader', ['read'], 'test')).key });
    ingester = apiFor(store.db, { key: (await createApiKey(store.db, 'ingester', ['ingest'], 'test')).key });
  });
  afterAll(() => store.destroy());

  it('registers a source with a generated strong secret and audits it without the secret', async () => {
    const source = await registerSource(store.db, { name: 'forum', kind: 'discourse' }, 'cli:anna');
    expect(source.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await getSource(store.db, 'forum')).toEqual(source);
    const [entry] = await listAudit(store.db, 'source:forum');
    expect(entry).toMatchObject({ actor: 'cli:anna', action: 'source.register', details: { kind: 'discourse', secret_given: false } });
    expect(JSON.stringify(entry)).not.toContain(source.secret);
    const other = await registerSource(store.db, { name: 'forum-2', kind: 'discourse' }, 'test');
    expect(other.secret).not.toBe(source.secret);
  });

  it('refuses a name taken, changing nothing', async () => {
    await expect(registerSource(store.db, { name: 'forum', kind: 'signed' }, 'test')).rejects.toMatchObject({ code: 'conflict' });
    expect((await getSource(store.db, 'forum'))!.kind).toBe('discourse');
  });

  it('rotates a secret, audited, never logging it', async () => {
    const before = (await getSource(store.db, 'forum'))!.secret;
    const after = await rotateSecret(store.db, 'forum', 'test');
    expect(after.secret).not.toBe(before);
    expect((await rotateSecret(store.db, 'forum', 'test', 'chosen-secret-0123456789')).secret).toBe('chosen-secret-0123456789');
    await expect(rotateSecret(store.db, 'forum', 'test', 'short')).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(rotateSecret(store.db, 'nobody', 'test')).rejects.toMatchObject({ code: 'not_found' });
    const audit = await listAudit(store.db, 'source:forum');
    expect(audit.filter((e) => e.action === 'source.rotate_secret')).toHaveLength(2);
    expect(JSON.stringify(audit)).not.toContain('chosen-secret');
  });

  it('counts deliveries per outcome and keeps the last rejections, newest first', async () => {
    await registerSource(store.db, { name: 'counted', kind: 'signed' }, 'test');
    const at = (s: number) => new Date(Date.UTC(2025, 9, 1, 0, 0, s));
    await recordDelivery(store.db, 'counted', { status: 'accepted', events: 3, at: at(1) });
    await recordDelivery(store.db, 'counted', { status: 'duplicate', at: at(2) });
    await recordDelivery(store.db, 'counted', { status: 'ignored', reason: 'not counted', at: at(3) });
    await recordDelivery(store.db, 'counted', { status: 'rejected', reason: 'bad signature', at: at(4) });
    await recordDelivery(store.db, 'counted', { status: 'rejected', reason: 'x'.repeat(1000), at: at(4) });
    const status = await sourceStatus(store.db, 'counted');
    expect(status).toMatchObject({
      name: 'counted',
      kind: 'signed',
      last_received_at: at(1),
      last_delivery_at: at(4),
      counts: { accepted: 1, duplicate: 1, ignored: 1, rejected: 2 },
      events: 3,
    });
    expect(status.recent_rejects.map((r) => r.reason)).toEqual(['x'.repeat(300), 'bad signature']);
    await expect(sourceStatus(store.db, 'nobody')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('keeps the log bounded: one row of counters and at most 20 rejections, whatever the flood', async () => {
    await registerSource(store.db, { name: 'flooded', kind: 'signed' }, 'test');
    await Promise.all(Array.from({ length: 60 }, (_, n) => recordDelivery(store.db, 'flooded', { status: 'rejected', reason: `bad ${n}` })));
    const [rows] = await store.db.query<{ counters: number; rejects: number }>(
      `select (select count(*)::int from source_deliveries where source = 'flooded') as counters,
              (select count(*)::int from source_rejects where source = 'flooded') as rejects`,
    );
    expect(rows).toEqual({ counters: 1, rejects: KEPT_REJECTS });
    const status = await sourceStatus(store.db, 'flooded');
    expect(status.counts.rejected).toBe(60);
    expect(new Set(status.recent_rejects.map((r) => r.reason)).size).toBe(KEPT_REJECTS);
  });

  it('counts any sequence of outcomes exactly (property)', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom<DeliveryStatus>('accepted', 'duplicate', 'ignored', 'rejected'), { maxLength: 30 }), async (outcomes) => {
        const name = `prop-${n++}`;
        await registerSource(store.db, { name, kind: 'signed' }, 'test');
        for (const status of outcomes) await recordDelivery(store.db, name, { status, events: status === 'accepted' ? 2 : 0, reason: status });
        const s = await sourceStatus(store.db, name);
        for (const status of ['accepted', 'duplicate', 'ignored', 'rejected'] as const) {
          expect(s.counts[status]).toBe(outcomes.filter((o) => o === status).length);
        }
        expect(s.events).toBe(2 * s.counts.accepted);
        expect(s.recent_rejects).toHaveLength(Math.min(KEPT_REJECTS, s.counts.rejected));
      }),
      { numRuns: 15 },
    );
  });

  describe('over HTTP', () => {
    it('registers with the admin scope and shows the secret only in that answer', async () => {
      const res = await admin.request('POST', '/api/v1/sources', { name: 'telegram', kind: 'telegram', settings: { chats: [-1001234567890] } });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ name: 'telegram', kind: 'telegram', hook: '/hooks/telegram', settings: { chats: [-1001234567890] } });
      expect(res.body.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const listed = await reader.request('GET', '/api/v1/sources');
      expect(listed.status).toBe(200);
      expect(listed.body.sources.map((s: { name: string }) => s.name)).toContain('telegram');
      expect(JSON.stringify(listed.body)).not.toContain(res.body.secret);
      const one = await reader.request('GET', '/api/v1/sources/telegram');
      expect(JSON.stringify(one.body)).not.toContain(res.body.secret);
    });

    it('refuses registration without the admin scope, and bad input naming the field', async () => {
      expect((await reader.request('POST', '/api/v1/sources', { name: 'x', kind: 'signed' })).status).toBe(403);
      expect((await ingester.request('POST', '/api/v1/sources', { name: 'x', kind: 'signed' })).status).toBe(403);
      expect((await apiFor(store.db, { key: null }).request('GET', '/api/v1/sources')).status).toBe(401);
      const bad = await admin.request('POST', '/api/v1/sources', { name: 'x', kind: 'myspace' });
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['kind']);
      const extra = await admin.request('POST', '/api/v1/sources', { name: 'x', kind: 'signed', owner: 'me' });
      expect(extra.body.errors).toEqual([{ field: 'owner', reason: 'is not a known field' }]);
      expect((await admin.request('POST', '/api/v1/sources', { name: 'telegram', kind: 'signed' })).status).toBe(409);
      expect(await getSource(store.db, 'x')).toBeNull();
    });

    it('shows a source\'s status with counts and rejections', async () => {
      await recordDelivery(store.db, 'telegram', { status: 'rejected', reason: 'wrong secret token' });
      const res = await reader.request('GET', '/api/v1/sources/telegram');
      expect(res.status).toBe(200);
      expect(res.body.status).toMatchObject({ counts: { accepted: 0, duplicate: 0, ignored: 0, rejected: 1 }, events: 0, last_received_at: null });
      expect(res.body.status.recent_rejects).toEqual([{ at: expect.any(String), reason: 'wrong secret token' }]);
      expect((await reader.request('GET', '/api/v1/sources/nobody')).status).toBe(404);
    });

    it('rotates a secret with the admin scope, generated or given', async () => {
      const generated = await admin.request('POST', '/api/v1/sources/telegram/secret');
      expect(generated.status).toBe(200);
      expect(generated.body.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const given = await admin.request('POST', '/api/v1/sources/telegram/secret', { secret: 'my-own-telegram-secret-01' });
      expect(given.body.secret).toBe('my-own-telegram-secret-01');
      expect((await getSource(store.db, 'telegram'))!.secret).toBe('my-own-telegram-secret-01');
      const bad = await admin.request('POST', '/api/v1/sources/telegram/secret', { secret: 'not allowed by telegram!' });
      expect(bad.status).toBe(400);
      expect((await reader.request('POST', '/api/v1/sources/telegram/secret')).status).toBe(403);
      expect((await admin.request('POST', '/api/v1/sources/nobody/secret')).status).toBe(404);
    });

    it('changes settings and switches a source off and on with the admin scope', async () => {
      const changed = await admin.request('PATCH', '/api/v1/sources/telegram', { settings: { chats: [-1003333333333] } });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ settings: { chats: [-1003333333333] }, disabled_at: null });
      expect(changed.body.secret).toBeUndefined();
      const bad = await admin.request('PATCH', '/api/v1/sources/telegram', { settings: { chats: 'all' } });
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['settings.chats']);
      expect((await getSource(store.db, 'telegram'))!.settings).toEqual({ chats: [-1003333333333] });
      expect((await reader.request('PATCH', '/api/v1/sources/telegram', { disabled: true })).status).toBe(403);

      const hook = apiFor(store.db, { key: null });
      const update = { update_id: 1, message: { message_id: 1, date: 1_760_500_000, chat: { id: -1003333333333, type: 'supergroup' }, from: { id: 5, is_bot: false }, text: 'hi' } };
      const headers = { 'x-telegram-bot-api-secret-token': 'my-own-telegram-secret-01' };
      const off = await admin.request('PATCH', '/api/v1/sources/telegram', { disabled: true });
      expect(off.body.disabled_at).toEqual(expect.any(String));
      expect((await hook.request('POST', '/hooks/telegram', update, headers)).status).toBe(404);
      expect((await admin.request('PATCH', '/api/v1/sources/telegram', { disabled: false })).body.disabled_at).toBeNull();
      expect((await hook.request('POST', '/hooks/telegram', update, headers)).body).toEqual({ status: 'accepted' });
      const audit = await listAudit(store.db, 'source:telegram');
      expect(audit.filter((e) => e.action === 'source.update').map((e) => e.details)).toEqual([{ disabled: false }, { disabled: true }, { settings: { chats: [-1003333333333] } }]);
    });

    it('lists the source endpoints in the OpenAPI document', async () => {
      const doc = (await apiFor(store.db, { key: null }).request('GET', '/api/openapi.json')).body;
      for (const path of ['/api/v1/sources', '/api/v1/sources/{name}', '/api/v1/sources/{name}/secret', '/hooks/telegram', '/hooks/telegram/{name}', '/hooks/sources/{name}']) {
        expect(Object.keys(doc.paths)).toContain(path);
      }
    });
  });
});
