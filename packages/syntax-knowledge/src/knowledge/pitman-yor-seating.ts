import { CountedSeating, type Rng } from '@kolmo/core';

/**
 * The Pitman–Yor Chinese restaurant (theory §2): after n draws with K elements, element k (seen m_k times) is
 * joined with probability (m_k − α)/(n + β) and a new element opens with (β + αK)/(n + β); the first draw is new.
 *
 * Sampling is the exact O(1) scheme of theory §2: with probability n/(n + β) pick a uniformly random earlier draw
 * (element k with probability m_k/n) and keep it with probability (m_k − α)/m_k, otherwise open a new element.
 * For −α < β < 0 that first branch probability exceeds 1, so there the new-element probability is drawn
 * directly and an existing element is found by the same pick-and-accept step repeated until it accepts
 * (acceptance ≥ 1 − α per try).
 */
export class PitmanYorSeating extends CountedSeating {
  private readonly discount: number;
  private readonly concentration: number;

  constructor(discount: number, concentration: number) {
    super();
    this.discount = discount;
    this.concentration = concentration;
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
        const element = this.randomEarlierDraw(rng);
        if (alpha === 0) return element;
        const m = this.counts[element];
        if (rng.nextFloat() * m < m - alpha) return element;
      }
      return this.k;
    }
    if (rng.nextFloat() * (n + beta) < beta + alpha * this.k) return this.k;
    for (;;) {
      const element = this.randomEarlierDraw(rng);
      const m = this.counts[element];
      if (rng.nextFloat() * m < m - alpha) return element;
    }
  }
}
