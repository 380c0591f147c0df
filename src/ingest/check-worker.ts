import { parentPort, workerData } from 'node:worker_threads';
import { once } from 'node:events';
import { checkEvent } from '../schemas/event.ts';
import { readRecords } from './records.ts';
import type { CheckedBatch, CheckJob } from './checked-batches.ts';

/** Reads and validates an import file off the main thread, a batch at a time, never more than `ahead` batches ahead. */
const job = workerData as CheckJob;
const port = parentPort!;
const now = new Date(job.now_ms);
let credit = job.ahead;
port.on('message', () => (credit += 1));

let batch: CheckedBatch = { events: [], lines: [], rejects: [], last_line: 0, offset: 0 };
const send = async (): Promise<void> => {
  while (credit === 0) await once(port, 'message');
  credit -= 1;
  port.postMessage(batch);
  batch = { events: [], lines: [], rejects: [], last_line: batch.last_line, offset: batch.offset };
};

for await (const records of readRecords(job.path, job.format)) {
  for (const record of records) {
    batch.last_line = record.line;
    batch.offset = record.offset;
    const checked = record.unreadable ? null : checkEvent(record.raw, now);
    if (checked?.ok) {
      batch.events.push(checked.event);
      batch.lines.push(record.line);
    } else {
      batch.rejects.push({ line: record.line, errors: checked ? checked.errors : [{ field: '(line)', reason: record.unreadable! }] });
    }
    if (batch.events.length + batch.rejects.length >= job.batch_size) await send();
  }
}
if (batch.events.length + batch.rejects.length > 0) await send();
port.postMessage(null);
