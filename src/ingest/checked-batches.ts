import { on } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { FieldError } from '../errors.ts';
import { type PreparedEvents, joinPrepared } from '../store/event-batch.ts';
import type { FileFormat } from './records.ts';

export interface CheckJob {
  path: string;
  format: FileFormat;
  now_ms: number;
  batch_size: number;
  /** Parts the reader may have ready before the importer takes them: bounds memory. */
  ahead: number;
}

/** Events the reader hands over at a time: small parts die young in its heap instead of filling it. */
export const PART_SIZE = 1000;

/** A run of an import file, read and validated: the valid events laid out for storing with their line numbers, and the rejected lines. */
export interface CheckedBatch {
  events: PreparedEvents;
  lines: number[];
  rejects: { line: number; errors: FieldError[] }[];
  last_line: number;
  offset: number;
}

/** A run of a batch as the reader hands it over; `ends` on a batch's last part. */
export interface CheckedPart extends CheckedBatch {
  ends: boolean;
}

/**
 * Reads and validates a file on a worker thread, so that parsing runs beside the database work
 * instead of between its round trips. Yields the batches in file order.
 */
export async function* checkedBatches(job: Omit<CheckJob, 'ahead'>): AsyncGenerator<CheckedBatch> {
  const worker = new Worker(new URL('./check-worker.mjs', import.meta.url), {
    // About one batch ready ahead.
    workerData: { ...job, ahead: Math.ceil(Math.min(job.batch_size, 10 * PART_SIZE) / PART_SIZE) } satisfies CheckJob,
    // It holds a part or two at a time: a small heap keeps the import's memory flat.
    resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 32 },
  });
  let parts: CheckedPart[] = [];
  try {
    for await (const [part] of on(worker, 'message') as AsyncIterable<[CheckedPart | null]>) {
      if (part === null) return;
      worker.postMessage('more');
      parts.push(part);
      if (part.ends) {
        const { last_line, offset } = part;
        const events = joinPrepared(parts.map((p) => p.events));
        const batch = { events, lines: parts.flatMap((p) => p.lines), rejects: parts.flatMap((p) => p.rejects), last_line, offset };
        parts = [];
        yield batch;
      }
    }
  } finally {
    await worker.terminate();
  }
}
