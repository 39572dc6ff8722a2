/**
 * The Hurwitz zeta function ζ(s, q) = Σ_{k≥0} (q + k)^(−s) for s > 1, q > 0: the normaliser of the discrete
 * power law P(x) = x^(−α) / ζ(α, x_min). Computed by Euler–Maclaurin summation: the first N terms directly,
 * the rest by the integral, the half term and 13 Bernoulli corrections, with a = q + N ≥ max(12, s) so that
 * the correction series is below double-precision round-off (no npm package provides the Hurwitz zeta).
 */
const bernoulliOverFactorial = [
  1 / 6 / 2,
  -1 / 30 / 24,
  1 / 42 / 720,
  -1 / 30 / 40320,
  5 / 66 / 3628800,
  -691 / 2730 / 479001600,
  7 / 6 / 87178291200,
  -3617 / 510 / 20922789888000,
  43867 / 798 / 6402373705728000,
  -174611 / 330 / 2432902008176640000,
  854513 / 138 / 1.1240007277776077e21,
  -236364091 / 2730 / 6.204484017332394e23,
  8553103 / 6 / 4.0329146112660565e26,
]; // B_{2j} / (2j)!, j = 1..13

export function hurwitzZeta(s: number, q: number): number {
  if (!(s > 1)) throw new RangeError(`hurwitzZeta needs s > 1, got ${s}`);
  if (!(q > 0)) throw new RangeError(`hurwitzZeta needs q > 0, got ${q}`);
  const threshold = Math.max(12, s);
  const direct = q >= threshold ? 0 : Math.ceil(threshold - q);
  let head = 0;
  // Smallest terms first: fewer rounding errors when the head dominates.
  for (let k = direct - 1; k >= 0; k--) head += (q + k) ** -s;
  const a = q + direct;
  const aPower = a ** -s;
  let tail = (a * aPower) / (s - 1) + 0.5 * aPower;
  // Σ_j B_2j/(2j)! · s(s+1)…(s+2j−2) · a^(−s−2j+1)
  let factor = s * aPower / a; // s · a^(−s−1)
  const inverseSquare = 1 / (a * a);
  for (let j = 0; j < bernoulliOverFactorial.length; j++) {
    const term = bernoulliOverFactorial[j] * factor;
    tail += term;
    if (Math.abs(term) < 1e-17 * tail) break;
    factor *= (s + 2 * j + 1) * (s + 2 * j + 2) * inverseSquare;
  }
  return head + tail;
}
