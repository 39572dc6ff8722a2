/**
 * Modified Kneser–Ney discounts of one order (Chen & Goodman 1999, eq. 26) from its count-of-counts
 * n_1 … n_4 (how many entries have count exactly 1, 2, 3, 4; adjusted counts below the top order):
 *
 *   Y = n_1 / (n_1 + 2 n_2),  D_1 = 1 − 2Y n_2/n_1,  D_2 = 2 − 3Y n_3/n_2,  D_3+ = 3 − 4Y n_4/n_3.
 *
 * An estimate is used only where its denominators are positive and it lies in (0, c] for class c (so every
 * class keeps some mass for backing off and no count goes negative); otherwise the class takes `fallback[c − 1]`.
 * Writes D_1, D_2, D_3+ to out[offset … offset + 2].
 */
export function estimateKneserNeyDiscounts(
  n1: number,
  n2: number,
  n3: number,
  n4: number,
  fallback: ArrayLike<number>,
  out: Float64Array,
  offset: number,
): void {
  const y = n1 > 0 ? n1 / (n1 + 2 * n2) : NaN;
  out[offset] = within(n1 > 0 ? 1 - (2 * y * n2) / n1 : NaN, 1, fallback[0]);
  out[offset + 1] = within(n1 > 0 && n2 > 0 ? 2 - (3 * y * n3) / n2 : NaN, 2, fallback[1]);
  out[offset + 2] = within(n1 > 0 && n3 > 0 ? 3 - (4 * y * n4) / n3 : NaN, 3, fallback[2]);
}

function within(estimate: number, count: number, fallback: number): number {
  return estimate > 0 && estimate <= count ? estimate : fallback;
}
