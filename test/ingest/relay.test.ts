import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/ingest/import-file.ts';
import { claimMarks, clearMarks } from '../../src/store/scoring-queue.ts';
import { NOW } from '../helpers/api.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';

const dir = mkdtempSync(join(tmpdir(), 'vklad-relay-'));
let run = 0;

/** An import as batches taken one at a time would leave it: the first line of a key wins, identical repeats are present, others conflict. */
function expected(lines: { key: number; variant: number; user: number }[]) {
  const first = new Map<number, { variant: number; user: number }>();
  const summary = { stored: 0, already_present: 0, rejected: 0 };
  for (const line of lines) {
    const stored = first.get(line.key);
    if (!stored) {
      first.set(line.key, line);
      summary.stored += 1;
    } else if (stored.variant === line.variant && stored.user === line.user) summary.already_present += 1;
    else summary.rejected += 1;
  }
  return { first, summary };
}

describe.each(STORES)('importing batches side by side ($name)', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await kind.open();
  });
  afterAll(() => store.destroy());

  async function importLines(lines: { key: number; variant: number; user: number }[], batchSize: number) {
    const source = `relay${(run += 1)}`;
    const file = join(dir, `${source}-${kind.name}.jsonl`);
    const event = (l: { key: number; variant: number; user: number }) => ({
      source,
      source_event_id: `k${l.key}`,
      action: 'forum.post.created',
      actor: { provider: 'forum', external_id: `${source}-u${l.user}` },
      occurred_at: '2025-10-01T10:00:00Z',
      object: `post:${l.variant}`,
    });
    writeFileSync(file, lines.map((l) => `${JSON.stringify(event(l))}\n`).join(''));
    const summary = await importFile(store.db, file, { unknownIdentity: () => 'create', now: NOW, batchSize });
    const rows = await store.db.query<{ source_event_id: string; object_id: string; external_id: string; member_id: number }>(
      `select e.source_event_id, e.object_id, i.external_id, e.member_id from events e
       join identities i on i.member_id = e.member_id where e.source = $1`,
      [source],
    );
    return { source, summary, rows };
  }

  it('ends as if the batches had been stored one after the other, in file order', async () => {
    const line = fc.record({ key: fc.nat(6), variant: fc.nat(1), user: fc.nat(3) });
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 24 }), fc.integer({ min: 1, max: 4 }), async (lines, batchSize) => {
        const { source, summary, rows } = await importLines(lines, batchSize);
        const { first, summary: want } = expected(lines);
        expect(summary).toMatchObject(want);
        expect(rows.map((r) => [r.source_event_id, r.object_id, r.external_id]).sort()).toEqual(
          [...first].map(([key, l]) => [`k${key}`, `post:${l.variant}`, `${source}-u${l.user}`]).sort(),
        );
        // One member per identity, whichever batch created it.
        const members = new Map<string, Set<number>>();
        for (const r of rows) members.set(r.external_id, (members.get(r.external_id) ?? new Set()).add(r.member_id));
        for (const set of members.values()) expect(set.size).toBe(1);
      }),
      { numRuns: 12 },
    );
  });

  it('marks the members of every stored event for scoring', async () => {
    await clearMarks(store.db, await claimMarks(store.db, 1_000_000));
    const { rows } = await importLines([0, 1, 2, 3, 4].map((key) => ({ key, variant: 0, user: key % 3 })), 2);
    const marked = await claimMarks(store.db, 1_000_000);
    expect(marked).toEqual([...new Set(rows.map((r) => r.member_id))].sort((a, b) => a - b));
    await clearMarks(store.db, marked);
    expect(await claimMarks(store.db, 1_000_000)).toEqual([]);
  });

  it('stores each time to the microsecond it was sent, whether by COPY or, when a key is already there, by insert', async () => {
    const times = ['2025-10-01T10:00:00.123456+03:00', '2025-10-01T10:00:59.9999997Z', '2025-10-01T23:59:59.654321-05:30', '2025-10-02T00:00:00.0000025Z'];
    const line = (n: number, at: string) =>
      JSON.stringify({ source: 'relay-time', source_event_id: `t${n}`, action: 'forum.post.created', actor: { member_id: 1 }, occurred_at: at });
    const first = join(dir, `time-1-${kind.name}.jsonl`);
    writeFileSync(first, `${line(0, times[0]!)}\n${line(1, times[1]!)}\n`);
    // The second file's batch holds a key stored by the first: it is stored by insert-or-skip.
    const second = join(dir, `time-2-${kind.name}.jsonl`);
    writeFileSync(second, `${line(0, times[0]!)}\n${line(2, times[2]!)}\n${line(3, times[3]!)}\n`);
    await store.db.query("insert into members (id, display_name) overriding system value values (1, 'one') on conflict do nothing");
    expect(await importFile(store.db, first, { unknownIdentity: () => 'create', now: NOW })).toMatchObject({ stored: 2 });
    expect(await importFile(store.db, second, { unknownIdentity: () => 'create', now: NOW })).toMatchObject({ stored: 2, already_present: 1 });
    const rows = await store.db.query<{ same: boolean }>(
      `select e.occurred_at = s.at::timestamptz as same from unnest($1::text[]) with ordinality as s(at, n)
       join events e on e.source = 'relay-time' and e.source_event_id = 't' || (s.n - 1) order by s.n`,
      [times],
    );
    expect(rows).toEqual(times.map(() => ({ same: true })));
  });

  it('stores text holding COPY separators as it was sent', async () => {
    const file = join(dir, `odd-${kind.name}.jsonl`);
    const odd = 'tab\there, newline\nthere, back\\slash \\N and \\t';
    writeFileSync(
      file,
      `${JSON.stringify({ source: 'relay-odd', source_event_id: odd, action: 'forum.post.created', actor: { provider: 'forum', external_id: odd }, occurred_at: '2025-10-01T10:00:00Z', object: odd, attributes: { text: odd } })}\n`,
    );
    expect(await importFile(store.db, file, { unknownIdentity: () => 'create', now: NOW })).toMatchObject({ stored: 1 });
    const [row] = await store.db.query<Record<string, unknown>>("select source_event_id, actor_external_id, object_id, attributes from events where source = 'relay-odd'");
    expect(row).toEqual({ source_event_id: odd, actor_external_id: odd, object_id: odd, attributes: { text: odd } });
  });
});
