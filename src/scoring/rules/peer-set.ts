/**
 * The other members already counted in the current period: a short list, as a member hears from
 * only a few others a day; a set only when the list grows long.
 */
export class PeerSet {
  private readonly list: number[] = [];
  private size = 0;
  private set: Set<number> | null = null;

  clear(): void {
    this.size = 0;
    this.set = null;
  }

  /** Adds `peer`; false when it was already there. */
  add(peer: number): boolean {
    if (this.set !== null) {
      if (this.set.has(peer)) return false;
      this.set.add(peer);
      return true;
    }
    for (let i = 0; i < this.size; i++) if (this.list[i] === peer) return false;
    this.list[this.size++] = peer;
    if (this.size > 32) this.set = new Set(this.list.slice(0, this.size));
    return true;
  }
}
