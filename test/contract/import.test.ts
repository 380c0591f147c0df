import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/ingest/import-file.ts';
import { NOW, anEvent, countEvents } from '../helpers/api.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';

const dir = mkdtempSync(join(tmpdir(), 'vklad-import-'));
const options = { unknownIdentity: () => 'create' as const, now: NOW, batchSize: 3 };

describe.each(STORES)('importing files ($name)', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await kind.open();
  });
  afterAll(() => store.destroy());

  it('stores good lines, counts duplicates, and writes bad lines with their line number and reason', async () => {
    const stored = anEvent();
    const good = [anEvent(), anEvent(), anEvent(), anEvent()];
    const lines = [
      JSON.stringify(good[0]),
      JSON.stringify(stored),
      '{"source": "forum", broken',
      '',
      JSON.stringify(good[1]),
      JSON.stringify(anEvent({ action: 'no.such.action' })),
      JSON.stringify(good[2]),
      JSON.stringify({ ...stored, object: 'post:999' }),
      JSON.stringify(good[3]),
      JSON.stringify(good[0]),
      JSON.stringify(anEvent({ occurred_at: '2999-01-01T00:00:00Z' })),
    ];
    const file = join(dir, `events-${kind.name}.jsonl`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    await importFile(store.db, writeOne(stored), options);
    const before = await countEvents(store.db);

    const summary = await importFile(store.db, file, options);
    expect(summary).toEqual({ stored: 4, already_present: 2, rejected: 4, rejects_path: `${file}.rejects.jsonl` });
    expect(await countEvents(store.db)).toBe(before + 4);
    const rejects = readFileSync(summary.rejects_path!, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rejects.map((r) => r.line).sort((a, b) => a - b)).toEqual([3, 6, 8, 11]);
    expect(rejects.find((r) => r.line === 3).reason).toMatch(/not valid JSON/);
    expect(rejects.find((r) => r.line === 6).reason).toMatch(/^action: /);
    expect(rejects.find((r) => r.line === 8).reason).toMatch(/^object: differs from stored event/);
    expect(rejects.find((r) => r.line === 11).reason).toMatch(/^occurred_at: is in the future/);

    const again = await importFile(store.db, file, options);
    expect(again).toMatchObject({ stored: 0, already_present: 6, rejected: 4 });
  });

  it('rejects a line that is not valid UTF-8 and keeps the rest', async () => {
    const file = join(dir, `utf8-${kind.name}.jsonl`);
    const good = JSON.stringify(anEvent());
    writeFileSync(file, Buffer.concat([Buffer.from(`${good}\n`), Buffer.from([0x7b, 0xc3, 0x28, 0x7d, 0x0a]), Buffer.from(JSON.stringify(anEvent()))]));
    const summary = await importFile(store.db, file, options);
    expect(summary).toMatchObject({ stored: 2, rejected: 1 });
    expect(JSON.parse(readFileSync(summary.rejects_path!, 'utf8'))).toMatchObject({ line: 2, reason: '(line): is not valid UTF-8' });
  });

  it('imports CSV with a header, by member id or identity, with JSON attributes', async () => {
    const member = (await store.db.query<{ id: number }>("insert into members (display_name) values ('csv') returning id"))[0]!.id;
    const file = join(dir, `events-${kind.name}.csv`);
    const id = () => `csv-${kind.name}-${Math.random().toString(36).slice(2)}`;
    writeFileSync(
      file,
      [
        'source,source_event_id,action,member_id,provider,external_id,occurred_at,object,attributes',
        `course,${id()},course.section.read,${member},,,2025-09-01T10:00:00+03:00,section:st/01,`,
        `forum,${id()},forum.post.created,,forum,csv-writer,2025-09-01T11:00:00+03:00,post:5,"{""words"": 80}"`,
        `forum,${id()},forum.post.created,,forum,csv-writer,not-a-date,post:6,`,
        `forum,${id()},forum.post.created,,forum,csv-writer,2025-09-01T11:00:00+03:00,post:7,"{broken"`,
      ].join('\r\n'),
    );
    const summary = await importFile(store.db, file, options);
    expect(summary).toMatchObject({ stored: 2, already_present: 0, rejected: 2 });
    const [row] = await store.db.query<{ attributes: unknown }>("select attributes from events where object_id = 'post:5'");
    expect(row!.attributes).toEqual({ words: 80 });
    const rejects = readFileSync(summary.rejects_path!, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rejects.map((r) => [r.line, r.errors[0].field])).toEqual([
      [4, 'occurred_at'],
      [5, '(line)'],
    ]);
  });
});

function writeOne(event: Record<string, unknown>): string {
  const file = join(dir, `one-${event.source_event_id}.jsonl`);
  writeFileSync(file, JSON.stringify(event));
  return file;
}
