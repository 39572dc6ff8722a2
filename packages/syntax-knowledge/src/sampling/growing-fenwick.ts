import { ensureFloat64 } from './growable.ts';

/**
 * A Fenwick (binary indexed) tree over a list of weights that only grows at the end: O(log n) to append,
 * O(log n) to find the item a cumulative mass falls in. Used for atoms discovered past a truncation.
 */
export class GrowingFenwick {
  private tree = new Float64Array(16); // 1-based
  private count = 0;
  private sum = 0;

  get size(): number {
    return this.count;
  }

  /** Sum of all weights (plain running sum; the tree's own root may differ by rounding). */
  get total(): number {
    return this.sum;
  }

  push(weight: number): void {
    const i = ++this.count;
    this.tree = ensureFloat64(this.tree, i + 1);
    let value = weight;
    const stop = i - (i & -i);
    for (let j = i - 1; j > stop; j -= j & -j) value += this.tree[j];
    this.tree[i] = value;
    this.sum += weight;
  }

  /** The 0-based index of the item whose cumulative range holds `mass` (0 ≤ mass < total); the last item at the edge. */
  find(mass: number): number {
    let position = 0;
    let remaining = mass;
    let step = 1;
    while (step * 2 <= this.count) step *= 2;
    for (; step > 0; step >>= 1) {
      const next = position + step;
      if (next <= this.count && this.tree[next] <= remaining) {
        position = next;
        remaining -= this.tree[next];
      }
    }
    return Math.min(position, this.count - 1);
  }
}
