import { parentPort, workerData } from 'node:worker_threads';
import { once } from 'node:events';
import { checkEvent } from '../schemas/check-event.ts';
import { EventLayout } from '../store/event-batch.ts';
import { readRecords } from './records.ts';
import { type CheckedPart, type CheckJob, PART_SIZE } from './checked-batches.ts';

/**
 * Reads and validates an import file off the main thread, handing batches over in parts (the last
 * one of a batch says so), never more than `ahead` parts ahead.
 */
const job = workerData as CheckJob;
const port = parentPort!;
const now = new Date(job.now_ms);
let credit = job.ahead;
port.on('message', () => (credit += 1));

const layout = new EventLayout();
let part: Omit<CheckedPart, 'events'> = { lines: [], rejects: [], last_line: 0, offset: 0, ends: false };
let inBatch = 0;
const send = async (): Promise<void> => {
  while (credit === 0) await once(port, 'message');
  credit -= 1;
  part.ends = inBatch === job.batch_size;
  if (part.ends) inBatch = 0;
  const events = layout.take();
  port.postMessage({ ...part, events } satisfies CheckedPart, [events.fields.buffer]);
  part = { lines: [], rejects: [], last_line: part.last_line, offset: part.offset, ends: false };
};

for await (const records of readRecords(job.path, job.format)) {
  for (const record of records) {
    inBatch += 1;
    part.last_line = record.line;
    part.offset = record.offset;
    const checked = record.unreadable ? null : checkEvent(record.raw, now);
    if (checked?.ok) {
      layout.add(checked.event);
      part.lines.push(record.line);
    } else {
      part.rejects.push({ line: record.line, errors: checked ? checked.errors : [{ field: '(line)', reason: record.unreadable! }] });
    }
    if (inBatch === job.batch_size || part.lines.length + part.rejects.length === PART_SIZE) await send();
  }
}
if (inBatch > 0) {
  inBatch = job.batch_size;
  await send();
}
port.postMessage(null);
