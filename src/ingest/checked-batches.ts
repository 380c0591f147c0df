import { on } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { EventInput } from '../core/event.ts';
import type { FieldError } from '../errors.ts';
import type { FileFormat } from './records.ts';

export interface CheckJob {
  path: string;
  format: FileFormat;
  now_ms: number;
  batch_size: number;
  /** Batches the reader may have ready before the importer takes them: bounds memory. */
  ahead: number;
}

/** A run of an import file, read and validated: the valid events with their line numbers, and the rejected lines. */
export interface CheckedBatch {
  events: EventInput[];
  lines: number[];
  rejects: { line: number; errors: FieldError[] }[];
  last_line: number;
  offset: number;
}

/**
 * Reads and validates a file on a worker thread, so that parsing runs beside the database work
 * instead of between its round trips. Yields the batches in file order.
 */
export async function* checkedBatches(job: Omit<CheckJob, 'ahead'>): AsyncGenerator<CheckedBatch> {
  const worker = new Worker(new URL('./check-worker.mjs', import.meta.url), {
    workerData: { ...job, ahead: 1 } satisfies CheckJob,
    // It holds a few batches at a time: a small heap keeps the import's memory flat.
    resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 },
  });
  try {
    for await (const [batch] of on(worker, 'message') as AsyncIterable<[CheckedBatch | null]>) {
      if (batch === null) return;
      worker.postMessage('more');
      yield batch;
    }
  } finally {
    await worker.terminate();
  }
}
