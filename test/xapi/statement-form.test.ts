import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asStored, comparable } from '../../src/xapi/statement-form.ts';
import { aStatement } from './lrs.ts';

/** The same JSON with every object's keys in another order. */
function reordered(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v) => reordered(v, seed));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  const rotated = entries.map((_, i) => entries[(i + seed) % entries.length]!);
  return Object.fromEntries(rotated.map(([k, v]) => [k, reordered(v, seed + 1)]));
}

const statement = fc
  .record({
    extensions: fc.dictionary(fc.webUrl(), fc.jsonValue(), { maxKeys: 3 }),
    scaled: fc.double({ min: -1, max: 1, noNaN: true }),
    success: fc.boolean(),
    registration: fc.uuid(),
    instant: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-01-01T00:00:00Z'), noInvalidDate: true }),
  })
  .map(({ extensions, scaled, success, registration, instant }) =>
    aStatement({
      result: { score: { scaled }, success, extensions },
      context: { registration, contextActivities: { parent: [{ id: 'https://x.example/course' }] } },
      timestamp: instant.toISOString(),
    }),
  );

describe('statement comparison', () => {
  it('finds a statement equivalent to itself however its keys are ordered, its timestamp spelled or its UUIDs cased', () => {
    fc.assert(
      fc.property(statement, fc.nat(10), (s, seed) => {
        const respelled = reordered(
          {
            ...s,
            id: s.id.toUpperCase(),
            timestamp: s.timestamp.replace('Z', '+00:00'),
            context: { ...s.context, registration: s.context.registration.toUpperCase() },
          },
          seed,
        ) as Record<string, unknown>;
        expect(comparable(respelled, false)).toBe(comparable(s, false));
      }),
    );
  });

  it('finds what the LRS adds no difference, and any change of result a difference', () => {
    fc.assert(
      fc.property(statement, (s) => {
        const stored = asStored(s, { id: s.id, stored: '2030-01-01T00:00:00.000Z', authority: { mbox: 'mailto:lrs@example.org' }, version: '2.0.0' });
        expect(comparable(stored, false)).toBe(comparable(s, false));
        const changed = { ...s, result: { ...s.result, success: !s.result.success } };
        expect(comparable(changed, false)).not.toBe(comparable(s, false));
      }),
    );
  });

  it('turns a single context activity into an array and sets timestamp to stored when missing', () => {
    const { timestamp: _t, ...s } = aStatement({ context: { contextActivities: { parent: { id: 'https://x.example/c' } } } });
    const stored = asStored(s, { id: 'x', stored: '2030-01-01T00:00:00.000Z', authority: {}, version: '2.0.0' });
    expect(stored.context).toEqual({ contextActivities: { parent: [{ id: 'https://x.example/c' }] } });
    expect(stored.timestamp).toBe('2030-01-01T00:00:00.000Z');
    expect(Object.keys(stored)[0]).toBe('id');
  });
});
