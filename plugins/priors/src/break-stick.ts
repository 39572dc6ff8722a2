import type { Rng, TrueWeights } from '@kolmo/core';

/**
 * π_k = V_k Π_{j<k}(1 − V_j) for k = 1..atoms, stopping early once the mass left is at most `tolerance`;
 * the mass left over is reported as the truncation mass.
 */
export function breakStick(stickFraction: (rng: Rng, k: number) => number, rng: Rng, atoms: number, tolerance: number): TrueWeights {
  const weights: number[] = [];
  let remaining = 1;
  for (let k = 1; k <= atoms && remaining > tolerance; k++) {
    const v = stickFraction(rng, k);
    weights.push(remaining * v);
    remaining *= 1 - v;
  }
  return { weights: Float64Array.from(weights), truncationMass: remaining };
}
