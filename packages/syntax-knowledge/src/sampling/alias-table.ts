import type { Rng } from '@kolmo/core';

/**
 * Walker's alias table (Vose's construction): O(n) to build, O(1) per draw from a fixed discrete distribution.
 * The index is drawn exactly (Lemire), the coin with 53 random bits.
 */
export class AliasTable {
  readonly size: number;
  private readonly threshold: Float64Array;
  private readonly alias: Int32Array;

  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    if (n === 0) throw new RangeError('an alias table needs at least one weight');
    let total = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i];
      if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`alias table weight ${i} is ${w}; weights must be finite and non-negative`);
      total += w;
    }
    if (!(total > 0)) throw new RangeError('alias table weights sum to zero');
    this.size = n;
    this.threshold = new Float64Array(n);
    this.alias = new Int32Array(n);
    const scaled = new Float64Array(n);
    const small = new Int32Array(n);
    const large = new Int32Array(n);
    let smallCount = 0;
    let largeCount = 0;
    for (let i = 0; i < n; i++) {
      scaled[i] = (weights[i] * n) / total;
      if (scaled[i] < 1) small[smallCount++] = i;
      else large[largeCount++] = i;
    }
    while (smallCount > 0 && largeCount > 0) {
      const s = small[--smallCount];
      const l = large[largeCount - 1];
      this.threshold[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      if (scaled[l] < 1) {
        largeCount--;
        small[smallCount++] = l;
      }
    }
    // Whatever is left holds (up to rounding) exactly one unit: it never defers to an alias.
    while (largeCount > 0) {
      const l = large[--largeCount];
      this.threshold[l] = 1;
      this.alias[l] = l;
    }
    while (smallCount > 0) {
      const s = small[--smallCount];
      this.threshold[s] = 1;
      this.alias[s] = s;
    }
  }

  sample(rng: Rng): number {
    const i = this.size === 1 ? 0 : rng.nextInt(this.size);
    return rng.nextFloat() < this.threshold[i] ? i : this.alias[i];
  }
}
