const WEEK_BITS = 8192;
const SAFE_GIVER = 2 ** 40;

/**
 * Which peer signals went which way in which week, across all members: a signal from A to B is
 * damped when B sent A the same signal in the same week.
 */
export class ReciprocityIndex {
  private readonly byAction = new Map<number, Map<number, Set<number | string>>>();

  add(actionSlot: number, receiver: number, giver: number, week: number): void {
    let byReceiver = this.byAction.get(actionSlot);
    if (!byReceiver) this.byAction.set(actionSlot, (byReceiver = new Map()));
    let pairs = byReceiver.get(receiver);
    if (!pairs) byReceiver.set(receiver, (pairs = new Set()));
    pairs.add(key(giver, week));
  }

  has(actionSlot: number, receiver: number, giver: number, week: number): boolean {
    return this.byAction.get(actionSlot)?.get(receiver)?.has(key(giver, week)) ?? false;
  }
}

// A number key while it is exact, text beyond.
const key = (giver: number, week: number): number | string =>
  giver < SAFE_GIVER && week >= 0 && week < WEEK_BITS ? giver * WEEK_BITS + week : `${giver}:${week}`;
