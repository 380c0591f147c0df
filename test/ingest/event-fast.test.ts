import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { syntheticEvent } from '../../bench/events-file.ts';
import { checkEventFast, fastEventBody } from '../../src/schemas/event-fast.ts';
import { checkEvent, EventBody, INGEST_LIMITS } from '../../src/schemas/event.ts';
import { NOW } from '../helpers/api.ts';

// Values on both sides of every rule's edge: lengths, characters, ranges, shapes.
const lower = fc.constantFrom(...'abcxyz019_.-');
const word = (min: number, max: number) => fc.string({ unit: lower, minLength: min, maxLength: max });
const oddText = fc.constantFrom('', 'a\u0000b', '\uD800', 'x\uDFFF', 'Ab', ' a', 'a\n', '😀', 'ё');
const anyOf = <T>(...arbs: fc.Arbitrary<T>[]) => fc.oneof(...arbs);
const strange = fc.constantFrom<unknown>(undefined, null, 0, 1, true, [], {}, 'x', Number.NaN, ['a']);

const slugValue = anyOf<unknown>(
  fc.constantFrom('forum', 'a', '0', 'a'.repeat(64), 'a'.repeat(65), '_a', '-a', '.a', 'Forum', 'a b', 'forum\n', 'форум'),
  fc.tuple(fc.constantFrom(...'az09'), word(0, 66)).map(([a, b]) => a + b),
  oddText,
  strange,
);
const textOf = (max: number) =>
  anyOf<unknown>(
    fc.integer({ min: 0, max: max + 2 }).map((n) => 'p'.repeat(n)),
    fc.integer({ min: max - 2, max }).map((n) => `${'q'.repeat(n)}😀`),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.string({ maxLength: 30 }),
    oddText,
    strange,
  );
const actionValue = anyOf<unknown>(
  fc.constantFrom('forum.post.created', 'a.b', 'a', 'a.', '.a', 'a..b', 'A.b', 'a.B', 'a_1.b_2', '1a.b', 'a.1b', 'a-b.c', 'a.b\n'),
  fc.integer({ min: 97, max: 102 }).map((n) => `a.${'b'.repeat(n - 2)}`),
  fc.array(fc.string({ unit: fc.constantFrom(...'ab_1.'), minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 4 }).map((w) => w.join('.')),
  strange,
);
const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
const timestampValue = anyOf<unknown>(
  fc
    .tuple(
      fc.integer({ min: 1990, max: 2101 }),
      two(13),
      two(32),
      two(24),
      two(60),
      two(60),
      fc.constantFrom('', '.5', '.123', '.123456789', '.'),
      fc.constantFrom('Z', 'z', '+00:00', '+03:00', '-23:59', '+24:00', '+0300', '', '+3:00'),
    )
    .map(([y, mo, d, h, mi, s, frac, off]) => `${y}-${mo}-${d}T${h}:${mi}:${s}${frac}${off}`),
  fc.date({ min: new Date('1999-06-01'), max: new Date('2027-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2024-02-29T10:00:00Z', '2023-02-29T10:00:00Z', '2000-02-29T00:00:00+01:00', '1900-02-29T00:00:00Z', '2025-09-01T10:00+03:00', '2025-09-01 10:00:00Z', '2025-09-01', '2025-04-31T00:00:00Z'),
  strange,
);
const memberIdValue = anyOf<unknown>(
  fc.integer({ min: -2, max: 1_000_000 }),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 1, 1.5, -0, Number.POSITIVE_INFINITY, '5', 5n),
  strange,
);
const actorValue = anyOf<unknown>(
  fc.record({ member_id: memberIdValue }),
  fc.record({ provider: slugValue, external_id: textOf(200) }),
  fc.record({ member_id: memberIdValue, provider: slugValue, external_id: textOf(200), extra: strange }, { requiredKeys: [] }),
  fc.record({ member_id: fc.constant(7), provider: fc.constant('forum'), external_id: fc.constant('x'), extra: fc.constant(1) }, { requiredKeys: [] }),
  strange,
);
/** JSON values with text that may not be storable, nested around the depth limit. */
const jsonLeaf = anyOf<unknown>(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.string({ maxLength: 12 }), oddText);
const nested = (depth: number, leaf: unknown): unknown => (depth === 0 ? leaf : depth % 2 ? { k: nested(depth - 1, leaf) } : [nested(depth - 1, leaf)]);
const { json } = fc.letrec((tie) => ({
  json: fc.oneof({ depthSize: 'small' }, jsonLeaf, fc.array(tie('json'), { maxLength: 4 }), fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), oddText), tie('json'), { maxKeys: 4 })),
}));
const attributesValue = anyOf<unknown>(
  fc.dictionary(fc.string({ maxLength: 8 }), json, { maxKeys: 5 }),
  fc.tuple(fc.integer({ min: 6, max: 10 }), jsonLeaf).map(([depth, leaf]) => ({ deep: nested(depth, leaf) })),
  // Around the size limit, in one-byte, two-byte and escaped characters.
  fc
    .tuple(fc.integer({ min: -12, max: 12 }), fc.constantFrom('a', 'ё', '\n', '"', '😀'))
    .map(([delta, ch]) => ({ big: ch.repeat(Math.max(0, Math.floor((INGEST_LIMITS.attributes_bytes - 10) / Buffer.byteLength(JSON.stringify(ch).slice(1, -1))) + delta)) })),
  fc
    .tuple(fc.integer({ min: -12, max: 12 }), fc.constantFrom('a', 'ё', '\n'))
    .map(([delta, ch]) => ({ [ch.repeat(Math.floor((INGEST_LIMITS.attributes_bytes - 8) / Buffer.byteLength(JSON.stringify(ch).slice(1, -1))) + delta)]: 1 })),
  fc.constantFrom(JSON.parse('{"__proto__": {"a": 1}}'), JSON.parse('{"a": {"__proto__": 1}}'), { constructor: 1 }, [1], Object.create(null), new Date(0)),
  strange,
);

