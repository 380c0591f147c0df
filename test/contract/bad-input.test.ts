import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INGEST_LIMITS } from '../../src/schemas/event.ts';
import { type Api, NOW, anEvent, apiFor, countEvents } from '../helpers/api.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';

const isoIn = (ms: number) => new Date(NOW.getTime() + ms).toISOString();

/** Each class of bad input, the field the answer must name, and the status. */
const CASES: [string, () => unknown, string, number][] = [
  ['missing source', () => ({ ...anEvent(), source: undefined }), 'source', 400],
  ['source of the wrong type', () => anEvent({ source: 42 }), 'source', 400],
  ['unknown action key', () => anEvent({ action: 'forum.post.teleported' }), 'action', 400],
  ['malformed action key', () => anEvent({ action: 'Forum Post' }), 'action', 400],
  ['actor with neither member nor identity', () => anEvent({ actor: {} }), 'actor', 400],
  ['actor with both member and identity', () => anEvent({ actor: { member_id: 1, provider: 'forum', external_id: 'x' } }), 'actor', 400],
  ['identity without external_id', () => anEvent({ actor: { provider: 'forum' } }), 'actor', 400],
  ['negative member id', () => anEvent({ actor: { member_id: -3 } }), 'actor.member_id', 400],
  ['timestamp without offset', () => anEvent({ occurred_at: '2025-10-01T10:00:00' }), 'occurred_at', 400],
  ['timestamp that is not a date', () => anEvent({ occurred_at: 'yesterday' }), 'occurred_at', 400],
  ['timestamp in the future beyond skew', () => anEvent({ occurred_at: isoIn(INGEST_LIMITS.clock_skew_ms + 60_000) }), 'occurred_at', 400],
  ['absurdly old timestamp', () => anEvent({ occurred_at: '1970-01-01T00:00:00Z' }), 'occurred_at', 400],
  ['attributes that are not an object', () => anEvent({ attributes: [1, 2] }), 'attributes', 400],
  ['oversize attributes', () => anEvent({ attributes: { text: 'x'.repeat(INGEST_LIMITS.attributes_bytes) } }), 'attributes', 400],
  ['too deeply nested attributes', () => anEvent({ attributes: JSON.parse('{"a":'.repeat(12) + '1' + '}'.repeat(12)) }), 'attributes', 400],
  ['NUL in a text field', () => anEvent({ source_event_id: 'a\u0000b' }), 'source_event_id', 400],
  ['NUL inside attributes', () => anEvent({ attributes: { note: 'a\u0000b' } }), 'attributes', 400],
  ['lone surrogate in a text field', () => anEvent({ source_event_id: 'a\ud800b' }), 'source_event_id', 400],
  ['unknown field', () => anEvent({ ocurred_at: '2025-10-01T10:00:00Z' }), 'ocurred_at', 400],
  ['source_event_id too long', () => anEvent({ source_event_id: 'x'.repeat(201) }), 'source_event_id', 400],
  ['empty batch', () => [], '(body)', 400],
  ['batch over the limit', () => Array.from({ length: INGEST_LIMITS.events_per_request + 1 }, () => anEvent()), '(body)', 400],
  ['a JSON string instead of an event', () => 'hello', '(body)', 400],
];

describe.each(STORES)('bad input stores nothing ($name)', (kind) => {
  let store: TestStore;
  let api: Api;
  beforeAll(async () => {
    store = await kind.open();
    api = apiFor(store.db);
  });
  afterAll(() => store.destroy());

  it.each(CASES)('%s: a clear problem naming the field', async (_name, body, field, status) => {
    const before = await countEvents(store.db);
    const value = body();
    const res = await api.request('POST', '/api/v1/events', JSON.stringify(value));
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await countEvents(store.db)).toBe(before);
  });

  it('names the item of a batch that is wrong', async () => {
    const res = await api.request('POST', '/api/v1/events', [anEvent(), anEvent({ occurred_at: 'soon' })]);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ item: 1, field: 'occurred_at' })]);
  });

  it.each([
    ['malformed JSON', '{"source": "forum",', 'application/json', 400, 'malformed_body'],
    ['invalid UTF-8', new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), 'application/json', 400, 'malformed_body'],
    ['a body that is not JSON', 'source=forum', 'application/x-www-form-urlencoded', 415, 'unsupported_media_type'],
    ['an oversize body', JSON.stringify({ pad: 'x'.repeat(INGEST_LIMITS.body_bytes) }), 'application/json', 413, 'payload_too_large'],
  ])('%s: answered with a 4xx problem and nothing stored', async (_name, body, type, status, code) => {
    const before = await countEvents(store.db);
    const res = await api.request('POST', '/api/v1/events', body, { 'content-type': type });
    expect(res.status).toBe(status);
    expect(res.body.code).toBe(code);
    expect(await countEvents(store.db)).toBe(before);
  });

  it('never answers 5xx, whatever JSON arrives', async () => {
    const field = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.boolean(), fc.object(), fc.double());
    const mutated = fc.record({
      source: fc.oneof(fc.constant('forum'), field),
      source_event_id: fc.oneof(fc.string({ minLength: 1, unit: 'binary' }), field),
      action: fc.oneof(fc.constant('forum.post.created'), field),
      actor: fc.oneof(fc.record({ member_id: fc.oneof(fc.integer(), fc.double()) }), fc.record({ provider: fc.string(), external_id: fc.string({ unit: 'binary' }) }), field),
      occurred_at: fc.oneof(fc.constant('2025-10-01T10:00:00+03:00'), fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), field),
      object: fc.oneof(fc.string({ unit: 'binary' }), field),
      attributes: fc.oneof(fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue()), field),
    }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutated, fc.array(mutated, { maxLength: 3 }), fc.jsonValue()), async (body) => {
        const res = await api.request('POST', '/api/v1/events', JSON.stringify(body));
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
  });
});
