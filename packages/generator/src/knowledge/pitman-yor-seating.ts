import type { Rng, Seating } from '@kolmo/core';
import { ensureInt32 } from '../sampling/growable.ts';

/**
 * The Pitman–Yor Chinese restaurant (SPEC §2): after n draws with K elements, element k (seen m_k times) is
 * joined with probability (m_k − α)/(n + β) and a new element opens with (β + αK)/(n + β); the first draw is new.
 *
 * Sampling is the exact O(1) scheme of SPEC §2: with probability n/(n + β) pick a uniformly random earlier draw
 * (element k with probability m_k/n) and keep it with probability (m_k − α)/m_k, otherwise open a new element.
 * For −α < β < 0 that first branch probability exceeds 1, so there the new-element probability is drawn
 * directly and an existing element is found by the same pick-and-accept step repeated until it accepts
 * (acceptance ≥ 1 − α per try).
 */
export class PitmanYorSeating implements Seating {
  private readonly discount: number;
  private readonly concentration: number;
  private counts = new Int32Array(16);
  private history = new Int32Array(16);
  private n = 0;
  private k = 0;

  constructor(discount: number, concentration: number) {
    this.discount = discount;
    this.concentration = concentration;
  }

  get draws(): number {
    return this.n;
  }

  get distinct(): number {
    return this.k;
  }

  count(element: number): number {
    return element < this.k ? this.counts[element] : 0;
  }

  probabilityExisting(element: number): number {
    if (this.n === 0 || element >= this.k) return 0;
    return (this.counts[element] - this.discount) / (this.n + this.concentration);
  }

  probabilityNew(): number {
    if (this.n === 0) return 1;
    return (this.concentration + this.discount * this.k) / (this.n + this.concentration);
  }

  sample(rng: Rng): number {
    const n = this.n;
    if (n === 0) return 0;
    const alpha = this.discount;
    const beta = this.concentration;
    if (beta >= 0) {
      if (rng.nextFloat() * (n + beta) < n) {
        const element = this.history[rng.nextInt(n)];
        if (alpha === 0) return element;
        const m = this.counts[element];
        if (rng.nextFloat() * m < m - alpha) return element;
      }
      return this.k;
    }
    if (rng.nextFloat() * (n + beta) < beta + alpha * this.k) return this.k;
    for (;;) {
      const element = this.history[rng.nextInt(n)];
      const m = this.counts[element];
      if (rng.nextFloat() * m < m - alpha) return element;
    }
  }

  add(element: number): void {
    if (element === this.k) {
      this.k++;
      this.counts = ensureInt32(this.counts, this.k);
    } else if (!(element >= 0 && element < this.k)) {
      throw new RangeError(`seating: element ${element} is neither existing (< ${this.k}) nor the next new one (${this.k})`);
    }
    this.counts[element]++;
    this.history = ensureInt32(this.history, this.n + 1);
    this.history[this.n++] = element;
  }
}