/** What reaches the checker in practice: a value parsed from JSON. */
const asParsedJson = (value: unknown): unknown => {
  try {
    return JSON.parse(JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? Number(v) : v)) ?? 'null');
  } catch {
    return value;
  }
};

// The same events as a source would normally send: every field well inside the rules.
const validEvent = fc.record(
  {
    source: fc.tuple(fc.constantFrom(...'az09'), word(0, 63)).map(([a, b]) => a + b),
    source_event_id: fc.string({ minLength: 1, maxLength: 100 }).filter((s) => !s.includes('\u0000')),
    action: fc.array(fc.tuple(fc.constantFrom(...'az'), fc.string({ unit: fc.constantFrom(...'az09_'), maxLength: 10 })).map(([a, b]) => a + b), { minLength: 2, maxLength: 4 }).map((w) => w.join('.')),
    actor: fc.oneof(fc.record({ member_id: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }) }), fc.record({ provider: fc.constantFrom('forum', 'telegram'), external_id: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 50 }) })),
    occurred_at: fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
    object: fc.option(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 50 })),
    attributes: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }),
  },
  { requiredKeys: ['source', 'source_event_id', 'action', 'actor', 'occurred_at'] },
);

const KEEP = Symbol('keep');
const DROP = Symbol('drop');
const sometimes = (edge: fc.Arbitrary<unknown>) =>
  fc.oneof({ arbitrary: fc.constant(KEEP), weight: 5 }, { arbitrary: edge, weight: 2 }, { arbitrary: fc.constant(DROP), weight: 1 });
/** A valid event with a few fields pushed to, or over, an edge; or dropped; or an unknown one added. */
const eventValue = fc
  .tuple(
    validEvent,
    fc.record({
      source: sometimes(slugValue),
      source_event_id: sometimes(textOf(200)),
      action: sometimes(actionValue),
      actor: sometimes(actorValue),
      occurred_at: sometimes(timestampValue),
      object: sometimes(anyOf<unknown>(textOf(200), fc.constant(null))),
      attributes: sometimes(attributesValue),
      extra: fc.oneof({ arbitrary: fc.constant(DROP), weight: 9 }, { arbitrary: strange, weight: 1 }),
    }),
  )
  .map(([event, edges]) => {
    const raw: Record<string, unknown> = { ...event };
    for (const [key, edge] of Object.entries(edges)) {
      if (edge === DROP) delete raw[key];
      else if (edge !== KEEP) raw[key] = edge;
    }
    return raw;
  });

function expectSameAsZod(raw: unknown): void {
  const fast = fastEventBody(raw);
  if (fast === undefined) return;
  const zod = EventBody.safeParse(raw);
  expect(zod.success).toBe(true);
  expect(fast).toStrictEqual(zod.data);
  // Same keys in the same order, down to the attributes.
  expect(JSON.stringify(fast)).toBe(JSON.stringify(zod.data));
}

describe('the fast event check', () => {
  it('accepts an event only if the schema does, and returns exactly what the schema returns', () => {
    fc.assert(
      fc.property(eventValue, (raw) => {
        expectSameAsZod(raw);
        expectSameAsZod(asParsedJson(raw));
      }),
      { numRuns: 5000 },
    );
  });

  it('gives the same verdict and the same errors as checkEvent, time checks included', () => {
    fc.assert(
      fc.property(fc.oneof(eventValue, eventValue.map(asParsedJson), validEvent), (raw) => {
        expect(checkEventFast(raw, NOW)).toStrictEqual(checkEvent(raw, NOW));
      }),
      { numRuns: 3000 },
    );
  });

  it('takes ordinary valid events without asking the schema', () => {
    fc.assert(
      fc.property(validEvent.map(asParsedJson), (raw) => {
        expect(fastEventBody(raw)).toBeDefined();
        expectSameAsZod(raw);
      }),
      { numRuns: 2000 },
    );
    for (let n = 0; n < 100; n += 1) expect(fastEventBody(syntheticEvent(n))).toStrictEqual(EventBody.parse(syntheticEvent(n)));
  });

  it('leaves every edge case to the schema', () => {
    const base = syntheticEvent(1);
    const declined = [
      { ...base, source: 'a'.repeat(65) },
      { ...base, source_event_id: 'x'.repeat(201) },
      { ...base, source_event_id: 'a\u0000' },
      { ...base, action: `a.${'b'.repeat(99)}` },
      { ...base, occurred_at: '2023-02-29T10:00:00Z' },
      { ...base, actor: { member_id: 0 } },
      { ...base, actor: { member_id: 1, provider: 'forum' } },
      { ...base, object: undefined },
      { ...base, attributes: { deep: nested(8, 1) } },
      { ...base, attributes: { big: 'a'.repeat(INGEST_LIMITS.attributes_bytes) } },
      { ...base, attributes: JSON.parse('{"__proto__": {"a": 1}}') },
      { ...base, extra: 1 },
    ];
    for (const raw of declined) expect(fastEventBody(raw)).toBeUndefined();
    // Within the limits by a hair: the bound is loose, the exact size decides.
    const near = { ...base, attributes: { big: 'ё'.repeat((INGEST_LIMITS.attributes_bytes - 10) / 2) } };
    expect(fastEventBody(near)).toStrictEqual(EventBody.parse(near));
    expect(fastEventBody({ ...base, attributes: { deep: nested(7, 1) } })).toBeDefined();
  });
});
