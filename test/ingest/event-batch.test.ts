import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type EventInput, eventKey, factsOf } from '../../src/core/event.ts';
import { copyText, fromCopyText } from '../../src/db/copy-text.ts';
import { actorRef, batchOf, identityOf, prepare, preparedBatch, preparedEvents } from '../../src/store/event-batch.ts';

// Text with COPY's separators and escapes in it, and characters beyond ASCII.
const awkward = fc.string({ unit: fc.constantFrom('a', 'я', '\t', '\n', '\r', '\\', 'N', ' ', '😀'), minLength: 1, maxLength: 12 });
const slug = fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/);

const event: fc.Arbitrary<EventInput> = fc.record(
  {
    source: slug,
    source_event_id: awkward,
    action: fc.constantFrom('forum.post.created', 'course.section.read'),
    actor: fc.oneof(fc.record({ member_id: fc.integer({ min: 1, max: 1e9 }) }), fc.record({ provider: slug, external_id: awkward })),
    occurred_at: fc.constantFrom('2025-09-01T10:00:00+03:00', '2025-09-01T07:00:00.123Z'),
    object: fc.option(awkward, { nil: undefined }),
    attributes: fc.option(fc.dictionary(awkward, fc.oneof(awkward, fc.integer(), fc.boolean())), { nil: undefined }),
  },
  { requiredKeys: ['source', 'source_event_id', 'action', 'actor', 'occurred_at'] },
);

describe('COPY text values', () => {
  it('read back exactly what was written, whatever separators they hold', () => {
    fc.assert(
      fc.property(awkward, (value) => {
        expect(fromCopyText(copyText(value))).toBe(value);
      }),
    );
    expect(fromCopyText(copyText(null))).toBeNull();
  });
});

describe('a batch of events as storing reads it', () => {
  it('reads the same keys, actions, actors, columns and facts whether laid out by the reader or read from the objects', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 20 }), (events) => {
        const prepared = preparedEvents();
        for (const e of events) prepare(prepared, e);
        const fromReader = preparedBatch(structuredClone(prepared));
        const fromObjects = batchOf(events);
        expect(fromReader.length).toBe(events.length);
        events.forEach((e, item) => {
          expect(fromReader.key(item)).toBe(eventKey(e.source, e.source_event_id));
          expect(fromReader.action(item)).toBe(e.action);
          expect(fromReader.actor(item)).toBe(fromObjects.actor(item));
          expect(fromReader.columns(item)).toBe(fromObjects.columns(item));
          expect(fromReader.columns(item).split('\t')).toHaveLength(9);
          expect(factsOf(fromReader.event(item))).toEqual(factsOf(e));
        });
      }),
    );
  });

  it('names an identity by provider and external id, and gives them back apart', () => {
    const ref = actorRef({ provider: 'telegram', external_id: 'a\u0000b:c' });
    expect(typeof ref).toBe('string');
    expect(identityOf(ref as string)).toEqual({ provider: 'telegram', external_id: 'a\u0000b:c' });
    expect(actorRef({ member_id: 42 })).toBe(42);
  });
});
