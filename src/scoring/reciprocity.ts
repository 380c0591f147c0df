/**
 * Which peer signals went which way in which week, across all members: a signal from A to B is
 * damped when B sent A the same signal in the same week. An open-addressing hash set over one typed
 * array, since this is looked up for every damped signal and nested maps cost a cache miss per level.
 */
export class ReciprocityIndex {
  /** [receiver, giver, week x 256 + action slot] per entry; an entry is used when its `used` flag is set. */
  private keys = new Float64Array(3 * 1024);
  private used = new Uint8Array(1024);
  private count = 0;

  add(actionSlot: number, receiver: number, giver: number, week: number): void {
    if (2 * (this.count + 1) > this.used.length) this.rehash(this.used.length * 4);
    const tag = week * 256 + actionSlot;
    const mask = this.used.length - 1;
    for (let i = hash(receiver, giver, tag) & mask; ; i = (i + 1) & mask) {
      if (this.used[i] === 0) {
        this.used[i] = 1;
        this.keys[3 * i] = receiver;
        this.keys[3 * i + 1] = giver;
        this.keys[3 * i + 2] = tag;
        this.count++;
        return;
      }
      if (this.keys[3 * i] === receiver && this.keys[3 * i + 1] === giver && this.keys[3 * i + 2] === tag) return;
    }
  }

  has(actionSlot: number, receiver: number, giver: number, week: number): boolean {
    const tag = week * 256 + actionSlot;
    const mask = this.used.length - 1;
    for (let i = hash(receiver, giver, tag) & mask; this.used[i] === 1; i = (i + 1) & mask) {
      if (this.keys[3 * i] === receiver && this.keys[3 * i + 1] === giver && this.keys[3 * i + 2] === tag) return true;
    }
    return false;
  }

  private rehash(capacity: number): void {
    const { keys, used } = this;
    this.keys = new Float64Array(3 * capacity);
    this.used = new Uint8Array(capacity);
    this.count = 0;
    for (let i = 0; i < used.length; i++) {
      if (used[i] === 1) this.add(keys[3 * i + 2]! % 256, keys[3 * i]!, keys[3 * i + 1]!, Math.floor(keys[3 * i + 2]! / 256));
    }
  }
}

/** Mixes the three numbers (their low 32 bits, which is where member ids and weeks differ). */
function hash(a: number, b: number, c: number): number {
  let h = Math.imul(a | 0, 0x9e3779b1);
  h = Math.imul(h ^ (b | 0) ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (c | 0) ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
