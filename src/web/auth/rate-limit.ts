/**
 * Counts attempts per key in a fixed window, in memory: enough for one server process, and it
 * forgets on restart, which only ever lets someone try again sooner.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly windowMs: number) {}

  /** Records an attempt under each key; false (and nothing recorded) when any key is over its limit. */
  attempt(keys: { key: string; limit: number }[], now: number): boolean {
    const current = keys.map(({ key, limit }) => {
      const w = this.windows.get(key);
      return { key, limit, w: w && now - w.start < this.windowMs ? w : { start: now, count: 0 } };
    });
    if (current.some(({ w, limit }) => w.count >= limit)) return false;
    for (const { key, w } of current) this.windows.set(key, { start: w.start, count: w.count + 1 });
    if (this.windows.size > 100_000) this.sweep(now);
    return true;
  }

  private sweep(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(key);
  }
}
