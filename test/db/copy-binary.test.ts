import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CopyBinaryReader, CopyBinaryWriter, isoOfPgMicros, pgMicros } from '../../src/db/copy-binary.ts';
import { isoTimestamp } from '../helpers/timestamps.ts';

const text = fc.string({ unit: fc.constantFrom('a', 'я', '\t', '\n', '\\', '"', '😀', '\u00ff'), maxLength: 40 });

describe('binary COPY fields', () => {
  it('read back exactly what was written, in order, across the writer growing its buffer', () => {
    const field = fc.oneof(
      fc.record({ kind: fc.constant('int8' as const), value: fc.option(fc.maxSafeInteger().map((n) => n * (n % 2 ? -1 : 1))) }),
      fc.record({ kind: fc.constant('text' as const), value: fc.option(text) }),
      fc.record({ kind: fc.constant('jsonb' as const), value: fc.json() }),
    );
    fc.assert(
      fc.property(fc.array(field, { maxLength: 3000, size: 'max' }), (fields) => {
        const writer = new CopyBinaryWriter();
        for (const f of fields) writer[f.kind](f.value as never);
        const reader = new CopyBinaryReader(writer.take());
        for (const f of fields) expect(reader[f.kind]()).toEqual(f.value);
      }),
      { numRuns: 50 },
    );
  });

  it('frames input as PostgreSQL reads it: signature, rows with their field count and lengths, trailer', () => {
    const writer = new CopyBinaryWriter();
    writer.header();
    writer.row(3);
    writer.int8(-2);
    writer.text(null);
    writer.jsonb('{}');
    writer.trailer();
    expect(Buffer.from(writer.take()).toString('hex')).toBe(
      ['5047434f50590aff0d0a00', '00000000', '00000000', '0003', '00000008fffffffffffffffe', 'ffffffff', '00000003017b7d', 'ffff'].join(''),
    );
  });

  it('hands over what was written in a buffer of its own and starts over', () => {
    const writer = new CopyBinaryWriter();
    writer.text('first');
    const first = writer.take();
    writer.text('second');
    expect(first.byteOffset).toBe(0);
    expect(first.buffer.byteLength).toBe(first.byteLength);
    expect(new CopyBinaryReader(first).text()).toBe('first');
    expect(writer.length).toBe(4 + 'second'.length);
  });
});

describe('timestamps as microseconds since 2000-01-01 UTC', () => {
  it('count from PostgreSQL epoch and honour the offset', () => {
    expect(pgMicros('2000-01-01T00:00:00Z')).toBe(0);
    expect(pgMicros('2000-01-01T03:00:00.000001+03:00')).toBe(1);
    expect(pgMicros('1999-12-31T23:59:59.999999Z')).toBe(-1);
    expect(pgMicros('2025-09-01T10:00:00+03:00')).toBe(Date.parse('2025-09-01T07:00:00Z') * 1000 - 946_684_800_000_000);
  });

  it('agree with JavaScript dates to the millisecond, whatever the date, fraction and offset', () => {
    fc.assert(
      fc.property(isoTimestamp({ maxFractionDigits: 3 }), (iso) => {
        expect(pgMicros(iso)).toBe(Date.parse(iso) * 1000 - 946_684_800_000_000);
      }),
      { numRuns: 5000 },
    );
  });

  it('round a finer fraction to the microsecond, ties to even, as PostgreSQL does', () => {
    expect(pgMicros('2000-01-01T00:00:00.0000005Z')).toBe(0);
    expect(pgMicros('2000-01-01T00:00:00.0000015Z')).toBe(2);
    expect(pgMicros('2000-01-01T00:00:00.00000051Z')).toBe(1);
    expect(pgMicros('2000-01-01T00:00:59.9999999Z')).toBe(60_000_000);
  });

  it('refuse text of any other shape rather than read it wrongly', () => {
    for (const text of ['2025-09-01 10:00:00+03', '2025-09-01T10:00+03:00', '2025-09-01T10:00:00+0300', '2025-09-01T10:00:00', '2025-09-01T10:00:00.Z', '2025-09-01T10:0a:00Z', '2025-09-01T10:00:00Zx', '']) {
      expect(() => pgMicros(text), text).toThrow(/is not an ISO 8601 timestamp with seconds and an offset/);
    }
  });

  it('give back a UTC text of the same microsecond', () => {
    fc.assert(
      fc.property(isoTimestamp({ maxFractionDigits: 9 }), (iso) => {
        const micros = pgMicros(iso);
        expect(pgMicros(isoOfPgMicros(micros))).toBe(micros);
        expect(isoOfPgMicros(micros)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(\d{3})?Z$/);
      }),
    );
  });
});
