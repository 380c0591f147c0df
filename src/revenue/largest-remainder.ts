/**
 * Splits an integer `total` in proportion to `weights` into integers that add up to exactly `total`:
 * each part is first rounded down, then the units left go one each to the largest remainders (the
 * earlier part first on a tie). Floating-point error can leave a unit too many or too few; those are
 * settled the same way, so the sum is exact whatever the weights.
 */
export function largestRemainder(total: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(total) || total < 0) throw new RangeError(`total must be a non-negative integer, not ${total}`);
  const sum = weights.reduce((a, w) => a + (w > 0 ? w : 0), 0);
  if (total === 0) return weights.map(() => 0);
  if (!(sum > 0) || !Number.isFinite(sum)) throw new RangeError('weights must include a positive finite one');
  const quotas = weights.map((w) => (w > 0 ? (total * w) / sum : 0));
  const parts = quotas.map(Math.floor);
  let left = total - parts.reduce((a, p) => a + p, 0);
  if (left === 0) return parts;
  const byRemainder = quotas
    .map((q, i) => ({ i, r: q - parts[i]! }))
    .filter(({ i }) => weights[i]! > 0)
    .sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % byRemainder.length, left--) parts[byRemainder[k]!.i]! += 1;
  for (let k = byRemainder.length - 1; left < 0; k = (k - 1 + byRemainder.length) % byRemainder.length) {
    const i = byRemainder[k]!.i;
    if (parts[i]! > 0) {
      parts[i]! -= 1;
      left++;
    }
  }
  return parts;
}
