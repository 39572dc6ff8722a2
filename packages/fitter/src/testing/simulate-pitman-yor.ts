import type { Rng } from '@kolmo/core';

/**
 * A Pitman–Yor Chinese restaurant process by theory §2's exact O(1) sampler, for tests only (the generator
 * package has its own): with probability n/(n+β) pick a uniformly random earlier draw (element k with
 * probability m_k/n) and accept it with probability (m_k − α)/m_k, else open a new element. That joins k with
 * probability (m_k − α)/(n+β) and opens a new element with (β + αK)/(n+β), as the CRP requires.
 */
export function simulatePitmanYor(rng: Rng, discount: number, concentration: number, draws: number) {
  if (!(discount >= 0 && discount < 1)) throw new RangeError('discount must lie in [0, 1)');
  if (!(concentration >= 0)) throw new RangeError('this sampler needs concentration ≥ 0');
  const assignments = new Int32Array(draws);
  const sizes: number[] = [];
  for (let n = 0; n < draws; n++) {
    let element = -1;
    if (n > 0 && rng.nextFloat() * (n + concentration) < n) {
      const candidate = assignments[rng.nextInt(n)];
      const m = sizes[candidate];
      if (rng.nextFloat() * m < m - discount) element = candidate;
    }
    if (element < 0) {
      element = sizes.length;
      sizes.push(0);
    }
    sizes[element]++;
    assignments[n] = element;
  }
  return { assignments, sizes };
}
