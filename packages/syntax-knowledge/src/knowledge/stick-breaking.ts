import type { Rng, TrueWeights } from '@kolmo/core';
import { ensureFloat64 } from '../sampling/growable.ts';

/**
 * Breaks the stick π_k = V_k Π_{j<k}(1 − V_j) until the mass left is at most `tolerance` or `maxAtoms` atoms
 * are drawn, with V_k from the prior. The mass left over is reported, never silently renormalised away.
 */
export function breakStick(
  prior: { stickFraction(rng: Rng, k: number): number },
  rng: Rng,
  { maxAtoms, tolerance }: { maxAtoms: number; tolerance: number },
): TrueWeights {
  if (!(maxAtoms >= 1) || !Number.isInteger(maxAtoms)) throw new RangeError(`maxAtoms must be a positive integer, got ${maxAtoms}`);
  let weights = new Float64Array(Math.min(maxAtoms, 1024));
  let remaining = 1;
  let k = 0;
  while (k < maxAtoms && remaining > tolerance) {
    const v = prior.stickFraction(rng, k + 1);
    weights = ensureFloat64(weights, k + 1);
    weights[k++] = remaining * v;
    remaining *= 1 - v;
  }
  return { weights: weights.slice(0, k), truncationMass: remaining };
}
