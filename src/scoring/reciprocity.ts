/**
 * Which peer signals went which way in which week, across all members: a signal from A to B is
 * damped when B sent A the same signal in the same week. Small-integer keys keep lookups cheap.
 */
export class ReciprocityIndex {
  /** action slot → receiver → giver → weeks, ascending. */
  private readonly byAction = new Map<number, Map<number, Map<number, number[]>>>();

  /** Signals must be added in time order. */
  add(actionSlot: number, receiver: number, giver: number, week: number): void {
    let byReceiver = this.byAction.get(actionSlot);
    if (!byReceiver) this.byAction.set(actionSlot, (byReceiver = new Map()));
    let byGiver = byReceiver.get(receiver);
    if (!byGiver) byReceiver.set(receiver, (byGiver = new Map()));
    const weeks = byGiver.get(giver);
    if (!weeks) byGiver.set(giver, [week]);
    else if (weeks[weeks.length - 1] !== week) weeks.push(week);
  }

  has(actionSlot: number, receiver: number, giver: number, week: number): boolean {
    const weeks = this.byAction.get(actionSlot)?.get(receiver)?.get(giver);
    return weeks !== undefined && weeks.includes(week);
  }
}
