import type { Rng } from '../random/rng.ts';
import type { Seating } from '../contracts/prior.ts';

/**
 * The bookkeeping every Chinese-restaurant-style seating shares: counts per element, the sequence of draws
 * (for the O(1) "copy a uniformly random earlier draw" step), n and K. A prior's seating adds only its
 * predictive rule and its sampler.
 */
export abstract class CountedSeating implements Seating {
  protected counts = new Int32Array(16);
  protected history = new Int32Array(16);
  protected n = 0;
  protected k = 0;

  get draws(): number {
    return this.n;
  }

  get distinct(): number {
    return this.k;
  }

  count(element: number): number {
    return element < this.k ? this.counts[element] : 0;
  }

  abstract probabilityExisting(element: number): number;
  abstract probabilityNew(): number;
  abstract sample(rng: Rng): number;

  add(element: number): void {
    if (element === this.k) {
      this.beforeNewElement();
      this.k++;
      this.counts = grown(this.counts, this.k);
    } else if (!(element >= 0 && element < this.k)) {
      throw new RangeError(`seating: element ${element} is neither existing (< ${this.k}) nor the next new one (${this.k})`);
    }
    this.counts[element]++;
    this.history = grown(this.history, this.n + 1);
    this.history[this.n++] = element;
  }

  /** Element k with probability m_k/n (needs n > 0). */
  protected randomEarlierDraw(rng: Rng): number {
    return this.history[rng.nextInt(this.n)];
  }

  /** Refuses a new element where the prior allows no more (a finite support); nothing by default. */
  protected beforeNewElement(): void {}
}

function grown(array: Int32Array<ArrayBuffer>, needed: number): Int32Array<ArrayBuffer> {
  if (needed <= array.length) return array;
  const next = new Int32Array(Math.max(needed, array.length * 2));
  next.set(array);
  return next;
}
