import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { readLines } from './lines.ts';

/** One record of an import file: the raw value to validate, or why it could not even be read. */
export interface FileRecord {
  line: number;
  offset: number;
  raw: unknown;
  unreadable?: string;
}

export type FileFormat = 'jsonl' | 'csv';

export const formatOf = (path: string): FileFormat => (/\.csv$/i.test(path) ? 'csv' : 'jsonl');

/** The file's records, a run at a time: iterating record by record would cost more than parsing them. */
export async function* readRecords(path: string, format: FileFormat): AsyncGenerator<FileRecord[]> {
  yield* format === 'csv' ? csvRecords(path) : jsonlRecords(path);
}

async function* jsonlRecords(path: string): AsyncGenerator<FileRecord[]> {
  for await (const lines of readLines(path)) {
    const records: FileRecord[] = [];
    for (const { number, text, offset } of lines) {
      if (text === null) {
        records.push({ line: number, offset, raw: undefined, unreadable: 'is not valid UTF-8' });
      } else if (text.trim() !== '') {
        try {
          records.push({ line: number, offset, raw: JSON.parse(text) });
        } catch (error) {
          records.push({ line: number, offset, raw: undefined, unreadable: `is not valid JSON: ${(error as Error).message}` });
        }
      }
    }
    yield records;
  }
}

/** CSV columns: source, source_event_id, action, member_id | provider + external_id, occurred_at, object, attributes (JSON). */
export const CSV_COLUMNS = ['source', 'source_event_id', 'action', 'member_id', 'provider', 'external_id', 'occurred_at', 'object', 'attributes'];

async function* csvRecords(path: string): AsyncGenerator<FileRecord[]> {
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  let offset = 0;
  stream.on('data', (chunk) => (offset += chunk.length));
  const parser = stream.pipe(parse({ columns: true, info: true, skip_empty_lines: true, relax_column_count: true, bom: true }));
  let records: FileRecord[] = [];
  for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    records.push(csvRecord(record, info.lines, offset));
    if (records.length === 1000) {
      yield records;
      records = [];
    }
  }
  if (records.length > 0) yield records;
}

function csvRecord(record: Record<string, string>, line: number, offset: number): FileRecord {
  const unknown = Object.keys(record).filter((c) => !CSV_COLUMNS.includes(c));
  if (unknown.length > 0) return { line, offset, raw: undefined, unreadable: `has unknown columns: ${unknown.join(', ')}` };
  if (Object.values(record).some((v) => v.includes('\uFFFD'))) return { line, offset, raw: undefined, unreadable: 'is not valid UTF-8' };
  try {
    return { line, offset, raw: eventFromCsv(record) };
  } catch (error) {
    return { line, offset, raw: undefined, unreadable: `attributes ${(error as Error).message}` };
  }
}

function eventFromCsv(r: Record<string, string>): Record<string, unknown> {
  const present = (v: string | undefined) => v !== undefined && v !== '';
  return {
    source: r.source,
    source_event_id: r.source_event_id,
    action: r.action,
    actor: present(r.member_id) ? { member_id: Number(r.member_id) } : { provider: r.provider, external_id: r.external_id },
    occurred_at: r.occurred_at,
    ...(present(r.object) ? { object: r.object } : {}),
    ...(present(r.attributes) ? { attributes: JSON.parse(r.attributes!) } : {}),
  };
}
