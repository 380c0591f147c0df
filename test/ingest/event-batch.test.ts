import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type EventInput, eventKey, factsOf } from '../../src/core/event.ts';
import { CopyBinaryWriter } from '../../src/db/copy-binary.ts';
import { type EventBatch, EventLayout, actorRef, batchOf, identityOf, joinPrepared, preparedBatch } from '../../src/store/event-batch.ts';
import { isoTimestamp } from '../helpers/timestamps.ts';

// Text with separators and escapes in it, and characters beyond ASCII.
const awkward = fc.string({ unit: fc.constantFrom('a', 'я', '\t', '\n', '\r', '\\', 'N', ' ', '😀'), minLength: 1, maxLength: 12 });
const slug = fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/);

const event: fc.Arbitrary<EventInput> = fc.record(
  {
    source: slug,
    source_event_id: awkward,
    action: fc.constantFrom('forum.post.created', 'course.section.read'),
    actor: fc.oneof(fc.record({ member_id: fc.integer({ min: 1, max: 1e9 }) }), fc.record({ provider: slug, external_id: awkward })),
    occurred_at: isoTimestamp({ maxFractionDigits: 6 }),
    object: fc.option(awkward, { nil: undefined }),
    attributes: fc.option(fc.dictionary(awkward, fc.oneof(awkward, fc.integer(), fc.boolean())), { nil: undefined }),
  },
  { requiredKeys: ['source', 'source_event_id', 'action', 'actor', 'occurred_at'] },
);

const fieldsOf = (batch: EventBatch, item: number): Uint8Array => {
  const into = new CopyBinaryWriter();
  batch.writeFields(item, into);
  return into.take();
};

describe('a batch of events as storing reads it', () => {
  it('reads the same keys, actions, actors, fields and facts whether laid out by the reader (in runs) or read from the objects', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 20 }), fc.array(fc.nat(20)), (events, cuts) => {
        const layout = new EventLayout();
        const runs = [];
        events.forEach((e, item) => {
          if (cuts.includes(item)) runs.push(layout.take());
          layout.add(e);
        });
        runs.push(layout.take());
        const fromReader = preparedBatch(joinPrepared(structuredClone(runs)));
        const fromObjects = batchOf(events);
        expect(fromReader.length).toBe(events.length);
        events.forEach((e, item) => {
          expect(fromReader.key(item)).toBe(eventKey(e.source, e.source_event_id));
          expect(fromReader.action(item)).toBe(e.action);
          expect(fromReader.actor(item)).toBe(fromObjects.actor(item));
          expect(Buffer.from(fieldsOf(fromReader, item)).equals(fieldsOf(fromObjects, item))).toBe(true);
          expect(factsOf(fromReader.event(item))).toEqual(factsOf(e));
          expect(fromReader.event(item).source_event_id).toBe(e.source_event_id);
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
