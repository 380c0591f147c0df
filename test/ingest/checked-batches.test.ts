import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkedBatches, PART_SIZE } from '../../src/ingest/checked-batches.ts';
import { NOW, anEvent } from '../helpers/api.ts';

const dir = mkdtempSync(join(tmpdir(), 'vklad-batches-'));

describe('reading an import file in batches', () => {
  it('yields batches of exactly the batch size, in file order, however the reader splits them into parts', async () => {
    const count = 2 * PART_SIZE + 345;
    // Every 7th line is bad: batches count lines, good or bad.
    const lines = Array.from({ length: count }, (_, i) => (i % 7 === 3 ? '{"broken"' : JSON.stringify(anEvent())));
    const file = join(dir, 'events.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    for (const size of [999, 1200, 5000]) {
      const batches = [];
      for await (const batch of checkedBatches({ path: file, format: 'jsonl', now_ms: NOW.getTime(), batch_size: size })) batches.push(batch);
      const sizes = batches.map((b) => b.events.keys.length + b.rejects.length);
      expect(sizes.slice(0, -1).every((s) => s === size)).toBe(true);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(count);
      const seen = batches.flatMap((b) => [...b.lines, ...b.rejects.map((r) => r.line)].sort((x, y) => x - y));
      expect(seen).toEqual(Array.from({ length: count }, (_, i) => i + 1));
      expect(batches.at(-1)!.last_line).toBe(count);
    }
  });
});
