import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CopyBinaryWriter, pgMicros } from '../../src/db/copy-binary.ts';
import { copyRow } from '../../src/db/copy-text.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';
import { isoTimestamp } from '../helpers/timestamps.ts';

const PG_EPOCH_US = 946_684_800_000_000n;

describe.each(STORES)('COPY input as the database reads it ($name)', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await kind.open();
    await store.db.query('create table copy_probe (n bigint, t text, at timestamptz, doc jsonb)');
    await store.db.query('create table copy_text_probe (k int, t text)');
  });
  afterAll(() => store.destroy());

  it('reads a timestamp text as the same microsecond as pgMicros, whatever its fraction and offset', async () => {
    const stamps = fc.sample(isoTimestamp({ maxFractionDigits: 9 }), { numRuns: 2000 });
    stamps.push('2024-02-29T23:59:59.9999999+14:00', '2000-01-01T00:00:00.0000005Z', '2000-01-01T00:00:00.0000015-00:30');
    const rows = await store.db.query<{ micros: string }>(
      "select ((extract(epoch from t::timestamptz) * 1000000)::bigint)::text as micros from unnest($1::text[]) with ordinality as s(t, n) order by n",
      [stamps],
    );
    rows.forEach((row, i) => expect([stamps[i], BigInt(row.micros) - PG_EPOCH_US]).toEqual([stamps[i], BigInt(pgMicros(stamps[i]!))]));
  });

  it('stores what the writer wrote: numbers at the ends of their range, awkward text, NULLs, JSON', async () => {
    const values = [
      { n: Number.MAX_SAFE_INTEGER, t: 'tab\there\nnew \\N line', at: '2025-09-01T10:00:00.123456+03:00', doc: '{"я": [1, "😀"]}' },
      { n: -Number.MAX_SAFE_INTEGER, t: null, at: '1999-12-31T23:59:59.999999Z', doc: '"\\\\N"' },
      { n: null, t: '\\.', at: '2030-01-01T00:00:00Z', doc: '{}' },
    ];
    const rows = new CopyBinaryWriter();
    rows.header();
    for (const v of values) {
      rows.row(4);
      rows.int8(v.n);
      rows.text(v.t);
      rows.timestamptz(v.at);
      rows.jsonb(v.doc);
    }
    rows.trailer();
    await store.db.copyFrom('copy copy_probe (n, t, at, doc) from stdin with (format binary)', rows.take());
    const stored = await store.db.query<{ n: number | null; t: string | null; micros: string; doc: unknown }>(
      `select n, t, ((extract(epoch from at) * 1000000)::bigint)::text as micros, doc from copy_probe order by ctid`,
    );
    expect(stored).toEqual(
      values.map((v) => ({ n: v.n, t: v.t, micros: String(BigInt(pgMicros(v.at)) + PG_EPOCH_US), doc: JSON.parse(v.doc) })),
    );
  });

  it('stores text rows with every value as it was, whatever separators and escapes it holds', async () => {
    const awkward = fc.string({ unit: fc.constantFrom('a', 'я', '\t', '\n', '\r', '\\', 'N', '.', ' ', '😀') });
    const values = fc.sample(fc.option(awkward), { numRuns: 500 });
    values.push('\\N', '\\.', '\\', '');
    await store.db.copyFrom('copy copy_text_probe (k, t) from stdin', values.map((v, k) => copyRow([k, v])).join(''));
    const stored = await store.db.query<{ t: string | null }>('select t from copy_text_probe order by k');
    expect(stored.map((r) => r.t)).toEqual(values);
  });
});
