import type { TrailStep } from './types.ts';

/** The trail of the award being computed, reused from event to event so scoring allocates nothing. */
export class TrailScratch {
  private readonly items: TrailStep[] = [];
  private size = 0;

  start(first: TrailStep): void {
    this.items[0] = first;
    this.size = 1;
  }

  push(step: TrailStep): void {
    this.items[this.size++] = step;
  }

  copy(): TrailStep[] {
    return this.items.slice(0, this.size);
  }
}
