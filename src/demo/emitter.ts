import type { Actor, EventInput } from '../core/event.ts';
import { moscowIso } from './calendar.ts';

interface Timed {
  at: number;
  event: EventInput;
}

/**
 * Collects one day's events and hands them out in time order. Events due later (a review in two
 * days, a session running past midnight) wait in `pending` until their day, so memory stays at a
 * few days of activity however long the window is.
 */
export class Emitter {
  private today: Timed[] = [];
  private pending: Timed[] = [];
  private counters = new Map<string, number>();
  private dayEnd = 0;

  constructor(
    private readonly start: number,
    private readonly end: number,
  ) {}

  /** Moves what falls before `dayEnd` out of `pending`; everything left there is due on a later day. */
  beginDay(dayEnd: number): void {
    this.dayEnd = dayEnd;
    const later: Timed[] = [];
    for (const timed of this.pending) (timed.at < dayEnd ? this.today : later).push(timed);
    this.pending = later;
  }

  /**
   * Records an event if it falls in the window and returns its number (`post-17` is number 17),
   * or null when it falls outside, so callers skip whatever would have followed from it.
   * `object` may be built from that number, so a post's id and its object agree.
   */
  emit(
    at: number,
    source: string,
    prefix: string,
    action: string,
    actor: Actor,
    object: string | null | ((n: number) => string),
    attributes?: Record<string, unknown>,
  ): number | null {
    if (at < this.start || at >= this.end) return null;
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    const target = typeof object === 'function' ? object(n) : object;
    this.push(at, { source, source_event_id: `${prefix}-${n}`, action, actor, occurred_at: moscowIso(at), object: target, ...(attributes ? { attributes } : {}) });
    return n;
  }

  /** Records an event whose id the caller made (the received half of a like); the caller checked the window. */
  push(at: number, event: EventInput): void {
    (at < this.dayEnd ? this.today : this.pending).push({ at, event });
  }

  inWindow(at: number): boolean {
    return at >= this.start && at < this.end;
  }

  endDay(): EventInput[] {
    const day = this.today.sort((x, y) => x.at - y.at).map((t) => t.event);
    this.today = [];
    return day;
  }
}
