import type { BatchTurn } from '../store/events.ts';

/** A promise with its resolve at hand. */
function signal(): { promise: Promise<void>; fire: () => void } {
  let fire!: () => void;
  const promise = new Promise<void>((resolve) => (fire = resolve));
  return { promise, fire };
}

/**
 * One batch in a relay of batches stored on their own connections, each taking turns with the one
 * before it (see BatchTurn): the result is that of storing them one after the other, while one
 * batch's COPY runs beside the next one's lookups and the previous one's commit.
 */
export class Leg<T> {
  private readonly resolvedSignal = signal();
  private readonly writtenSignal = signal();
  readonly done: Promise<T>;
  /** Settles when the batch is stored or has failed, never rejects. */
  private readonly settled: Promise<void>;

  constructor(previous: Leg<unknown> | undefined, store: (turn: BatchTurn) => Promise<T>) {
    const after = (own: Promise<void>) => Promise.race([own, previous!.settled]);
    this.done = store({
      resolved: this.resolvedSignal.fire,
      written: this.writtenSignal.fire,
      mayWrite: async () => void (previous && (await after(previous.writtenSignal.promise))),
      mayCommit: async () => void (previous && (await previous.done)),
    });
    this.settled = this.done.then(
      () => undefined,
      () => undefined,
    );
  }

  /** When the next batch may start: this one holds every lock it will take, or has ended. */
  get started(): Promise<void> {
    return Promise.race([this.resolvedSignal.promise, this.settled]);
  }
}
