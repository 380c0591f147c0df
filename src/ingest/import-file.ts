import { createWriteStream, statSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Database } from '../db/database.ts';
import type { FieldError } from '../errors.ts';
import { type IngestOptions, type Outcome, ingestEvents } from '../store/events.ts';
import { preparedBatch } from '../store/event-batch.ts';
import { ResolutionCache } from '../store/resolution-cache.ts';
import { Leg } from './batch-relay.ts';
import { checkedBatches } from './checked-batches.ts';
import { HeapKeeper } from './heap-keeper.ts';
import { type FileFormat, formatOf } from './records.ts';

export interface ImportOptions {
  format?: FileFormat | undefined;
  rejectsPath?: string | undefined;
  batchSize?: number | undefined;
  unknownIdentity: IngestOptions['unknownIdentity'];
  now: Date;
  onProgress?: ((progress: ImportProgress) => void) | undefined;
}

export interface ImportProgress {
  lines: number;
  bytes_read: number;
  bytes_total: number;
}

export interface ImportSummary {
  stored: number;
  already_present: number;
  rejected: number;
  rejects_path: string | null;
}

/**
 * Streams a JSONL or CSV file of events into the store in batches: a worker thread reads and
 * validates while batches are stored, on PostgreSQL two at a time on two connections, taking turns
 * so that the outcome is that of storing them in file order. Memory stays flat whatever the file
 * size; bad lines go to a rejects file.
 */
export async function importFile(db: Database, path: string, options: ImportOptions): Promise<ImportSummary> {
  const batchSize = options.batchSize ?? 5000;
  const bytesTotal = statSync(path).size;
  const rejects = new Rejects(options.rejectsPath ?? `${path}.rejects.jsonl`);
  const summary = { stored: 0, already_present: 0, rejected: 0 };
  const cache = new ResolutionCache();
  // PGlite has one connection: its batches go one at a time.
  const depth = db.engine === 'postgres' ? 2 : 1;
  const legs: { leg: Leg<Outcome[]>; lines: number[] }[] = [];

  const finish = async (): Promise<void> => {
    const { leg, lines } = legs.shift()!;
    for (const [i, outcome] of (await leg.done).entries()) {
      if (outcome.status === 'created') summary.stored += 1;
      else if (outcome.status === 'exists') summary.already_present += 1;
      else {
        summary.rejected += 1;
        await rejects.write(lines[i]!, errorsOf(outcome));
      }
    }
  };

  const heap = new HeapKeeper();
  let lines = 0;
  const batches = checkedBatches({ path, format: options.format ?? formatOf(path), now_ms: options.now.getTime(), batch_size: batchSize });
  try {
    for await (const batch of batches) {
      lines = batch.last_line;
      summary.rejected += batch.rejects.length;
      for (const { line, errors } of batch.rejects) await rejects.write(line, errors);
      const events = preparedBatch(batch.events);
      if (events.length > 0) {
        while (legs.length >= depth) await finish();
        const previous = legs.at(-1)?.leg;
        await previous?.started;
        const leg = new Leg(previous, (turn) => ingestEvents(db, events, { atomic: false, unknownIdentity: options.unknownIdentity, cache, turn }));
        legs.push({ leg, lines: batch.lines });
        heap.passed(events.length);
      }
      options.onProgress?.({ lines, bytes_read: batch.offset, bytes_total: bytesTotal });
    }
    while (legs.length > 0) await finish();
  } finally {
    await Promise.allSettled(legs.map(({ leg }) => leg.done));
    await rejects.close();
  }
  options.onProgress?.({ lines, bytes_read: bytesTotal, bytes_total: bytesTotal });
  return { ...summary, rejects_path: rejects.opened ? rejects.path : null };
}

function errorsOf(outcome: Outcome): FieldError[] {
  if (outcome.status === 'rejected') return outcome.errors;
  if (outcome.status === 'conflict') return outcome.fields.map((field) => ({ field, reason: `differs from stored event ${outcome.id}` }));
  return [];
}

/** The rejects file, opened only when there is something to reject. */
class Rejects {
  private stream: WriteStream | null = null;
  constructor(readonly path: string) {}

  get opened(): boolean {
    return this.stream !== null;
  }

  async write(line: number, errors: FieldError[]): Promise<void> {
    this.stream ??= createWriteStream(this.path);
    const reason = errors.map((e) => `${e.field}: ${e.reason}`).join('; ');
    if (!this.stream.write(`${JSON.stringify({ line, reason, errors })}\n`)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    if (!this.stream) return;
    this.stream.end();
    await once(this.stream, 'finish');
  }
}
