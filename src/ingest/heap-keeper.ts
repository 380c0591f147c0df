import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | undefined;

/**
 * Keeps a long import's heap near what it really holds. V8 lets a heap grow to about four times
 * what survived its last full collection before collecting again, and an import's batches live
 * just long enough to be promoted: left alone, the main thread's heap swings between ~30 MB live
 * and ~150 MB. A full collection every `interval` events (a few milliseconds, with so little live)
 * keeps the process's peak memory well under 300 MB whatever the file size.
 */
export class HeapKeeper {
  private since = 0;

  constructor(private readonly interval = 40_000) {
    if (!collect) {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    }
  }

  /** Counts events that have passed through; collects once an interval's worth has. */
  passed(events: number): void {
    this.since += events;
    if (this.since < this.interval) return;
    this.since = 0;
    collect!();
  }
}
