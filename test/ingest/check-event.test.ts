import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkEvent, plainEvent } from '../../src/schemas/check-event.ts';
import { fieldErrors } from '../../src/schemas/common.ts';
import { EventBody, timeErrors } from '../../src/schemas/event.ts';
import type { EventInput } from '../../src/core/event.ts';
import { syntheticEvent } from '../../bench/events-file.ts';

const NOW = new Date('2026-01-01T00:00:00Z');

/** What checking an event means: the schema, then the time. The fast path must never differ from it. */
function bySchema(raw: unknown) {
  const parsed = EventBody.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const errors = timeErrors(parsed.data as EventInput, NOW);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, event: parsed.data };
}

// Each field is mostly valid, with the values at and just past each of the schema's limits,
// so that most events are whole and a few differ by one thing.
const mostly = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>) =>
  fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: invalid, weight: 1 });
const text = mostly(
  fc.oneof(fc.string({ minLength: 1, maxLength: 200 }), fc.constantFrom('x'.repeat(200), 'я😀', 'x')),
  fc.constantFrom('', 'x'.repeat(201), 'a\u0000b', 'a\uD800b', 7, null),
);
const slugs = mostly(
  fc.oneof(fc.stringMatching(/^[a-z0-9][a-z0-9_.-]{0,63}$/), fc.constantFrom('x'.repeat(64), '0.-_')),
  fc.constantFrom('Forum', '', '-x', 'x'.repeat(65), 3),
);
const actions = mostly(fc.constantFrom('course.section.read', 'a.b', `a.${'b'.repeat(98)}`), fc.constantFrom('a', 'A.b', 'a..b', `a.${'b'.repeat(99)}`, 1));
const times = mostly(
  fc.constantFrom('2025-09-01T10:00:00+03:00', '2025-09-01T07:00:00.123456Z', '2024-02-29T00:00:00Z', '2026-01-01T00:04:59Z', '2000-01-01T00:00:00Z'),
  fc.constantFrom('2025-02-29T00:00:00Z', '2025-09-01T10:00:00', '2025-09-01 10:00:00Z', '2025-09-01T24:00:00Z', '1999-12-31T23:59:59Z', '2026-01-01T00:05:01Z', 'yesterday', 0),
);
const actors = mostly(
  fc.oneof(
    fc.record({ member_id: fc.oneof(fc.integer({ min: 1, max: 1e6 }), fc.constant(Number.MAX_SAFE_INTEGER)) }),
    fc.record({ provider: slugs, external_id: text }),
  ),
  fc.oneof(
    fc.record({ member_id: fc.constantFrom(0, -1, 1.5, 2 ** 53, '1') }),
    fc.record({ provider: slugs, external_id: text }, { requiredKeys: [] }),
    fc.record({ member_id: fc.constant(1), provider: slugs, external_id: text, other: fc.constant(1) }, { requiredKeys: ['member_id'] }),
    fc.constantFrom(null, [], 'member:1'),
  ),
);
const attributes = mostly(
  fc.oneof(fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 3 })), fc.constantFrom({ deep: [[[[[[[1]]]]]]] }, { big: 'x'.repeat(16_000) })),
  fc.constantFrom([], null, 'words', { deep: [[[[[[[[[1]]]]]]]]] }, { big: 'x'.repeat(17_000) }, { bad: 'a\u0000' }, { 'a\u0000': 1 }),
);
const present = (percent: number) => fc.nat(99).map((n) => n < percent);
const raw = fc
  .record({
    event: fc.record({ source: slugs, source_event_id: text, action: actions, actor: actors, occurred_at: times, object: fc.option(text), attributes, extra: fc.constant(true) }),
    // Which fields the line has: nearly always the required ones, half the time the optional ones, seldom an unknown one.
    has: fc.record({
      source: present(97), source_event_id: present(97), action: present(97), actor: present(97), occurred_at: present(97),
      object: present(50), attributes: present(50), extra: present(5),
    }),
    proto: present(5),
  })
  // Values arrive from JSON.parse, which also makes own "__proto__" keys.
  .map(({ event, has, proto }) => {
    const line = Object.fromEntries(Object.entries(event).filter(([field]) => has[field as keyof typeof has]));
    const json = JSON.stringify(proto ? { ...line, attributes: 'PROTO' } : line);
    return JSON.parse(json.replace('"PROTO"', '{"__proto__":{"x":1},"k":1}')) as unknown;
  });

describe('checking an import line', () => {
  it('gives exactly what the schema gives, for values that pass and values that fail', () => {
    fc.assert(
      fc.property(raw, (value) => {
        expect(JSON.stringify(checkEvent(value, NOW))).toBe(JSON.stringify(bySchema(value)));
      }),
      { numRuns: 3000 },
    );
  });

  it('checks plain events without the schema, and returns the event the schema would', () => {
    for (let n = 0; n < 100; n += 1) {
      const value = JSON.parse(JSON.stringify(syntheticEvent(n))) as unknown;
      expect(JSON.stringify(plainEvent(value))).toBe(JSON.stringify(EventBody.parse(value)));
    }
    const byMember = { source: 'forum', source_event_id: 'p-1', action: 'forum.post.created', actor: { member_id: 4 }, occurred_at: '2025-09-01T10:00:00+03:00', object: null };
    expect(plainEvent(byMember)).toEqual(byMember);
  });

  it('leaves anything unusual to the schema, which explains what is wrong', () => {
    const base = syntheticEvent(1);
    expect(plainEvent({ ...base, extra: 1 })).toBeUndefined();
    expect(plainEvent({ ...base, actor: { member_id: 1, provider: 'forum' } })).toBeUndefined();
    expect(plainEvent({ ...base, occurred_at: '2025-02-29T00:00:00Z' })).toBeUndefined();
    expect(checkEvent({ ...base, occurred_at: '2025-02-29T00:00:00Z' }, NOW)).toMatchObject({ ok: false, errors: [{ field: 'occurred_at' }] });
  });
});
